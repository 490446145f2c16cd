import {
  type DashboardFigures,
  DashboardResponse,
  emptyFigures,
  figureKeys,
  PaperSessionView,
  ThemeView,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawCollection } from '../src/db/models';
import type { MemberDoc } from '../src/members/member.model';
import type { AttendanceDoc, RoomDoc, SessionDoc } from '../src/rooms/room.model';
import type { SuggestionDoc } from '../src/suggestions/suggestion.model';
import { signIn, startTestServer, type TestServer } from '../src/testing';
import type { TopicDoc } from '../src/topics/topic.model';
import type { TrackingItemDoc } from '../src/tracking/tracking.model';

/*
 * The annual report's figures (issue 16, parts 3–5) on a data set of their own, each counted by
 * hand below. Themes, topic themes and the three paper sessions go through the API; the live
 * sessions, their attendance and the topics' histories are written through the models (as they
 * would be after a year of use). Times are committee time (+08:00); the period is 2026.
 *
 * Rooms: rc-1 city · rt-1 town · rv-1 village.
 * Themes (API): 和美乡村, 防诈骗, 村规民约 (never used).
 * Leader records: of-c1, of-c2 city; of-t1, of-t2, of-t3 town. of-x is an official without one.
 *
 * Topics (source, theme, state, closed):
 *   TA member            和美乡村  closed      2026-05-10   rounds SA1, SA2 (paper)
 *   TB hotline           防诈骗    closed      2026-06-01   SB
 *   TC governanceCentre  —         closed      2026-07-01   SC
 *   TD hotline           —         closed      2025-12-20   SD (2025: outside the period)
 *   TE citizen           和美乡村  inProgress  —            SE
 *   TF governanceCentre  —         closed      2026-08-01   no session (all levels only)
 *
 * Sessions (date, room, mode, second convener, suggestions, attending):
 *   SA1  2026-03-01  rc-1  hall            of-2  2  of-c1 (in the member role), mb-1
 *   SA2  2026-04-02  rv-1  paper (hall)    of-2  3  mb-1, mb-2, of-t1          2 outcomes, verified 05-08, closed 05-09
 *   SB   2026-05-05  rt-1  online          —     1  of-t1, of-t2, of-x
 *   SC   2026-06-10  rt-1  hybrid          of-2  0  of-c2, of-t3
 *   SD   2025-12-01  rc-1  hall            —     1  of-c1                      (2025)
 *   SE   2026-09-09  rv-1  online          —     4  mb-1
 *   SP2  2026-10-10  rv-1  paper, 防诈骗   —     1  mb-1, of-t2                2 outcomes: verified 10-30, closed 11-01 and 11-05
 *   SP3  2026-10-20  rt-1  paper           —     0  mb-2                       1 outcome, left assigned
 *   SS   2026-12-01  rv-1  scheduled (never held: never counted)
 *
 * Problems solved in 2026: TA (05), TB (06), TC (07), TF (08), SP2 (its last item closed 11-05) = 5;
 * with a leader: TA, TB, TC, SP2 = 4; hotline and governance centre: TB, TC, TF = 3. SP3 (item
 * open), TE (open) and TD (2025) are not. A problem is placed by its last round: TA in rv-1.
 */

const local = (s: string) => new Date(`${s}+08:00`);

const rooms: RoomDoc[] = [
  { _id: 'rc-1', name: '市政协协商议事室', level: 'city' },
  { _id: 'rt-1', name: '城东镇协商议事室', level: 'town' },
  { _id: 'rv-1', name: '上湖村协商议事室', level: 'village' },
];

const person = (_id: string, name: string, kind: MemberDoc['kind']): MemberDoc => ({
  _id,
  committeeId: 'cm-annual',
  name,
  kind,
  sectorId: null,
  title: '',
  expertise: [],
  demo: true,
});
const people: MemberDoc[] = [
  person('st-1', '工作人员甲', 'staff'),
  person('of-2', '住建局长', 'official'),
  person('of-x', '民政局干部', 'official'),
  person('of-c1', '市领导一', 'official'),
  person('of-c2', '市领导二', 'official'),
  person('of-t1', '镇领导一', 'official'),
  person('of-t2', '镇领导二', 'official'),
  person('of-t3', '街道领导三', 'official'),
  person('mb-c', '召集人委员', 'member'),
  person('mb-1', '委员甲', 'member'),
  person('mb-2', '委员乙', 'member'),
];

