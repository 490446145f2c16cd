import { type Models, rawCollection, trusted } from '../db/models';
import type { AttendanceDoc, RoomDoc, SpeakingRecordDoc } from './room.model';

/**
 * The rooms module's reads for other modules (the duty ledger, the dashboard, the sessions
 * service): rooms, who attended a session and who spoke, so that none of them reads the rooms,
 * attendance or speaking records collections itself. Each keeps the filter, projection and sort
 * its caller had, so the same index serves it. Reads only: no batchers, unlike the repository.
 */
export function roomReads(models: Pick<Models, 'Room' | 'Attendance' | 'SpeakingRecord'>) {
  const { Room, Attendance, SpeakingRecord } = models;
  const attendance = rawCollection(Attendance);
  return {
    /** Every room, by level then name. */
    rooms(): Promise<RoomDoc[]> {
      return Room.find({}).sort({ level: 1, name: 1 }).lean<RoomDoc[]>();
    },

    /** The stored room, or null. */
    room(id: string): Promise<RoomDoc | null> {
      return Room.findById(id).lean<RoomDoc>();
    },

    /** A room's name, or null when there is no such room. */
    async roomName(id: string): Promise<string | null> {
      return (await Room.findById(id, { name: 1 }).lean())?.name ?? null;
    },

    /** The names of these rooms, by id (rooms that do not exist are left out). */
    async roomNames(ids: Iterable<string>): Promise<Map<string, string>> {
      const rooms = await Room.find({ _id: trusted({ $in: [...new Set(ids)] }) }, { name: 1 }).lean();
      return new Map(rooms.map((r) => [r._id, r.name]));
    },

    /** Whether the room exists. */
    async roomExists(id: string): Promise<boolean> {
      return (await Room.exists({ _id: id })) !== null;
    },

    /** The ids of the rooms at one level. */
    async roomIdsAt(level: RoomDoc['level']): Promise<string[]> {
      return (await Room.find({ level }, { _id: 1 }).lean()).map((r) => r._id);
    },

    /** Everyone seen at a session (online or in the hall), whole records. */
    attendance(sessionId: string): Promise<AttendanceDoc[]> {
      return Attendance.find({ sessionId }).lean<AttendanceDoc[]>();
    },

    /** Who was seen at a session and how (online, in the hall): what absence is derived from. */
    presence(sessionId: string): Promise<Array<Pick<AttendanceDoc, '_id' | 'memberId' | 'online' | 'inHall'>>> {
      return Attendance.find({ sessionId }, { memberId: 1, online: 1, inHall: 1 }).lean();
    },

    /** Every speech of a session, in no particular order. */
    speeches(sessionId: string): Promise<SpeakingRecordDoc[]> {
      return SpeakingRecord.find({ sessionId }).lean<SpeakingRecordDoc[]>();
    },

    /**
     * Everyone seen at one of these sessions with the role they attended in, once per session and
     * role (the dashboard finds the leaders among them: by role, and by their leader records).
     */
    attendeesAt(
      sessionIds: readonly string[],
    ): Promise<Array<{ _id: { sessionId: string; memberId: string; role: string } }>> {
      // One equality read per session, a few at a time, not one `$in`: the embedded FerretDB serves
      // only equality from an index and reads the whole attendance collection (every session of
      // every year) for an `$in`.
      return perKey([...new Set(sessionIds)], async (sessionId) => {
        const rows = await attendance
          .find({ sessionId }, { projection: { _id: 0, sessionId: 1, memberId: 1, role: 1 } })
          .toArray();
        const seen = new Map(rows.map((r) => [`${r.memberId}\u0000${r.role}`, r]));
        return [...seen.values()].map((r) => ({ _id: { sessionId, memberId: r.memberId, role: r.role } }));
      });
    },
  };
}

export type RoomReads = ReturnType<typeof roomReads>;

/** `read` for each key, at most 16 at a time; the rows of all, in key order. */
async function perKey<T>(keys: string[], read: (key: string) => Promise<T[]>): Promise<T[]> {
  const out: T[][] = [];
  for (let i = 0; i < keys.length; i += 16) out.push(...(await Promise.all(keys.slice(i, i + 16).map(read))));
  return out.flat();
}
