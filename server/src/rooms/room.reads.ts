import type { Models } from '../db/models';
import type { AttendanceDoc, SpeakingRecordDoc } from './room.model';

/**
 * The rooms module's reads for other modules (the duty ledger, the dashboard, the sessions
 * service): rooms, who attended a session and who spoke, so that none of them reads the rooms,
 * attendance or speaking records collections itself. Each keeps the filter, projection and sort
 * its caller had, so the same index serves it. Reads only: no batchers, unlike the repository.
 */
export function roomReads(models: Pick<Models, 'Room' | 'Attendance' | 'SpeakingRecord'>) {
  const { Attendance, SpeakingRecord } = models;
  return {
    /** Everyone seen at a session (online or in the hall), whole records. */
    attendance(sessionId: string): Promise<AttendanceDoc[]> {
      return Attendance.find({ sessionId }).lean<AttendanceDoc[]>();
    },

    /** Every speech of a session, in no particular order. */
    speeches(sessionId: string): Promise<SpeakingRecordDoc[]> {
      return SpeakingRecord.find({ sessionId }).lean<SpeakingRecordDoc[]>();
    },
  };
}

export type RoomReads = ReturnType<typeof roomReads>;
