import {
  type DashboardFigures,
  type DashboardMonth,
  type DashboardResponse,
  type DashboardRoom,
  emptyFigures,
  type FigureKey,
  type MemberView,
  mayViewDashboards,
  monthOf,
  monthsOf,
  type Period,
  periodBounds,
  type ReportLevel,
  RoomLevel,
} from '@yitang/shared';
import type { Models } from '../db/models';
import { AppError } from '../errors';
import { createMemberService } from '../members/member.service';
import { orgReads } from '../org/org.reads';
import { roomReads } from '../rooms/room.reads';
import { scoringReads } from '../scoring/scoring.reads';
import { type HeldSession, sessionReads } from '../sessions';
import { suggestionReads } from '../suggestions/suggestion.reads';
import { hotlineSources, topicReads } from '../topics/topic.reads';
import { trackingReads } from '../tracking/tracking.reads';

/** The earliest event that reached one of `states` (the status field is `key`). */
function reachedAt<K extends string>(
  history: Array<Partial<Record<K, string>> & { at?: Date }> | undefined,
  key: K,
  states: readonly string[],
): Date | null {
  let first: Date | null = null;
  for (const e of history ?? []) {
    const s = e[key];
    if (typeof s !== 'string' || !states.includes(s) || !e.at) continue;
    const at = new Date(e.at);
    if (!first || at < first) first = at;
  }
  return first;
}

/** One session held in the period, with what the figures need of it. */
interface SessionFact {
  id: string;
  month: string;
  level: RoomLevel | null;
  themeId: string | null;
  mode: HeldSession['mode'];
  paper: boolean;
  second: boolean;
  suggestions: number;
  /** Leaders who attended (someone with a leader record, in any role, or in the leader role), with their level. */
  leaders: Array<{ memberId: string; level: 'city' | 'town' | null }>;
}

/**
 * A problem solved (a closed topic, or a session without a topic whose items are all closed), or
 * (`resolved`) one tracking item verified. Placed by the room of its (last) session.
 */
interface ProblemFact {
  kind: 'problem' | 'resolved';
  month: string;
  roomId: string | null;
  level: RoomLevel | null;
  themeId: string | null;
  withLeader: boolean;
  /** From a 12345 ticket or a governance-centre case. */
  hotline: boolean;
}

/** Sums facts into figures, per month too when `months` is given. */
function tally(sessions: SessionFact[], problems: ProblemFact[], months?: Map<string, DashboardFigures>) {
  const totals = emptyFigures();
  const add = (month: string, key: FigureKey, n = 1) => {
    totals[key] += n;
    const m = months?.get(month);
    if (m) m[key] += n;
  };
  const distinct = {
    leadersDistinct: new Set<string>(),
    cityLeaders: new Set<string>(),
    townLeaders: new Set<string>(),
  };
  const perMonth = new Map<string, typeof distinct>();
  for (const s of sessions) {
    add(s.month, 'sessions');
    add(s.month, s.mode);
    if (s.paper) add(s.month, 'paper');
    if (s.themeId) add(s.month, 'themed');
    if (s.second) add(s.month, 'withSecondConvener');
    add(s.month, 'suggestions', s.suggestions);
    add(s.month, 'leaderAttendances', s.leaders.length);
    if (s.leaders.some((l) => l.level === 'city')) add(s.month, 'cityLeaderSessions');
    if (s.leaders.some((l) => l.level === 'town')) add(s.month, 'townLeaderSessions');
    const mine = perMonth.get(s.month) ?? {
      leadersDistinct: new Set<string>(),
      cityLeaders: new Set<string>(),
      townLeaders: new Set<string>(),
    };
    perMonth.set(s.month, mine);
    for (const l of s.leaders) {
      for (const bag of [distinct, mine]) {
        bag.leadersDistinct.add(l.memberId);
        if (l.level === 'city') bag.cityLeaders.add(l.memberId);
        if (l.level === 'town') bag.townLeaders.add(l.memberId);
      }
    }
  }
  for (const p of problems) {
    if (p.kind === 'resolved') {
      add(p.month, 'outcomesResolved');
      continue;
    }
    add(p.month, 'problemsSolved');
    if (p.withLeader) add(p.month, 'leaderProblemsSolved');
    if (p.hotline) add(p.month, 'hotlineClosed');
  }
  // Different people are counted over the whole span asked for, not summed over months.
  for (const key of ['leadersDistinct', 'cityLeaders', 'townLeaders'] as const) {
    totals[key] = distinct[key].size;
    for (const [month, bag] of perMonth) {
      const m = months?.get(month);
      if (m) m[key] = bag[key].size;
    }
  }
  return totals;
}

