/**
 * The yearly duty report (述职, issue 16 part 6): staff open a year's round with weighted criteria;
 * members hand in their report (a file or text) and replace it until the deadline, not after;
 * a panel scores each report on each criterion, never their own; aggregates drop the highest and
 * lowest score per criterion from five scorers on (checked by hand); publishing writes one ledger
 * record per scored member whatever the re-runs; a member sees their own aggregate only after
 * publishing and never who gave what; the published result, not scores recorded by hand, is the
 * panel's part of the annual assessment. Real server, real database.
 */
import type {
  AssessmentResponse,
  DutyEntryView,
  DutyReportResponse,
  DutyReportRoundView,
  DutyReportView,
  MemberDutyResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chinaDate } from '../src/scoring/ledger';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
/** The server's clock: moved a day on to pass the deadline, never waited for. */
let clock = Date.now();
const day = 24 * 60 * 60 * 1000;

const staff = demo.staffId;
const author = 'm-ma-li';
/** Hands in a report of their own and sits on the panel. */
const panellist = 'm-gao-ya';
const others = ['m-xie-fang', 'm-tian-jia', 'm-chen-liqun'];
const outsider = 'm-zhu-wenbin';
const official = 'o-liu-jianguo';

const today = chinaDate(new Date(clock));
const year = Number(today.slice(0, 4));

const criteria = [
  { id: 'attitude', label: '履职态度', weight: 30, max: 100 },
  { id: 'results', label: '履职实绩', weight: 50, max: 100 },
  { id: 'conduct', label: '作风纪律', weight: 20, max: 20 },
];

type Answer<T> = { status: number; body: T & { error?: { code: string; message: string } }; text: string };

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
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('application/json') === true;
  return { status: res.status, body: (json ? JSON.parse(text) : {}) as Answer<T>['body'], text };
}
const send = <T>(memberId: string | null, method: string, path: string, body: unknown = {}) =>
  call<T>(memberId, path, { method, body: JSON.stringify(body) });

function fileForm(name: string, type: string, content: string): FormData {
  const form = new FormData();
  form.append('files', new Blob([content], { type }), name);
  return form;
}
const upload = (memberId: string, form: FormData) =>
  call<{ report: DutyReportView }>(memberId, `/duty-reports/${year}/report`, { method: 'POST', body: form });
const view = (memberId: string) => call<DutyReportResponse>(memberId, `/duty-reports/${year}`);
const score = (by: string, memberId: string, scores: Record<string, number>) =>
  send(by, 'POST', `/duty-reports/${year}/scores/${memberId}`, { scores });

/** A member's panel part of the year's annual assessment, as staff read it. */
async function panelOf(memberId: string) {
  const res = await call<AssessmentResponse>(staff, `/duty/assessment?year=${year}`);
  expect(res.status, res.text).toBe(200);
  return res.body.rows.find((r) => r.member.id === memberId)?.assessment.panel;
}

async function dutyReportEntries(memberId: string): Promise<DutyEntryView[]> {
  const res = await call<{ entries: DutyEntryView[] }>(staff, `/duty/entries?memberId=${memberId}&year=${year}`);
  expect(res.status).toBe(200);
  return res.body.entries.filter((e) => e.source === 'dutyReport');
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), clock: () => clock });
});
afterAll(async () => {
  await server?.close();
});

describe('the round', () => {
  it('staff open it once a year with weighted criteria; members cannot; bad criteria are refused', async () => {
    const body = { year, deadline: today, criteria };
    expect((await send(author, 'POST', '/duty-reports', body)).body.error?.code).toBe('FORBIDDEN');
    const badWeights = await send(staff, 'POST', '/duty-reports', {
      ...body,
      criteria: criteria.map((c) => ({ ...c, weight: 40 })),
    });
    expect(badWeights.status).toBe(400);
    expect(badWeights.body.error?.message).toMatch(/weights must add up to 100/);
    const sameIds = await send(staff, 'POST', '/duty-reports', {
      ...body,
      criteria: [criteria[0], { ...criteria[1], id: 'attitude' }, criteria[2]],
    });
    expect(sameIds.body.error?.message).toMatch(/ids must differ/);
    expect((await send(staff, 'POST', '/duty-reports', { ...body, deadline: '2026-02-30' })).status).toBe(400);

    const opened = await send<{ round: DutyReportRoundView }>(staff, 'POST', '/duty-reports', body);
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body.round).toMatchObject({ year, deadline: today, criteria, state: 'open', closed: false });
    expect((await send(staff, 'POST', '/duty-reports', body)).body.error?.code).toBe('ILLEGAL_TRANSITION');
    expect((await call(staff, '/duty-reports/1999')).status).toBe(400);
    expect((await call(staff, `/duty-reports/${year - 1}`)).status).toBe(404);
  });

  it('without criteria a round takes the committee’s defaults in Chinese', async () => {
    const res = await send<{ round: DutyReportRoundView }>(staff, 'POST', '/duty-reports', {
      year: year - 5,
      deadline: `${year - 5}-12-31`,
    });
    expect(res.status).toBe(201);
    expect(res.body.round.criteria.map((c) => c.label)).toEqual(['履职态度', '履职实绩', '作风纪律']);
    expect(res.body.round.criteria.reduce((s, c) => s + c.weight, 0)).toBe(100);
  });
});

