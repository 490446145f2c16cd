/**
 * Tracking items from every source (issue 15): staff create work and supervision/inspection
 * findings directly, other modules create items from their records (createFromSource) with a
 * natural key, and items stored before sources existed still read as outcomes. The same states,
 * department desk, reports, verification and ratings serve every kind. Real server, real database.
 */
import {
  DepartmentViewResponse,
  NotificationsResponse,
  TrackingItemResponse,
  TrackingListResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOutcomeRepository } from '../src/outcomes/outcome.repository';
import { createRoomRepository } from '../src/rooms/room.repository';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';
import { createTrackingService, type TrackingService } from '../src/tracking/tracking.service';

let server: TestServer;
/** A second tracking service on the same database, as another module (proposals) would call it. */
let tracking: TrackingService;
const cookies = new Map<string, string>();

/** 市城市管理局's head, an official by record in the demo data. */
const cityOfficial = 'o-liu-jianguo';
const cityDepartment = '市城市管理局';
/** A member with no part in anything here. */
const stranger = 'm-li-xiaoyan';
/** The proposer who follows their proposal's item. */
const proposer = 'm-zhou-min';

type Answer<T> = { status: number; body: T & { error?: { code: string; message: string } } };

async function call<T>(memberId: string | null, path: string, init: RequestInit = {}): Promise<Answer<T>> {
  const headers = new Headers(init.headers);
  if (memberId) {
    let c = cookies.get(memberId);
    if (!c) {
      c = await signIn(server.url, memberId);
      cookies.set(memberId, c);
    }
    headers.set('cookie', c);
  }
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(`${server.url}/api${path}`, { ...init, headers });
  return { status: res.status, body: (await res.json()) as Answer<T>['body'] };
}
const post = <T = TrackingItemResponse>(memberId: string | null, path: string, body: unknown) =>
  call<T>(memberId, path, { method: 'POST', body: JSON.stringify(body) });

const finding = {
  kind: 'supervision',
  title: '城区六项环境问题民主监督',
  summary: '城东河道黑臭、工地扬尘等六个问题，监督组现场查看后提出。',
  text: '三个月内完成城东河道清淤并公开进展',
  department: cityDepartment,
  deadline: '2099-06-30',
};

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const models = server.app.models;
  tracking = createTrackingService({
    models,
    rooms: createRoomRepository(models),
    outcomes: createOutcomeRepository(models),
  });
});
afterAll(async () => {
  await server.close();
});

describe('staff create an item directly', () => {
  let id = '';

  it('a supervision finding, with its description, on the department desk', async () => {
    const res = await post(demo.staffId, '/tracking', finding);
    expect(res.status).toBe(201);
    const { item, viewer } = TrackingItemResponse.parse(res.body);
    id = item.id;
    expect(item.source).toEqual({ kind: 'supervision', id: null, title: finding.title, summary: finding.summary });
    expect(item).toMatchObject({
      status: 'assigned',
      outcomeId: null,
      sessionId: null,
      topic: finding.title,
      text: finding.text,
      department: cityDepartment,
      deadline: '2099-06-30',
    });
    expect(item.history).toMatchObject([{ action: 'create', status: 'assigned', byName: '周婷' }]);
    // Staff may chase and name the responsible person; there is no session, so staff verify too.
    expect(viewer).toMatchObject({ mayChase: true, mayAssign: true });

    const desk = DepartmentViewResponse.parse(
      (await call(cityOfficial, `/tracking/department?name=${encodeURIComponent(cityDepartment)}`)).body,
    );
    expect(desk.items.map((i) => [i.id, i.source.kind])).toContainEqual([id, 'supervision']);
  });

  it('tells the department of it (交办)', async () => {
    const { notifications } = NotificationsResponse.parse((await call(cityOfficial, '/notifications')).body);
    expect(notifications.find((n) => n.link === `/tracking/${encodeURIComponent(id)}`)).toMatchObject({
      kind: 'trackingAssigned',
      params: { topic: finding.text },
    });
  });

  it('runs the same machine: the department reports, staff verify and close', async () => {
    const reported = await post(cityOfficial, `/tracking/${id}/reports`, { text: '河道清淤完成', done: true });
    expect(reported.status).toBe(200);
    expect(reported.body.item.status).toBe('reportedDone');
    // The department cannot verify its own work.
    expect((await post(cityOfficial, `/tracking/${id}/actions`, { action: { type: 'verify' } })).status).toBe(403);
    const verified = await post(demo.staffId, `/tracking/${id}/actions`, { action: { type: 'verify' } });
    expect(verified.body.item.status).toBe('verified');
    const closed = await post(demo.staffId, `/tracking/${id}/actions`, { action: { type: 'close' } });
    expect(closed.body.item.status).toBe('closed');
  });

  it('is hidden from a member with no part in it', async () => {
    expect((await call(stranger, `/tracking/${id}`)).status).toBe(404);
    const list = TrackingListResponse.parse((await call(stranger, '/tracking')).body);
    expect(list.items.some((i) => i.id === id)).toBe(false);
  });

  it('is refused to anyone but staff, and to bad bodies with a clear 400', async () => {
    const member = await post(cityOfficial, '/tracking', finding);
    expect(member.status).toBe(403);
    expect(member.body.error?.code).toBe('FORBIDDEN');
    expect((await post(null, '/tracking', finding)).status).toBe(401);
    const bad: Array<[string, unknown]> = [
      ['outcome kind', { ...finding, kind: 'outcome' }],
      ['proposal kind', { ...finding, kind: 'proposal' }],
      ['blank title', { ...finding, title: '   ' }],
      ['no department', { ...finding, department: '' }],
      ['unknown department', { ...finding, department: '市不存在局' }],
      ['bad deadline', { ...finding, deadline: '30/06/2099' }],
      ['extra field', { ...finding, status: 'closed' }],
      ['long text', { ...finding, text: '长'.repeat(2001) }],
      ['not an object', ['supervision']],
    ];
    for (const [why, body] of bad) {
      const res = await post(demo.staffId, '/tracking', body);
      expect(res.status, why).toBe(400);
      expect(res.body.error?.code, why).toBe('BAD_REQUEST');
    }
  });
});

