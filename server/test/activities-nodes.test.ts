/**
 * Activities on two nodes of one database: each node queues changes of one activity one at a
 * time, but FerretDB does not make the version-guarded update atomic across connections, so the
 * step key (`activity_steps`) keeps two changes read at one version from both landing, and the
 * loser reads again and retries. Ten invitees answer at once, half on each node: every answer is
 * kept; two staff close one activity at once on both nodes: it is closed once. Wrong sign-in
 * codes are counted across the nodes: five tries spread over both pause that person on both.
 */
import type { ActivityView } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  demo,
  type InProcessNode,
  type InProcessNodes,
  postAsOn,
  startInProcessNodes,
  uniqueDbName,
} from '../src/testing';

let cluster: InProcessNodes<readonly ['node-a', 'node-b']>;
let a: InProcessNode;
let b: InProcessNode;

beforeAll(async () => {
  cluster = await startInProcessNodes({
    mongoUri: inject('mongoUri'),
    dbName: uniqueDbName('actnodes'),
    nodeIds: ['node-a', 'node-b'],
  });
  [a, b] = cluster.nodes;
});
afterAll(async () => {
  await cluster?.close();
});

const invitees = [
  'm-zhou-min',
  'm-sun-jianhua',
  'm-li-xiaoyan',
  'm-wu-guoqiang',
  'm-xu-jing',
  'm-hu-zhiyong',
  'm-lin-feng',
  'm-guo-hong',
  'm-luo-bin',
  'm-liang-xue',
];

const postAs = postAsOn();
const post = (node: InProcessNode, memberId: string, path: string, body: unknown = {}) =>
  postAs<ActivityView & { error?: { code: string } }>(node, memberId, path, body);

describe('two nodes, one activity', () => {
  it('keeps every answer given at once on both nodes, and closes once', async () => {
    const created = await post(a, demo.staffId, '/activities', {
      kind: 'training',
      title: '新任委员培训',
      date: '2026-06-01',
      place: '市政协三楼会议室',
      invitees,
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const answers = await Promise.all(
      invitees.map((m, k) =>
        post(
          k % 2 === 0 ? a : b,
          m,
          `/activities/${id}/rsvp`,
          k % 3 === 0 ? { answer: 'leave', reason: '出差' } : { answer: 'attend' },
        ),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(invitees.map(() => 200));
    const closes = await Promise.all([
      post(a, demo.staffId, `/activities/${id}/close`),
      post(b, demo.recorderId, `/activities/${id}/close`),
    ]);
    expect(closes.map((r) => r.status).sort()).toEqual([200, 409]);
    const seen = closes.find((r) => r.status === 200)?.body;
    expect(seen?.state).toBe('closed');
    expect(Object.fromEntries((seen?.invitees ?? []).map((i) => [i.memberId, i.answer]))).toEqual(
      Object.fromEntries(invitees.map((m, k) => [m, k % 3 === 0 ? 'leave' : 'attend'])),
    );
  });

  it('counts wrong sign-in codes across the nodes: five spread over both pause that person on both', async () => {
    const created = await post(a, demo.staffId, '/activities', {
      kind: 'inspection',
      title: '老旧小区改造视察',
      date: '2026-06-02',
      place: '城东街道',
      invitees: ['m-zhou-min', 'm-sun-jianhua'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    // A code no node shows (one in a million might: each node here has a secret of its own).
    const tryCode = (node: InProcessNode, memberId: string) =>
      post(node, memberId, `/activities/${id}/sign-in`, { code: '000000' });
    const answers: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++) answers.push((await tryCode(i % 2 === 0 ? a : b, 'm-zhou-min')).body.error?.code);
    expect(answers).toEqual(Array(5).fill('BAD_CODE'));
    for (const node of [a, b]) {
      expect((await tryCode(node, 'm-zhou-min')).body.error?.code).toBe('RATE_LIMITED');
    }
    // Another invitee is not paused.
    expect((await tryCode(b, 'm-sun-jianhua')).body.error?.code).toBe('BAD_CODE');
  });
});
