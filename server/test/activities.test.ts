/**
 * Activities (issue 16, part 1): staff and a working group's convener organise an activity;
 * invitees answer 参加 or 请假 and staff decide leave; sign-in by the rotating code (this period's
 * and the previous one's, not older) or at the desk, twice counting once; attendance and, after
 * close, absence reach the duty ledger by natural key; an inspection's finding becomes a tracking
 * item; a democratic appraisal shows departments only aggregates. Real server, real database.
 */
import {
  type ActivityCodeView,
  type ActivityView,
  type DashboardDepartmentsResponse,
  type DepartmentAppraisal,
  type DutyEntryView,
  signInPeriodSeconds,
  type TrackingItemView,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createModels } from '../src/db/models';
import { seedDemoActivities } from '../src/seed/demo-activities';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
/** The server's clock: moved on by whole sign-in periods, never waited for. */
let clock = Date.now();

const staff = demo.staffId;
const convener = 'm-chen-liqun'; // convenes, in the grassroots working group
const member = 'm-ma-li';
const other = 'm-gao-ya';
const third = 'm-xie-fang';
const fourth = 'm-tian-jia';
const official = 'o-liu-jianguo'; // 市城市管理局
const department = '市城市管理局';

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
const post = <T = ActivityView>(memberId: string | null, path: string, body: unknown = {}) =>
  call<T>(memberId, path, { method: 'POST', body: JSON.stringify(body) });

const inspection = {
  kind: 'inspection',
  title: '城区背街小巷环境整治视察',
  date: '2026-05-12',
  place: '海安市城东片区',
  description: '实地察看背街小巷路灯、路面和垃圾收运情况。',
  invitees: [member, other, third],
};

async function create(by: string, body: Record<string, unknown> = inspection): Promise<ActivityView> {
  const res = await post(by, '/activities', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function entriesOf(memberId: string): Promise<DutyEntryView[]> {
  const res = await call<{ entries: DutyEntryView[] }>(staff, `/duty/entries?memberId=${memberId}`);
  expect(res.status).toBe(200);
  return res.body.entries.filter((e) => e.source === 'activity');
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), clock: () => clock });
});
afterAll(async () => {
  await server?.close();
});

describe('organising', () => {
  it('staff and a working group’s convener create; a member, an official and nobody do not', async () => {
    expect((await create(staff)).groupId).toBeNull();
    const byGroup = await create(convener, { ...inspection, kind: 'research', title: '乡村养老服务调研' });
    expect(byGroup.groupId).toBe('wg-grassroots');
    expect(byGroup.viewer.manages).toBe(true);
    expect((await post(member, '/activities', inspection)).body.error?.code).toBe('FORBIDDEN');
    expect((await post(official, '/activities', inspection)).body.error?.code).toBe('FORBIDDEN');
    expect((await post(null, '/activities', inspection)).status).toBe(401);
  });

  it('refuses bad input with a clear error', async () => {
    const bad = async (body: unknown) => {
      const res = await post(staff, '/activities', body);
      expect(res.status).toBe(400);
      return res.body.error?.message ?? '';
    };
    expect(await bad({ ...inspection, kind: 'party' })).toMatch(/kind/);
    expect(await bad({ ...inspection, date: '12/05/2026' })).toMatch(/date/);
    expect(await bad({ ...inspection, title: '  ' })).toMatch(/title/);
    expect(await bad({ ...inspection, extra: 1 })).toMatch(/extra|Unrecognized/i);
    expect(await bad({ ...inspection, invitees: [official] })).toMatch(/committee members/);
    expect(await bad({ ...inspection, kind: 'appraisal' })).toMatch(/department/);
    expect(await bad({ ...inspection, departments: [department] })).toMatch(/appraisal/);
    expect((await post(staff, '/activities/act-nope/close')).status).toBe(404);
  });

  it('the managers see every invitee; an invitee only their own answer; others nothing', async () => {
    const a = await create(staff);
    expect(a.invitees.map((i) => i.memberId).sort()).toEqual([member, other, third].sort());
    const mine = await call<ActivityView>(member, `/activities/${a.id}`);
    expect(mine.body.invitees.map((i) => i.memberId)).toEqual([member]);
    expect((await call(fourth, `/activities/${a.id}`)).status).toBe(404);
    expect((await post(convener, `/activities/${a.id}/close`)).status).toBe(404);
    const list = await call<{ activities: Array<{ id: string }> }>(fourth, '/activities');
    expect(list.body.activities.some((x) => x.id === a.id)).toBe(false);
    expect(
      (await call<{ activities: Array<{ id: string }> }>(member, '/activities')).body.activities.map((x) => x.id),
    ).toContain(a.id);
  });
});

