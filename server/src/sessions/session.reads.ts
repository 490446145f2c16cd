import { type Models, rawCollection } from '../db/models';
import { type SessionDoc, sessionYear } from '../rooms/room.model';

/** The minutes archive reads sessions of years from this one back (see `archive`). */
export const ARCHIVE_FIRST_YEAR = 2000;
/** …and from this many years ahead (sessions are scheduled at most a few months ahead). */
export const ARCHIVE_YEARS_AHEAD = 5;
const ARCHIVE_YEARS_PER_PAGE = 1;
/** The dashboard's reads of where problems were placed, sent at once (see `places`). */
const PLACE_READS_AT_ONCE = 16;

/** A session as the minutes archive lists it. */
export type ArchiveSession = Pick<SessionDoc, '_id' | 'topic' | 'roomId' | 'scheduledAt' | 'state'>;

/** A session held (live or closed), as the dashboard counts it. */
export interface HeldSession {
  _id: string;
  mode: SessionDoc['mode'];
  scheduledAt: Date;
  secondConvenerId?: string | null;
  roomId: string;
  topicId: string | null;
  /** Its own theme (a paper session without a topic); otherwise its topic's. */
  themeId: string | null;
  /** Recorded afterwards from paper (sessions/paper.ts). */
  paper: boolean;
}

/** Where a session was held and what it was about, as the dashboard places a problem. */
export type SessionPlace = Pick<HeldSession, '_id' | 'roomId' | 'topicId' | 'themeId' | 'scheduledAt'>;

/**
 * The sessions module's reads for other modules (the duty ledger, the dashboard, the minutes
 * archive), so that none of them reads the sessions collection itself. Each keeps the shape its
 * caller had: the same filter, projection and sort, so the same index serves it.
 */
