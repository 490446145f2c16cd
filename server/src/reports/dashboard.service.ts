import {
  type DashboardFigures,
  type DashboardMonth,
  type DashboardResponse,
  type DashboardRoom,
  emptyFigures,
  type MemberView,
  mayViewDashboards,
  monthOf,
  monthsOf,
  type Period,
  periodBounds,
  type ReportLevel,
} from '@yitang/shared';
import type { Models } from '../db/models';
import { AppError } from '../errors';
import { orgReads } from '../org/org.reads';
import { roomReads } from '../rooms/room.reads';
import { sessionReads } from '../sessions';
import { suggestionReads } from '../suggestions/suggestion.reads';
import { topicReads } from '../topics/topic.reads';
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

/**
 * Dashboards (数据看板): the annual report's figures for any period and room level.
 *
 * What counts, and when:
 * - a session counts in the month of its date (`scheduledAt`), once it has been held (live or
 *   closed); its suggestions and its leaders' attendances count with it, and it counts once more
 *   for each level (city, town/street) of the leaders who attended it;
 * - an outcome counts as resolved in the month its tracking item was verified (an item, once
 *   verified, can only be closed, so that date is final);
 * - a hotline case counts in the month its topic was closed;
 * - the level (or one room) is that of the session's room; a hotline topic closed without a
 *   session only counts when all levels are asked for.
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

  async function rooms(): Promise<DashboardRoom[]> {
    const docs = await roomData.rooms();
    return docs.map((r) => ({ id: r._id, name: r.name, level: r.level }));
  }

  /** The rooms a query covers, or null for every room (also rooms since removed). */
  async function scopeOf(level: ReportLevel, roomId: string | undefined) {
    if (roomId) {
      const room = await roomData.room(roomId);
      if (!room) throw new AppError('NOT_FOUND', 'No such room.');
      if (level !== 'all' && level !== room.level) {
        throw new AppError('BAD_REQUEST', `The room is at ${room.level} level, not ${level}.`);
      }
      const view: DashboardRoom = { id: room._id, name: room.name, level: room.level };
      return { room: view, roomIds: new Set([room._id]) };
    }
    if (level === 'all') return { room: null, roomIds: null };
    const ids = await roomData.roomIdsAt(level);
    return { room: null, roomIds: new Set(ids) };
  }

  async function dashboard(q: Period & { level: ReportLevel; roomId?: string }): Promise<DashboardResponse> {
    const { room, roomIds } = await scopeOf(q.level, q.roomId);
    const { start, end } = periodBounds(q);
    const inPeriod = (at: Date) => at >= start && at < end;
    const inScope = (rid: string | undefined) => roomIds === null || (rid !== undefined && roomIds.has(rid));

    const months = new Map<string, DashboardFigures>(monthsOf(q).map((m) => [m, emptyFigures()]));
    const totals = emptyFigures();
    const add = (month: string, key: keyof DashboardFigures, n = 1) => {
      totals[key] += n;
      const m = months.get(month);
      if (m) m[key] += n;
    };

    // Sessions held in the period, in scope.
    const held = await sessions.held({ start, end, roomIds });
    const monthOfSession = new Map<string, string>();
    for (const s of held) {
      const month = monthOf(new Date(s.scheduledAt));
      monthOfSession.set(s._id, month);
      add(month, 'sessions');
      add(month, s.mode);
      if (typeof s.secondConvenerId === 'string' && s.secondConvenerId !== '') add(month, 'withSecondConvener');
    }
    const heldIds = [...monthOfSession.keys()];

    // The other reads depend only on the held sessions: run them side by side.
    const [perSession, attendees, resolvedRows, topicRows] = await Promise.all([
      suggestions.countsBySession(heldIds),
      roomData.attendeesAt(heldIds),
      // Outcomes resolved: dated by verification (the history prefilter is only a narrowing).
      tracking.resolvedCandidates({ start, end }),
      // Hotline cases handled: topics from 12345 tickets, dated by closure.
      topics.hotlineClosedCandidates({ start, end }),
    ]);

    for (const row of perSession) {
      const month = monthOfSession.get(row._id);
      if (month) add(month, 'suggestions', row.n);
    }

    // Who is a leader: someone with a leader record (领导, kept in the org console) whose account
    // attended, in any role; the session role `leader` remains the fallback for people without a
    // record (a leader who has not been entered yet). The city and town/street figures count only
    // leader records, which alone carry a level.
    const levels = await org.leaderLevels([...new Set(attendees.map((a) => a._id.memberId))]);
    const leaderPairs = new Map<string, { sessionId: string; memberId: string }>();
    for (const { _id: a } of attendees) {
      if (a.role === 'leader' || levels.has(a.memberId)) {
        leaderPairs.set(`${a.sessionId}\u0000${a.memberId}`, { sessionId: a.sessionId, memberId: a.memberId });
      }
    }
    const withLevel = { city: new Set<string>(), town: new Set<string>() };
    const everyone = new Set<string>();
    const perMonth = new Map<string, Set<string>>();
    for (const pair of leaderPairs.values()) {
      const month = monthOfSession.get(pair.sessionId);
      if (!month) continue;
      const level = levels.get(pair.memberId);
      if (level && !withLevel[level].has(pair.sessionId)) {
        withLevel[level].add(pair.sessionId);
        add(month, level === 'city' ? 'cityLeaderSessions' : 'townLeaderSessions');
      }
      add(month, 'leaderAttendances');
      everyone.add(pair.memberId);
      const people = perMonth.get(month) ?? new Set<string>();
      people.add(pair.memberId);
      perMonth.set(month, people);
    }
    totals.leadersDistinct = everyone.size;
    for (const [month, people] of perMonth) {
      const m = months.get(month);
      if (m) m.leadersDistinct = people.size;
    }

    const resolvedIn = resolvedRows
      .map((r) => ({ sessionId: r.sessionId, at: reachedAt(r.history, 'status', ['verified', 'closed']) }))
      .filter((r): r is { sessionId: string; at: Date } => r.at !== null && inPeriod(r.at));
    const closedIn = topicRows
      .map((t) => ({ sessionId: t.sessionId ?? null, at: reachedAt(t.history, 'state', ['closed']) }))
      .filter((t): t is { sessionId: string | null; at: Date } => t.at !== null && inPeriod(t.at));

    // Both are scoped by their session's room; one read finds the rooms of all those sessions.
    const roomOf = roomIds
      ? await sessions.roomsOf([
          ...new Set([...resolvedIn.map((r) => r.sessionId), ...closedIn.flatMap((t) => t.sessionId ?? [])]),
        ])
      : null;
    for (const r of resolvedIn) {
      if (roomOf && !inScope(roomOf.get(r.sessionId))) continue;
      add(monthOf(r.at), 'outcomesResolved');
    }
    for (const t of closedIn) {
      if (roomOf && !(t.sessionId && inScope(roomOf.get(t.sessionId)))) continue;
      add(monthOf(t.at), 'hotlineClosed');
    }

    const monthList: DashboardMonth[] = [...months].map(([month, figures]) => ({ month, ...figures }));
    return { from: q.from, to: q.to, level: q.level, room, totals, months: monthList };
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
