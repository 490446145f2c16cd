/**
 * A member's own bulletin page (issue 16 part 6): for each quarter of a year, the lines the staff
 * bulletin shows for them — counts, the quarter's points, the score to date, each of the six
 * minimums met or missed by the quarter's end — and the records behind them, with their sources.
 * Checked by hand on a small ledger under a small rubric, and against the staff bulletin on the
 * demo year. A member reads only their own; staff anyone's. Real server, real database.
 */
import type { BulletinResponse, DutyEntryView, MemberBulletinResponse } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chinaDate } from '../src/scoring/ledger';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
const staff = demo.staffId;
const member = 'm-tian-jia';
const other = 'm-xie-fang';
/** A year no seed writes records in, under a rubric of this test's own. */
const year = 2023;

type Answer<T> = { status: number; body: T & { error?: { code: string; message: string } } };

async function call<T>(memberId: string, path: string, init: RequestInit = {}): Promise<Answer<T>> {
  let c = cookies.get(memberId);
  if (!c) {
    c = await signIn(server.url, memberId);
    cookies.set(memberId, c);
  }
  const headers = new Headers(init.headers);
  headers.set('cookie', c);
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(`${server.url}/api${path}`, { ...init, headers });
  return { status: res.status, body: (await res.json()) as Answer<T>['body'] };
}
const post = <T>(memberId: string, path: string, body: unknown) =>
  call<T>(memberId, path, { method: 'POST', body: JSON.stringify(body) });

const mine = (as: string, query: string) => call<MemberBulletinResponse>(as, `/duty/bulletin/mine?${query}`);

const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const rubric = await post(staff, '/duty/rubrics', {
    year,
    rules: [
      { id: 'research', label: '参加专题调研', kinds: ['research'], points: 5, cap: 10 },
      { id: 'goodDeed', label: '为民办实事好事', kinds: ['goodDeed'], points: 3, cap: 6 },
      { id: 'training', label: '参加学习培训', kinds: ['training'], points: 1, cap: 3 },
    ],
    minimums: [
      { id: 'research', kinds: ['research'], count: 1, required: true },
      { id: 'goodDeed', kinds: ['goodDeed'], count: 1, required: true },
      { id: 'investment', kinds: ['investment'], count: 1, required: false },
    ],
    allMinimumsBonus: 2,
    missingMinimumDeduction: 1,
    rubricMax: 60,
    evaluationMax: 20,
    panelMax: 20,
    thresholds: { excellent: 85, competent: 70, basicallyCompetent: 60 },
  });
  expect(rubric.status, JSON.stringify(rubric.body)).toBe(201);
  for (const [name, kind, date] of [
    ['r1', 'research', '2023-02-10'],
    ['g1', 'goodDeed', '2023-05-20'],
    ['r2', 'research', '2023-06-01'],
    ['r3', 'research', '2023-08-08'],
    ['t1', 'training', '2023-11-11'],
  ] as const) {
    const res = await post<{ entry: DutyEntryView }>(staff, '/duty/entries', {
      memberId: member,
      kind,
      date,
      title: `${name}：${date}`,
      evidence: { text: '工作人员据活动签到表录入。' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[name] = res.body.entry.id;
  }
});
afterAll(async () => {
  await server?.close();
});

describe('a member’s own bulletin', () => {
  it('shows each quarter’s lines, worked out by hand, newest first', async () => {
    const res = await mine(member, `year=${year}`);
    expect(res.status).toBe(200);
    expect(res.body.member).toEqual({ id: member, name: '田佳' });
    expect(res.body.rubricVersion).toBe(1);
    const q = new Map(res.body.quarters.map((x) => [x.quarter, x]));
    expect(res.body.quarters.map((x) => x.quarter)).toEqual(['2023-Q4', '2023-Q3', '2023-Q2', '2023-Q1']);

    // Q1: one research (5); 实事好事 still missing: −1, so 4 to date.
    expect(q.get('2023-Q1')).toMatchObject({ points: 5, scoreToDate: 4 });
    expect(q.get('2023-Q1')?.counts.research).toBe(1);
    expect(q.get('2023-Q1')?.minimums).toEqual([
      { id: 'research', required: true, needed: 1, have: 1, met: true },
      { id: 'goodDeed', required: true, needed: 1, have: 0, met: false },
      { id: 'investment', required: false, needed: 1, have: 0, met: false },
    ]);
    // Q2: a good deed (3) and research (5): 8; research reaches its cap of 10, every required
    // minimum is met: 10 + 3 + 2 = 15 to date.
    expect(q.get('2023-Q2')).toMatchObject({ points: 8, scoreToDate: 15 });
    expect(q.get('2023-Q2')?.minimums.map((m) => m.met)).toEqual([true, true, false]);
    expect(q.get('2023-Q2')?.sources.map((s) => [s.id, s.points])).toEqual([
      [ids.g1, 3],
      [ids.r2, 5],
    ]);
    // Q3: a third research is over the cap: listed, 0 points; the score stays 15.
    expect(q.get('2023-Q3')).toMatchObject({ points: 0, scoreToDate: 15 });
    expect(q.get('2023-Q3')?.sources).toEqual([
      {
        id: ids.r3,
        kind: 'research',
        date: '2023-08-08',
        title: 'r3：2023-08-08',
        source: 'staff',
        sessionId: null,
        sourceId: null,
        points: 0,
      },
    ]);
    // Q4: a training (1): 16.
    expect(q.get('2023-Q4')).toMatchObject({ points: 1, scoreToDate: 16 });
  });

  it('agrees with the staff bulletin’s line for the member in every quarter', async () => {
    for (const [y, as] of [
      [year, member],
      [Number(chinaDate().slice(0, 4)), 'm-chen-liqun'],
    ] as const) {
      const own = await mine(as, `year=${y}`);
      expect(own.status).toBe(200);
      for (const quarter of own.body.quarters) {
        const staffView = await call<BulletinResponse>(staff, `/duty/bulletin?quarter=${quarter.quarter}`);
        const row = staffView.body.bulletin.members.find((m) => m.memberId === as);
        expect(row?.current.points, quarter.quarter).toBe(quarter.points);
        expect(row?.current.counts, quarter.quarter).toEqual(quarter.counts);
        expect(quarter.sources).toHaveLength(Object.values(quarter.counts).reduce((s, n) => s + n, 0));
      }
    }
  });

  it('a member reads only their own; staff read anyone’s; bad queries are refused', async () => {
    const forbidden = await mine(other, `year=${year}&memberId=${member}`);
    expect(forbidden.status).toBe(403);
    const byStaff = await mine(staff, `year=${year}&memberId=${member}`);
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.quarters).toEqual((await mine(member, `year=${year}`)).body.quarters);
    expect((await mine(staff, `year=${year}`)).status).toBe(404);
    expect((await mine(member, 'year=abc')).status).toBe(400);
    expect((await mine(member, 'year=1999')).status).toBe(400);
    expect((await mine(staff, 'memberId=m-nobody')).status).toBe(404);
  });

  it('the current year lists quarters up to today’s only', async () => {
    const today = chinaDate();
    const res = await mine(member, '');
    expect(res.body.year).toBe(Number(today.slice(0, 4)));
    expect(res.body.quarters[0]?.quarter).toBe(`${today.slice(0, 4)}-Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`);
  });
});
