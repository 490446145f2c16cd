/**
 * A proposal's tracking items follow the proposal (issue 15, review finding 1): 交办 makes one item
 * per department with the proposal's deadline, one notice per department; the reply, the
 * proposer's feedback and a granted reassignment move the items; the key proposal's leader
 * oversees them and chases on the lead's item. Also the co-signing and review rules the review
 * found (re-invitation, lapsed invitations, merging into a closed proposal) and the on-time
 * figure of a second round. Real server, real database, over REST.
 */
import {
  addMonths,
  type NotificationView,
  type ProposalAction,
  type ProposalResponse,
  type TrackingItemResponse,
  type TrackingListResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rehandleDeadlineMonths, roundForOnTime } from '../src/proposals/proposal.service';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';
import { todayInChina } from '../src/tracking/tracking.service';

let server: TestServer;
const cookies = new Map<string, string>();

const author = 'm-zhou-min';
const cosigners = ['m-ma-li', 'm-gao-ya'];
const staff = demo.staffId;
/** Head of 市城市管理局 (dep-cgj). */
const lead = 'o-liu-jianguo';
/** Head of 市市场监督管理局 (dep-scjg). */
const coHandler = 'o-wang-haitao';
/** The leader record ldr-sun-lixin signs in as this account. */
const leader = demo.leaderId;

type Answer<T> = { status: number; body: T & { error?: { code: string; message: string } } };

async function call<T = ProposalResponse>(memberId: string, path: string, init: RequestInit = {}): Promise<Answer<T>> {
  const headers = new Headers(init.headers);
  let c = cookies.get(memberId);
  if (!c) {
    c = await signIn(server.url, memberId);
    cookies.set(memberId, c);
  }
  headers.set('cookie', c);
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(`${server.url}/api${path}`, { ...init, headers });
  return { status: res.status, body: (await res.json()) as Answer<T>['body'] };
}
const post = <T = ProposalResponse>(memberId: string, path: string, body: unknown) =>
  call<T>(memberId, path, { method: 'POST', body: JSON.stringify(body) });
const act = (memberId: string, id: string, action: ProposalAction | Record<string, unknown>) =>
  post(memberId, `/proposals/${id}/actions`, { action });
function reply(memberId: string, id: string, text: string) {
  const f = new FormData();
  f.append('text', text);
  f.append('replyClass', 'solving');
  return call(memberId, `/proposals/${id}/replies`, { method: 'POST', body: f });
}
const item = async (memberId: string, id: string) =>
  (await call<TrackingItemResponse>(memberId, `/tracking/${encodeURIComponent(id)}`)).body;
/** The proposal's items, as staff list them. */
async function itemsOf(proposalId: string) {
  const list = await call<TrackingListResponse>(staff, '/tracking?kind=proposal');
  return list.body.items.filter((i) => i.source.id === proposalId);
}
const noticesOf = async (memberId: string) =>
  (await call<{ notifications: NotificationView[] }>(memberId, '/notifications')).body.notifications;

async function draft(title: string): Promise<string> {
  const res = await post(author, '/proposals', {
    title,
    case: '老旧小区无电梯，老人上下楼难。',
    suggestions: '一、出台补贴办法；二、简化审批。',
  });
  expect(res.status).toBe(201);
  return res.body.proposal.id;
}