function session(
  _id: string,
  at: string,
  roomId: string,
  mode: SessionDoc['mode'],
  topicId: string | null,
  secondConvenerId: string | null,
  state: SessionDoc['state'] = 'closed',
): SessionDoc {
  return {
    _id,
    topic: `议题 ${_id}`,
    topicId,
    roomId,
    scheduledAt: local(at),
    mode,
    state,
    firstConvenerId: 'mb-c',
    secondConvenerId,
    roles: [],
    agenda: [],
    currentItemId: null,
    currentItemStartedAt: null,
    locked: false,
    speakerLimitSeconds: 180,
    speakers: { queue: [], speaker: null },
    muted: [],
    removed: [],
    startedAt: state === 'scheduled' ? null : local(at),
    closedAt: state === 'closed' ? local(at) : null,
  };
}

const liveSessions: Array<[SessionDoc, number, string[]]> = [
  [session('SA1', '2026-03-01T10:00:00', 'rc-1', 'hall', 'TA', 'of-2'), 2, ['of-c1', 'mb-1']],
  [session('SB', '2026-05-05T10:00:00', 'rt-1', 'online', 'TB', null), 1, ['of-t1', 'of-t2', 'of-x']],
  [session('SC', '2026-06-10T10:00:00', 'rt-1', 'hybrid', 'TC', 'of-2'), 0, ['of-c2', 'of-t3']],
  [session('SD', '2025-12-01T10:00:00', 'rc-1', 'hall', 'TD', null), 1, ['of-c1']],
  [session('SE', '2026-09-09T10:00:00', 'rv-1', 'online', 'TE', null), 4, ['mb-1']],
  [session('SS', '2026-12-01T10:00:00', 'rv-1', 'hall', null, null, 'scheduled'), 0, []],
];

function topic(
  _id: string,
  source: TopicDoc['source'],
  state: TopicDoc['state'],
  sessionId: string | null,
  closedAt: string | null,
): TopicDoc {
  const proposedAt = local('2025-10-01T09:00:00');
  const states: TopicDoc['state'][] = ['proposed', 'accepted', 'scheduled', 'deliberated', 'inProgress'];
  const actions: TopicDoc['history'][number]['action'][] = ['propose', 'accept', 'schedule', 'hold', 'startTracking'];
  if (state === 'closed') {
    states.push('closed');
    actions.push('close');
  }
  const history = states.map((s, i) => ({
    at: s === 'closed' && closedAt ? local(closedAt) : new Date(proposedAt.getTime() + i * 86_400_000),
    by: 'st-1',
    byName: '工作人员甲',
    action: actions[i] ?? 'propose',
    state: s,
    note: null,
  }));
  return {
    _id,
    title: `议题 ${_id}`,
    description: '',
    source,
    sourceRef: source === 'hotline' || source === 'governanceCentre' ? `ref-${_id}` : null,
    proposedBy: 'st-1',
    proposedAt,
    state,
    department: '市住建局',
    firstConvenerId: 'mb-c',
    secondConvenerId: 'of-2',
    acceptances: [],
    declineReason: null,
    sessionId,
    themeId: null,
    history,
    updatedAt: history.at(-1)?.at ?? proposedAt,
  };
}

const topics: TopicDoc[] = [
  topic('TA', 'member', 'closed', 'SA1', '2026-05-10T10:00:00'),
  topic('TB', 'hotline', 'closed', 'SB', '2026-06-01T10:00:00'),
  topic('TC', 'governanceCentre', 'closed', 'SC', '2026-07-01T10:00:00'),
  topic('TD', 'hotline', 'closed', 'SD', '2025-12-20T10:00:00'),
  topic('TE', 'citizen', 'inProgress', 'SE', null),
  topic('TF', 'governanceCentre', 'closed', null, '2026-08-01T10:00:00'),
];

let server: TestServer;
let staff = '';

