import {
  csvLabels,
  type DashboardFigures,
  DashboardResponse,
  emptyFigures,
  figureKeys,
  monthPeriod,
  quarterPeriod,
  ReportRoomsResponse,
  yearPeriod,
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
 * A data set of its own (not the demo), with every dashboard figure worked out by hand below.
 * Times are written in committee time (+08:00); three sit where UTC and committee time disagree
 * about the month or year (S6, S9, S11, T4, T11, H2).
 *
 * Rooms: rc-1, rc-2 city · rt-1, rt-2 town · rv-1, rv-2 village.
 *
 * Sessions (date +08:00, room, mode, state, second convener, suggestions, leaders attending):
 *   S1  2026-01-10 09:00  rc-1  hall    closed     yes  3  L1
 *   S2  2026-01-20 09:00  rt-1  online  closed     no   2  —
 *   S3  2026-02-05 14:00  rv-1  hybrid  closed     yes  4  L1 L2
 *   S4  2026-02-28 19:00  rt-2  online  closed     yes  1  L2
 *   S5  2026-03-15 10:00  rv-2  hall    closed     no   0  mb-lead (a member in the leader role)
 *   S6  2026-04-01 07:00  rt-1  hybrid  closed     yes  2  L1        (UTC: 03-31 23:00)
 *   S7  2026-05-12 15:00  rc-2  online  live       no   1  L4 (attending in the member role)
 *   S8  2026-06-01 09:00  rv-1  hall    scheduled  yes  0  —         never counted: not held
 *   S9  2025-12-31 23:30  rc-1  hall    closed     yes  2  L1        (UTC: 2025-12-31 15:30)
 *   S10 2026-07-08 09:00  rt-2  online  closed     yes  5  L2 L3
 *   S11 2027-01-01 00:00  rv-2  online  closed     no   1  L1        (UTC: 2026-12-31 16:00)
 * Non-leader attendances (mb-1 as member in S1, mb-c as first convener in S3 and S10) never count.
 *
 * Leader records (领导, the org console's): L1 city, L2 town, L4 city. L3 and mb-lead have none:
 * they count as leaders by their session role only, and at neither level. L4 has no leader role in
 * S7 but counts by the record. A session counts once per level however many of its leaders attend.
 *
 * Tracking items (session, status now, date verified +08:00):
 *   T1  S1   closed        2026-02-10 (closed 2026-02-20)
 *   T2  S1   verified      2026-03-05
 *   T3  S2   reportedDone  —
 *   T4  S3   closed        2026-04-01 01:00 (UTC: 03-31 17:00) (closed 2026-04-10)
 *   T5  S4   inProgress    —
 *   T6  S9   verified      2026-01-15   (its session was in 2025)
 *   T7  S10  closed        2026-08-03 (closed 2026-09-01: counts in August only)
 *   T8  S6   returned      —
 *   T9  S10  verified      2027-01-02
 *   T10 S3   verified      2026-02-27
 *   T11 S2   verified      2026-03-31 20:00 (UTC: 03-31 12:00)
 *
 * Topics (source, state, session, date closed +08:00):
 *   H1 hotline  closed      S2   2026-03-10
 *   H2 hotline  closed      S3   2026-06-30 23:00 (UTC: 06-30 15:00)
 *   H3 hotline  closed      —    2026-05-05   (no session: counts only for all levels)
 *   H4 hotline  inProgress  S4   —
 *   H5 citizen  closed      S5   2026-03-20   (not from the hotline)
 *   H6 hotline  closed      S1   2027-02-01
 *   H7 hotline  closed      S10  2026-07-31
 */

const local = (s: string) => new Date(`${s}+08:00`);

const rooms: RoomDoc[] = [
  { _id: 'rc-1', name: '市政协经济组协商议事室', level: 'city' },
  { _id: 'rc-2', name: '市政协社法委协商议事室', level: 'city' },
  { _id: 'rt-1', name: '城东镇协商议事室', level: 'town' },
  { _id: 'rt-2', name: '曲塘镇协商议事室', level: 'town' },
  { _id: 'rv-1', name: '上湖村协商议事室', level: 'village' },
  { _id: 'rv-2', name: '仁桥社区协商议事室', level: 'village' },
];

const person = (_id: string, name: string, kind: MemberDoc['kind']): MemberDoc => ({
  _id,
  committeeId: 'cm-report',
  name,
  kind,
  sectorId: null,
  title: '',
  expertise: [],
  // Demo sign-in (no password) enters only accounts marked as demo ones.
  demo: true,
});
const people: MemberDoc[] = [
  person('st-1', '工作人员甲', 'staff'),
  person('of-2', '住建局长', 'official'),
  person('of-3', '交通局长', 'official'),
  person('of-l1', '市领导一', 'official'),
  person('of-l2', '镇领导二', 'official'),
  person('of-l3', '镇领导三', 'official'),
  person('of-l4', '市领导四', 'official'),
  person('mb-1', '委员甲', 'member'),
  person('mb-c', '召集人委员', 'member'),
  person('mb-lead', '兼任领导的委员', 'member'),
];

type Row = [
  id: string,
  at: string,
  room: string,
  mode: SessionDoc['mode'],
  state: SessionDoc['state'],
  second: string | null,
  suggestions: number,
  leaders: string[],
];
const sessionRows: Row[] = [
  ['S1', '2026-01-10T09:00:00', 'rc-1', 'hall', 'closed', 'of-2', 3, ['of-l1']],
  ['S2', '2026-01-20T09:00:00', 'rt-1', 'online', 'closed', null, 2, []],
  ['S3', '2026-02-05T14:00:00', 'rv-1', 'hybrid', 'closed', 'of-2', 4, ['of-l1', 'of-l2']],
  ['S4', '2026-02-28T19:00:00', 'rt-2', 'online', 'closed', 'of-3', 1, ['of-l2']],
  ['S5', '2026-03-15T10:00:00', 'rv-2', 'hall', 'closed', null, 0, ['mb-lead']],
  ['S6', '2026-04-01T07:00:00', 'rt-1', 'hybrid', 'closed', 'of-2', 2, ['of-l1']],
  ['S7', '2026-05-12T15:00:00', 'rc-2', 'online', 'live', null, 1, []],
  ['S8', '2026-06-01T09:00:00', 'rv-1', 'hall', 'scheduled', 'of-2', 0, []],
  ['S9', '2025-12-31T23:30:00', 'rc-1', 'hall', 'closed', 'of-2', 2, ['of-l1']],
  ['S10', '2026-07-08T09:00:00', 'rt-2', 'online', 'closed', 'of-3', 5, ['of-l2', 'of-l3']],
  ['S11', '2027-01-01T00:00:00', 'rv-2', 'online', 'closed', null, 1, ['of-l1']],
];

const sessionDoc = ([id, at, roomId, mode, state, second, , leaders]: Row): SessionDoc => ({
  _id: id,
  topic: `议题 ${id}`,
  roomId,
  scheduledAt: local(at),
  mode,
  state,
  firstConvenerId: 'mb-c',
  secondConvenerId: second,
  roles: [
    ...leaders.map((memberId) => ({ memberId, role: 'leader' as const })),
    ...(id === 'S1' ? [{ memberId: 'mb-1', role: 'recorder' as const }] : []),
  ],
  agenda: [],
  currentItemId: null,
  currentItemStartedAt: null,
  locked: false,
  speakerLimitSeconds: 180,
  speakers: { queue: [], speaker: null },
  muted: [],
  removed: [],
  hallCode: '123456',
  startedAt: state === 'scheduled' ? null : local(at),
  closedAt: state === 'closed' ? local(at) : null,
});

const attend = (sessionId: string, memberId: string, role: AttendanceDoc['role'], at: Date): AttendanceDoc => ({
  _id: `${sessionId}:${memberId}`,
  sessionId,
  memberId,
  role,
  online: true,
  inHall: false,
  firstSeenAt: at,
  checkedInAt: null,
  checkedInBy: null,
});

/** The statuses an item went through, in order, to reach `status`, one day apart from `start`. */
const path: Record<TrackingItemDoc['status'], TrackingItemDoc['status'][]> = {
  assigned: ['assigned'],
  inProgress: ['assigned', 'inProgress'],
  reportedDone: ['assigned', 'inProgress', 'reportedDone'],
  returned: ['assigned', 'inProgress', 'reportedDone', 'returned'],
  verified: ['assigned', 'inProgress', 'reportedDone', 'verified'],
  closed: ['assigned', 'inProgress', 'reportedDone', 'verified', 'closed'],
};
const actionFor: Record<TrackingItemDoc['status'], TrackingItemDoc['history'][number]['action']> = {
  assigned: 'create',
  inProgress: 'start',
  reportedDone: 'report',
  returned: 'return',
  verified: 'verify',
  closed: 'close',
};

function trackingDoc(
  id: string,
  sessionId: string,
  status: TrackingItemDoc['status'],
  verifiedAt: string | null,
  closedAt: string | null = null,
): TrackingItemDoc {
  const session = sessionRows.find((r) => r[0] === sessionId);
  if (!session) throw new Error(sessionId);
  const start = local(session[1]).getTime();
  const history = path[status].map((s, i) => {
    let at = new Date(start + (i + 1) * 3_600_000);
    if (s === 'verified' && verifiedAt) at = local(verifiedAt);
    if (s === 'closed' && closedAt) at = local(closedAt);
    return { at, by: 'st-1', byName: '工作人员甲', action: actionFor[s], status: s, note: null };
  });
  const last = history.at(-1)?.at ?? new Date(start);
  return {
    _id: id,
    outcomeId: `oc-${id}`,
    sessionId,
    topic: `议题 ${sessionId}`,
    text: `成果 ${id}`,
    department: '市住建局',
    deadline: null,
    status,
    history,
    createdAt: new Date(start),
    updatedAt: last,
  };
}

const trackingItems: TrackingItemDoc[] = [
  trackingDoc('T1', 'S1', 'closed', '2026-02-10T10:00:00', '2026-02-20T10:00:00'),
  trackingDoc('T2', 'S1', 'verified', '2026-03-05T10:00:00'),
  trackingDoc('T3', 'S2', 'reportedDone', null),
  trackingDoc('T4', 'S3', 'closed', '2026-04-01T01:00:00', '2026-04-10T10:00:00'),
  trackingDoc('T5', 'S4', 'inProgress', null),
  trackingDoc('T6', 'S9', 'verified', '2026-01-15T10:00:00'),
  trackingDoc('T7', 'S10', 'closed', '2026-08-03T10:00:00', '2026-09-01T10:00:00'),
  trackingDoc('T8', 'S6', 'returned', null),
  trackingDoc('T9', 'S10', 'verified', '2027-01-02T10:00:00'),
  trackingDoc('T10', 'S3', 'verified', '2026-02-27T10:00:00'),
  trackingDoc('T11', 'S2', 'verified', '2026-03-31T20:00:00'),
];

/** Topics as the topics collection stores them; the dashboard reads source, state, session and history. */
function topicDoc(
  id: string,
  source: TopicDoc['source'],
  state: TopicDoc['state'],
  sessionId: string | null,
  closedAt: string | null,
): TopicDoc {
  const proposedAt = local('2025-11-01T09:00:00');
  const states: TopicDoc['state'][] = ['proposed', 'accepted', 'scheduled', 'deliberated', 'inProgress'];
  if (state === 'closed') states.push('closed');
  const actions: TopicDoc['history'][number]['action'][] = [
    'propose',
    'accept',
    'schedule',
    'hold',
    'startTracking',
    'close',
  ];
  const history = states.map((s, i) => ({
    at: s === 'closed' && closedAt ? local(closedAt) : new Date(proposedAt.getTime() + i * 86_400_000),
    by: 'st-1',
    byName: '工作人员甲',
    action: actions[i] ?? 'propose',
    state: s,
    note: null,
  }));
  return {
    _id: id,
    title: `议题 ${id}`,
    description: '',
    source,
    sourceRef: source === 'hotline' ? `ticket-${id}` : null,
    proposedBy: 'st-1',
    proposedAt,
    state,
    department: '市住建局',
    firstConvenerId: 'mb-c',
    secondConvenerId: 'of-2',
    acceptances: [],
    declineReason: null,
    sessionId,
    history,
    updatedAt: history.at(-1)?.at ?? proposedAt,
  };
}

const topics = [
  topicDoc('H1', 'hotline', 'closed', 'S2', '2026-03-10T10:00:00'),
  topicDoc('H2', 'hotline', 'closed', 'S3', '2026-06-30T23:00:00'),
  topicDoc('H3', 'hotline', 'closed', null, '2026-05-05T10:00:00'),
  topicDoc('H4', 'hotline', 'inProgress', 'S4', null),
  topicDoc('H5', 'citizen', 'closed', 'S5', '2026-03-20T10:00:00'),
  topicDoc('H6', 'hotline', 'closed', 'S1', '2027-02-01T10:00:00'),
  topicDoc('H7', 'hotline', 'closed', 'S10', '2026-07-31T10:00:00'),
];

/**
 * Figures in `figureKeys` order: sessions hall online hybrid 2nd suggestions resolved leaderAtt
 * leaders city town hotline (city, town: sessions with a city / town-level leader).
 */
const f = (...n: number[]): Partial<DashboardFigures> => {
  if (n.length !== counted.length) throw new Error('one number per figure');
  return Object.fromEntries(counted.map((k, i) => [k, n[i]]));
};
/**
 * The figures this data set counts by hand (themes, paper sessions, distinct leaders by level and
 * problems solved are counted in reports-annual.test.ts on a data set of their own).
 */
const counted = [
  'sessions',
  'hall',
  'online',
  'hybrid',
  'withSecondConvener',
  'suggestions',
  'outcomesResolved',
  'leaderAttendances',
  'leadersDistinct',
  'cityLeaderSessions',
  'townLeaderSessions',
  'hotlineClosed',
] as const satisfies readonly (typeof figureKeys)[number][];
const old = (d: DashboardFigures): Partial<DashboardFigures> => Object.fromEntries(counted.map((k) => [k, d[k]]));
const oldMonth = (m: DashboardFigures & { month: string }) => ({ month: m.month, ...old(m) });
const zero = f(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

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

async function get(path: string, as: string | null = 'st-1') {
  return fetch(`${server.url}/api${path}`, { headers: as ? { cookie: await cookieOf(as) } : {} });
}

async function dashboard(query: string): Promise<DashboardResponse> {
  const res = await get(`/reports/dashboard?${query}`);
  expect(res.status).toBe(200);
  return DashboardResponse.parse(await res.json());
}

const qs = (p: { from: string; to: string }, extra = '') => `from=${p.from}&to=${p.to}${extra}`;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), seed: false });
  const m = server.app.models;
  await m.Room.insertMany(rooms);
  await m.Member.insertMany(people);
  await m.Leader.insertMany([
    { _id: 'ldr-1', name: '市领导一', post: '副市长', level: 'city', memberId: 'of-l1' },
    { _id: 'ldr-2', name: '镇领导二', post: '镇党委书记', level: 'town', memberId: 'of-l2' },
    { _id: 'ldr-4', name: '市领导四', post: '市政府秘书长', level: 'city', memberId: 'of-l4' },
    // A leader without an account attends nobody's session: counts nowhere.
    { _id: 'ldr-5', name: '街道主任', post: '街道办事处主任', level: 'town', memberId: null },
  ]);
  await m.Session.insertMany(sessionRows.map(sessionDoc));
  const suggestions: SuggestionDoc[] = sessionRows.flatMap(([sessionId, at, , , , , n]) =>
    Array.from({ length: n }, (_, i) => ({
      _id: `${sessionId}-sg${i}`,
      sessionId,
      itemId: null,
      authorId: 'mb-1',
      authorName: '委员甲',
      text: `建议 ${i}`,
      mark: 'none' as const,
      createdAt: local(at),
    })),
  );
  await m.Suggestion.insertMany(suggestions);
  await m.Attendance.insertMany([
    ...sessionRows.flatMap(([sessionId, at, , , , , , leaders]) =>
      leaders.map((memberId) => attend(sessionId, memberId, 'leader', local(at))),
    ),
    attend('S1', 'mb-1', 'member', local('2026-01-10T09:00:00')),
    attend('S3', 'mb-c', 'firstConvener', local('2026-02-05T14:00:00')),
    attend('S10', 'mb-c', 'firstConvener', local('2026-07-08T09:00:00')),
    attend('S7', 'of-l4', 'member', local('2026-05-12T15:00:00')),
  ]);
  await rawCollection(m.TrackingItem).insertMany(trackingItems);
  await rawCollection(m.Topic).insertMany(topics);
});