async function accepted(title: string): Promise<string> {
  const id = await draft(title);
  expect((await act(author, id, { type: 'submit' })).status).toBe(200);
  expect((await act(staff, id, { type: 'accept' })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server?.close();
});

describe('a key proposal, its items and its two rounds', () => {
  let id = '';
  let leadItem = '';
  let coItem = '';

  it('lets an accepted co-signer stay signed when invited again, and lapses unanswered invitations at submission', async () => {
    id = await draft('关于老旧小区加装电梯的建议');
    await act(author, id, { type: 'invite', memberIds: cosigners });
    expect((await act(cosigners[0] ?? '', id, { type: 'acceptCosign' })).status).toBe(200);
    const again = await act(author, id, { type: 'invite', memberIds: [cosigners[0] ?? ''] });
    expect(again.status).toBe(400);
    const both = await act(author, id, { type: 'invite', memberIds: cosigners });
    expect(both.body.proposal.cosigners.map((c) => [c.memberId, c.status])).toEqual([
      [cosigners[0], 'accepted'],
      [cosigners[1], 'invited'],
    ]);
    // The author's notice of the acceptance is no part of this test; the second never answers.
    const submitted = await act(author, id, { type: 'submit' });
    expect(submitted.body.proposal.cosigners.map((c) => c.memberId)).toEqual([cosigners[0]]);
    expect(submitted.body.proposal.trail.at(-1)?.note).toContain('未答复的联名邀请失效');
    // The lapsed invitee has no part left: nothing to answer, nothing to read.
    expect((await act(cosigners[1] ?? '', id, { type: 'acceptCosign' })).status).toBe(404);
  });

  it('makes one item per department at 交办, the leader overseeing, with one notice each', async () => {
    expect((await act(staff, id, { type: 'accept' })).status).toBe(200);
    // The co-signer who signed hears that it went in and how the review ended.
    const signedNotices = (await noticesOf(cosigners[0] ?? '')).filter((n) => n.link === `/proposals/${id}`);
    expect(signedNotices.map((n) => n.kind).sort()).toEqual(['proposalCosign', 'proposalDecided', 'proposalSubmitted']);
    expect(signedNotices.find((n) => n.kind === 'proposalDecided')?.params.state).toBe('accepted');
    expect((await act(staff, id, { type: 'markKey', leaderId: 'ldr-sun-lixin' })).status).toBe(200);
    const res = await act(staff, id, { type: 'assign', lead: 'dep-cgj', co: ['dep-scjg'] });
    const p = res.body.proposal;
    const items = await itemsOf(id);
    expect(items.map((i) => [i.department, i.deadline, i.status])).toEqual([
      ['市城市管理局', p.deadline, 'assigned'],
      ['市市场监督管理局', p.deadline, 'assigned'],
    ]);
    leadItem = items[0]?.id ?? '';
    coItem = items[1]?.id ?? '';
    expect(p.trackingId).toBe(leadItem);
    expect(items[0]?.text).toMatch(/^主办/);
    expect(items[1]?.text).toMatch(/^会办/);
    for (const [who, itemId] of [
      [lead, leadItem],
      [coHandler, coItem],
    ] as const) {
      const notices = await noticesOf(who);
      expect(notices.filter((n) => n.link === `/proposals/${id}`).map((n) => n.kind)).toEqual(['proposalAssigned']);
      expect(notices.some((n) => n.link.includes(encodeURIComponent(itemId)))).toBe(false);
    }
    // The leader oversees both items and chases the lead's.
    expect((await item(leader, coItem)).viewer.mayChase).toBe(true);
    const chased = await act(leader, id, { type: 'chase', note: '请于月底前报进展' });
    expect(chased.status).toBe(200);
    expect((await item(staff, leadItem)).item.chases).toHaveLength(1);
    expect((await item(staff, coItem)).item.chases).toHaveLength(0);
  });

  it('takes the reply as the lead item’s done report; 不满意 returns it with the new round’s deadline', async () => {
    await reply(lead, id, '已起草补贴办法，年内出台。');
    const done = await item(author, leadItem);
    expect(done.item.status).toBe('reportedDone');
    expect(done.item.reports.at(-1)).toMatchObject({ text: '已起草补贴办法，年内出台。', done: true });
    // Verified or returned only by the proposer's feedback, not by hand.
    expect((await post(staff, `/tracking/${leadItem}/actions`, { action: { type: 'verify' } })).status).toBe(409);

    const back = await act(author, id, { type: 'feedback', value: 'dissatisfied', comment: '资金来源不明' });
    const due = addMonths(todayInChina(), rehandleDeadlineMonths);
    expect(back.body.proposal).toMatchObject({ state: 'assigned', round: 2, deadline: due, overdue: false });
    const returned = await item(lead, leadItem);
    expect(returned.item).toMatchObject({ status: 'returned', deadline: due });
    expect(returned.item.history.at(-1)?.note).toBe('提案人不满意：资金来源不明');
    expect(returned.viewer.mayReport).toBe(true);
  });

  it('closes the lead item (verified) and the co-handling item when the proposer is satisfied', async () => {
    await reply(lead, id, '补贴办法已印发，资金由市财政列支。');
    expect((await item(staff, leadItem)).item.status).toBe('reportedDone');
    const closed = await act(author, id, { type: 'feedback', value: 'satisfied' });
    expect(closed.body.proposal.state).toBe('closed');
    const l = (await item(staff, leadItem)).item;
    expect(l.status).toBe('closed');
    expect(l.history.slice(-2).map((h) => h.action)).toEqual(['verify', 'close']);
    const c = (await item(staff, coItem)).item;
    expect(c.status).toBe('closed');
    expect(c.history.at(-1)?.note).toBe('提案办结（提案人满意）');
    // Nothing is left on either department's desk.
    const desk = await call<{ items: Array<{ id: string }> }>(
      staff,
      `/tracking/department?name=${encodeURIComponent('市城市管理局')}`,
    );
    expect(desk.body.items.map((i) => i.id)).not.toContain(leadItem);
  });

  it('refuses to merge another proposal into the closed one; merged into an open one, its proposer hears', async () => {
    const other = await draft('关于加装电梯补贴的建议');
    await act(author, other, { type: 'submit' });
    const merged = await act(staff, other, { type: 'merge', into: id });
    expect(merged.status).toBe(400);

    const theirs = await post(cosigners[1] ?? '', '/proposals', {
      title: '关于老旧小区改造的建议',
      case: '老旧小区设施老化。',
      suggestions: '统筹改造。',
    });
    const target = theirs.body.proposal.id;
    await act(cosigners[1] ?? '', target, { type: 'submit' });
    expect((await act(staff, other, { type: 'merge', into: target })).body.proposal.state).toBe('merged');
    // Led to their own proposal: the merged one is not theirs to read.
    const told = (await noticesOf(cosigners[1] ?? '')).find(
      (n) => n.kind === 'proposalDecided' && n.link === `/proposals/${target}`,
    );
    expect(told).toMatchObject({ kind: 'proposalDecided', params: { state: 'merged' } });
  });
});

describe('a granted reassignment', () => {
  it('closes the relieved department’s item with the reason; the next 交办 makes a new one', async () => {
    const id = await accepted('关于规范共享单车停放的建议');
    const first = await act(staff, id, { type: 'assign', lead: 'dep-scjg' });
    const old = first.body.proposal.trackingId ?? '';
    await act(coHandler, id, { type: 'requestReassign', reason: '停放管理归城管局' });
    await act(staff, id, { type: 'grantReassign', note: '改由城管局主办' });
    const relieved = (await item(staff, old)).item;
    expect(relieved.status).toBe('closed');
    expect(relieved.history.at(-1)?.note).toBe('同意改办：改由城管局主办');

    const anew = await act(staff, id, { type: 'assign', lead: 'dep-cgj' });
    const fresh = anew.body.proposal.trackingId ?? '';
    expect(fresh).not.toBe(old);
    expect((await item(lead, fresh)).item).toMatchObject({ department: '市城市管理局', status: 'assigned' });
    expect((await itemsOf(id)).map((i) => [i.department, i.status])).toEqual([
      ['市市场监督管理局', 'closed'],
      ['市城市管理局', 'assigned'],
    ]);
  });
});

describe('the on-time figure', () => {
  const at = (day: string) => new Date(`${day}T04:00:00Z`);
  const reply = (round: number, day: string, due: string) => ({
    id: `rp-${round}`,
    at: at(day),
    by: lead,
    byName: '刘建国',
    department: '市城市管理局',
    text: '答复',
    replyClass: 'solved' as const,
    round,
    due,
    attachments: [],
  });

  it('judges each round by its own deadline: a late second round makes the proposal late', () => {
    const late = roundForOnTime(
      {
        state: 'replied',
        round: 2,
        deadline: '2026-05-01',
        replies: [reply(1, '2026-03-20', '2026-04-01'), reply(2, '2026-05-10', '2026-05-01')],
      },
      '2026-06-01',
    );
    expect(late).toEqual({ deadline: '2026-05-01', replyOn: '2026-05-10' });
    const onTime = roundForOnTime(
      {
        state: 'closed',
        round: 2,
        deadline: '2026-05-01',
        replies: [reply(1, '2026-03-20', '2026-04-01'), reply(2, '2026-04-25', '2026-05-01')],
      },
      '2026-06-01',
    );
    expect(onTime).toEqual({ deadline: '2026-05-01', replyOn: '2026-04-25' });
    // A second round overdue and unanswered is late too.
    const open = roundForOnTime(
      { state: 'assigned', round: 2, deadline: '2026-05-01', replies: [reply(1, '2026-03-20', '2026-04-01')] },
      '2026-06-01',
    );
    expect(open).toEqual({ deadline: '2026-05-01', replyOn: null });
  });
});

describe('the demo proposals', () => {
  it('have the tracking items their steps would have made, in the status those steps left', async () => {
    const expected = [
      ['pp-demo-lights', 'assigned'],
      ['pp-demo-food', 'reportedDone'],
      ['pp-demo-parking', 'closed'],
    ] as const;
    for (const [id, status] of expected) {
      const p = (await call(staff, `/proposals/${id}`)).body.proposal;
      expect(p.trackingId, id).toBeTruthy();
      const it = (await item(staff, p.trackingId ?? '')).item;
      expect([it.source.id, it.department, it.status, it.deadline]).toEqual([id, p.lead?.name, status, p.deadline]);
    }
    // The key proposal's chase is on its item, where its leader oversees.
    const lights = (await call(staff, '/proposals/pp-demo-lights')).body.proposal;
    expect(lights.chases).toBe(1);
    const seen = await item(leader, lights.trackingId ?? '');
    expect(seen.item.chases).toHaveLength(1);
    expect(seen.viewer.mayChase).toBe(true);
  });
});
