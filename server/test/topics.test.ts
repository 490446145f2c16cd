import {
  NotificationsResponse,
  ProposeTopicResponse,
  type ScheduleTopicBody,
  SimilarTopicsResponse,
  TopicResponse,
  TopicTrail,
  type TopicView,
  TrackingListResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectSocket, demo, joinAs, must, next, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
const cookieOf = async (memberId: string) => {
  let c = cookies.get(memberId);
  if (!c) {
    c = await signIn(server.url, memberId);
    cookies.set(memberId, c);
  }
  return c;
};

async function call(memberId: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await cookieOf(memberId) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const errorCode = (r: { json: Record<string, unknown> }) => (r.json.error as { code?: string } | undefined)?.code;

const proposer = 'm-zhou-min';
const official = 'o-liu-jianguo';
const bridge = '城东大桥桥面路灯十年不亮，夜间通行存在安全隐患';

async function propose(title: string, by = proposer) {
  const r = await call(by, 'POST', '/topics', { title, description: '群众多次反映', source: 'member' });
  expect(r.status).toBe(201);
  return ProposeTopicResponse.parse(r.json);
}

async function acceptBoth(id: string): Promise<TopicView> {
  const first = await call(demo.firstConvenerId, 'POST', `/topics/${id}/accept`, {
    seat: 'first',
    secondConvenerId: official,
    department: '市城市管理局',
  });
  expect(first.status).toBe(200);
  const second = await call(official, 'POST', `/topics/${id}/accept`, { seat: 'second' });
  expect(second.status).toBe(200);
  return TopicResponse.parse(second.json).topic;
}

const schedule = (over: Partial<ScheduleTopicBody> = {}): ScheduleTopicBody => ({
  scheduledAt: '2026-12-10T14:30:00+08:00',
  roomId: demo.roomId,
  mode: 'hybrid',
  agenda: [
    { title: '情况通报', plannedMinutes: 15 },
    { title: '协商讨论', plannedMinutes: 45 },
  ],
  invitees: [
    { memberId: 'm-feng-gang', role: 'member' },
    { memberId: demo.recorderId, role: 'recorder' },
  ],
  ...over,
});

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('topics (荐题/立题)', () => {
  it('records a proposal with its source and points out a likely duplicate', async () => {
    const first = await propose(bridge);
    expect(first.topic).toMatchObject({ state: 'proposed', source: 'member', proposedBy: { id: proposer } });
    expect(first.topic.history.map((h) => h.action)).toEqual(['propose']);

    const hints = SimilarTopicsResponse.parse(
      (await call('m-feng-gang', 'GET', `/topics/similar?title=${encodeURIComponent('城东大桥路灯不亮')}`)).json,
    );
    expect(hints.similar.map((s) => s.id)).toContain(first.topic.id);

    const again = await propose('城东大桥路灯长期不亮的问题', 'm-feng-gang');
    expect(again.similar.map((s) => s.id)).toContain(first.topic.id);
    expect(again.topic.id).not.toBe(first.topic.id);

    const unrelated = await propose('职业教育校企合作平台建设', 'm-zeng-qing');
    expect(unrelated.similar).toEqual([]);
  });

  it('refuses a proposal without a title, with an unknown source, or a hotline one without its ticket', async () => {
    for (const body of [
      { title: '  ', source: 'member' },
      { title: '有效标题', source: 'rumour' },
      { title: '有效标题', source: 'hotline' },
    ]) {
      const r = await call(proposer, 'POST', '/topics', body);
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe('BAD_REQUEST');
    }
  });

  it('turns the same hotline ticket into one topic however often it is proposed', async () => {
    const body = { title: '12345：小区门口积水', source: 'hotline', sourceRef: 'HL-2026-0001' };
    const a = await call(demo.staffId, 'POST', '/topics', body);
    const b = await call(demo.staffId, 'POST', '/topics', body);
    expect(a.status).toBe(201);
    expect(ProposeTopicResponse.parse(b.json).topic.id).toBe(ProposeTopicResponse.parse(a.json).topic.id);
    expect(ProposeTopicResponse.parse(a.json).topic.id).toBe('tp-hotline-HL-2026-0001');
  });

  it('is accepted by both conveners in turn, each notified, and the proposer told', async () => {
    const { topic } = await propose('老城区公共厕所改造提升');
    const officialSocket = await connectSocket(server.url, await cookieOf(official));
    server.sockets.push(officialSocket);
    const told = next(officialSocket, 'notification:new', (n) => n.notification.link === `/topics/${topic.id}`);

    // Only a member appointed to convene takes the first seat; the second seat is an official's.
    const notConvener = await call('m-zhou-min', 'POST', `/topics/${topic.id}/accept`, {
      seat: 'first',
      secondConvenerId: official,
      department: '市城市管理局',
    });
    expect(notConvener.status).toBe(403);
    const memberAsSecond = await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/accept`, {
      seat: 'first',
      secondConvenerId: 'm-feng-gang',
      department: '市城市管理局',
    });
    expect(memberAsSecond.status).toBe(400);

    const first = await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/accept`, {
      seat: 'first',
      secondConvenerId: official,
      department: '市城市管理局',
    });
    const afterFirst = TopicResponse.parse(first.json).topic;
    expect(afterFirst).toMatchObject({
      state: 'proposed',
      department: '市城市管理局',
      firstConvener: { id: demo.firstConvenerId },
      secondConvener: { id: official, name: '刘建国' },
    });
    expect((await told).notification.kind).toBe('topicToAccept');

    const twice = await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/accept`, {
      seat: 'first',
      secondConvenerId: official,
      department: '市城市管理局',
    });
    expect(errorCode(twice)).toBe('ILLEGAL_TRANSITION');
    const wrongSecond = await call(demo.secondConvenerId, 'POST', `/topics/${topic.id}/accept`, { seat: 'second' });
    expect(wrongSecond.status).toBe(403);

    const accepted = TopicResponse.parse(
      (await call(official, 'POST', `/topics/${topic.id}/accept`, { seat: 'second' })).json,
    ).topic;
    expect(accepted.state).toBe('accepted');
    expect(accepted.acceptances.map((a) => [a.seat, a.by])).toEqual([
      ['first', demo.firstConvenerId],
      ['second', official],
    ]);
    const inbox = NotificationsResponse.parse((await call(proposer, 'GET', '/notifications')).json);
    expect(inbox.notifications.find((n) => n.link === `/topics/${topic.id}`)?.kind).toBe('topicAccepted');
    expect(inbox.unread).toBeGreaterThan(0);
    const read = NotificationsResponse.parse((await call(proposer, 'POST', '/notifications/read-all')).json);
    expect(read.unread).toBe(0);
  });

  it('is declined only with a reason, by a convener or staff, and never after acceptance', async () => {
    const { topic } = await propose('城区道路两侧绿化补植');
    const blank = await call(demo.staffId, 'POST', `/topics/${topic.id}/decline`, { reason: '   ' });
    expect(blank.status).toBe(400);
    const byMember = await call('m-feng-gang', 'POST', `/topics/${topic.id}/decline`, { reason: '不属于协商范围' });
    expect(byMember.status).toBe(403);
    const declined = TopicResponse.parse(
      (await call(demo.staffId, 'POST', `/topics/${topic.id}/decline`, { reason: '已列入年度民生实事项目' })).json,
    ).topic;
    expect(declined).toMatchObject({ state: 'declined', declineReason: '已列入年度民生实事项目' });
    const again = await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/accept`, {
      seat: 'first',
      secondConvenerId: official,
      department: '市城市管理局',
    });
    expect(errorCode(again)).toBe('ILLEGAL_TRANSITION');
    const inbox = NotificationsResponse.parse((await call(proposer, 'GET', '/notifications')).json);
    expect(inbox.notifications.find((n) => n.link === `/topics/${topic.id}`)).toMatchObject({
      kind: 'topicDeclined',
      params: { reason: '已列入年度民生实事项目' },
    });

    const { topic: other } = await propose('背街小巷环境整治');
    const accepted = await acceptBoth(other.id);
    const late = await call(demo.staffId, 'POST', `/topics/${accepted.id}/decline`, { reason: '太晚了' });
    expect(errorCode(late)).toBe('ILLEGAL_TRANSITION');
  });

  it('schedules a session for an accepted topic, invites people with a calendar file, suggests experts', async () => {
    const { topic } = await propose('城区餐饮油烟扰民与食品安全', 'm-sun-jianhua');
    const early = await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/schedule`, schedule());
    expect(errorCode(early)).toBe('ILLEGAL_TRANSITION');
    await acceptBoth(topic.id);

    const matches = (await call(demo.firstConvenerId, 'GET', `/topics/${topic.id}/matches`)).json as {
      matches: Array<{ id: string; tags: string[] }>;
    };
    const ids = matches.matches.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['m-li-xiaoyan', 'm-lin-feng', 'm-sun-jianhua']));
    expect(ids).not.toContain('m-zhou-min'); // 教育: nothing to do with it
    expect(matches.matches.find((m) => m.id === 'm-lin-feng')?.tags).toEqual(['餐饮', '食品安全']);

    const stranger = await call('m-zhou-min', 'POST', `/topics/${topic.id}/schedule`, schedule());
    expect(stranger.status).toBe(403);
    const badRoom = await call(
      demo.firstConvenerId,
      'POST',
      `/topics/${topic.id}/schedule`,
      schedule({ roomId: 'nowhere' }),
    );
    expect(badRoom.status).toBe(400);
    const badInvitee = await call(
      demo.firstConvenerId,
      'POST',
      `/topics/${topic.id}/schedule`,
      schedule({ invitees: [{ memberId: 'm-nobody', role: 'member' }] }),
    );
    expect(badInvitee.status).toBe(400);

    const scheduled = TopicResponse.parse(
      (await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/schedule`, schedule())).json,
    ).topic;
    expect(scheduled.state).toBe('scheduled');
    const sessionId = scheduled.sessionId ?? '';
    const session = (await call('m-feng-gang', 'GET', `/sessions/${sessionId}`)).json.session as Record<
      string,
      unknown
    >;
    expect(session).toMatchObject({
      topic: topic.title,
      mode: 'hybrid',
      state: 'scheduled',
      firstConvenerId: demo.firstConvenerId,
      secondConvenerId: official,
      scheduledAt: '2026-12-10T06:30:00.000Z',
    });
    const again = await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/schedule`, schedule());
    expect(errorCode(again)).toBe('ILLEGAL_TRANSITION');

    const inbox = NotificationsResponse.parse((await call('m-feng-gang', 'GET', '/notifications')).json);
    const invitation = inbox.notifications.find((n) => n.kind === 'invitation' && n.link === `/s/${sessionId}`);
    expect(invitation?.calendarUrl).toBe(`/api/sessions/${sessionId}/calendar.ics`);
    const ics = await fetch(`${server.url}${invitation?.calendarUrl}`, {
      headers: { cookie: await cookieOf('m-feng-gang') },
    });
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = (await ics.text()).replace(/\r\n[ \t]/g, '');
    expect(text).toMatch(/^BEGIN:VCALENDAR/);
    expect(text).toContain(`UID:${sessionId}@yitang`);
    expect(text).toContain('DTSTART:20261210T063000Z');
    expect(text).toContain('DTEND:20261210T073000Z'); // 15 + 45 planned minutes
    expect(text).toContain(`SUMMARY:协商议事：${topic.title}`);
    const anonymous = await fetch(`${server.url}${invitation?.calendarUrl}`);
    expect(anonymous.status).toBe(401);
  });

  it('follows its session: held at close, in progress while tracked, closed with the last item', async () => {
    const { topic } = await propose('城东大桥路灯修复', 'm-dong-hai');
    await acceptBoth(topic.id);
    const scheduled = TopicResponse.parse(
      (await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/schedule`, schedule())).json,
    ).topic;
    const sessionId = scheduled.sessionId ?? '';
    const convener = await joinAs(server, demo.firstConvenerId, sessionId);
    await must(convener, 'session:start', {});
    await must(convener, 'outcome:save', {
      outcomeId: null,
      text: '月底前修复城东大桥全部路灯',
      department: '市城市管理局',
      deadline: '2026-12-31',
      pollId: null,
      suggestionIds: [],
      record: true,
    });
    await must(convener, 'session:close', {});
    await server.app.minutesIdle(sessionId);
    // The close hook ran before minutesIdle resolved; the topic moved twice.
    const tracked = TopicResponse.parse((await call(proposer, 'GET', `/topics/${topic.id}`)).json).topic;
    expect(tracked.state).toBe('inProgress');
    expect(tracked.history.map((h) => h.action)).toEqual([
      'propose',
      'accept',
      'accept',
      'schedule',
      'hold',
      'startTracking',
    ]);

    const proposerSocket = await connectSocket(server.url, await cookieOf('m-dong-hai'));
    server.sockets.push(proposerSocket);
    const closedNotice = next(proposerSocket, 'notification:new', (n) => n.notification.kind === 'topicClosed');
    const items = TrackingListResponse.parse(
      (await call(demo.staffId, 'GET', `/tracking?sessionId=${sessionId}`)).json,
    );
    const itemId = items.items[0]?.id ?? '';
    // 交办: the responsible person (the second convener, whose department it is) was told.
    const assigned = NotificationsResponse.parse((await call(official, 'GET', '/notifications')).json);
    expect(assigned.notifications.find((n) => n.link === `/tracking/${itemId}`)).toMatchObject({
      kind: 'trackingAssigned',
      params: { topic: '月底前修复城东大桥全部路灯' },
    });
    for (const [who, action] of [
      [official, { type: 'start' }],
      [official, { type: 'report' }],
      [demo.firstConvenerId, { type: 'verify' }],
      [demo.firstConvenerId, { type: 'close' }],
    ] as const) {
      const r = await call(who, 'POST', `/tracking/${itemId}/actions`, { action });
      expect(r.status, r.text).toBe(200);
    }
    // The topic follows the item's close through the tracking listener; the proposer is told.
    expect((await closedNotice).notification.link).toBe(`/topics/${topic.id}`);
    const closed = TopicResponse.parse((await call(proposer, 'GET', `/topics/${topic.id}`)).json).topic;
    expect(closed.state).toBe('closed');
    expect(closed.history.at(-1)).toMatchObject({ action: 'close', state: 'closed' });

    // The trail: proposal to closure on one page.
    const trail = TopicTrail.parse((await call('m-dong-hai', 'GET', `/topics/${topic.id}/trail`)).json);
    expect(trail.topic.state).toBe('closed');
    expect(trail.session).toMatchObject({ id: sessionId, state: 'closed' });
    // The proposer was not in the session: its minutes, still a draft, are not yet theirs to see.
    expect(trail.minutesStatus).toBeNull();
    expect(TopicTrail.parse((await call(demo.staffId, 'GET', `/topics/${topic.id}/trail`)).json).minutesStatus).toBe(
      'draft',
    );
    expect(trail.outcomes.map((o) => o.text)).toEqual(['月底前修复城东大桥全部路灯']);
    expect(trail.tracking).toHaveLength(1);
    expect(trail.tracking[0]?.history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['create', 'start', 'report', 'verify', 'close']),
    );
    expect((await call(proposer, 'GET', '/topics/tp-none/trail')).status).toBe(404);
    // Someone with no part in the topic's session sees the topic, but not its tracking items.
    const stranger = TopicTrail.parse((await call('m-zhou-min', 'GET', `/topics/${topic.id}/trail`)).json);
    expect(stranger.outcomes).toHaveLength(1);
    expect(stranger.tracking).toEqual([]);
  });
});

