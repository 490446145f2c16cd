/**
 * Tracking (督办) work after the session: progress reports with attachments, chasing with
 * escalation, the responsible person, satisfaction ratings, the department view and change
 * listeners. Real server, real database; a restart is a real restart on the same database.
 */
import {
  AssigneeCandidatesResponse,
  DepartmentViewResponse,
  type MemberView,
  type TrackingActionBody,
  type TrackingDepartmentsResponse,
  TrackingItemResponse,
  TrackingListResponse,
  trackingLimits,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOutcomeRepository } from '../src/outcomes/outcome.repository';
import { createRoomRepository } from '../src/rooms/room.repository';
import { connectSocket, demo, joinAs, must, next, signIn, startTestServer, type TestServer } from '../src/testing';
import { createTrackingService, type TrackingChange } from '../src/tracking/tracking.service';

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

/** Took part in the session (joined online). */
const participants = ['m-zhou-min', 'm-sun-jianhua'];
/** Never at the session, no part in any department. */
const stranger = 'm-li-xiaoyan';
/** An official of the street-lighting office, added by this test. */
const cityOfficial = 'o-test-chengguan';
const market = '市市场监督管理局';
/** A department only this test's official belongs to (the demo data may name others). */
const city = '市路灯管理处';

type Answer<T> = { status: number; body: T & { error?: { code: string; message: string } } };

async function call<T>(memberId: string | null, path: string, init: RequestInit = {}): Promise<Answer<T>> {
  const headers = new Headers(init.headers);
  if (memberId) headers.set('cookie', await cookieOf(memberId));
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(`${server.url}/api${path}`, { ...init, headers });
  return { status: res.status, body: (await res.json()) as Answer<T>['body'] };
}

const item = (memberId: string | null, id: string) => call<TrackingItemResponse>(memberId, `/tracking/${id}`);
const post = <T = TrackingItemResponse>(memberId: string, path: string, body: unknown, method = 'POST') =>
  call<T>(memberId, path, { method, body: JSON.stringify(body) });
const act = (memberId: string, id: string, action: TrackingActionBody['action']) =>
  post(memberId, `/tracking/${id}/actions`, { action });

/** A multipart progress report, the way a browser form sends it. */
function reportForm(fields: Record<string, string>, files: Array<{ name: string; type: string; bytes: Uint8Array }>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('files', new Blob([f.bytes], { type: f.type }), f.name);
  return form;
}
const postReport = (memberId: string, id: string, form: FormData) =>
  call<TrackingItemResponse>(memberId, `/tracking/${id}/reports`, { method: 'POST', body: form });

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256);
const photo = bytes(40_000, 7);
const pdf = new TextEncoder().encode('%PDF-1.4 现场整改报告 …');

async function download(memberId: string | null, url: string) {
  const res = await fetch(`${server.url}${url}`, {
    headers: memberId ? { cookie: await cookieOf(memberId) } : {},
  });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function attachmentCount() {
  return server.app.models.Attachment.countDocuments({});
}

/** Item ids by outcome text. */
const ids = { overdue: '', later: '', city: '' };

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  // An official belongs to a department by its record (Member.departmentId), not by their title.
  await server.app.models.Department.create({ _id: 'dep-ldglc', name: city, headId: cityOfficial });
  await server.app.models.Member.create({
    departmentId: 'dep-ldglc',
    _id: cityOfficial,
    committeeId: demo.committeeId,
    name: '钱志远',
    kind: 'official',
    sectorId: null,
    title: `${city}副主任`,
    expertise: [],
    // Demo sign-in (no password) enters only accounts marked as demo ones.
    demo: true,
  });
  const convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
  for (const p of participants) await joinAs(server, p);
  const outcome = (text: string, department: string, deadline: string | null) =>
    must(convener, 'outcome:save', {
      outcomeId: null,
      text,
      department,
      deadline,
      pollId: null,
      suggestionIds: [],
      record: true,
    });
  await outcome('油烟净化设施改造', market, '2020-07-31');
  await outcome('建立小吃街食品安全长效巡查机制', market, '2099-12-31');
  await outcome('修复小吃街路口路灯', city, null);
  await must(convener, 'session:close', {});
  await server.app.minutesIdle(demo.sessionId);
  const list = TrackingListResponse.parse((await call(demo.staffId, `/tracking?sessionId=${demo.sessionId}`)).body);
  const byText = (t: string) => list.items.find((i) => i.text === t)?.id ?? '';
  ids.overdue = byText('油烟净化设施改造');
  ids.later = byText('建立小吃街食品安全长效巡查机制');
  ids.city = byText('修复小吃街路口路灯');
  expect(Object.values(ids).every((id) => id !== '')).toBe(true);
});
afterAll(async () => {
  await server.close();
});