async function api(method: string, path: string, body?: unknown) {
  return fetch(`${server.url}/api${path}`, {
    method,
    headers: { cookie: staff, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function dashboard(query: string): Promise<DashboardResponse> {
  const res = await api('GET', `/reports/dashboard?${query}`);
  expect(res.status).toBe(200);
  return DashboardResponse.parse(await res.json());
}

/** Figures written as the non-zero ones only. */
const fig = (n: Partial<DashboardFigures>): DashboardFigures => ({ ...emptyFigures(), ...n });

/** Closes the tracking items of a paper session by hand: verified on one day, closed on the others. */
async function settle(sessionId: string, verifiedAt: string, closedAt: string[]) {
  const items = rawCollection(server.app.models.TrackingItem);
  const docs = await items.find({ sessionId }).sort({ _id: 1 }).toArray();
  expect(docs).toHaveLength(closedAt.length);
  for (const [n, doc] of docs.entries()) {
    const at = (s: string) => local(s);
    const history: TrackingItemDoc['history'] = [
      ...doc.history,
      { at: at(verifiedAt), by: 'st-1', byName: '工作人员甲', action: 'verify', status: 'verified', note: null },
      { at: at(closedAt[n] ?? ''), by: 'st-1', byName: '工作人员甲', action: 'close', status: 'closed', note: null },
    ];
    await items.updateOne({ _id: doc._id }, { $set: { status: 'closed', history } });
  }
}

let paper: Record<'SA2' | 'SP2' | 'SP3', PaperSessionView>;
const themeId: Record<'harmony' | 'fraud' | 'rules', string> = { harmony: '', fraud: '', rules: '' };

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), seed: false });
  const m = server.app.models;
  await m.Room.insertMany(rooms);
  await m.Member.insertMany(people);
  await m.Leader.insertMany([
    { _id: 'ldr-c1', name: '市领导一', post: '副市长', level: 'city', memberId: 'of-c1' },
    { _id: 'ldr-c2', name: '市领导二', post: '市政府秘书长', level: 'city', memberId: 'of-c2' },
    { _id: 'ldr-t1', name: '镇领导一', post: '镇党委书记', level: 'town', memberId: 'of-t1' },
    { _id: 'ldr-t2', name: '镇领导二', post: '镇长', level: 'town', memberId: 'of-t2' },
    { _id: 'ldr-t3', name: '街道领导三', post: '街道办事处主任', level: 'town', memberId: 'of-t3' },
  ]);
  await m.Session.insertMany(liveSessions.map(([s]) => s));
  const suggestions: SuggestionDoc[] = liveSessions.flatMap(([s, n]) =>
    Array.from({ length: n }, (_, i) => ({
      _id: `${s._id}-sg${i}`,
      sessionId: s._id,
      itemId: null,
      authorId: 'mb-1',
      authorName: '委员甲',
      text: `建议 ${i}`,
      mark: 'none' as const,
      createdAt: s.scheduledAt,
    })),
  );
  await m.Suggestion.insertMany(suggestions);
  const attendance: AttendanceDoc[] = liveSessions.flatMap(([s, , who]) =>
    who.map((memberId) => ({
      _id: `${s._id}:${memberId}`,
      sessionId: s._id,
      memberId,
      role: 'member' as const,
      online: true,
      inHall: false,
      firstSeenAt: s.scheduledAt,
      checkedInAt: null,
      checkedInBy: null,
    })),
  );
  await m.Attendance.insertMany(attendance);
  await rawCollection(m.Topic).insertMany(topics);
  // The ledger's proposals and social-conditions reports: mb-1 has both in 2026; mb-2 a proposal
  // of 2025 and a social report still pending; mb-c neither.
  const entry = (_id: string, memberId: string, kind: 'proposal' | 'socialReport', date: string, status: string) => ({
    _id,
    memberId,
    kind,
    date,
    year: Number(date.slice(0, 4)),
    title: _id,
    source: 'entry',
    status,
    sessionId: null,
    evidence: null,
    proposal: null,
    rejectReason: null,
    batchId: null,
    audit: [],
    createdAt: new Date(),
  });
  await rawCollection(m.DutyEntry).insertMany([
    entry('d-1', 'mb-1', 'proposal', '2026-03-02', 'verified'),
    entry('d-2', 'mb-1', 'socialReport', '2026-06-02', 'verified'),
    entry('d-3', 'mb-2', 'proposal', '2025-11-02', 'verified'),
    entry('d-4', 'mb-2', 'socialReport', '2026-06-02', 'pending'),
  ] as never[]);

  staff = await signIn(server.url, 'st-1');
  for (const [key, name] of [
    ['harmony', '和美乡村'],
    ['fraud', '防诈骗'],
    ['rules', '村规民约'],
  ] as const) {
    const res = await api('POST', '/themes', { name });
    expect(res.status).toBe(201);
    themeId[key] = ThemeView.parse(await res.json()).id;
  }
  for (const [id, key] of [
    ['TA', 'harmony'],
    ['TB', 'fraud'],
    ['TE', 'harmony'],
  ] as const) {
    const res = await api('PATCH', `/topics/${id}/theme`, { themeId: themeId[key] });
    expect(res.status).toBe(200);
  }

  const record = async (body: unknown) => {
    const res = await api('POST', '/paper-sessions', body);
    expect(res.status).toBe(201);
    return PaperSessionView.parse(await res.json());
  };
  paper = {
    SA2: await record({
      title: '和美乡村第二轮（纸质）',
      topicId: 'TA',
      roomId: 'rv-1',
      date: '2026-04-02',
      time: '14:00',
      firstConvenerId: 'mb-c',
      secondConvenerId: 'of-2',
      attendeeIds: ['mb-1', 'mb-2', 'of-t1'],
      suggestions: [
        { authorId: 'mb-1', text: '村道两侧增设路灯。' },
        { authorId: 'mb-1', text: '垃圾分类点移出村口。' },
        { authorId: 'mb-2', text: '河道保洁纳入村规民约。' },
      ],
      outcomes: [
        { text: '增设路灯十盏', department: '市住建局', deadline: '2026-05-01' },
        { text: '迁移垃圾分类点', department: '市住建局' },
      ],
    }),
    SP2: await record({
      title: '留守老人防诈骗',
      themeId: themeId.fraud,
      roomId: 'rv-1',
      date: '2026-10-10',
      firstConvenerId: 'mb-c',
      attendeeIds: ['mb-1', 'of-t2'],
      suggestions: [{ authorId: 'mb-1', text: '每月一次防诈骗宣讲。' }],
      outcomes: [
        { text: '开展宣讲', department: '市公安局' },
        { text: '张贴提示', department: '市公安局' },
      ],
    }),
    SP3: await record({
      title: '社区停车',
      roomId: 'rt-1',
      date: '2026-10-20',
      firstConvenerId: 'mb-c',
      attendeeIds: ['mb-2'],
      outcomes: [{ text: '划定停车位', department: '市住建局' }],
    }),
  };
  await settle(paper.SA2.id, '2026-05-08T10:00:00', ['2026-05-09T10:00:00', '2026-05-09T11:00:00']);
  await settle(paper.SP2.id, '2026-10-30T10:00:00', ['2026-11-01T10:00:00', '2026-11-05T10:00:00']);
});