describe('invitations', () => {
  it('managers invite more members; answers given stay; officials and strangers are refused', async () => {
    const a = await create(staff, { ...inspection, invitees: [member] });
    await post(member, `/activities/${a.id}/rsvp`, { answer: 'attend' });
    expect((await post(other, `/activities/${a.id}/invitees`, { memberIds: [other] })).status).toBe(404);
    expect((await post(staff, `/activities/${a.id}/invitees`, { memberIds: [official] })).status).toBe(400);
    expect((await post(staff, `/activities/${a.id}/invitees`, { memberIds: [] })).status).toBe(400);
    const more = await post(staff, `/activities/${a.id}/invitees`, { memberIds: [member, other, other] });
    expect(more.body.invitees.map((i) => [i.memberId, i.answer])).toEqual([
      [member, 'attend'],
      [other, 'pending'],
    ]);
    expect((await call<ActivityView>(other, `/activities/${a.id}`)).status).toBe(200);
    await post(staff, `/activities/${a.id}/close`);
    expect((await post(staff, `/activities/${a.id}/invitees`, { memberIds: [third] })).body.error?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
  });
});

describe('materials', () => {
  const upload = async (by: string, id: string, files: Array<[string, string, string]>) => {
    const form = new FormData();
    for (const [name, type, text] of files) form.append('files', new Blob([text], { type }), name);
    return call<ActivityView>(by, `/activities/${id}/materials`, { method: 'POST', body: form });
  };

  it('managers add bounded materials; invitees download them; others may not', async () => {
    const a = await create(staff);
    expect((await upload(member, a.id, [['议程.pdf', 'application/pdf', '%PDF-1.4']])).status).toBe(403);
    expect((await upload(staff, a.id, [['脚本.html', 'text/html', '<script>']])).status).toBe(400);
    const six = Array.from(
      { length: 6 },
      (_, k) => [`f${k}.pdf`, 'application/pdf', '%PDF'] as [string, string, string],
    );
    expect((await upload(staff, a.id, six)).status).toBe(413);
    expect((await post(staff, `/activities/${a.id}/materials`, { files: [] })).status).toBe(415);
    const added = await upload(staff, a.id, [['视察路线.pdf', 'application/pdf', '%PDF-1.4 route']]);
    expect(added.status).toBe(200);
    const file = added.body.materials[0];
    expect(file).toMatchObject({ fileName: '视察路线.pdf', contentType: 'application/pdf' });
    const res = await fetch(`${server.url}${file?.url}`, { headers: { cookie: cookies.get(member) ?? '' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('%PDF-1.4 route');
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    await call(fourth, '/activities');
    const stranger = await fetch(`${server.url}${file?.url}`, { headers: { cookie: cookies.get(fourth) ?? '' } });
    expect(stranger.status).toBe(404);
  });
});

describe('answers and leave', () => {
  it('an invitee answers 参加 or 请假 with a reason; staff, not the group, decide leave', async () => {
    const a = await create(convener, { ...inspection, kind: 'sector' });
    expect((await post(member, `/activities/${a.id}/rsvp`, { answer: 'attend' })).status).toBe(200);
    expect((await post(other, `/activities/${a.id}/rsvp`, { answer: 'leave' })).status).toBe(400);
    const leave = await post(other, `/activities/${a.id}/rsvp`, { answer: 'leave', reason: '出差在外' });
    expect(leave.body.invitees[0]).toMatchObject({ answer: 'leave', leaveReason: '出差在外', leave: 'requested' });
    expect((await post(fourth, `/activities/${a.id}/rsvp`, { answer: 'attend' })).status).toBe(404);
    expect(
      (await post(convener, `/activities/${a.id}/leave/${other}`, { decision: 'approved' })).body.error?.code,
    ).toBe('FORBIDDEN');
    expect((await post(staff, `/activities/${a.id}/leave/${member}`, { decision: 'approved' })).body.error?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
    const decided = await post(staff, `/activities/${a.id}/leave/${other}`, { decision: 'approved' });
    expect(decided.body.invitees.find((i) => i.memberId === other)?.leave).toBe('approved');
  });
});

describe('sign-in', () => {
  it('the code is taken now and one period later, refused two periods later, and only from an invitee', async () => {
    const a = await create(staff);
    expect((await call(member, `/activities/${a.id}/code`)).body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const shown = await call<ActivityCodeView>(staff, `/activities/${a.id}/code`);
    expect(shown.body.code).toMatch(/^\d{6}$/);
    expect(shown.body.link).toBe(`/activities/${a.id}/sign-in?code=${shown.body.code}`);
    const code = shown.body.code;

    expect((await post(fourth, `/activities/${a.id}/sign-in`, { code })).status).toBe(404);
    const now = await post(member, `/activities/${a.id}/sign-in`, { code });
    expect(now.status).toBe(200);
    expect(now.body.viewer.signedIn).toBe(true);

    clock += signInPeriodSeconds * 1000;
    expect((await call<ActivityCodeView>(staff, `/activities/${a.id}/code`)).body.code).not.toBe(code);
    expect((await post(other, `/activities/${a.id}/sign-in`, { code })).status).toBe(200);

    clock += signInPeriodSeconds * 1000;
    const late = await post(third, `/activities/${a.id}/sign-in`, { code });
    expect(late.status).toBe(400);
    expect(late.body.error?.code).toBe('BAD_CODE');
    expect((await post(third, `/activities/${a.id}/sign-in`, { code: '12ab56' })).status).toBe(400);
  });

  it('wrong codes pause that person after a few tries', async () => {
    const a = await create(staff);
    const right = (await call<ActivityCodeView>(staff, `/activities/${a.id}/code`)).body.code;
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const answers: string[] = [];
    for (let i = 0; i < 6; i++)
      answers.push((await post(member, `/activities/${a.id}/sign-in`, { code: wrong })).body.error?.code ?? 'ok');
    expect(answers.slice(0, 5)).toEqual(Array(5).fill('BAD_CODE'));
    expect(answers[5]).toBe('RATE_LIMITED');
    expect((await post(member, `/activities/${a.id}/sign-in`, { code: right })).body.error?.code).toBe('RATE_LIMITED');
    expect((await post(other, `/activities/${a.id}/sign-in`, { code: right })).status).toBe(200);
  });

  it('staff tick people in at the desk; signing in twice is one attendance and one duty record', async () => {
    const a = await create(staff);
    expect((await post(member, `/activities/${a.id}/desk/${other}`)).body.error?.code).toBe('FORBIDDEN');
    expect((await post(staff, `/activities/${a.id}/desk/${fourth}`)).status).toBe(404);
    const desk = await post(staff, `/activities/${a.id}/desk/${member}`);
    expect(desk.body.signIns).toEqual([expect.objectContaining({ memberId: member, via: 'desk' })]);
    const code = (await call<ActivityCodeView>(staff, `/activities/${a.id}/code`)).body.code;
    const again = await post(member, `/activities/${a.id}/sign-in`, { code });
    expect(again.status).toBe(200);
    await post(staff, `/activities/${a.id}/desk/${member}`);
    const seen = await call<ActivityView>(staff, `/activities/${a.id}`);
    expect(seen.body.signIns.filter((s) => s.memberId === member)).toHaveLength(1);
    expect(seen.body.signedIn).toBe(1);
    const records = (await entriesOf(member)).filter((e) => e.id === `act:${a.id}:${member}`);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'inspection', date: '2026-05-12', status: 'verified', sourceId: a.id });
  });
});

describe('the duty ledger', () => {
  it('attendance by kind, and after close absence without approved leave; approved leave later retires it', async () => {
    const a = await create(staff, { ...inspection, kind: 'supervision', title: '六个环境问题整改民主监督' });
    await post(other, `/activities/${a.id}/rsvp`, { answer: 'leave', reason: '住院' });
    await post(third, `/activities/${a.id}/rsvp`, { answer: 'leave', reason: '外出学习' });
    await post(staff, `/activities/${a.id}/leave/${other}`, { decision: 'approved' });
    await post(staff, `/activities/${a.id}/desk/${member}`);
    // Before close nobody is absent.
    expect((await entriesOf(third)).filter((e) => e.id.startsWith(`act:${a.id}`))).toEqual([]);

    const closed = await post(staff, `/activities/${a.id}/close`);
    expect(closed.body.state).toBe('closed');
    expect((await post(staff, `/activities/${a.id}/desk/${third}`)).body.error?.code).toBe('ILLEGAL_TRANSITION');
    expect((await entriesOf(member)).find((e) => e.id === `act:${a.id}:${member}`)?.kind).toBe('activity');
    expect((await entriesOf(other)).filter((e) => e.id.startsWith(`act:${a.id}`))).toEqual([]);
    const absent = (await entriesOf(third)).find((e) => e.id === `act:${a.id}:${third}:absent`);
    expect(absent).toMatchObject({ kind: 'absence', status: 'verified' });

    // Closing is once; leave approved after close takes the absence back.
    expect((await post(staff, `/activities/${a.id}/close`)).body.error?.code).toBe('ILLEGAL_TRANSITION');
    await post(staff, `/activities/${a.id}/leave/${third}`, { decision: 'approved' });
    const after = (await entriesOf(third)).find((e) => e.id === `act:${a.id}:${third}:absent`);
    expect(after?.status).toBe('rejected');
  });

  it('an activity nobody signed in to may be cancelled: no records, no absence, no more sign-in', async () => {
    const held = await create(staff);
    await post(staff, `/activities/${held.id}/desk/${member}`);
    expect((await post(staff, `/activities/${held.id}/cancel`)).body.error?.code).toBe('ILLEGAL_TRANSITION');
    const a = await create(staff);
    expect((await post(member, `/activities/${a.id}/cancel`)).body.error?.code).toBe('FORBIDDEN');
    expect((await post(staff, `/activities/${a.id}/cancel`)).body.state).toBe('cancelled');
    expect((await post(staff, `/activities/${a.id}/desk/${member}`)).body.error?.code).toBe('ILLEGAL_TRANSITION');
    expect((await post(staff, `/activities/${a.id}/close`)).body.error?.code).toBe('ILLEGAL_TRANSITION');
    expect((await entriesOf(other)).filter((e) => e.id.startsWith(`act:${a.id}:`))).toEqual([]);
  });

  it('training and research take their own kinds; a staff visit earns no record', async () => {
    for (const [kind, expected] of [
      ['training', 'training'],
      ['research', 'research'],
      ['visit', null],
    ] as const) {
      const a = await create(staff, { ...inspection, kind, title: `${kind} 活动` });
      await post(staff, `/activities/${a.id}/desk/${member}`);
      await post(staff, `/activities/${a.id}/close`);
      const records = (await entriesOf(member)).filter((e) => e.id.startsWith(`act:${a.id}:`));
      expect(records.map((r) => r.kind)).toEqual(expected ? [expected] : []);
      // Nobody else invited is absent from a visit.
      expect((await entriesOf(other)).filter((e) => e.id.startsWith(`act:${a.id}:`)).map((r) => r.kind)).toEqual(
        expected ? ['absence'] : [],
      );
    }
  });
});

describe('findings', () => {
  it('an inspection’s finding becomes a tracking item its department answers and staff verify', async () => {
    const a = await create(staff);
    await post(staff, `/activities/${a.id}/desk/${member}`);
    expect((await post(member, `/activities/${a.id}/findings`, { text: 'x', department })).body.error?.code).toBe(
      'FORBIDDEN',
    );
    expect((await post(staff, `/activities/${a.id}/findings`, { text: '', department })).status).toBe(400);
    const res = await post(staff, `/activities/${a.id}/findings`, {
      text: '人民路东段背街小巷路灯损坏十余处，夜间无照明。',
      department,
      deadline: '2026-12-31',
    });
    expect(res.status).toBe(200);
    const finding = res.body.findings[0];
    expect(finding).toMatchObject({ department, deadline: '2026-12-31' });

    const item = await call<{ item: TrackingItemView }>(official, `/tracking/${finding?.trackingId}`);
    expect(item.status).toBe(200);
    expect(item.body.item).toMatchObject({ source: { kind: 'inspection', id: a.id }, department, status: 'assigned' });
    // The member who took part follows it.
    expect((await call(member, `/tracking/${finding?.trackingId}`)).status).toBe(200);
    const done = await post<{ item: TrackingItemView }>(official, `/tracking/${finding?.trackingId}/reports`, {
      text: '已更换路灯十二盏，全部恢复照明。',
      done: true,
    });
    expect(done.body.item.status).toBe('reportedDone');
    const verified = await post<{ item: TrackingItemView }>(staff, `/tracking/${finding?.trackingId}/actions`, {
      action: { type: 'verify' },
    });
    expect(verified.body.item.status).toBe('verified');

    const research = await create(staff, { ...inspection, kind: 'research' });
    expect((await post(staff, `/activities/${research.id}/findings`, { text: 'x', department })).status).toBe(400);
  });
});

describe('democratic appraisal', () => {
  it('members rate once per department; departments see aggregates only, none below three ratings', async () => {
    const a = await create(staff, {
      ...inspection,
      kind: 'appraisal',
      title: '2024年度部门民主评议',
      date: '2024-05-12',
      invitees: [member, other, third, fourth],
      departments: [department, '市市场监督管理局'],
      criteria: ['工作作风', '办事效率'],
    });
    const rate = (by: string, scores: number[], dep = department) =>
      post(by, `/activities/${a.id}/ratings`, { department: dep, scores });
    expect((await rate(member, [6, 3])).status).toBe(400);
    expect((await rate(member, [5])).status).toBe(400);
    expect((await rate(member, [5, 4], '市教育局')).status).toBe(400);
    expect((await rate(convener, [5, 4])).status).toBe(404);
    expect((await rate(member, [5, 4])).status).toBe(200);
    expect((await rate(member, [1, 1])).body.error?.code).toBe('ALREADY_VOTED');
    expect((await rate(other, [3, 2])).body.viewer.rated).toEqual([department]);

    const seen = async (by: string) =>
      call<{ departments: DepartmentAppraisal[] }>(by, `/activities/${a.id}/appraisal`);
    const two = await seen(official);
    expect(two.body.departments).toEqual([
      {
        department,
        ratings: 2,
        averages: [
          { criterion: '工作作风', average: null },
          { criterion: '办事效率', average: null },
        ],
        overall: null,
      },
    ]);
    await rate(third, [4, 3]);
    const three = await seen(official);
    expect(three.body.departments[0]).toMatchObject({
      ratings: 3,
      averages: [
        { criterion: '工作作风', average: 4 },
        { criterion: '办事效率', average: 3 },
      ],
      overall: 3.5,
    });
    // Nothing anyone reads names a rater beside a score.
    expect(JSON.stringify(three.body)).not.toMatch(/m-ma-li|m-gao-ya|m-xie-fang/);
    const all = await seen(staff);
    expect(all.body.departments.map((d) => d.department)).toEqual([department, '市市场监督管理局']);
    expect((await seen(member)).body.error?.code).toBe('FORBIDDEN');

    // The dashboard's department table has the appraisal as a column, for the period.
    const table = await call<DashboardDepartmentsResponse>(
      official,
      '/reports/departments?from=2024-05-01&to=2024-05-31',
    );
    expect(table.body.departments).toEqual([
      { department, appraisalRatings: 3, appraisal: 3.5 },
      { department: '市市场监督管理局', appraisalRatings: 0, appraisal: null },
    ]);
    expect((await call(member, '/reports/departments?from=2024-05-01&to=2024-05-31')).status).toBe(403);
    expect((await call(staff, '/reports/departments?from=2024-05-31&to=2024-05-01')).status).toBe(400);
    expect((await seen('o-zhao-ming')).status).toBe(404);
    // The rated department's officials find the appraisal in their list; others do not.
    const listed = async (by: string) =>
      (await call<{ activities: Array<{ id: string }> }>(by, '/activities')).body.activities.map((x) => x.id);
    expect(await listed(official)).toContain(a.id);
    expect(await listed('o-zhao-ming')).not.toContain(a.id);
  });
});

describe('the demo', () => {
  it('holds this year’s activities: the inspection’s finding on a desk, appraisal figures from three ratings; seeding again adds nothing', async () => {
    const list = await call<{ activities: Array<{ id: string; kind: string; signedIn: number }> }>(
      staff,
      '/activities',
    );
    const demoIds = list.body.activities.filter((a) => a.id.startsWith('act-demo-'));
    expect(demoIds.map((a) => a.kind).sort()).toEqual(['appraisal', 'inspection', 'research', 'training']);
    const inspected = await call<ActivityView>(staff, '/activities/act-demo-inspection');
    expect(inspected.body).toMatchObject({ state: 'closed', signedIn: 3 });
    const item = await call<{ item: TrackingItemView }>(staff, `/tracking/${inspected.body.findings[0]?.trackingId}`);
    expect(item.body.item).toMatchObject({
      status: 'assigned',
      source: { kind: 'inspection', id: 'act-demo-inspection' },
    });
    const results = await call<{ departments: DepartmentAppraisal[] }>(
      staff,
      '/activities/act-demo-appraisal/appraisal',
    );
    expect(results.body.departments.map((d) => [d.department, d.ratings, d.overall])).toEqual([
      [department, 3, 4.3],
      ['市市场监督管理局', 0, null],
    ]);
    const records = (await entriesOf('m-feng-gang')).map((e) => e.id).sort();
    await seedDemoActivities(createModels(server.conn));
    expect((await entriesOf('m-feng-gang')).map((e) => e.id).sort()).toEqual(records);
    expect(records).toEqual(['act:act-demo-inspection:m-feng-gang', 'act:act-demo-research:m-feng-gang']);
    const again = await call<{ departments: DepartmentAppraisal[] }>(staff, '/activities/act-demo-appraisal/appraisal');
    expect(again.body.departments[0]?.ratings).toBe(3);
  });
});
