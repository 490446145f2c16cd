import type { RoomLevel, SessionRole, SessionView } from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { InsertBatcher } from '../lib/insert-batcher';
import { createMemberService } from '../members/member.service';
import { type AttendanceDoc, attendanceKey, type RoomDoc, type SessionDoc, type SpeakingRecordDoc } from './room.model';

/** Everything the live room reads from and writes to MongoDB about sessions and who took part. */
export function createRoomRepository(models: Models) {
  const { Session, Room, Attendance, SpeakingRecord } = models;
  const members = createMemberService(models);
  const speaking = rawCollection(SpeakingRecord);
  // First sight of someone online: one group-committed insert for a burst of arrivals. Upserts
  // one by one cost a commit each, and a few dozen at once make FerretDB on SQLite refuse some
  // (SQLITE_BUSY), failing joins of a filling hall.
  const firstSight = new InsertBatcher(rawCollection(Attendance));
  return {
    getSession(id: string): Promise<SessionDoc | null> {
      return Session.findById(id).lean();
    },

    /** The ids of the live sessions: an equality the embedded database serves from its index. */
    async liveSessionIds(): Promise<string[]> {
      return (await Session.find({ state: 'live' }, { _id: 1 }).lean()).map((s) => s._id);
    },

    /** Every room (议事室), city rooms first. */
    async listRooms(): Promise<Array<{ id: string; name: string; level: RoomLevel }>> {
      const rooms = await Room.find({}, { name: 1, level: 1 }).sort({ level: 1, _id: 1 }).lean();
      return rooms.map((r) => ({ id: r._id, name: r.name, level: r.level }));
    },

    /** One room's whole record, or null. */
    room(id: string): Promise<RoomDoc | null> {
      return Room.findById(id).lean();
    },

    /** The room above this one, or null (also when there is no such room). */
    async parentRoomOf(id: string): Promise<string | null> {
      return (await Room.findById(id, { parentId: 1 }).lean())?.parentId ?? null;
    },

    /** Every room's whole record, by id (the org console). */
    allRooms(): Promise<RoomDoc[]> {
      return Room.find({}).sort({ _id: 1 }).lean();
    },

    async roomExists(id: string): Promise<boolean> {
      return (await Room.exists({ _id: id })) !== null;
    },

    async roomNamed(name: string): Promise<boolean> {
      return (await Room.exists({ name })) !== null;
    },

    async hasRoomsUnder(id: string): Promise<boolean> {
      return (await Room.exists({ parentId: id })) !== null;
    },

    /** The levels of the rooms directly under this one. */
    async levelsUnder(id: string): Promise<RoomLevel[]> {
      return (await Room.find({ parentId: id }, { level: 1 }).lean()).map((c) => c.level);
    },

    async createRoom(doc: RoomDoc): Promise<void> {
      await Room.create(doc);
    },

    async updateRoom(id: string, set: Partial<Omit<RoomDoc, '_id'>>): Promise<void> {
      await Room.updateOne({ _id: id }, { $set: set });
    },

    async deleteRoom(id: string): Promise<void> {
      await Room.deleteOne({ _id: id });
    },

    async roomNames(ids: string[]): Promise<Map<string, string>> {
      const rooms = await Room.find({ _id: trusted({ $in: ids }) }, { name: 1 }).lean();
      return new Map(rooms.map((r) => [r._id, r.name]));
    },

    /**
     * Writes part of a session. `expectState` makes it conditional on the state (one atomic
     * single-document update); false when the precondition no longer holds.
     */
    async patchSession(
      id: string,
      patch: Partial<Omit<SessionDoc, '_id'>>,
      expectState?: SessionDoc['state'] | SessionDoc['state'][],
    ): Promise<boolean> {
      const filter: Record<string, unknown> = { _id: id };
      if (expectState) filter.state = Array.isArray(expectState) ? trusted({ $in: expectState }) : expectState;
      const res = await Session.updateOne(filter, { $set: patch });
      return res.matchedCount === 1;
    },

    /**
     * Stores the first sight of someone online, as `markAttendance` with `{online: true}` would;
     * rejects with a duplicate key error (code 11000) if they have a record already.
     */
    firstSeenOnline(sessionId: string, memberId: string, role: SessionRole): Promise<void> {
      return firstSight.insert({
        _id: attendanceKey(sessionId, memberId),
        sessionId,
        memberId,
        role,
        online: true,
        inHall: false,
        firstSeenAt: new Date(),
        checkedInAt: null,
        checkedInBy: null,
      });
    },

    /** Records that someone took part (first sight online or in the hall). Idempotent by key. */
    async markAttendance(
      sessionId: string,
      memberId: string,
      role: SessionRole,
      how: { online: true } | { inHall: true; by: string },
    ): Promise<void> {
      const now = new Date();
      const set: Partial<AttendanceDoc> =
        'online' in how ? { online: true } : { inHall: true, checkedInAt: now, checkedInBy: how.by };
      await Attendance.updateOne(
        { _id: attendanceKey(sessionId, memberId) },
        { $set: { ...set, role }, $setOnInsert: { sessionId, memberId, firstSeenAt: now } },
        { upsert: true },
      );
    },

    /** Whether `memberId` was seen at session `sessionId` (online or in the hall). */
    async attended(sessionId: string, memberId: string): Promise<boolean> {
      return (await Attendance.exists({ _id: attendanceKey(sessionId, memberId) })) !== null;
    },

    /** The sessions `memberId` was seen at, by id. */
    async sessionsAttendedBy(memberId: string): Promise<Set<string>> {
      return new Set((await Attendance.find({ memberId }, { sessionId: 1 }).lean()).map((a) => a.sessionId));
    },

    attendance(sessionId: string): Promise<AttendanceDoc[]> {
      return Attendance.find({ sessionId }).lean();
    },

    async recordSpeech(doc: SpeakingRecordDoc): Promise<void> {
      // The id is sessionId:memberId:startedAt, so recording the same turn twice is a no-op.
      await speaking.updateOne({ _id: doc._id }, { $setOnInsert: doc }, { upsert: true });
    },

    /** Names by id: the members module's answer. */
    memberNames(ids: string[]): Promise<Array<{ id: string; name: string }>> {
      return members.names(ids);
    },

    speakingRecords(sessionId: string): Promise<SpeakingRecordDoc[]> {
      return SpeakingRecord.find({ sessionId }).sort({ startedAt: 1 }).lean();
    },
  };
}

export type RoomRepository = ReturnType<typeof createRoomRepository>;

export function presentSession(s: SessionDoc, roomName: string): SessionView {
  return {
    id: s._id,
    topic: s.topic,
    roomName,
    scheduledAt: s.scheduledAt.toISOString(),
    mode: s.mode,
    state: s.state,
    firstConvenerId: s.firstConvenerId,
    secondConvenerId: s.secondConvenerId ?? null,
    agenda: (s.agenda ?? []).map((a) => ({ id: a.id, title: a.title, plannedMinutes: a.plannedMinutes })),
    currentItemId: s.currentItemId ?? null,
    currentItemStartedAt: s.currentItemStartedAt ? s.currentItemStartedAt.toISOString() : null,
    locked: s.locked ?? false,
    speakerLimitSeconds: s.speakerLimitSeconds ?? 180,
    startedAt: s.startedAt ? s.startedAt.toISOString() : null,
    closedAt: s.closedAt ? s.closedAt.toISOString() : null,
    allowedToSpeak: s.allowedToSpeak ?? [],
  };
}
