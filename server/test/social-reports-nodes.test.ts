/**
 * 社情民意 steps racing on two nodes of one database (review of issue 15): each node runs its own
 * one-at-a-time queue per report, and FerretDB does not make the version-guarded update atomic
 * across connections, so only the step key (`social_report_steps`) keeps two staff deciding one
 * report at once from both landing. Several reports are decided twice at once, once on each node:
 * each keeps exactly one decision, and the loser is told the report changed.
 */
import type { SocialReportResponse } from '@yitang/shared';
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
    dbName: uniqueDbName('srnodes'),
    nodeIds: ['node-a', 'node-b'],
  });
  [a, b] = cluster.nodes;
});
afterAll(async () => {
  await cluster?.close();
});

const author = 'm-ma-li';

const postAs = postAsOn();
const post = (node: InProcessNode, memberId: string, path: string, body: unknown) =>
  postAs<SocialReportResponse & { error?: { code: string } }>(node, memberId, path, body);
const act = (node: InProcessNode, memberId: string, id: string, action: unknown) =>
  post(node, memberId, `/social-reports/${id}/actions`, { action });

describe('two nodes, one report', () => {
  it('lets only one of two decisions given at once on different nodes land', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 6; n += 1) {
      const res = await post(a, author, '/social-reports', {
        title: `关于老旧小区加装电梯的情况反映（${n}）`,
        content: '老旧小区加装电梯意见分歧大，低层住户反对较多。',
      });
      expect(res.status).toBe(201);
      ids.push(res.body.report.id);
    }
    // Two staff on two nodes: one adopts, the other declines, each report at once.
    const answers = await Promise.all(
      ids.map((id) =>
        Promise.all([
          act(a, demo.staffId, id, { type: 'adopt', level: 'city' }),
          act(b, demo.recorderId, id, { type: 'decline', reason: '内容与已采用信息重复。' }),
        ]),
      ),
    );
    for (const pair of answers) {
      expect(pair.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = pair.find((r) => r.status === 409);
      expect(loser?.body.error?.code).toBe('ILLEGAL_TRANSITION');
    }
    const stored = await cluster.conn
      .collection<{ _id: string; state: string; version: number; trail: Array<{ action: string }> }>('social_reports')
      .find({ _id: { $in: ids } })
      .toArray();
    expect(stored).toHaveLength(ids.length);
    for (const doc of stored) {
      expect(doc.trail.filter((e) => e.action === 'adopt' || e.action === 'decline')).toHaveLength(1);
      expect(doc.version).toBe(2);
      expect(['adopted', 'declined']).toContain(doc.state);
    }
  });

  it('still takes the next step on either node once one has landed', async () => {
    const res = await post(a, author, '/social-reports', {
      title: '关于农贸市场周边交通拥堵的情况反映',
      content: '早高峰农贸市场周边道路拥堵严重。',
    });
    const id = res.body.report.id;
    expect((await act(b, demo.staffId, id, { type: 'adopt', level: 'city' })).status).toBe(200);
    const raised = await act(a, demo.staffId, id, { type: 'raise', level: 'province' });
    expect(raised.status).toBe(200);
    expect(raised.body.report).toMatchObject({ state: 'adopted', level: 'province' });
  });
});