describe('the responsible person', () => {
  it('is the second convener when the department is theirs, else nobody until named', async () => {
    const market1 = TrackingItemResponse.parse((await item(demo.staffId, ids.overdue)).body);
    expect(market1.item.assignee).toEqual({ id: demo.secondConvenerId, name: '王海涛' });
    expect((await item(demo.staffId, ids.city)).body.item.assignee).toBeNull();
  });

  it('is named by staff or a convener from the officials of the department', async () => {
    const candidates = AssigneeCandidatesResponse.parse(
      (await call(demo.staffId, `/tracking/${ids.city}/candidates`)).body,
    );
    expect(candidates.candidates.map((c) => c.id)).toEqual([cityOfficial]);

    // Not an official of this department.
    const wrong = await post(demo.staffId, `/tracking/${ids.city}/assignee`, { assigneeId: demo.leaderId });
    expect(wrong.status).toBe(400);
    // A participant has no say in who answers for it.
    const member = await post(participants[0] ?? '', `/tracking/${ids.city}/assignee`, { assigneeId: cityOfficial });
    expect(member.body.error?.code).toBe('FORBIDDEN');

    const named = await post(demo.firstConvenerId, `/tracking/${ids.city}/assignee`, { assigneeId: cityOfficial });
    expect(named.status).toBe(200);
    expect(named.body.item.assignee).toEqual({ id: cityOfficial, name: '钱志远' });
    expect(named.body.item.history.at(-1)).toMatchObject({ action: 'assign', note: '钱志远', byName: '陈立群' });

    // The named official now acts for the department on that item, and only that one.
    const own = TrackingItemResponse.parse((await item(cityOfficial, ids.city)).body);
    expect(own.viewer.mayReport).toBe(true);
    expect((await item(cityOfficial, ids.overdue)).status).toBe(404);
  });
});