afterAll(async () => {
  await server?.close();
});

describe('dashboard figures against the hand count', () => {
  it('the year 2026, all levels', async () => {
    const d = await dashboard(qs(yearPeriod(2026)));
    // Held in 2026 (S8 not held, S9 in 2025, S11 in 2027 by committee time):
    //   sessions   S1 S2 S3 S4 S5 S6 S7 S10                       = 8
    //   hall       S1 S5                                          = 2
    //   online     S2 S4 S7 S10                                   = 4
    //   hybrid     S3 S6                                          = 2
    //   2nd conv.  S1 S3 S4 S6 S10                                = 5
    //   suggest.   3+2+4+1+0+2+1+5                                = 18
    //   resolved   T1 T2 T4 T6 T7 T10 T11                         = 7  (T9 in 2027; T3 T5 T8 open)
    //   leaderAtt  S1:L1 S3:L1,L2 S4:L2 S5:mb-lead S6:L1 S7:L4 S10:L2,L3 = 9
    //   leaders    L1 L2 L3 L4 mb-lead                            = 5
    //   city       S1 S3 S6 S7 (L1, L4)                           = 4
    //   town       S3 S4 S10 (L2; L3 and mb-lead have no record)  = 3
    //   hotline    H1 H2 H3 H7                                    = 4  (H4 open, H5 citizen, H6 2027)
    expect(old(d.totals)).toEqual(f(8, 2, 4, 2, 5, 18, 7, 9, 5, 4, 3, 4));
    expect(d.room).toBeNull();
    // month      sessions hall online hybrid 2nd sugg resolved leaderAtt leaders city town hotline
    // 2026-01    S1 S2: 2  1    1      0     1   5    T6:1     L1:1      1       S1   0    0
    // 2026-02    S3 S4: 2  0    1      1     2   5    T1 T10:2 3         2       S3   S3 S4 0
    // 2026-03    S5: 1     1    0      0     0   0    T2 T11:2 1         1       0    0    H1:1
    // 2026-04    S6: 1     0    0      1     1   2    T4:1     1         1       S6   0    0
    // 2026-05    S7: 1     0    1      0     0   1    0        L4:1      1       S7   0    H3:1
    // 2026-06    0                                    0                                   H2:1
    // 2026-07    S10: 1    0    1      0     1   5    0        2         2       0    S10  H7:1
    // 2026-08    0                                    T7:1
    // 2026-09…12 0
    expect(d.months.map(oldMonth)).toEqual([
      { month: '2026-01', ...f(2, 1, 1, 0, 1, 5, 1, 1, 1, 1, 0, 0) },
      { month: '2026-02', ...f(2, 0, 1, 1, 2, 5, 2, 3, 2, 1, 2, 0) },
      { month: '2026-03', ...f(1, 1, 0, 0, 0, 0, 2, 1, 1, 0, 0, 1) },
      { month: '2026-04', ...f(1, 0, 0, 1, 1, 2, 1, 1, 1, 1, 0, 0) },
      { month: '2026-05', ...f(1, 0, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1) },
      { month: '2026-06', ...f(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) },
      { month: '2026-07', ...f(1, 0, 1, 0, 1, 5, 0, 2, 2, 0, 1, 1) },
      { month: '2026-08', ...f(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0) },
      { month: '2026-09', ...zero },
      { month: '2026-10', ...zero },
      { month: '2026-11', ...zero },
      { month: '2026-12', ...zero },
    ]);
  });

  it('the first quarter of 2026, town level', async () => {
    const d = await dashboard(qs(quarterPeriod(2026, 1), '&level=town'));
    // Town rooms rt-1, rt-2. S6 (rt-1) is 03-31 in UTC but 04-01 in committee time: left out.
    //   sessions   S2 S4          = 2   (both online)
    //   2nd conv.  S4             = 1
    //   suggest.   2+1            = 3
    //   resolved   T11 (S2, 03-31 20:00) = 1   (T3 S2 and T5 S4 still open)
    //   leaderAtt  S4:L2          = 1, leaders 1, town 1 (S4), city 0
    //   hotline    H1 (S2)        = 1
    expect(old(d.totals)).toEqual(f(2, 0, 2, 0, 1, 3, 1, 1, 1, 0, 1, 1));
    expect(d.months.map(oldMonth)).toEqual([
      { month: '2026-01', ...f(1, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0) },
      { month: '2026-02', ...f(1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0) },
      { month: '2026-03', ...f(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1) },
    ]);
  });

  it('April 2026, all levels: the items just past a UTC month end', async () => {
    const d = await dashboard(qs(monthPeriod(2026, 4)));
    //   sessions   S6 (04-01 07:00, hybrid, 2nd, 2 suggestions, L1: city) = 1
    //   resolved   T4 (verified 04-01 01:00)                              = 1
    //   hotline    none in April                                          = 0
    expect(old(d.totals)).toEqual(f(1, 0, 0, 1, 1, 2, 1, 1, 1, 1, 0, 0));
    expect(d.months.map(oldMonth)).toEqual([{ month: '2026-04', ...f(1, 0, 0, 1, 1, 2, 1, 1, 1, 1, 0, 0) }]);
  });

  it('the year 2026 in one village room', async () => {
    const d = await dashboard(qs(yearPeriod(2026), '&roomId=rv-1'));
    // rv-1 holds S3 (held) and S8 (scheduled only).
    //   sessions   S3 (hybrid, 2nd, 4 suggestions, L1 L2: one city, one town) = 1
    //   resolved   T10 (02-27), T4 (04-01)                = 2
    //   hotline    H2 (S3, 06-30 23:00)                   = 1
    expect(d.room).toEqual({ id: 'rv-1', name: '上湖村协商议事室', level: 'village' });
    expect(old(d.totals)).toEqual(f(1, 0, 0, 1, 1, 4, 2, 2, 2, 1, 1, 1));
    expect(d.months.filter((m) => counted.some((k) => m[k] !== 0)).map(oldMonth)).toEqual([
      { month: '2026-02', ...f(1, 0, 0, 1, 1, 4, 1, 2, 2, 1, 1, 0) },
      { month: '2026-04', ...f(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0) },
      { month: '2026-06', ...f(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) },
    ]);
    expect(d.months).toHaveLength(12);
  });

  it('the CSV carries the same numbers, UTF-8 with a byte-order mark', async () => {
    const year = yearPeriod(2026);
    const json = await dashboard(qs(year, '&level=town'));
    for (const path of [
      `/reports/dashboard.csv?${qs(year, '&level=town')}`,
      `/reports/dashboard?${qs(year, '&level=town&format=csv')}`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers.get('content-disposition')).toMatch(
        /^attachment; filename="yitang-dashboard-2026-01-01_2026-12-31-town\.csv"/,
      );
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).split('\r\n');
      expect(lines[0]).toBe('统计期间,2026-01-01,2026-12-31');
      expect(lines[1]).toBe('层级,镇（区）级');
      // After the period, level and room rows come the committee's three member counts.
      const header = lines[7]?.split(',');
      expect(header).toEqual(['月份', ...figureKeys.map((k) => csvLabels['zh-CN'][k])]);
      const rows = new Map(
        lines
          .slice(8, 21)
          .filter(Boolean)
          .map((l) => [l.split(',')[0], l.split(',').slice(1).map(Number)]),
      );
      for (const m of json.months) expect(rows.get(m.month)).toEqual(figureKeys.map((k) => m[k]));
      expect(rows.get('合计')).toEqual(figureKeys.map((k) => json.totals[k]));
      expect(rows.size).toBe(13);
    }
    // Town, 2026: S2 S4 S6 S10; T11 and T7; H1 and H7; city S6 (L1), town S4 S10 (hand count as above).
    expect(old(json.totals)).toEqual(f(4, 0, 3, 1, 3, 10, 2, 4, 3, 1, 2, 2));
  });

  it('the CSV speaks English when asked', async () => {
    const res = await get(`/reports/dashboard.csv?${qs(monthPeriod(2026, 4), '&lang=en')}`);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    expect(lines[1]).toBe('Level,All levels');
    expect(lines[7]).toBe(['Month', ...figureKeys.map((k) => csvLabels.en[k])].join(','));
    // April 2026 as hand-counted above (sessions … hotline), each figure in its column.
    // Of the other figures only one is not 0: L1, a city-level leader, took part (S6).
    const april = { ...emptyFigures(), ...f(1, 0, 0, 1, 1, 2, 1, 1, 1, 1, 0, 0), cityLeaders: 1 };
    const row = (label: string) => [label, ...figureKeys.map((k) => april[k] ?? 0)].join(',');
    expect(lines[8]).toBe(row('2026-04'));
    expect(lines[9]).toBe(row('Total'));
  });
});

