/**
 * 意见征集 on two nodes of one database and one Redis (issue 16, part 2): the public link's rate
 * limits hold across the nodes (an address spreading its posts over both gets one budget, not
 * two), and a convener bringing a group into the live session through the node that does not
 * hold the room has it put in the room on the node that does, once. Real nodes, real sockets.
 */
import {
  type ConsultationView,
  ConsultationView as ConsultationViewSchema,
  ProposeTopicResponse,
  TopicResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  connectSocket,
  demo,
  type InProcessNode,
  type InProcessNodes,
  must,
  next,
  signIn,
  startInProcessNodes,
  uniqueDbName,
} from '../src/testing';

let cluster: InProcessNodes<readonly ['node-a', 'node-b']>;
let a: InProcessNode;
let b: InProcessNode;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  cluster = await startInProcessNodes({
    mongoUri: inject('mongoUri'),
    dbName: uniqueDbName('consultnodes'),
    nodeIds: ['node-a', 'node-b'],
  });
  [a, b] = cluster.nodes;
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.close();
});

const cookies = new Map<string, string>();
type Answer = { status: number; json: Record<string, unknown> };
async function call(
  node: InProcessNode,
  who: string | null,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  let cookie: string | undefined;
  if (who) {
    const key = `${node.url} ${who}`;
    cookie = cookies.get(key) ?? (await signIn(node.url, who));
    cookies.set(key, cookie);
  }
  const res = await fetch(`${node.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const code = (x: Answer) => (x.json.error as { code?: string } | undefined)?.code;
const viewOf = (x: Answer): ConsultationView => {
  expect(x.status, JSON.stringify(x.json)).toBeLessThan(300);
  return ConsultationViewSchema.parse(x.json);
};

const member = 'm-zhou-min';
const official = 'o-liu-jianguo'; // 市城市管理局

/** A topic accepted by both seats and scheduled, through node a. */
async function scheduledTopic(title: string) {
  const proposed = await call(a, member, '/topics', { title, description: '群众多次反映', source: 'member' });
  const { topic } = ProposeTopicResponse.parse(proposed.json);
  await call(a, demo.firstConvenerId, `/topics/${topic.id}/accept`, {
    seat: 'first',
    secondConvenerId: official,
    department: '市城市管理局',
  });
  await call(a, official, `/topics/${topic.id}/accept`, { seat: 'second' });
  const scheduled = await call(a, demo.firstConvenerId, `/topics/${topic.id}/schedule`, {
    scheduledAt: '2026-12-20T14:30:00+08:00',
    roomId: demo.roomId,
    mode: 'hybrid',
    agenda: [{ title: '协商讨论', plannedMinutes: 45 }],
    invitees: [{ memberId: 'm-feng-gang', role: 'member' }],
  });
  return { topicId: topic.id, sessionId: TopicResponse.parse(scheduled.json).topic.sessionId ?? '' };
}

async function join(node: InProcessNode, memberId: string, sessionId: string): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, await signIn(node.url, memberId));
  sockets.push(socket);
  await must(socket, 'room:join', { sessionId });
  return socket;
}

describe('two nodes, one consultation', () => {
  it('gives an address one budget of public posts across both nodes', async () => {
    const { topicId } = await scheduledTopic('桥头路灯坏了十年');
    const publicCode = viewOf(await call(a, demo.staffId, `/consultations/${topicId}`)).publicCode ?? '';
    const publicPost = (node: InProcessNode, i: number) =>
      call(
        node,
        null,
        `/public/consultations/${publicCode}/suggestions`,
        { text: `桥头的路灯坏了，第${i}次反映。`, visitor: 'visitor-key-000001' },
        { 'x-forwarded-for': '10.9.0.1' },
      );
    // Five in the window, whichever node takes them; a sixth is refused on both.
    const taken = await Promise.all([0, 1, 2, 3, 4].map((i) => publicPost(i % 2 === 0 ? a : b, i)));
    expect(taken.map((x) => x.status)).toEqual([201, 201, 201, 201, 201]);
    for (const node of [a, b]) {
      const refused = await publicPost(node, 9);
      expect(refused.status).toBe(429);
      expect(code(refused)).toBe('RATE_LIMITED');
    }
    // Another address still may.
    const other = await call(
      b,
      null,
      `/public/consultations/${publicCode}/suggestions`,
      { text: '建议给桥头装上路灯。', visitor: 'visitor-key-000002' },
      { 'x-forwarded-for': '10.9.0.2' },
    );
    expect(other.status).toBe(201);
  });

  it('brings a group into the live room held by the other node, once', async () => {
    const { topicId, sessionId } = await scheduledTopic('小区噪音扰民');
    const text = '小区广场舞音响开得太大声，晚上吵得孩子没法写作业。';
    const first = viewOf(await call(b, member, `/consultations/${topicId}/suggestions`, { text }));
    await call(b, official, `/consultations/${topicId}/suggestions`, {
      text: '楼下跳舞的喇叭声每天响到十点，希望规定时间和音量。',
    });
    const groupId = first.suggestions.find((s) => s.text === text)?.groupId ?? '';
    expect(groupId).not.toBe('');

    // The room is live on node a, where its participants are.
    const convener = await join(a, demo.firstConvenerId, sessionId);
    await must(convener, 'session:start', {});
    const participant = await join(a, 'm-feng-gang', sessionId);

    const heard = next(participant, 'suggestion:updated');
    const bring = () => call(b, demo.firstConvenerId, `/consultations/${topicId}/groups/${groupId}/bring`, {});
    const answers = await Promise.all([bring(), bring()]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);
    const { suggestion } = await heard;
    expect(suggestion.text).toMatch(/^【意见征集·第1组】/);
    expect(suggestion.text).toContain(`详见：/topics/${topicId}#consultation`);

    // Read back on either node: brought once, to that suggestion.
    for (const node of [a, b]) {
      const group = viewOf(await call(node, member, `/consultations/${topicId}`)).groups.find((g) => g.id === groupId);
      expect(group?.broughtTo?.suggestionId).toBe(suggestion.id);
    }
    const snapshot = await must(participant, 'room:join', { sessionId });
    expect(snapshot.suggestions.filter((s) => s.text.startsWith('【意见征集·第1组】'))).toHaveLength(1);
    // A plain member is refused through either node.
    expect(code(await call(b, member, `/consultations/${topicId}/groups/${groupId}/bring`, {}))).toBe('FORBIDDEN');
  });
});