afterAll(async () => {
  await server?.close();
});

// The year's figures as counted by hand from the table above.
const year2026 = fig({
  sessions: 7, // SA1 SA2 SB SC SE SP2 SP3
  hall: 4, // SA1 and the three paper ones
  online: 2, // SB SE
  hybrid: 1, // SC
  paper: 3,
  themed: 5, // SA1 SA2 (TA) SB (TB) SE (TE) SP2 (its own)
  withSecondConvener: 3, // SA1 SA2 SC
  suggestions: 11, // 2 + 3 + 1 + 0 + 4 + 1 + 0
  outcomesResolved: 4, // SA2's two (05-08), SP2's two (10-30)
  leaderAttendances: 7, // SA1 1, SA2 1, SB 2, SC 2, SP2 1 (of-x is no leader)
  leadersDistinct: 5,
  cityLeaderSessions: 2, // SA1 SC
  townLeaderSessions: 4, // SA2 SB SC SP2
  cityLeaders: 2, // of-c1 of-c2
  townLeaders: 3, // of-t1 of-t2 of-t3
  problemsSolved: 5, // TA TB TC TF SP2
  leaderProblemsSolved: 4, // TA TB TC SP2
  hotlineClosed: 3, // TB (12345), TC TF (governance centre)
});

describe('the annual report’s figures, counted by hand', () => {
  it('paper sessions are stored closed, with their attendance, suggestions and tracking items', () => {
    expect(paper.SA2).toMatchObject({ attendees: 3, suggestions: 3, outcomes: 2, pendingSteps: [] });
    expect(paper.SP2).toMatchObject({ attendees: 2, suggestions: 1, outcomes: 2, themeId: themeId.fraud });
    expect(paper.SP3).toMatchObject({ attendees: 1, suggestions: 0, outcomes: 1 });
  });

  it('the year 2026, every level: each figure', async () => {
    const d = await dashboard('from=2026-01-01&to=2026-12-31');
    for (const k of figureKeys) expect({ [k]: d.totals[k] }).toEqual({ [k]: year2026[k] });
    // Three committee members: mb-c has neither, mb-2 a proposal of 2025 and a pending report.
    expect(d.members).toEqual({ committee: 3, withoutProposal: 2, withoutSocialReport: 2 });
    expect((await dashboard('from=2025-01-01&to=2026-12-31')).members).toEqual({
      committee: 3,
      withoutProposal: 1,
      withoutSocialReport: 2,
    });
    // By month: sessions and problems fall in their own months.
    const month = (m: string) => d.months.find((x) => x.month === m);
    expect(month('2026-04')).toMatchObject({ sessions: 1, paper: 1, townLeaders: 1, cityLeaders: 0 });
    expect(month('2026-05')).toMatchObject({ sessions: 1, problemsSolved: 1, outcomesResolved: 2 });
    expect(month('2026-08')).toMatchObject({ sessions: 0, problemsSolved: 1, hotlineClosed: 1 });
    expect(month('2026-11')).toMatchObject({ problemsSolved: 1, leaderProblemsSolved: 1 });
    expect(month('2026-12')).toMatchObject({ sessions: 0 });
  });

  it('by theme: each theme’s row, the unused one all zeros, and those without a theme', async () => {
    const d = await dashboard('from=2026-01-01&to=2026-12-31');
    const row = (id: string | null) => {
      const r = d.byTheme.find((t) => t.themeId === id);
      if (!r) throw new Error(`no row for ${id}`);
      const { themeId: _t, name: _n, ...figures } = r;
      return figures;
    };
    // In pinyin order (cūn, fáng, hé), those without a theme last.
    expect(d.byTheme.map((t) => t.name)).toEqual(['村规民约', '防诈骗', '和美乡村', '']);
    expect(row(themeId.harmony)).toEqual(
      fig({
        sessions: 3, // SA1 SA2 SE
        hall: 2,
        online: 1,
        paper: 1,
        themed: 3,
        withSecondConvener: 2,
        suggestions: 9,
        outcomesResolved: 2,
        leaderAttendances: 2,
        leadersDistinct: 2,
        cityLeaderSessions: 1,
        townLeaderSessions: 1,
        cityLeaders: 1,
        townLeaders: 1,
        problemsSolved: 1, // TA, once however many items and rounds
        leaderProblemsSolved: 1,
      }),
    );
    expect(row(themeId.fraud)).toEqual(
      fig({
        sessions: 2, // SB SP2
        hall: 1,
        online: 1,
        paper: 1,
        themed: 2,
        suggestions: 2,
        outcomesResolved: 2,
        leaderAttendances: 3,
        leadersDistinct: 2,
        townLeaderSessions: 2,
        townLeaders: 2,
        problemsSolved: 2, // TB SP2
        leaderProblemsSolved: 2,
        hotlineClosed: 1, // TB
      }),
    );
    expect(row(themeId.rules)).toEqual(emptyFigures());
    expect(row(null)).toEqual(
      fig({
        sessions: 2, // SC SP3
        hall: 1,
        hybrid: 1,
        paper: 1,
        withSecondConvener: 1,
        leaderAttendances: 2,
        leadersDistinct: 2,
        cityLeaderSessions: 1,
        townLeaderSessions: 1,
        cityLeaders: 1,
        townLeaders: 1,
        problemsSolved: 2, // TC TF
        leaderProblemsSolved: 1, // TC
        hotlineClosed: 2,
      }),
    );
    // Asked for one theme, the totals are that theme's row.
    const fraud = await dashboard(`from=2026-01-01&to=2026-12-31&themeId=${encodeURIComponent(themeId.fraud)}`);
    expect(fraud.theme).toEqual({ id: themeId.fraud, name: '防诈骗' });
    expect(fraud.totals).toEqual(row(themeId.fraud));
  });

  it('by level: each room level’s row, and a level asked for', async () => {
    const d = await dashboard('from=2026-01-01&to=2026-12-31');
    const row = (level: string) => {
      const r = d.byLevel.find((l) => l.level === level);
      if (!r) throw new Error(level);
      const { level: _l, ...figures } = r;
      return figures;
    };
    const city = fig({
      sessions: 1, // SA1
      hall: 1,
      themed: 1,
      withSecondConvener: 1,
      suggestions: 2,
      leaderAttendances: 1,
      leadersDistinct: 1,
      cityLeaderSessions: 1,
      cityLeaders: 1,
    });
    const town = fig({
      sessions: 3, // SB SC SP3
      hall: 1,
      online: 1,
      hybrid: 1,
      paper: 1,
      themed: 1,
      withSecondConvener: 1,
      suggestions: 1,
      leaderAttendances: 4,
      leadersDistinct: 4,
      cityLeaderSessions: 1,
      townLeaderSessions: 2,
      cityLeaders: 1,
      townLeaders: 3,
      problemsSolved: 2, // TB TC
      leaderProblemsSolved: 2,
      hotlineClosed: 2,
    });
    const village = fig({
      sessions: 3, // SA2 SE SP2
      hall: 2,
      online: 1,
      paper: 2,
      themed: 3,
      withSecondConvener: 1,
      suggestions: 8,
      outcomesResolved: 4,
      leaderAttendances: 2,
      leadersDistinct: 2,
      townLeaderSessions: 2,
      townLeaders: 2,
      problemsSolved: 2, // TA (its last round SA2 was here) and SP2
      leaderProblemsSolved: 2,
    });
    expect(row('city')).toEqual(city);
    expect(row('town')).toEqual(town);
    expect(row('village')).toEqual(village);
    // TF has no session: only the all-levels totals count it.
    expect((await dashboard('from=2026-01-01&to=2026-12-31&level=town')).totals).toEqual(town);
    expect((await dashboard('from=2026-01-01&to=2026-12-31&roomId=rv-1')).totals).toEqual(village);
  });

  it('any period: May to June', async () => {
    const d = await dashboard('from=2026-05-01&to=2026-06-30');
    expect(d.totals).toEqual(
      fig({
        sessions: 2, // SB SC
        online: 1,
        hybrid: 1,
        themed: 1,
        withSecondConvener: 1,
        suggestions: 1,
        outcomesResolved: 2, // SA2's, verified 05-08
        leaderAttendances: 4,
        leadersDistinct: 4,
        cityLeaderSessions: 1,
        townLeaderSessions: 2,
        cityLeaders: 1,
        townLeaders: 3,
        problemsSolved: 2, // TA (05-10) TB (06-01)
        leaderProblemsSolved: 2,
        hotlineClosed: 1, // TB
      }),
    );
  });

  it('themes: staff keep the list (a name once), members may not; a retired theme is offered to no topic', async () => {
    const again = await api('POST', '/themes', { name: '防诈骗' });
    expect(again.status).toBe(201);
    expect(ThemeView.parse(await again.json()).id).toBe(themeId.fraud);
    const member = await signIn(server.url, 'mb-1');
    const asMember = await fetch(`${server.url}/api/themes`, {
      method: 'POST',
      headers: { cookie: member, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '新专题' }),
    });
    expect(asMember.status).toBe(403);
    const setByMember = await fetch(`${server.url}/api/topics/TE/theme`, {
      method: 'PATCH',
      headers: { cookie: member, 'content-type': 'application/json' },
      body: JSON.stringify({ themeId: null }),
    });
    expect(setByMember.status).toBe(403);
    const retired = await api('PATCH', `/themes/${themeId.rules}`, { retired: true });
    expect(ThemeView.parse(await retired.json())).toMatchObject({ retired: true, name: '村规民约' });
    const refused = await api('PATCH', '/topics/TE/theme', { themeId: themeId.rules });
    expect(refused.status).toBe(400);
    expect(await api('PATCH', `/themes/${themeId.rules}`, { name: '和美乡村' }).then((r) => r.status)).toBe(400);
    expect(await api('PATCH', `/themes/${themeId.rules}`, { retired: false }).then((r) => r.status)).toBe(200);
    expect(await api('PATCH', '/topics/no-such-topic/theme', { themeId: null }).then((r) => r.status)).toBe(404);
    const read = await fetch(`${server.url}/api/topics/TA/theme`, { headers: { cookie: member } });
    expect(await read.json()).toEqual({ themeId: themeId.harmony });
  });

  it('the CSV carries the figures by theme and by level', async () => {
    const res = await api('GET', '/reports/dashboard.csv?from=2026-01-01&to=2026-12-31');
    expect(res.status).toBe(200);
    const lines = (await res.text()).slice(1).split('\r\n');
    const cells = (label: string) =>
      lines
        .find((l) => l.startsWith(`${label},`))
        ?.split(',')
        .slice(1)
        .map(Number);
    expect(cells('合计')).toEqual(figureKeys.map((k) => year2026[k]));
    expect(cells('防诈骗')?.[figureKeys.indexOf('problemsSolved')]).toBe(2);
    expect(cells('村（社区）级')?.[figureKeys.indexOf('paper')]).toBe(2);
  });
});
