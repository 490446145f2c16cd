/**
 * Proposal steps racing on two nodes of one database (review of issue 15, finding 9): each node
 * runs its own one-at-a-time queue per proposal, so only the version in the update filter decides.
 * Two co-signers answering at once on different nodes both land (the later is taken again on what
 * is stored), with both duty records; two staff deciding the review at once: one lands.
 */
import type { ProposalResponse } from '@yitang/shared';
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
    dbName: uniqueDbName('ppnodes'),
    nodeIds: ['node-a', 'node-b'],
  });
  [a, b] = cluster.nodes;
});
afterAll(async () => {
  await cluster?.close();
});

const author = 'm-zhou-min';
const cosigners = ['m-ma-li', 'm-gao-ya'] as const;
const staff = demo.staffId;

const postAs = postAsOn();
const post = (node: InProcessNode, memberId: string, path: string, body: unknown) =>
  postAs<ProposalResponse>(node, memberId, path, body);
const act = (node: InProcessNode, memberId: string, id: string, action: unknown) =>
  post(node, memberId, `/proposals/${id}/actions`, { action });

async function invited(n: number): Promise<string> {
  const res = await post(a, author, '/proposals', {
    title: `关于完善社区养老服务的建议（${n}）`,
    case: '社区养老服务网点少。',
    suggestions: '增设社区养老服务站。',
  });
  expect(res.status).toBe(201);
  const id = res.body.proposal.id;
  expect((await act(a, author, id, { type: 'invite', memberIds: [...cosigners] })).status).toBe(200);
  return id;
}

describe('two nodes, one proposal', () => {
  it('keeps every co-signer’s answer given at once on different nodes, and every duty record', async () => {
    // Ten co-signers answering at once, half on each node: each node's queue lets one at a time
    // through, so only the stored version keeps the two nodes from writing over each other.
    const serving = await cluster.conn
      .collection<{ _id: string }>('members')
      .find({ kind: 'member', status: 'serving', _id: { $ne: author } })
      .limit(10)
      .toArray();
    const many = serving.map((m) => m._id);
    expect(many).toHaveLength(10);
    const res = await post(a, author, '/proposals', {
      title: '关于完善社区养老服务的建议',
      case: '社区养老服务网点少。',
      suggestions: '增设社区养老服务站。',
    });
    const id = res.body.proposal.id;
    expect((await act(a, author, id, { type: 'invite', memberIds: many })).status).toBe(200);
    const answers = await Promise.all(many.map((m, n) => act(n % 2 ? b : a, m, id, { type: 'acceptCosign' })));
    expect(answers.map((r) => r.status)).toEqual(many.map(() => 200));
    const stored = await cluster.conn
      .collection<{ _id: string; cosigners: Array<{ memberId: string; status: string }> }>('proposals')
      .findOne({ _id: id });
    expect(
      stored?.cosigners
        .filter((c) => c.status === 'accepted')
        .map((c) => c.memberId)
        .sort(),
    ).toEqual([...many].sort());
    expect((await act(a, author, id, { type: 'submit' })).status).toBe(200);
    expect((await act(b, staff, id, { type: 'accept' })).status).toBe(200);
    const records = await cluster.conn
      .collection<{ _id: string }>('duty_entries')
      .find({ _id: { $in: many.map((c) => `pp:${id}:cosign:${c}`) } })
      .toArray();
    expect(records).toHaveLength(10);
  });

  it('lets only one of two review decisions given at once on different nodes land', async () => {
    const id = await invited(5);
    expect((await act(a, author, id, { type: 'submit' })).status).toBe(200);
    const [accept, reject] = await Promise.all([
      act(a, staff, id, { type: 'accept' }),
      act(b, demo.recorderId, id, { type: 'reject', reason: '不予立案' }),
    ]);
    expect([accept.status, reject.status].sort()).toEqual([200, 409]);
    const stored = await cluster.conn
      .collection<{ _id: string; trail: Array<{ action: string }> }>('proposals')
      .findOne({ _id: id });
    expect(stored?.trail.filter((e) => e.action === 'accept' || e.action === 'reject')).toHaveLength(1);
  });
});