describe('createFromSource: another module creates an item from its record', () => {
  const source = { kind: 'proposal' as const, id: 'pp-2026-017', title: '关于完善老旧小区加装电梯的建议' };
  const work = {
    text: '研究老旧小区加装电梯补贴办法并答复提案人',
    department: cityDepartment,
    deadline: '2099-03-31',
    followers: [proposer],
    overseers: [demo.leaderId],
  };
  const by = { id: demo.staffId, name: '周婷' };

  it('is idempotent by the natural key, also when two calls race', async () => {
    const [a, b] = await Promise.all([
      tracking.createFromSource(source, work, by),
      tracking.createFromSource(source, work, by),
    ]);
    expect(a.id).toBe('tr-proposal-pp-2026-017');
    expect(b.id).toBe(a.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const again = await tracking.createFromSource(source, { ...work, text: '另一个办理要求' }, by);
    expect(again).toEqual({ id: a.id, created: false });
    expect(await server.app.models.TrackingItem.countDocuments({ 'source.id': source.id })).toBe(1);
  });

  it('keeps one item per part (a co-handling department) under a stable key, long keys hashed to fit', async () => {
    const part = await tracking.createFromSource({ ...source, part: 'dep-kjj' }, work, by);
    expect(part).toEqual({ id: 'tr-proposal-pp-2026-017-dep-kjj', created: true });
    const long = { ...source, id: `pp-${'x'.repeat(58)}` };
    const first = await tracking.createFromSource(long, work, by);
    expect(first.id.length).toBeLessThanOrEqual(64);
    expect(await tracking.createFromSource(long, work, by)).toEqual({ id: first.id, created: false });
    await expect(tracking.createFromSource({ ...source, id: 'x'.repeat(65) }, work, by)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('lets the proposer follow and rate it, and links back to its source; its end is the proposal’s', async () => {
    const id = 'tr-proposal-pp-2026-017';
    const seen = TrackingItemResponse.parse((await call(proposer, `/tracking/${id}`)).body);
    expect(seen.item.source).toEqual({ ...source, summary: null });
    expect(seen.viewer).toMatchObject({ mayRate: true, actions: [] });
    const rated = await call<TrackingItemResponse>(proposer, `/tracking/${id}/rating`, {
      method: 'PUT',
      body: JSON.stringify({ score: 4, comment: '答复及时' }),
    });
    expect(rated.body.item.rating).toMatchObject({ average: 4, count: 1 });
    expect((await call(stranger, `/tracking/${id}`)).status).toBe(404);

    // The department reports progress here; its work is done by the reply to the proposal, and
    // the proposer's feedback there verifies, returns or closes the item (proposal.tracking.ts).
    const done = await post(cityOfficial, `/tracking/${id}/reports`, { text: '补贴办法已出台', done: true });
    expect(done.status).toBe(400);
    expect(done.body.error?.message).toContain('答复');
    const progress = await post(cityOfficial, `/tracking/${id}/reports`, { text: '已起草补贴办法', done: false });
    expect(progress.body.item.status).toBe('inProgress');
    expect(await tracking.followSource(id, { type: 'reply', text: '补贴办法已出台' }, by)).toBe(true);
    const overseer = TrackingItemResponse.parse((await call(demo.leaderId, `/tracking/${id}`)).body);
    expect(overseer.item.status).toBe('reportedDone');
    expect(overseer.viewer.actions).toEqual([]);
    const refused = await post(demo.leaderId, `/tracking/${id}/actions`, {
      action: { type: 'return', reason: '未说明资金来源' },
    });
    expect(refused.status).toBe(409);
    const returned = await tracking.followSource(
      id,
      { type: 'return', reason: '提案人不满意：未说明资金来源', deadline: '2099-04-30' },
      by,
    );
    expect(returned).toBe(true);
    const back = TrackingItemResponse.parse((await call(proposer, `/tracking/${id}`)).body);
    expect(back.item).toMatchObject({ status: 'returned', deadline: '2099-04-30' });
    // A step that does not fit the item's status leaves it as it is.
    expect(await tracking.followSource(id, { type: 'return', reason: '再次退回', deadline: null }, by)).toBe(false);
    expect(TrackingItemResponse.parse((await call(proposer, `/tracking/${id}`)).body).item.deadline).toBe('2099-04-30');

    const mine = TrackingListResponse.parse((await call(proposer, '/tracking?kind=proposal')).body);
    expect(mine.items.map((i) => i.id)).toContain(id);
  });

  it('closes a proposal’s item when the proposer is satisfied, even before the reply reached it', async () => {
    const { id } = await tracking.createFromSource({ ...source, id: 'pp-2026-018' }, work, by);
    expect(await tracking.followSource(id, { type: 'accept', note: '提案人满意' }, by)).toBe(true);
    const closed = TrackingItemResponse.parse((await call(proposer, `/tracking/${id}`)).body).item;
    expect(closed.status).toBe('closed');
    expect(closed.history.map((h) => h.action)).toEqual(['create', 'close']);
    // The reply's step arriving late finds it closed and leaves it.
    expect(await tracking.followSource(id, { type: 'reply', text: '答复' }, by)).toBe(false);
  });

  it('lets the overseer of a finding verify and return it on the item itself', async () => {
    const { id } = await tracking.createFromSource(
      { kind: 'inspection', id: 'insp-2026-03', title: '农贸市场食品安全视察' },
      { ...work, text: '整改冷链台账' },
      by,
    );
    await post(cityOfficial, `/tracking/${id}/reports`, { text: '台账已整改', done: true });
    const overseer = TrackingItemResponse.parse((await call(demo.leaderId, `/tracking/${id}`)).body);
    expect(overseer.viewer.actions).toEqual(['verify', 'return']);
    const returned = await post(demo.leaderId, `/tracking/${id}/actions`, {
      action: { type: 'return', reason: '未附检查记录' },
    });
    expect(returned.body.item.status).toBe('returned');
  });

  it('keeps the limits of staff’s own items: a module cannot store longer texts', async () => {
    const long: Array<[string, Parameters<TrackingService['createFromSource']>]> = [
      ['title', [{ ...source, id: 'pp-long-1', title: '长'.repeat(201) }, work, by]],
      ['summary', [{ ...source, id: 'pp-long-2', summary: '长'.repeat(4001) }, work, by]],
      ['text', [{ ...source, id: 'pp-long-3' }, { ...work, text: '长'.repeat(2001) }, by]],
      ['deadline', [{ ...source, id: 'pp-long-4' }, { ...work, deadline: '明年' }, by]],
    ];
    for (const [why, args] of long) {
      await expect(tracking.createFromSource(...args), why).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(await server.app.models.TrackingItem.countDocuments({ 'source.id': /^pp-long-/ })).toBe(0);
  });

  it('refuses a responsible person who does not exist', async () => {
    await expect(
      tracking.createFromSource({ kind: 'staff', title: '临时交办' }, { ...work, assigneeId: 'm-nobody' }, by),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('items stored before sources existed', () => {
  it('read as outcomes of their session, and filter as such', async () => {
    const now = new Date();
    // Written with the driver, as an item of the earlier release was stored: no source field.
    await server.app.models.TrackingItem.collection.insertOne({
      _id: 'tr-o-legacy' as never,
      outcomeId: 'o-legacy',
      sessionId: demo.sessionId,
      topic: '南门小吃街油烟扰民',
      text: '加装油烟净化设施',
      department: '市市场监督管理局',
      deadline: null,
      status: 'assigned',
      history: [{ at: now, by: demo.staffId, byName: '周婷', action: 'create', status: 'assigned', note: null }],
      createdAt: now,
      updatedAt: now,
    });
    const { item } = TrackingItemResponse.parse((await call(demo.staffId, '/tracking/tr-o-legacy')).body);
    expect(item.source).toEqual({ kind: 'outcome', id: 'o-legacy', title: '南门小吃街油烟扰民', summary: null });
    expect(item).toMatchObject({ outcomeId: 'o-legacy', sessionId: demo.sessionId });
    const outcomes = TrackingListResponse.parse((await call(demo.staffId, '/tracking?kind=outcome')).body);
    expect(outcomes.items.map((i) => i.id)).toContain('tr-o-legacy');
    expect(outcomes.items.every((i) => i.source.kind === 'outcome')).toBe(true);
    const findings = TrackingListResponse.parse((await call(demo.staffId, '/tracking?kind=supervision')).body);
    expect(findings.items.length).toBeGreaterThan(0);
    expect(findings.items.some((i) => i.id === 'tr-o-legacy')).toBe(false);
    expect((await call(demo.staffId, '/tracking?kind=nonsense')).status).toBe(400);
  });
});
