/**
 * 社情民意 (issue 15): a member submits, staff edit beside the kept original, adopt at city
 * level, forward to the province, record a leader's instruction and the result; the member sees
 * each step and hears of each decision; the adoption and its levels reach the duty ledger by
 * natural key, once. Rights, races and bad input. Real server, real database.
 */
import {
  type DutyEntryView,
  MemberDutyResponse,
  NotificationsResponse,
  type SocialReportActionBody,
  SocialReportListResponse,
  SocialReportResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDemoSocialReports } from '../src/social-reports/social-report.demo';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();

const author = 'm-ma-li';
const other = 'm-gao-ya';
const staff = demo.staffId;

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
const post = <T = SocialReportResponse>(memberId: string | null, path: string, body: unknown) =>
  call<T>(memberId, path, { method: 'POST', body: JSON.stringify(body) });
const act = (memberId: string, id: string, action: SocialReportActionBody['action']) =>
  post(memberId, `/social-reports/${id}/actions`, { action });

const report = {
  title: '关于老城区夜间停车难的情况反映',
  content: '老城区夜间停车位缺口约三成，居民反映强烈。建议错时开放机关停车场。',
};

async function entriesOf(memberId: string): Promise<DutyEntryView[]> {
  const res = await call<{ entries: DutyEntryView[] }>(staff, `/duty/entries?memberId=${memberId}`);
  expect(res.status).toBe(200);
  return res.body.entries.filter((e) => e.source === 'socialReport');
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('a report from submission to result', () => {
  let id = '';

  it('is submitted by a member with a file, and staff hear of it', async () => {
    const form = new FormData();
    form.append('title', report.title);
    form.append('content', report.content);
    form.append('files', new Blob([new TextEncoder().encode('走访记录')], { type: 'text/plain' }), '走访记录.txt');
    const res = await call<SocialReportResponse>(author, '/social-reports', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    const { report: view, viewer } = SocialReportResponse.parse(res.body);
    id = view.id;
    expect(view).toMatchObject({ state: 'submitted', level: null, original: report, edited: null, authorName: '马丽' });
    expect(view.trail).toMatchObject([{ action: 'submit', state: 'submitted' }]);
    expect(viewer.actions).toEqual(['withdraw']);
    expect(view.attachments.map((a) => [a.fileName, a.size])).toEqual([['走访记录.txt', 12]]);

    const file = await fetch(`${server.url}${view.attachments[0]?.url}`, {
      headers: { cookie: cookies.get(author) ?? '' },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('attachment');
    expect(await file.text()).toBe('走访记录');

    const { notifications } = NotificationsResponse.parse((await call(staff, '/notifications')).body);
    expect(notifications.find((n) => n.link === `/social-reports/${id}`)).toMatchObject({
      kind: 'socialReportSubmitted',
      params: { title: report.title, by: '马丽' },
    });
  });

  it('is seen by its author and staff only', async () => {
    expect((await call(other, `/social-reports/${id}`)).status).toBe(404);
    const mine = SocialReportListResponse.parse((await call(other, '/social-reports')).body);
    expect(mine.reports.some((r) => r.id === id)).toBe(false);
    expect((await call(other, '/social-reports?scope=queue')).status).toBe(403);
    const queue = SocialReportListResponse.parse((await call(staff, '/social-reports?scope=queue')).body);
    expect(queue.reports.map((r) => r.id)).toContain(id);
    const file = (await call<SocialReportResponse>(author, `/social-reports/${id}`)).body.report.attachments[0];
    const theirs = await fetch(`${server.url}${file?.url}`, { headers: { cookie: await signIn(server.url, other) } });
    expect(theirs.status).toBe(404);
  });

  it('staff edit it and the original stays beside the edit', async () => {
    const edited = await act(staff, id, { type: 'edit', title: '老城区夜间停车难亟待破解', content: '编辑后的正文。' });
    expect(edited.status).toBe(200);
    expect(edited.body.report.original).toEqual(report);
    expect(edited.body.report.edited).toMatchObject({ title: '老城区夜间停车难亟待破解', byName: '周婷' });
    // Only staff decide; the author cannot adopt their own report.
    expect((await act(author, id, { type: 'adopt', level: 'city' })).status).toBe(403);
  });

  it('is adopted once when two staff adopt at the same time', async () => {
    const [a, b] = await Promise.all([
      act(staff, id, { type: 'adopt', level: 'city' }),
      act(demo.recorderId, id, { type: 'adopt', level: 'city' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const now = SocialReportResponse.parse((await call(staff, `/social-reports/${id}`)).body).report;
    expect(now.trail.filter((e) => e.action === 'adopt')).toHaveLength(1);
    expect(now.level).toBe('city');
  });

  it('is forwarded only upward, instructed by a leader, and concluded', async () => {
    const down = await act(staff, id, { type: 'raise', level: 'city' });
    expect(down.status).toBe(409);
    expect(down.body.error?.code).toBe('ILLEGAL_TRANSITION');
    expect((await act(staff, id, { type: 'raise', level: 'province' })).body.report.level).toBe('province');
    const instruction = {
      leader: '王明（市长）',
      level: 'city' as const,
      text: '请市住建局牵头研究。',
      date: '2026-05-12',
    };
    const instructed = await act(staff, id, { type: 'instruct', instruction });
    expect(instructed.body.report).toMatchObject({ state: 'instructed', instructions: [instruction] });
    const result = await act(staff, id, { type: 'result', text: '新增夜间共享车位320个。' });
    expect(result.body.report).toMatchObject({ state: 'concluded', result: '新增夜间共享车位320个。' });
    expect((await act(staff, id, { type: 'result', text: '再次' })).status).toBe(409);
  });

  it('shows the member every step, and tells them of each decision', async () => {
    const { report: seen, viewer } = SocialReportResponse.parse((await call(author, `/social-reports/${id}`)).body);
    expect(seen.trail.map((e) => [e.action, e.state, e.level])).toEqual([
      ['submit', 'submitted', null],
      ['edit', 'submitted', null],
      ['adopt', 'adopted', 'city'],
      ['raise', 'adopted', 'province'],
      ['instruct', 'instructed', 'province'],
      ['result', 'concluded', 'province'],
    ]);
    expect(viewer.actions).toEqual([]);
    const { notifications } = NotificationsResponse.parse((await call(author, '/notifications')).body);
    const steps = notifications.filter((n) => n.kind === 'socialReportDecided').map((n) => n.params.step);
    expect(steps.sort()).toEqual(['adopt', 'instruct', 'raise', 'result']);
  });

  it('reaches the duty ledger by natural key: submitted, and the highest level only', async () => {
    const entries = await entriesOf(author);
    // Adopted at city level, then raised to the province: one level record, now the province's.
    expect(entries.map((e) => [e.id, e.kind, e.status]).sort()).toEqual(
      [
        [`sr:${id}:submitted`, 'socialReport', 'verified'],
        [`sr:${id}:level`, 'socialReportProvince', 'verified'],
      ].sort(),
    );
    // Each names the report it follows, which the ledger page links to instead of a form.
    expect(entries.map((e) => e.sourceId)).toEqual([id, id]);
    // A re-run (staff) adds nothing of this report's and changes nothing (the first may write the
    // records of the demo reports, which the seed stored without them); members may not run it.
    await post<{ added: number }>(staff, '/social-reports/duty', {});
    expect((await post<{ added: number }>(staff, '/social-reports/duty', {})).body.added).toBe(0);
    expect((await post(author, '/social-reports/duty', {})).status).toBe(403);
    const again = await entriesOf(author);
    expect(again.map((e) => [e.id, e.kind, e.status, e.audit.length]).sort()).toEqual(
      entries.map((e) => [e.id, e.kind, e.status, e.audit.length]).sort(),
    );
    // The record follows its report: nobody changes it by hand, not even staff.
    for (const who of [author, staff]) {
      const res = await call(who, `/duty/entries/${encodeURIComponent(`sr:${id}:level`)}`, {
        method: 'PATCH',
        body: JSON.stringify({ title: '改过的标题' }),
      });
      expect(res.status).toBe(403);
    }
  });

  it('scores the highest level once: city then province earns what province at once earns', async () => {
    const res = await call<MemberDutyResponse>(staff, `/duty/members/${author}`);
    expect(res.status).toBe(200);
    const { score } = MemberDutyResponse.parse(res.body);
    const counting = (ruleId: string) =>
      score?.lines.find((l) => l.ruleId === ruleId)?.counted.map((c) => c.entryId) ?? [];
    expect(counting('socialReportCity')).not.toContain(`sr:${id}:level`);
    expect(counting('socialReportProvince')).toContain(`sr:${id}:level`);
    // Submitted, it meets the yearly minimum (一篇社情民意信息).
    expect(score?.minimums.find((m) => m.id === 'socialReport')?.entryIds).toContain(`sr:${id}:submitted`);
  });
});

describe('other endings and refusals', () => {
  it('the author withdraws an undecided report; staff decline another with a reason', async () => {
    const a = (await post(author, '/social-reports', report)).body.report.id;
    // Submitted, it counts toward the yearly minimum (报送) before any decision.
    const submitted = (await entriesOf(author)).find((e) => e.id === `sr:${a}:submitted`);
    expect(submitted).toMatchObject({ kind: 'socialReport', status: 'verified' });
    expect((await act(other, a, { type: 'withdraw' })).status).toBe(404);
    expect((await act(author, a, { type: 'withdraw' })).body.report.state).toBe('withdrawn');
    expect((await act(staff, a, { type: 'adopt', level: 'city' })).status).toBe(409);
    // Withdrawn before a decision, it earns nothing: the record stops counting, its trail kept.
    const withdrawn = (await entriesOf(author)).find((e) => e.id === `sr:${a}:submitted`);
    expect(withdrawn?.status).toBe('rejected');
    expect(withdrawn?.audit.map((l) => l.action)).toEqual(['recorded', 'rejected']);
    // Staff hear that it left their queue.
    const { notifications } = NotificationsResponse.parse((await call(staff, '/notifications')).body);
    expect(notifications.filter((n) => n.kind === 'socialReportWithdrawn').map((n) => n.link)).toContain(
      `/social-reports/${a}`,
    );

    const b = (await post(author, '/social-reports', report)).body.report.id;
    const declined = await act(staff, b, { type: 'decline', reason: '与已采用信息重复。' });
    expect(declined.body.report).toMatchObject({ state: 'declined', declineReason: '与已采用信息重复。' });
    // A declined report was still submitted: its record stands, and no level record is written.
    const ofB = (await entriesOf(author)).filter((e) => e.id.startsWith(`sr:${b}:`));
    expect(ofB.map((e) => [e.id, e.status])).toEqual([[`sr:${b}:submitted`, 'verified']]);
  });

  it('a submission sent again with the same key gives back the stored report, not a second one', async () => {
    const body = { ...report, submitKey: 'retry-key-0001' };
    const first = await post(author, '/social-reports', body);
    expect(first.status).toBe(201);
    const again = await post(author, '/social-reports', body);
    expect(again.status).toBe(201);
    expect(again.body.report.id).toBe(first.body.report.id);
    // Another member's same key is their own report.
    const theirs = await post(other, '/social-reports', body);
    expect(theirs.body.report.id).not.toBe(first.body.report.id);
    const records = (await entriesOf(author)).filter((e) => e.id.startsWith(`sr:${first.body.report.id}:`));
    expect(records).toHaveLength(1);
    expect((await post(author, '/social-reports', { ...report, submitKey: 'x' })).status).toBe(400);
  });

  it('lists a page at a time, newest first, without the texts', async () => {
    for (let n = 0; n < 3; n++) expect((await post(author, '/social-reports', report)).status).toBe(201);
    const page1 = await call<SocialReportListResponse>(author, '/social-reports?limit=2');
    expect(page1.body.error).toBeUndefined();
    expect(page1.status).toBe(200);
    const one = SocialReportListResponse.parse(page1.body);
    expect(one.reports).toHaveLength(2);
    expect(one.next).not.toBeNull();
    expect(one.reports[0]).not.toHaveProperty('original');
    const seen = [...one.reports];
    let next = one.next;
    while (next) {
      const res = await call(author, `/social-reports?limit=2&cursor=${encodeURIComponent(next)}`);
      expect(res.body.error).toBeUndefined();
      const page = SocialReportListResponse.parse(res.body);
      seen.push(...page.reports);
      next = page.next;
    }
    const total = await server.app.models.SocialReport.countDocuments({ authorId: author });
    expect(seen.map((r) => r.id)).toHaveLength(total);
    expect(new Set(seen.map((r) => r.id)).size).toBe(total);
    const times = seen.map((r) => r.submittedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect((await call(author, '/social-reports?cursor=nonsense')).status).toBe(400);
    expect((await call(author, '/social-reports?limit=0')).status).toBe(400);
  });

  it('a withdrawal and an adoption at the same moment: one lands, the other is refused', async () => {
    const id = (await post(author, '/social-reports', report)).body.report.id;
    const [w, a] = await Promise.all([
      act(author, id, { type: 'withdraw' }),
      act(staff, id, { type: 'adopt', level: 'national' }),
    ]);
    expect([w.status, a.status].sort()).toEqual([200, 409]);
    const after = SocialReportResponse.parse((await call(author, `/social-reports/${id}`)).body).report;
    expect(after.state).toBe(w.status === 200 ? 'withdrawn' : 'adopted');
    expect(after.trail).toHaveLength(2);
    // Only an adoption that landed is in the ledger.
    const national = (await entriesOf(author)).filter((e) => e.id === `sr:${id}:level`);
    expect(national.map((e) => e.kind)).toEqual(a.status === 200 ? ['socialReportNational'] : []);
    const mine = SocialReportListResponse.parse((await call(author, '/social-reports')).body);
    expect(mine.reports.map((r) => r.id)).toContain(id);
  });

  it('only committee members submit', async () => {
    for (const who of [staff, demo.secondConvenerId]) {
      const res = await post(who, '/social-reports', report);
      expect(res.status).toBe(403);
    }
    expect((await post(null, '/social-reports', report)).status).toBe(401);
  });

  it('refuses bad bodies with a clear 400', async () => {
    const id = (await post(author, '/social-reports', report)).body.report.id;
    const bad: Array<[string, string, unknown]> = [
      ['blank title', '/social-reports', { ...report, title: '  ' }],
      ['no content', '/social-reports', { title: report.title }],
      ['extra field', '/social-reports', { ...report, state: 'adopted' }],
      ['array', '/social-reports', [report]],
      ['long content', '/social-reports', { ...report, content: '长'.repeat(20_001) }],
      ['unknown action', `/social-reports/${id}/actions`, { action: { type: 'publish' } }],
      ['bad level', `/social-reports/${id}/actions`, { action: { type: 'adopt', level: 'county' } }],
      ['blank reason', `/social-reports/${id}/actions`, { action: { type: 'decline', reason: ' ' } }],
      [
        'bad date',
        `/social-reports/${id}/actions`,
        {
          action: { type: 'instruct', instruction: { leader: '王明', level: 'city', text: '阅', date: '2026-13-01' } },
        },
      ],
    ];
    for (const [why, path, body] of bad) {
      const res = await post(staff, path, body);
      expect(res.status, why).toBe(path === '/social-reports' ? 403 : 400);
    }
    for (const [why, path, body] of bad.filter(([, p]) => p === '/social-reports')) {
      const res = await post(author, path, body);
      expect(res.status, why).toBe(400);
      expect(res.body.error?.code, why).toBe('BAD_REQUEST');
    }
    expect((await call(staff, '/social-reports?scope=everything')).status).toBe(400);
    const tooMany = new FormData();
    tooMany.append('title', report.title);
    tooMany.append('content', report.content);
    tooMany.append('files', new Blob(['x'], { type: 'application/x-msdownload' }), 'run.exe');
    expect((await call(author, '/social-reports', { method: 'POST', body: tooMany })).status).toBe(400);
  });
});

describe('the demo seed', () => {
  it('holds every duty record its reports and proposals earned: staff’s re-runs add nothing', async () => {
    // Found by the fuzzer: the seed wrote no 报送 records, so a staff re-run changed the ledger.
    expect(await post<{ added: number }>(staff, '/social-reports/duty', {})).toEqual({
      status: 200,
      body: { added: 0 },
    });
    expect(await post<{ added: number }>(staff, '/proposals/duty/record', {})).toEqual({
      status: 200,
      body: { added: 0 },
    });
    const declined = await entriesOf('m-hu-zhiyong');
    expect(declined.map((e) => e.id)).toContain('sr:sr-demo-market:submitted');
  });

  it('puts reports in the staff queue once, the edited one beside its original', async () => {
    const queue = SocialReportListResponse.parse((await call(staff, '/social-reports?scope=queue')).body).reports;
    const bus = queue.find((r) => r.id === 'sr-demo-bus');
    expect(bus?.title).toBe('开发区早晚高峰通勤公交运力不足亟待加强');
    const all = SocialReportListResponse.parse((await call(staff, '/social-reports?scope=all')).body).reports;
    expect(all.find((r) => r.id === 'sr-demo-market')).toMatchObject({ state: 'declined' });
    const before = await server.app.models.SocialReport.countDocuments({});
    await seedDemoSocialReports(server.app.models);
    expect(await server.app.models.SocialReport.countDocuments({})).toBe(before);
    // Staff can act on a seeded report like any other.
    const adopted = await act(staff, 'sr-demo-charging', { type: 'adopt', level: 'city' });
    expect(adopted.body.report.state).toBe('adopted');
  });
});