describe('progress reports with attachments', () => {
  let photoUrl = '';
  let pdfUrl = '';

  it('the first report starts the item and stores its files', async () => {
    const before = await attachmentCount();
    const res = await postReport(
      demo.secondConvenerId,
      ids.overdue,
      reportForm({ text: '已完成12家商户油烟净化器安装', percent: '40', nextStep: '下周完成剩余商户' }, [
        { name: '现场照片.png', type: 'image/png', bytes: photo },
        { name: '整改报告.pdf', type: 'application/pdf', bytes: pdf },
      ]),
    );
    expect(res.status).toBe(200);
    const { item: view } = TrackingItemResponse.parse(res.body);
    expect(view.status).toBe('inProgress');
    expect(view.history.slice(-1)).toMatchObject([{ action: 'start', status: 'inProgress', byName: '王海涛' }]);
    const report = view.reports[0];
    expect(report).toMatchObject({
      text: '已完成12家商户油烟净化器安装',
      percent: 40,
      nextStep: '下周完成剩余商户',
      done: false,
      byName: '王海涛',
    });
    expect(report?.attachments.map((a) => [a.fileName, a.contentType, a.size])).toEqual([
      ['现场照片.png', 'image/png', photo.length],
      ['整改报告.pdf', 'application/pdf', pdf.length],
    ]);
    photoUrl = report?.attachments[0]?.url ?? '';
    pdfUrl = report?.attachments[1]?.url ?? '';
    expect(await attachmentCount()).toBe(before + 2);
  });

  it('serves the bytes back with their type and name to people who may see the item', async () => {
    for (const who of [demo.staffId, participants[0] ?? '', demo.firstConvenerId]) {
      const got = await download(who, photoUrl);
      expect(got.res.status, who).toBe(200);
      expect(got.res.headers.get('content-type')).toBe('image/png');
      expect(got.res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.bytes).toEqual(photo);
    }
    const doc = await download(demo.staffId, pdfUrl);
    expect(doc.res.headers.get('content-type')).toBe('application/pdf');
    const disposition = doc.res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('整改报告.pdf')}`);
    expect(new TextDecoder().decode(doc.bytes)).toBe('%PDF-1.4 现场整改报告 …');
  });

  it('refuses the files to strangers and to the signed-out', async () => {
    expect((await download(stranger, photoUrl)).res.status).toBe(404);
    expect((await download(cityOfficial, photoUrl)).res.status).toBe(404);
    expect((await download(null, photoUrl)).res.status).toBe(401);
    expect((await download(demo.staffId, '/api/tracking/attachments/rp-nothing.0')).res.status).toBe(404);
  });

  it('keeps the files across a restart', async () => {
    await server.restart();
    cookies.clear();
    const got = await download(participants[1] ?? '', photoUrl);
    expect(got.res.status).toBe(200);
    expect(got.bytes).toEqual(photo);
  });

  it('refuses a file over the limit, too many files, a type it does not serve; nothing is kept', async () => {
    const before = await attachmentCount();
    const reportsBefore = (await item(demo.staffId, ids.overdue)).body.item.reports.length;
    const big = await postReport(
      demo.secondConvenerId,
      ids.overdue,
      reportForm({ text: '附件过大' }, [
        { name: 'small.png', type: 'image/png', bytes: bytes(10, 1) },
        { name: 'big.png', type: 'image/png', bytes: bytes(trackingLimits.maxAttachmentBytes + 1, 2) },
      ]),
    );
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe('PAYLOAD_TOO_LARGE');

    const many = await postReport(
      demo.secondConvenerId,
      ids.overdue,
      reportForm(
        { text: '附件过多' },
        Array.from({ length: trackingLimits.maxAttachmentsPerReport + 1 }, (_, i) => ({
          name: `p${i}.png`,
          type: 'image/png',
          bytes: bytes(10, i),
        })),
      ),
    );
    expect(many.status).toBe(413);

    const html = await postReport(
      demo.secondConvenerId,
      ids.overdue,
      reportForm({ text: '网页' }, [
        { name: 'x.html', type: 'text/html', bytes: new TextEncoder().encode('<script>') },
      ]),
    );
    expect(html.status).toBe(400);
    expect(html.body.error?.code).toBe('BAD_REQUEST');

    const blank = await postReport(demo.secondConvenerId, ids.overdue, reportForm({ text: '  ' }, []));
    expect(blank.status).toBe(400);

    expect(await attachmentCount()).toBe(before);
    expect((await item(demo.staffId, ids.overdue)).body.item.reports).toHaveLength(reportsBefore);
  });

  it('is the department’s to write: others are refused before their files are stored', async () => {
    const before = await attachmentCount();
    const form = () => reportForm({ text: '代为汇报' }, [{ name: 'a.png', type: 'image/png', bytes: bytes(10, 3) }]);
    expect((await postReport(participants[0] ?? '', ids.overdue, form())).body.error?.code).toBe('FORBIDDEN');
    expect((await postReport(demo.staffId, ids.overdue, form())).body.error?.code).toBe('FORBIDDEN');
    expect((await postReport(stranger, ids.overdue, form())).status).toBe(404);
    expect(await attachmentCount()).toBe(before);
  });

  it('“report done” moves the item to reportedDone; no report is taken after that', async () => {
    const done = await post(demo.secondConvenerId, `/tracking/${ids.overdue}/reports`, {
      text: '全部商户完成改造,已通过验收检测',
      percent: 100,
      done: true,
    });
    expect(done.status).toBe(200);
    expect(done.body.item.status).toBe('reportedDone');
    expect(done.body.item.history.at(-1)).toMatchObject({ action: 'report', status: 'reportedDone' });
    expect(done.body.item.reports.at(-1)).toMatchObject({ done: true, percent: 100, attachments: [] });

    const late = await post(demo.secondConvenerId, `/tracking/${ids.overdue}/reports`, { text: '补充说明' });
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('ILLEGAL_TRANSITION');
  });
});

describe('chasing (催办) and escalation', () => {
  it('escalates a level with each repeated chase, up to reported to the leader', async () => {
    const levels: number[] = [];
    for (const [who, note] of [
      [demo.staffId, '请尽快建立巡查机制'],
      [demo.firstConvenerId, '再次催办'],
      [demo.staffId, ''],
      [demo.staffId, '仍未办理'],
    ] as const) {
      const res = await post(who, `/tracking/${ids.later}/chase`, note ? { note } : {});
      expect(res.status).toBe(200);
      levels.push(res.body.item.chases.at(-1)?.level ?? 0);
    }
    expect(levels).toEqual([1, 2, 3, 3]);

    // The department sees every chase: who, when, which level.
    const seen = TrackingItemResponse.parse((await item(demo.secondConvenerId, ids.later)).body).item;
    expect(seen.chaseLevel).toBe(3);
    expect(seen.chases.map((c) => [c.byName, c.level, c.note, c.overdue])).toEqual([
      ['周婷', 1, '请尽快建立巡查机制', false],
      ['陈立群', 2, '再次催办', false],
      ['周婷', 3, null, false],
      ['周婷', 3, '仍未办理', false],
    ]);
    expect(seen.chases.every((c) => !Number.isNaN(Date.parse(c.at)))).toBe(true);
  });

  it('starts an overdue item at 督办 (level 2)', async () => {
    // The city item has no deadline; give it one in the past.
    await server.app.models.TrackingItem.updateOne({ _id: ids.city }, { $set: { deadline: '2021-01-01' } });
    const res = await post(demo.staffId, `/tracking/${ids.city}/chase`, { note: '已逾期' });
    expect(res.body.item.overdue).toBe(true);
    expect(res.body.item.chases).toMatchObject([{ level: 2, overdue: true, note: '已逾期' }]);
  });

  it('is for staff and conveners, and only while the item awaits the department', async () => {
    expect((await post(cityOfficial, `/tracking/${ids.city}/chase`, {})).body.error?.code).toBe('FORBIDDEN');
    expect((await post(participants[0] ?? '', `/tracking/${ids.later}/chase`, {})).body.error?.code).toBe('FORBIDDEN');
    expect((await post(stranger, `/tracking/${ids.later}/chase`, {})).status).toBe(404);
    const waiting = await post(demo.staffId, `/tracking/${ids.overdue}/chase`, {});
    expect(waiting.status).toBe(409);
    expect(waiting.body.error?.code).toBe('ILLEGAL_TRANSITION');
  });
});

describe('satisfaction ratings', () => {
  it('one per participant, changeable, shown as average and count', async () => {
    const [a, b] = participants as [string, string];
    expect(
      (await post(a, `/tracking/${ids.overdue}/rating`, { score: 4, comment: '油烟明显减少' }, 'PUT')).status,
    ).toBe(200);
    const changed = await post(a, `/tracking/${ids.overdue}/rating`, { score: 2 }, 'PUT');
    expect(changed.body.item.rating).toMatchObject({ average: 2, count: 1 });
    expect(changed.body.viewer.myRating).toEqual({ score: 2, comment: null });
    const second = await post(b, `/tracking/${ids.overdue}/rating`, { score: 5, comment: '满意' }, 'PUT');
    expect(second.body.item.rating).toMatchObject({ average: 3.5, count: 2 });
    expect(second.body.item.rating.entries.map((e) => [e.score, e.comment])).toEqual([
      [2, null],
      [5, '满意'],
    ]);
    // Stored once per person, under the natural key.
    const stored = await server.app.models.TrackingRating.find({ itemId: ids.overdue }).sort({ _id: 1 }).lean();
    expect(stored.map((r) => r._id)).toEqual([`${ids.overdue}:${a}`, `${ids.overdue}:${b}`].sort());
  });

  it('only from participants, within 1–5', async () => {
    expect((await post(stranger, `/tracking/${ids.overdue}/rating`, { score: 5 }, 'PUT')).status).toBe(404);
    expect((await post(demo.staffId, `/tracking/${ids.overdue}/rating`, { score: 5 }, 'PUT')).body.error?.code).toBe(
      'FORBIDDEN',
    );
    for (const score of [0, 6, 3.5]) {
      expect((await post(participants[0] ?? '', `/tracking/${ids.overdue}/rating`, { score }, 'PUT')).status).toBe(400);
    }
    expect((await item(demo.staffId, ids.overdue)).body.item.rating.count).toBe(2);
  });

  it('is closed with the item', async () => {
    expect((await act(demo.firstConvenerId, ids.overdue, { type: 'verify' })).status).toBe(200);
    expect((await act(demo.staffId, ids.overdue, { type: 'close' })).status).toBe(200);
    const late = await post(participants[0] ?? '', `/tracking/${ids.overdue}/rating`, { score: 5 }, 'PUT');
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('ILLEGAL_TRANSITION');
    const view = TrackingItemResponse.parse((await item(participants[0] ?? '', ids.overdue)).body);
    expect(view.viewer.mayRate).toBe(false);
    expect(view.item.rating).toMatchObject({ average: 3.5, count: 2 });
  });
});

describe('the department view', () => {
  it('lists a department’s open items, overdue first, for its officials and staff', async () => {
    // One more of the market bureau's items, overdue: it comes before the one in time.
    await server.app.models.TrackingItem.create({
      _id: 'tr-extra',
      outcomeId: 'extra',
      sessionId: demo.sessionId,
      topic: '另一议题',
      text: '夜市摊点亮证经营',
      department: market,
      deadline: '2022-05-01',
      status: 'returned',
      history: [],
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    const view = DepartmentViewResponse.parse(
      (await call(demo.secondConvenerId, `/tracking/department?name=${encodeURIComponent(market)}`)).body,
    );
    // ids.overdue is closed now: not open.
    expect(view.items.map((i) => [i.id, i.overdue])).toEqual([
      ['tr-extra', true],
      [ids.later, false],
    ]);
    const staff = await call<DepartmentViewResponse>(
      demo.staffId,
      `/tracking/department?name=${encodeURIComponent(city)}`,
    );
    expect(staff.body.items.map((i) => i.id)).toEqual([ids.city]);

    const deps = (who: string) => call<TrackingDepartmentsResponse>(who, '/tracking/departments');
    // Staff see every department with items, the demo's held year's too, in order.
    const all = (await deps(demo.staffId)).body.departments;
    expect(all).toEqual(expect.arrayContaining([city, market]));
    expect(all).toEqual([...all].sort());
    expect((await deps(demo.secondConvenerId)).body.departments).toEqual([market]);
    expect((await deps(cityOfficial)).body.departments).toEqual([city]);
    expect((await deps(participants[0] ?? '')).body.departments).toEqual([]);
  });

  it('is refused to other departments and to members', async () => {
    const q = `/tracking/department?name=${encodeURIComponent(market)}`;
    expect((await call(cityOfficial, q)).body.error?.code).toBe('FORBIDDEN');
    expect((await call(participants[0] ?? '', q)).body.error?.code).toBe('FORBIDDEN');
    expect((await call(demo.staffId, '/tracking/department?name=')).status).toBe(400);
  });

  it('takes a one-click progress report from the list', async () => {
    const res = await post(demo.secondConvenerId, '/tracking/tr-extra/reports', { text: '已重新整改', done: 'on' });
    expect(res.body.item.status).toBe('reportedDone');
    expect(res.body.item.history.map((h) => h.action)).toEqual(['start', 'report']);
  });
});

describe('the tracking list', () => {
  it('filters by status, overdue and department, and shows each viewer only their items', async () => {
    const list = async (who: string, q: string) =>
      TrackingListResponse.parse((await call(who, `/tracking?${q}`)).body).items.map((i) => i.id);
    // The demo's held year has closed items and an overdue one of its own: count this session's.
    const here = `sessionId=${demo.sessionId}`;
    expect(await list(demo.staffId, `overdue=true&${here}`)).toEqual([ids.city]);
    expect((await list(demo.staffId, `status=closed&${here}`)).sort()).toEqual([ids.overdue]);
    expect(await list(demo.staffId, `department=${encodeURIComponent(city)}`)).toEqual([ids.city]);
    expect(await list(stranger, '')).toEqual([]);
    expect(await list(cityOfficial, '')).toEqual([ids.city]);
    expect((await list(participants[0] ?? '', '')).length).toBe(4);
    expect((await call(demo.staffId, '/tracking?status=done')).status).toBe(400);
  });
});

describe('change listeners', () => {
  it('hear every successful move and report, and nothing refused', async () => {
    const models = server.app.models;
    const service = createTrackingService({
      models,
      rooms: createRoomRepository(models),
      outcomes: createOutcomeRepository(models),
    });
    const heard: TrackingChange[] = [];
    let wake: () => void = () => undefined;
    const unsubscribe = service.onChange((c) => {
      heard.push(c);
      wake();
    });
    const heardCount = (n: number) =>
      new Promise<void>((resolve) => {
        wake = () => heard.length >= n && resolve();
        wake();
      });
    const official = (await call<{ member: MemberView }>(demo.secondConvenerId, '/auth/me')).body.member;
    const convener = (await call<{ member: MemberView }>(demo.firstConvenerId, '/auth/me')).body.member;

    await service.report(ids.later, official, { text: '巡查机制已建立', percent: 100, nextStep: null, done: true }, []);
    await heardCount(1);
    await expect(service.act(ids.later, { type: 'close' }, convener)).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    await service.act(ids.later, { type: 'verify' }, convener);
    await heardCount(2);
    unsubscribe();
    expect(heard.map((c) => [c.kind, c.from, c.item.status, c.by.id])).toEqual([
      ['report', 'assigned', 'reportedDone', demo.secondConvenerId],
      ['move', 'reportedDone', 'verified', demo.firstConvenerId],
    ]);
  });
});

describe('viewer rules', () => {
  it('let someone without a part read an item and its files, and nothing more', async () => {
    const models = server.app.models;
    const service = createTrackingService({
      models,
      rooms: createRoomRepository(models),
      outcomes: createOutcomeRepository(models),
    });
    const outsider = (await call<{ member: MemberView }>(stranger, '/auth/me')).body.member;
    const file = (await item(demo.staffId, ids.overdue)).body.item.reports[0]?.attachments[0]?.id ?? '';
    await expect(service.attachment(file, outsider)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    service.addViewerRule(async (sessionId, member) => sessionId === demo.sessionId && member.id === stranger);
    expect((await service.attachment(file, outsider)).data).toEqual(Buffer.from(photo));
    const seen = await service.get(ids.later, outsider);
    expect(seen.viewer).toMatchObject({
      actions: [],
      mayReport: false,
      mayChase: false,
      mayAssign: false,
      mayRate: false,
    });
    await expect(service.chase(ids.city, outsider)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('notifications', () => {
  it('tell the person named responsible, and everyone answering for an item when it is chased', async () => {
    const socket = await connectSocket(server.url, await cookieOf(cityOfficial));
    server.sockets.push(socket);
    const link = `/tracking/${encodeURIComponent(ids.city)}`;
    const assigned = next(socket, 'notification:new', (n) => n.notification.kind === 'trackingAssigned');
    expect((await post(demo.staffId, `/tracking/${ids.city}/assignee`, { assigneeId: cityOfficial })).status).toBe(200);
    expect((await assigned).notification).toMatchObject({ link, params: { topic: '修复小吃街路口路灯' } });

    const chased = next(socket, 'notification:new', (n) => n.notification.kind === 'trackingChased');
    expect((await post(demo.firstConvenerId, `/tracking/${ids.city}/chase`, { note: '请本周内修复' })).status).toBe(
      200,
    );
    expect((await chased).notification).toMatchObject({ link, params: { topic: '修复小吃街路口路灯' } });
  });
});