describe('handing in', () => {
  it('a member uploads a PDF, replaces it with text, then with a DOCX; the file is theirs, staff’s and the panel’s', async () => {
    const pdf = await upload(author, fileForm('述职报告.pdf', 'application/pdf', '%PDF-1.4 first'));
    expect(pdf.status, pdf.text).toBe(200);
    expect(pdf.body.report).toMatchObject({ memberId: author, text: null, versions: 1 });
    expect(pdf.body.report.file).toMatchObject({ fileName: '述职报告.pdf', contentType: 'application/pdf' });

    const text = await send<{ report: DutyReportView }>(author, 'POST', `/duty-reports/${year}/report`, {
      text: '一年来，我围绕乡村养老开展调研，提交提案两件。',
    });
    expect(text.body.report).toMatchObject({
      text: '一年来，我围绕乡村养老开展调研，提交提案两件。',
      file: null,
      versions: 2,
    });
    expect((await call(author, `/duty-reports/${year}/reports/${author}/file`)).status).toBe(404);

    const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const docx = await upload(author, fileForm('述职报告（修改稿）.docx', docxType, 'PK docx bytes'));
    expect(docx.body.report).toMatchObject({ text: null, versions: 3 });
    const mine = await fetch(`${server.url}/api/duty-reports/${year}/reports/${author}/file`, {
      headers: { cookie: cookies.get(author) ?? '' },
    });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('content-type')).toContain(docxType);
    expect(await mine.text()).toBe('PK docx bytes');
    expect((await call(staff, `/duty-reports/${year}/reports/${author}/file`)).status).toBe(200);
    expect((await call(outsider, `/duty-reports/${year}/reports/${author}/file`)).status).toBe(404);

    const second = await send<{ report: DutyReportView }>(panellist, 'POST', `/duty-reports/${year}/report`, {
      text: '本人全年参加协商活动六次。',
    });
    expect(second.status).toBe(200);
  });

  it('refuses other kinds, several files, an empty text, staff and officials', async () => {
    expect((await upload(author, fileForm('photo.png', 'image/png', 'png'))).status).toBe(400);
    const two = new FormData();
    two.append('files', new Blob(['a'], { type: 'text/plain' }), 'a.txt');
    two.append('files', new Blob(['b'], { type: 'text/plain' }), 'b.txt');
    expect((await upload(author, two)).status).toBe(413);
    const empty = await send(author, 'POST', `/duty-reports/${year}/report`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error?.message).toMatch(/text/);
    expect((await send(author, 'POST', `/duty-reports/${year}/report`, {})).status).toBe(400);
    expect((await send(staff, 'POST', `/duty-reports/${year}/report`, { text: '报告' })).body.error?.code).toBe(
      'FORBIDDEN',
    );
    expect((await send(official, 'POST', `/duty-reports/${year}/report`, { text: '报告' })).body.error?.code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('the panel', () => {
  it('staff name the panel and its meeting; someone without a seat or an unknown session is refused', async () => {
    const bad = await send(staff, 'PATCH', `/duty-reports/${year}`, { panel: [official] });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/panel/);
    const noSession = await send(staff, 'PATCH', `/duty-reports/${year}`, {
      meeting: { date: today, sessionId: 's-nope' },
    });
    expect(noSession.body.error?.message).toMatch(/session/);
    expect((await send(author, 'PATCH', `/duty-reports/${year}`, { panel: [author] })).body.error?.code).toBe(
      'FORBIDDEN',
    );
    const set = await send<{ round: DutyReportRoundView }>(staff, 'PATCH', `/duty-reports/${year}`, {
      panel: [staff, panellist, ...others],
      meeting: { date: today, sessionId: demo.sessionId },
    });
    expect(set.status, set.text).toBe(200);
    expect(set.body.round.panel.map((p) => p.id)).toEqual([staff, panellist, ...others]);
    expect(set.body.round.meeting).toEqual({ date: today, sessionId: demo.sessionId });
  });

  it('the deadline holds: the day itself is open, the next day refuses a replacement', async () => {
    clock += day;
    const late = await send(author, 'POST', `/duty-reports/${year}/report`, { text: '迟交的报告' });
    expect(late.body.error?.code).toBe('ILLEGAL_TRANSITION');
    expect(late.body.error?.message).toMatch(/deadline/);
    expect((await view(author)).body.round.closed).toBe(true);
    expect((await view(author)).body.mine?.report?.versions).toBe(3);
  });

  it('panel members score others’ reports on every criterion, within each maximum, never their own', async () => {
    const full = { attitude: 90, results: 80, conduct: 18 };
    expect((await score(outsider, author, full)).body.error?.code).toBe('FORBIDDEN');
    const own = await score(panellist, panellist, full);
    expect(own.body.error?.code).toBe('FORBIDDEN');
    expect(own.body.error?.message).toMatch(/own report/);
    const missing = await score(staff, author, { attitude: 90, results: 80 });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toMatch(/conduct/);
    const overMax = await score(staff, author, { ...full, conduct: 25 });
    expect(overMax.body.error?.message).toMatch(/at most 20/);
    expect((await score(staff, author, { ...full, extra: 1 })).body.error?.message).toMatch(/extra/);
    expect((await score(staff, outsider, full)).status).toBe(404);

    // Staff first give 50s, then correct themselves: the second sheet replaces the first.
    expect((await score(staff, author, { attitude: 50, results: 50, conduct: 5 })).status).toBe(204);
    expect((await score(staff, author, full)).status).toBe(204);
    for (const [by, s] of [
      [panellist, { attitude: 70, results: 60, conduct: 20 }],
      ['m-xie-fang', { attitude: 100, results: 95, conduct: 15 }],
      ['m-tian-jia', { attitude: 85, results: 75, conduct: 19 }],
      ['m-chen-liqun', { attitude: 60, results: 88, conduct: 10 }],
    ] as const) {
      const res = await score(by, author, s);
      expect(res.status, res.text).toBe(204);
    }
    expect((await score(staff, panellist, { attitude: 80, results: 70, conduct: 16 })).status).toBe(204);
    expect((await score('m-xie-fang', panellist, { attitude: 90, results: 90, conduct: 20 })).status).toBe(204);

    // Criteria no longer change once scoring began.
    const late = await send(staff, 'PATCH', `/duty-reports/${year}`, { criteria });
    expect(late.body.error?.code).toBe('ILLEGAL_TRANSITION');
  });

  it('a panel member sees the others’ reports with only their own scores', async () => {
    const res = await view(panellist);
    expect(res.body.viewer).toEqual({ staff: false, panel: true });
    expect(res.body.toScore.map((x) => x.report.memberId)).toEqual([author]);
    expect(res.body.toScore[0]?.myScores).toEqual({ attitude: 70, results: 60, conduct: 20 });
    expect(res.body.results).toEqual([]);
    // Their own report's result waits for publishing like anyone's.
    expect(res.body.mine?.result).toBeNull();
  });
});

describe('aggregates and publishing', () => {
  it('staff see each aggregate: five scorers drop each criterion’s highest and lowest, two do not', async () => {
    const res = await view(staff);
    const byMember = new Map(res.body.results.map((r) => [r.report.memberId, r.result]));
    // attitude 60 70 85 90 100 → 70 85 90 → 81.67; results 60 75 80 88 95 → 75 80 88 → 81;
    // conduct 10 15 18 19 20 → 15 18 19 → 17.33 (of 20). 81.67×30% + 81×50% + 17.33/20×20 = 82.33.
    expect(byMember.get(author)).toEqual({
      scorers: 5,
      trimmed: true,
      criteria: [
        { id: 'attitude', label: '履职态度', mean: 81.67 },
        { id: 'results', label: '履职实绩', mean: 81 },
        { id: 'conduct', label: '作风纪律', mean: 17.33 },
      ],
      total: 82.33,
    });
    // (80+90)/2 = 85, (70+90)/2 = 80, (16+20)/2 = 18: 25.5 + 40 + 18 = 83.5.
    expect(byMember.get(panellist)).toMatchObject({ scorers: 2, trimmed: false, total: 83.5 });
    // Staff sit on this panel: they read back their own sheet, and nobody else's.
    expect(JSON.stringify(res.body)).not.toMatch(/scorerId/);
    expect(new Map(res.body.toScore.map((x) => [x.report.memberId, x.myScores]))).toEqual(
      new Map([
        [author, { attitude: 90, results: 80, conduct: 18 }],
        [panellist, { attitude: 80, results: 70, conduct: 16 }],
      ]),
    );
  });

  it('before publishing a member sees their report but no result, and nothing of the scores', async () => {
    const res = await view(author);
    expect(res.body.mine?.report?.memberId).toBe(author);
    expect(res.body.mine?.result).toBeNull();
    expect(res.body.toScore).toEqual([]);
    expect(res.body.results).toEqual([]);
    expect(await dutyReportEntries(author)).toEqual([]);
  });

  it('before publishing the assessment’s panel part is the panel scores recorded by hand', async () => {
    // The demo year's recorded panel scores: 马力 86 and 90, 朱文斌 80 and 80; the share is 20.
    expect(await panelOf(author)).toEqual({ count: 2, average: 88, points: 17.6 });
    expect(await panelOf(outsider)).toEqual({ count: 2, average: 80, points: 16 });
  });

  it('staff publish; each scored report reaches the ledger once, however often it is published', async () => {
    expect((await send(author, 'POST', `/duty-reports/${year}/publish`)).body.error?.code).toBe('FORBIDDEN');
    // Two clicks at once: both answer the published round, and the records are written once.
    const both = await Promise.all(
      [1, 2].map(() =>
        send<{ round: DutyReportRoundView; recorded: number }>(staff, 'POST', `/duty-reports/${year}/publish`),
      ),
    );
    for (const res of both) {
      expect(res.status, res.text).toBe(200);
      expect(res.body.round.state).toBe('published');
    }
    expect(both.map((r) => r.body.recorded).reduce((s, n) => s + n, 0)).toBe(2);
    const again = await send<{ recorded: number }>(staff, 'POST', `/duty-reports/${year}/publish`);
    expect(again.body.recorded).toBe(0);

    const entries = await dutyReportEntries(author);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      id: `duty-report:${year}:${author}`,
      kind: 'dutyReport',
      status: 'verified',
      date: today,
      sourceId: String(year),
    });
    expect(entries[0]?.title).toContain('82.33');
    expect(await dutyReportEntries(panellist)).toHaveLength(1);

    // Published results are frozen.
    expect((await score(staff, author, { attitude: 1, results: 1, conduct: 1 })).body.error?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
    expect((await send(staff, 'PATCH', `/duty-reports/${year}`, { panel: [] })).body.error?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
  });

  it('once published, the 述职 result is the assessment’s panel part, and recorded panel scores no longer count', async () => {
    // 82.33 of 100 scaled to the demo rubric's panel share of 20: 16.47; five scored.
    expect(await panelOf(author)).toEqual({ count: 5, average: 82.33, points: 16.47 });
    expect(await panelOf(panellist)).toEqual({ count: 2, average: 83.5, points: 16.7 });
    // Handed in no report: no panel part, whatever was recorded by hand before.
    expect(await panelOf(outsider)).toEqual({ count: 0, average: null, points: 0 });
    // The member's own year shows the same part.
    const own = await call<MemberDutyResponse>(author, `/duty/members/${author}?year=${year}`);
    expect(own.body.assessment?.panel).toEqual({ count: 5, average: 82.33, points: 16.47 });
  });

  it('after publishing a member sees their own aggregate only, never who gave what', async () => {
    const res = await view(author);
    expect(res.status).toBe(200);
    expect(res.body.mine?.result).toMatchObject({ scorers: 5, trimmed: true, total: 82.33 });
    expect(res.body.toScore).toEqual([]);
    expect(res.body.results).toEqual([]);
    // Nothing in the answer links a score to a scorer, nor shows a single sheet: the only numbers
    // are the aggregate's (and the round's weights, maxima and the report's version count).
    expect(res.text).not.toMatch(/scorer(Id|s":\[)|myScores/);
    for (const sheetValue of ['"attitude":90', '"attitude":70', '"results":95', '"conduct":10']) {
      expect(res.text).not.toContain(sheetValue);
    }
    // Another member sees neither the author's report nor their result.
    const other = await view(outsider);
    expect(other.body.mine).toEqual({ report: null, result: null });
    expect(other.text).not.toContain(author === 'm-ma-li' ? '乡村养老' : author);
    expect(other.text).not.toContain('82.33');
  });
});