/**
 * Dashboards (数据看板): the annual report's figures for any period, room level, room and theme.
 *
 * What counts, and when:
 * - a session counts in the month of its date (`scheduledAt`), once it has been held (live or
 *   closed, paper sessions included: they are stored closed); its suggestions and its leaders'
 *   attendances count with it, and it counts once more for each level (city, town/street) of
 *   the leaders who attended it; its theme is its topic's, or its own when it has no topic;
 * - a problem is solved once per topic, in the month the topic closed (a topic closes when the
 *   last tracking item of its rounds is closed), or, for a session without a topic, in the month
 *   the last of its items was closed; topics from the 12345 hotline or the governance centre
 *   count as hotline cases too;
 * - the level (or one room) is that of the session's room (a problem's: its last round's); a
 *   topic closed without any session only counts when all levels are asked for;
 * - members without a proposal or a social-conditions report: committee members with no verified
 *   record of that kind in the duty ledger dated in the period (the ledger holds the workflows'
 *   records and those entered for earlier years alike).
 *
 * Reads are aggregations of `$match`/`$group`/`$project` only (FerretDB 1.24 has no `$lookup`,
 * no date operators, and only `$sum`/`$count` accumulators; its `$unwind` drops the other fields),
 * so month buckets and joins across collections are made here, from a few small projections.
 */
