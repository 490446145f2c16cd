import {
  type TrackingActionBody,
  TrackingActionType,
  type TrackingItemView,
  TrackingListResponse,
  TrackingStatus,
  trackingTransition,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, joinAs, must, signIn, startTestServer, type TestServer } from '../src/testing';

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

async function act(memberId: string, id: string, action: TrackingActionBody['action']) {
  const res = await fetch(`${server.url}/api/tracking/${id}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: await cookieOf(memberId) },
    body: JSON.stringify({ action }),
  });
  return { status: res.status, body: (await res.json()) as { item?: TrackingItemView; error?: { code: string } } };
}

const actionOf = (type: TrackingActionType): TrackingActionBody['action'] =>
  type === 'return' ? { type, reason: '材料不全,请补充现场照片' } : { type };

let itemId = '';

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
  await must(convener, 'outcome:save', {
    outcomeId: null,
    text: '七月底前完成南门小吃街油烟净化设施改造',
    department: '市市场监督管理局',
    deadline: '2020-07-31',
    pollId: null,
    suggestionIds: [],
    record: true,
  });
  await must(convener, 'outcome:save', {
    outcomeId: null,
    text: '草稿不跟踪',
    department: '',
    deadline: null,
    pollId: null,
    suggestionIds: [],
    record: false,
  });
  await must(convener, 'session:close', {});
  await server.app.minutesIdle(demo.sessionId);
  const list = TrackingListResponse.parse(
    await (
      await fetch(`${server.url}/api/tracking?sessionId=${demo.sessionId}`, {
        headers: { cookie: await cookieOf(demo.staffId) },
      })
    ).json(),
  );
  expect(list.items).toHaveLength(1);
  itemId = list.items[0]?.id ?? '';
});
afterAll(async () => {
  await server.close();
});

describe('tracking items (督办)', () => {
  it('is created at close for each recorded outcome, assigned, overdue past its deadline', async () => {
    // Verifying before anything was reported is out of order.
    const early = (await act(demo.firstConvenerId, itemId, { type: 'verify' })).body;
    expect(early.error?.code).toBe('ILLEGAL_TRANSITION');
    const res = await fetch(`${server.url}/api/tracking/${itemId}`, {
      headers: { cookie: await cookieOf(demo.staffId) },
    });
    const { item: view } = (await res.json()) as { item: TrackingItemView };
    expect(view).toMatchObject({
      status: 'assigned',
      department: '市市场监督管理局',
      deadline: '2020-07-31',
      overdue: true,
      topic: '南通理工学院海安校区南门小吃一条街整治',
    });
    expect(view.history[0]).toMatchObject({ action: 'create', status: 'assigned' });
  });

  it('refuses every illegal transition from every status it reaches, and wrong actors', async () => {
    // Walk: assigned → inProgress → reportedDone → returned → inProgress → reportedDone → verified → closed,
    // trying every action at each status first.
    const path: Array<[string, TrackingActionType]> = [
      [demo.secondConvenerId, 'start'],
      [demo.secondConvenerId, 'report'],
      [demo.firstConvenerId, 'return'],
      [demo.secondConvenerId, 'start'],
      [demo.secondConvenerId, 'report'],
      [demo.firstConvenerId, 'verify'],
      [demo.staffId, 'close'],
    ];
    let status: TrackingStatus = 'assigned';
    for (const [actor, step] of path) {
      for (const type of TrackingActionType.options) {
        if (trackingTransition(status, actionOf(type)).ok) continue;
        // Staff may close only; the first convener may verify/return/close: both see the state rule.
        const res = await act(demo.firstConvenerId, itemId, actionOf(type));
        const code = res.body.error?.code;
        expect([409, 403], `${type} from ${status}`).toContain(res.status);
        expect(['ILLEGAL_TRANSITION', 'FORBIDDEN']).toContain(code);
        if (['verify', 'return', 'close'].includes(type))
          expect(code, `${type} from ${status}`).toBe('ILLEGAL_TRANSITION');
      }
      const ok = await act(actor, itemId, actionOf(step));
      expect(ok.status, `${step} from ${status}`).toBe(200);
      status = TrackingStatus.parse(ok.body.item?.status);
    }
    expect(status).toBe('closed');
    const final = (await act(demo.staffId, itemId, { type: 'close' })).body;
    expect(final.error?.code).toBe('ILLEGAL_TRANSITION');

    // Wrong actors: a member may not report, the department may not verify.
    const stored = await server.app.models.TrackingItem.findById(itemId).lean();
    expect(stored?.history.map((h) => h.action)).toEqual([
      'create',
      'start',
      'report',
      'return',
      'start',
      'report',
      'verify',
      'close',
    ]);
    expect(stored?.history.find((h) => h.action === 'return')?.note).toBe('材料不全,请补充现场照片');
  });

  it('lets only the right people act', async () => {
    await server.app.models.TrackingItem.updateOne({ _id: itemId }, { $set: { status: 'inProgress' } });
    // Someone with no part in the item (not at the session, not the department) does not see it.
    expect((await act('m-zhou-min', itemId, { type: 'report' })).body.error?.code).toBe('NOT_FOUND');
    expect((await act(demo.staffId, itemId, { type: 'report' })).body.error?.code).toBe('FORBIDDEN');
    await server.app.models.TrackingItem.updateOne({ _id: itemId }, { $set: { status: 'reportedDone' } });
    expect((await act(demo.leaderId, itemId, { type: 'verify' })).body.error?.code).toBe('FORBIDDEN');
    // A return needs its reason.
    const noReason = await fetch(`${server.url}/api/tracking/${itemId}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await cookieOf(demo.firstConvenerId) },
      body: JSON.stringify({ action: { type: 'return' } }),
    });
    expect(noReason.status).toBe(400);
  });
});