describe('topic status machine over REST', () => {
  /** A topic driven to `state` through the real routes and a real session. */
  async function topicIn(state: 'accepted' | 'declined' | 'scheduled' | 'deliberated' | 'inProgress' | 'closed') {
    const { topic } = await propose(`状态机用例：${state}`);
    if (state === 'declined') {
      await call(demo.staffId, 'POST', `/topics/${topic.id}/decline`, { reason: '用例' });
      return topic.id;
    }
    await acceptBoth(topic.id);
    if (state === 'accepted') return topic.id;
    const scheduled = TopicResponse.parse(
      (await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/schedule`, schedule({ invitees: [] }))).json,
    ).topic;
    if (state === 'scheduled') return topic.id;
    const sessionId = scheduled.sessionId ?? '';
    const convener = await joinAs(server, demo.firstConvenerId, sessionId);
    await must(convener, 'session:start', {});
    if (state !== 'deliberated') {
      await must(convener, 'outcome:save', {
        outcomeId: null,
        text: '用例成果',
        department: '市城市管理局',
        deadline: null,
        pollId: null,
        suggestionIds: [],
        record: true,
      });
    }
    await must(convener, 'session:close', {});
    await server.app.minutesIdle(sessionId);
    if (state !== 'closed') return topic.id;
    const items = TrackingListResponse.parse(
      (await call(demo.staffId, 'GET', `/tracking?sessionId=${sessionId}`)).json,
    );
    const itemId = items.items[0]?.id ?? '';
    const proposerSocket = await connectSocket(server.url, await cookieOf(proposer));
    server.sockets.push(proposerSocket);
    const closed = next(proposerSocket, 'notification:new', (n) => n.notification.link === `/topics/${topic.id}`);
    for (const [who, action] of [
      [official, { type: 'start' }],
      [official, { type: 'report' }],
      [demo.firstConvenerId, { type: 'verify' }],
      [demo.firstConvenerId, { type: 'close' }],
    ] as const) {
      expect((await call(who, 'POST', `/tracking/${itemId}/actions`, { action })).status).toBe(200);
    }
    await closed;
    return topic.id;
  }

  const actions = {
    acceptFirst: (id: string) =>
      call(demo.firstConvenerId, 'POST', `/topics/${id}/accept`, {
        seat: 'first',
        secondConvenerId: official,
        department: '市城市管理局',
      }),
    acceptSecond: (id: string) => call(official, 'POST', `/topics/${id}/accept`, { seat: 'second' }),
    decline: (id: string) => call(demo.staffId, 'POST', `/topics/${id}/decline`, { reason: '用例' }),
    schedule: (id: string) => call(demo.firstConvenerId, 'POST', `/topics/${id}/schedule`, schedule({ invitees: [] })),
  };
  /** The only REST move each state allows; every other one is refused. */
  const legal: Record<string, keyof typeof actions | null> = {
    accepted: 'schedule',
    declined: null,
    scheduled: null,
    deliberated: null,
    inProgress: null,
    closed: null,
  };

  it('refuses every illegal move in every state with ILLEGAL_TRANSITION and changes nothing', async () => {
    for (const [state, allowed] of Object.entries(legal)) {
      const id = await topicIn(state as keyof typeof legal & Parameters<typeof topicIn>[0]);
      const before = TopicResponse.parse((await call(proposer, 'GET', `/topics/${id}`)).json).topic;
      expect(before.state).toBe(state);
      for (const [name, act] of Object.entries(actions)) {
        if (name === allowed) continue;
        const r = await act(id);
        expect([state, name, r.status, errorCode(r)]).toEqual([state, name, 409, 'ILLEGAL_TRANSITION']);
      }
      const after = TopicResponse.parse((await call(proposer, 'GET', `/topics/${id}`)).json).topic;
      expect(after).toEqual(before);
    }
  }, 120_000);
});