export function createDashboardService(deps: { models: Models }) {
  // Each collection is its module's: read through that module's functions, in the same shapes
  // (the aggregations run in the owner's function, as they did here).
  const sessions = sessionReads(deps.models);
  const roomData = roomReads(deps.models);
  const suggestions = suggestionReads(deps.models);
  const tracking = trackingReads(deps.models);
  const topics = topicReads(deps.models);
  const org = orgReads(deps.models);
  const duty = scoringReads(deps.models);
  const members = createMemberService(deps.models);

  async function rooms(): Promise<DashboardRoom[]> {
    const docs = await roomData.rooms();
    return docs.map((r) => ({ id: r._id, name: r.name, level: r.level }));
  }

  /** The room a query names, checked against its level. */
  async function roomOfQuery(level: ReportLevel, roomId: string | undefined): Promise<DashboardRoom | null> {
    if (!roomId) return null;
    const room = await roomData.room(roomId);
    if (!room) throw new AppError('NOT_FOUND', 'No such room.');
    if (level !== 'all' && level !== room.level) {
      throw new AppError('BAD_REQUEST', `The room is at ${room.level} level, not ${level}.`);
    }
    return { id: room._id, name: room.name, level: room.level };
  }

  /** Who of these attendances is a leader, with their level (see `SessionFact.leaders`). */
  async function leadersBySession(sessionIds: string[]) {
    const attendees = await roomData.attendeesAt(sessionIds);
    const levels = await org.leaderLevels([...new Set(attendees.map((a) => a._id.memberId))]);
    const out = new Map<string, Map<string, 'city' | 'town' | null>>();
    for (const { _id: a } of attendees) {
      if (a.role !== 'leader' && !levels.has(a.memberId)) continue;
      const people = out.get(a.sessionId) ?? new Map<string, 'city' | 'town' | null>();
      people.set(a.memberId, levels.get(a.memberId) ?? null);
      out.set(a.sessionId, people);
    }
    return out;
  }

  async function dashboard(
    q: Period & { level: ReportLevel; roomId?: string; themeId?: string },
  ): Promise<DashboardResponse> {
    const room = await roomOfQuery(q.level, q.roomId);
    const { start, end } = periodBounds(q);
    const inPeriod = (at: Date) => at >= start && at < end;
    const [allRooms, themeRows] = await Promise.all([roomData.rooms(), topics.themes()]);
    const levelOf = new Map(allRooms.map((r) => [r._id, r.level]));
    const themeNames = new Map(themeRows.map((t) => [t._id, t.name]));
    if (q.themeId && !themeNames.has(q.themeId)) throw new AppError('NOT_FOUND', 'No such theme.');
    const inScope = (roomId: string | undefined) =>
      roomId !== undefined && (room ? roomId === room.id : q.level === 'all' || levelOf.get(roomId) === q.level);

    // Sessions held in the period (every room; the scope is applied to the facts below).
    const held = await sessions.held({ start, end, roomIds: null });
    const heldIds = held.map((s) => s._id);
    const [perSession, leaders, topicThemes] = await Promise.all([
      suggestions.countsBySession(heldIds),
      leadersBySession(heldIds),
      topics.themesOf(held.flatMap((s) => s.topicId ?? [])),
    ]);
    const suggestionsOf = new Map(perSession.map((r) => [r._id, r.n]));
    const sessionFacts: Array<SessionFact & { roomId: string }> = held.map((s) => ({
      id: s._id,
      roomId: s.roomId,
      month: monthOf(new Date(s.scheduledAt)),
      level: levelOf.get(s.roomId) ?? null,
      themeId: (s.topicId ? topicThemes.get(s.topicId) : undefined) ?? s.themeId ?? null,
      mode: s.mode,
      paper: s.paper,
      second: typeof s.secondConvenerId === 'string' && s.secondConvenerId !== '',
      suggestions: suggestionsOf.get(s._id) ?? 0,
      leaders: [...(leaders.get(s._id) ?? new Map())].map(([memberId, level]) => ({ memberId, level })),
    }));

    const problemFacts = await problems({ start, end, inPeriod, levelOf });
    const scopedSessions = sessionFacts.filter((s) => inScope(s.roomId));
    const scopedProblems = problemFacts.filter((p) =>
      p.roomId === null ? q.level === 'all' && !room : inScope(p.roomId),
    );
    const ofTheme = <T extends { themeId: string | null }>(list: T[], themeId: string | null | undefined) =>
      themeId === undefined ? list : list.filter((x) => x.themeId === themeId);

    const months = new Map<string, DashboardFigures>(monthsOf(q).map((m) => [m, emptyFigures()]));
    const totals = tally(ofTheme(scopedSessions, q.themeId), ofTheme(scopedProblems, q.themeId), months);

    const themeIds = new Set<string>([
      ...themeRows.filter((t) => !t.retired).map((t) => t._id),
      ...scopedSessions.flatMap((s) => s.themeId ?? []),
      ...scopedProblems.flatMap((p) => p.themeId ?? []),
    ]);
    const byTheme = [...themeIds]
      .map((id) => ({ themeId: id as string | null, name: themeNames.get(id) ?? id }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
      .concat([{ themeId: null, name: '' }])
      .map((t) => ({ ...t, ...tally(ofTheme(scopedSessions, t.themeId), ofTheme(scopedProblems, t.themeId)) }));
    const byLevel = RoomLevel.options.map((level) => ({
      level,
      ...tally(
        ofTheme(scopedSessions, q.themeId).filter((s) => s.level === level),
        ofTheme(scopedProblems, q.themeId).filter((p) => p.level === level),
      ),
    }));

    const monthList: DashboardMonth[] = [...months].map(([month, figures]) => ({ month, ...figures }));
    const [people, withKinds] = await Promise.all([
      members.list(),
      duty.membersWith({ from: q.from, to: q.to, kinds: ['proposal', 'socialReport'] }),
    ]);
    const committee = people.filter((p) => p.kind === 'member').map((p) => p.id);
    const without = (kind: 'proposal' | 'socialReport') =>
      committee.filter((id) => !withKinds.get(kind)?.has(id)).length;
    return {
      from: q.from,
      to: q.to,
      level: q.level,
      room,
      theme: q.themeId ? { id: q.themeId, name: themeNames.get(q.themeId) ?? q.themeId } : null,
      totals,
      months: monthList,
      byTheme,
      byLevel,
      members: {
        committee: committee.length,
        withoutProposal: without('proposal'),
        withoutSocialReport: without('socialReport'),
      },
    };
  }

  /**
   * Problems solved in the period: closed topics (dated by their closure), and sessions without a
   * topic whose tracking items are all closed (dated by the last closure); and the tracking items
   * verified in the period (outcomes resolved). Each is placed by its session (a topic's: its last
   * round), takes that session's theme (its topic's), and knows whether a leader attended.
   */
  async function problems(p: {
    start: Date;
    end: Date;
    inPeriod: (at: Date) => boolean;
    levelOf: Map<string, RoomLevel>;
  }): Promise<ProblemFact[]> {
    const closedTopics = (await topics.closedCandidates({ start: p.start, end: p.end }))
      .map((t) => ({ ...t, at: reachedAt(t.history, 'state', ['closed']) }))
      .filter((t): t is typeof t & { at: Date } => t.at !== null && p.inPeriod(t.at));
    // Items verified or closed from the period's start on (an item closed before cannot make a
    // later last closure; one verified before is no outcome resolved in the period).
    const items = (await tracking.resolvedCandidates({ start: p.start, end: new Date(8.64e15) })).filter(
      (r) => typeof r.sessionId === 'string',
    );
    const verifiedIn = items
      .map((r) => ({ sessionId: r.sessionId, at: reachedAt(r.history, 'status', ['verified', 'closed']) }))
      .filter((r): r is { sessionId: string; at: Date } => r.at !== null && p.inPeriod(r.at));
    const lastClosure = new Map<string, Date>();
    for (const r of items) {
      const at = reachedAt(r.history, 'status', ['closed']);
      const seen = lastClosure.get(r.sessionId);
      if (at && (!seen || at > seen)) lastClosure.set(r.sessionId, at);
    }
    const itemSessions = [...lastClosure].filter(([, at]) => p.inPeriod(at)).map(([id]) => id);
    const places = await sessions.places({
      ids: [
        ...new Set([
          ...itemSessions,
          ...verifiedIn.map((r) => r.sessionId),
          ...closedTopics.flatMap((t) => t.sessionId ?? []),
        ]),
      ],
      topicIds: closedTopics.map((t) => t._id),
    });
    const byId = new Map(places.map((s) => [s._id, s]));
    // Sessions without a topic whose every item is closed.
    const loose = itemSessions.filter((id) => byId.has(id) && !byId.get(id)?.topicId);
    const statuses = loose.length > 0 ? await tracking.statusesOf(loose) : [];
    const open = new Set(statuses.filter((i) => i.status !== 'closed').map((i) => i.sessionId));
    const solvedLoose = loose.filter((id) => !open.has(id));

    const roundsOf = new Map<string, string[]>();
    for (const s of [...places].sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime())) {
      if (s.topicId) roundsOf.set(s.topicId, [...(roundsOf.get(s.topicId) ?? []), s._id]);
    }
    const led = await leadersBySession([
      ...new Set([...solvedLoose, ...[...roundsOf.values()].flat(), ...closedTopics.flatMap((t) => t.sessionId ?? [])]),
    ]);
    const topicThemes = await topics.themesOf([...new Set(places.flatMap((s) => s.topicId ?? []))]);
    const themeOfSession = (id: string) => {
      const s = byId.get(id);
      return (s?.topicId ? topicThemes.get(s.topicId) : undefined) ?? s?.themeId ?? null;
    };
    const fact = (
      kind: ProblemFact['kind'],
      sessionIds: string[],
      at: Date,
      themeId: string | null,
      hotline: boolean,
    ): ProblemFact => {
      const last = sessionIds.at(-1);
      const roomId = last ? (byId.get(last)?.roomId ?? null) : null;
      return {
        kind,
        month: monthOf(at),
        roomId,
        level: roomId ? (p.levelOf.get(roomId) ?? null) : null,
        themeId,
        withLeader: sessionIds.some((id) => (led.get(id)?.size ?? 0) > 0),
        hotline,
      };
    };
    const sources: readonly string[] = hotlineSources;
    return [
      ...closedTopics.map((t) =>
        fact(
          'problem',
          // Its rounds; or the session it names, for a topic whose sessions do not name it back.
          roundsOf.get(t._id) ?? (t.sessionId && byId.has(t.sessionId) ? [t.sessionId] : []),
          t.at,
          t.themeId ?? null,
          sources.includes(t.source),
        ),
      ),
      ...solvedLoose.map((id) => fact('problem', [id], lastClosure.get(id) as Date, themeOfSession(id), false)),
      ...verifiedIn.map((r) => fact('resolved', [r.sessionId], r.at, themeOfSession(r.sessionId), false)),
    ];
  }

  /** Staff and officials; members while they convene or lead a session (see `mayViewDashboards`). */
  async function mayView(member: MemberView): Promise<boolean> {
    if (member.kind !== 'member' || mayViewDashboards(member, false)) return mayViewDashboards(member, false);
    if (await sessions.convenesAny(member.id)) return true;
    return mayViewDashboards(member, await sessions.holdsRole(member.id, 'leader'));
  }

  return { rooms, dashboard, mayView };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