describe('who may read dashboards', () => {
  it('staff, officials, conveners and leaders may; other members may not; nobody signed out may', async () => {
    const q = `/reports/dashboard?${qs(monthPeriod(2026, 1))}`;
    for (const who of ['st-1', 'of-2', 'mb-c', 'mb-lead']) expect((await get(q, who)).status, who).toBe(200);
    const refused = await get(q, 'mb-1');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect((await get(`/reports/dashboard.csv?${qs(monthPeriod(2026, 1))}`, 'mb-1')).status).toBe(403);
    expect((await get('/reports/rooms', 'mb-1')).status).toBe(403);
    expect((await get(q, null)).status).toBe(401);
  });

  it('lists the rooms to choose from', async () => {
    const res = await get('/reports/rooms');
    const body = ReportRoomsResponse.parse(await res.json());
    expect(body.rooms.map((r) => r.id).sort()).toEqual(rooms.map((r) => r._id).sort());
  });
});

describe('bad questions get clear answers', () => {
  it.each([
    ['from=2026-02-30&to=2026-03-01', 400, /from/],
    ['from=2026-03-01&to=2026-02-01', 400, /after/],
    ['from=2010-01-01&to=2026-12-31', 400, /at most/],
    ['to=2026-12-31', 400, /from/],
    ['from=2026-01-01&to=2026-12-31&level=province', 400, /level/],
    ['from=2026-01-01&to=2026-12-31&roomId=rv-1&level=town', 400, /village/],
    ['from=2026-01-01&to=2026-12-31&roomId=nowhere', 404, /room/],
    ['from=2026-01-01&to=2026-12-31&format=xlsx', 400, /format/],
  ])('%s → %i', async (query, status, message) => {
    const res = await get(`/reports/dashboard?${query}`);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
    expect(body.error.message).toMatch(message);
  });
});