export function sessionReads(models: Pick<Models, 'Session'>) {
  const { Session } = models;
  const sessions = rawCollection(Session);
  return {
    /** The stored session, or null. */
    find: (id: string): Promise<SessionDoc | null> => Session.findById(id).lean(),

    /** Sessions held (live or closed) with `scheduledAt` in [start, end), in `roomIds` when given. */
    async held(range: { start: Date; end: Date; roomIds: ReadonlySet<string> | null }): Promise<HeldSession[]> {
      // The period's years by equality on `year` (served from its index on the embedded database,
      // where a range on `scheduledAt` reads every session of every year), then the exact period,
      // state and rooms here.
      const years: number[] = [];
      for (let y = sessionYear(range.start); y <= sessionYear(new Date(range.end.getTime() - 1)); y += 1) years.push(y);
      const found = await Promise.all(
        years.map((year) =>
          sessions
            .find(
              { year },
              {
                projection: {
                  mode: 1,
                  scheduledAt: 1,
                  secondConvenerId: 1,
                  state: 1,
                  roomId: 1,
                  topicId: 1,
                  themeId: 1,
                  origin: 1,
                },
              },
            )
            .toArray(),
        ),
      );
      return found
        .flat()
        .filter(
          (s) =>
            s.scheduledAt >= range.start &&
            s.scheduledAt < range.end &&
            (s.state === 'live' || s.state === 'closed') &&
            (range.roomIds === null || range.roomIds.has(s.roomId)),
        )
        .map((s) => ({
          _id: s._id,
          mode: s.mode,
          scheduledAt: s.scheduledAt,
          secondConvenerId: s.secondConvenerId,
          roomId: s.roomId,
          topicId: s.topicId ?? null,
          themeId: s.themeId ?? null,
          paper: s.origin === 'paper',
        }));
    },

    /**
     * Room, topic and own theme of these sessions (by id), or of every round of these topics. One
     * equality read per id and per topic, a few at a time: the embedded database serves equality
     * from its indexes but answers `$in` or `$or` by reading every session of every year.
     */
    async places(q: { ids?: readonly string[]; topicIds?: readonly string[] }): Promise<SessionPlace[]> {
      type Row = { _id: string; roomId: string; scheduledAt: Date; topicId?: string | null; themeId?: string | null };
      const projection = { roomId: 1, scheduledAt: 1, topicId: 1, themeId: 1 };
      const filters = [
        ...[...new Set(q.ids ?? [])].map((id) => ({ _id: id })),
        ...[...new Set(q.topicIds ?? [])].map((topicId) => ({ topicId })),
      ];
      const byId = new Map<string, Row>();
      for (let i = 0; i < filters.length; i += PLACE_READS_AT_ONCE) {
        const found = await Promise.all(
          filters
            .slice(i, i + PLACE_READS_AT_ONCE)
            .map((filter) => sessions.find<Row>(filter, { projection }).toArray()),
        );
        for (const r of found.flat()) byId.set(r._id, r);
      }
      return [...byId.values()].map((r) => ({
        _id: r._id,
        roomId: r.roomId,
        scheduledAt: r.scheduledAt,
        topicId: r.topicId ?? null,
        themeId: r.themeId ?? null,
      }));
    },

    /** Each of these sessions' room id. */
    async roomsOf(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await sessions
        .aggregate<{ _id: string; roomId: string }>([
          { $match: { _id: { $in: [...ids] } } },
          { $project: { roomId: 1 } },
        ])
        .toArray();
      return new Map(rows.map((r) => [r._id, r.roomId]));
    },

    /** Whether `memberId` convenes (first or second) any session. */
    async convenesAny(memberId: string): Promise<boolean> {
      const n = await sessions.countDocuments(
        { $or: [{ firstConvenerId: memberId }, { secondConvenerId: memberId }] },
        { limit: 1 },
      );
      return n > 0;
    },

    /** Whether `memberId` holds `role` (an assigned role: leader, recorder …) in any session. */
    async holdsRole(memberId: string, role: string): Promise<boolean> {
      // No $elemMatch (FerretDB 1.x): find the sessions naming them, then check the role here.
      const named = await sessions.find({ 'roles.memberId': memberId }, { projection: { roles: 1 } }).toArray();
      return named.some((s) => (s.roles ?? []).some((r) => r.memberId === memberId && r.role === role));
    },

    /**
     * The sessions of the minutes archive (in a room, between two instants), newest first, in pages
     * of a year each, so that a reader with enough entries stops: each year is one equality on
     * the indexed `year` (a range or a sort on `scheduledAt` reads every session of every year on
     * the embedded database). Years run from the newest the filter allows (at most
     * `ARCHIVE_YEARS_AHEAD` after this one) back to `ARCHIVE_FIRST_YEAR`.
     */
    async *archive(q: { roomId?: string; from?: Date; before?: Date }): AsyncGenerator<ArchiveSession[]> {
      const newest = q.before
        ? sessionYear(new Date(q.before.getTime() - 1))
        : sessionYear(new Date()) + ARCHIVE_YEARS_AHEAD;
      const oldest = Math.max(ARCHIVE_FIRST_YEAR, q.from ? sessionYear(q.from) : ARCHIVE_FIRST_YEAR);
      for (let top = newest; top >= oldest; top -= ARCHIVE_YEARS_PER_PAGE) {
        const years: number[] = [];
        for (let y = top; y > top - ARCHIVE_YEARS_PER_PAGE && y >= oldest; y -= 1) years.push(y);
        const found = await Promise.all(
          years.map((year) =>
            sessions
              .find(q.roomId ? { year, roomId: q.roomId } : { year }, {
                projection: { topic: 1, roomId: 1, scheduledAt: 1, state: 1 },
              })
              .toArray(),
          ),
        );
        const page = found
          .flat()
          .filter((s) => (!q.from || s.scheduledAt >= q.from) && (!q.before || s.scheduledAt < q.before))
          .sort((a, b) => b.scheduledAt.getTime() - a.scheduledAt.getTime() || a._id.localeCompare(b._id));
        if (page.length > 0) yield page;
      }
    },
  };
}

export type SessionReads = ReturnType<typeof sessionReads>;
