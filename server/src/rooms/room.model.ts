import type {
  AgendaItem,
  LeaveDecision,
  RsvpAnswer,
  SessionMode,
  SessionRole,
  SessionState,
  SpeakerQueue,
} from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

export interface RoomDoc {
  _id: string;
  name: string;
  /** city | town | village: the level of the consultation room (协商议事室). */
  level: 'city' | 'town' | 'village';
  /** The room one level up (village → town → city), or null for a top room. */
  parentId?: string | null;
  /** The unit that owns and runs the room (所属单位). */
  ownerUnit?: string;
}

export interface SessionDoc {
  _id: string;
  topic: string;
  /** The topic (议题) this session deliberates, when it was scheduled from one. */
  topicId?: string | null;
  roomId: string;
  scheduledAt: Date;
  /**
   * The year of `scheduledAt` in China (UTC+8), kept beside it by every writer: the dashboard finds
   * a period's sessions by equality on it, which the embedded database serves from its index (a
   * range on `scheduledAt` reads every session of every year there). Older documents get it at
   * start (sessions/session-years.ts).
   */
  year?: number;
  mode: SessionMode;
  state: SessionState;
  firstConvenerId: string;
  secondConvenerId: string | null;
  /** Roles given to particular people in this session (recorder, leader, …); they may enter. */
  roles: Array<{ memberId: string; role: SessionRole }>;
  /**
   * Who is invited, with a role and their answer (sessions/): with the conveners, staff and the
   * roles above, the only people who may enter, unless `openToAll`. Older documents have none.
   */
  invitations?: SessionInvitation[];
  /** A plenary (全体会议): every committee member may enter as a member. */
  openToAll?: boolean;
  /** Set when the session was cancelled before it started; it cannot start then. */
  cancelledAt?: Date | null;
  cancelReason?: string | null;
  agenda: AgendaItem[];
  currentItemId: string | null;
  currentItemStartedAt: Date | null;
  locked: boolean;
  speakerLimitSeconds: number;
  speakers: SpeakerQueue;
  muted: string[];
  removed: string[];
  /**
   * Those the conveners allow to speak besides the floor holder (the media server lets them
   * publish); older documents have none.
   */
  allowedToSpeak?: string[];
  /**
   * Legacy: once the key of the hall code, no longer written or read. The code now comes from a
   * key outside the database (auth/hall-code.ts); old documents may still carry this field.
   */
  hallCode?: string;
  startedAt: Date | null;
  closedAt: Date | null;
  /** `paper`: held outside Yitang and recorded afterwards by staff (sessions/paper.ts); else live. */
  origin?: 'live' | 'paper';
  /** Its own theme (专题) when it has no topic to take one from (a paper session). */
  themeId?: string | null;
  /** Staff's note on a paper session (what the sheet and minutes said beyond the fields). */
  paperNote?: string;
}

/** One invitee of a session: their role, their answer and staff's decision on a leave request. */
export interface SessionInvitation {
  memberId: string;
  role: SessionRole;
  answer: RsvpAnswer;
  leaveReason: string | null;
  /** null unless the answer is leave. */
  leave: LeaveDecision | null;
  answeredAt: Date | null;
  leaveDecidedBy: string | null;
}

/** One row per person who took part: online, in the hall, or both. Written as it happens. */
export interface AttendanceDoc {
  _id: string;
  sessionId: string;
  memberId: string;
  role: SessionRole;
  online: boolean;
  inHall: boolean;
  firstSeenAt: Date;
  checkedInAt: Date | null;
  checkedInBy: string | null;
}

export interface SpeakingRecordDoc {
  _id: string;
  sessionId: string;
  memberId: string;
  itemId: string | null;
  startedAt: Date;
  durationSeconds: number;
  pointOfOrder: boolean;
}

export const attendanceKey = (sessionId: string, memberId: string) => `${sessionId}:${memberId}`;

/** The year (in China, UTC+8) a session scheduled at `at` belongs to: its `year` field. */
export const sessionYear = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear();

export function roomModels(conn: Connection) {
  const Room = conn.model<RoomDoc>(
    'Room',
    new Schema<RoomDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        level: { type: String, enum: ['city', 'town', 'village'], required: true },
        parentId: { type: String, default: null, index: true },
        ownerUnit: { type: String, default: '' },
      },
      { versionKey: false },
    ),
  );
  const agendaItem = new Schema<AgendaItem>({ id: String, title: String, plannedMinutes: Number }, { _id: false });
  const sessionSchema = new Schema<SessionDoc>(
    {
      _id: String,
      topic: { type: String, required: true },
      topicId: { type: String, default: null, index: true },
      roomId: { type: String, required: true },
      scheduledAt: { type: Date, required: true },
      year: { type: Number, index: true },
      mode: { type: String, enum: ['hall', 'online', 'hybrid'], required: true },
      // Indexed: a restart finds the live rooms by it (an equality the embedded database serves).
      state: { type: String, enum: ['scheduled', 'live', 'closed'], required: true, index: true },
      firstConvenerId: { type: String, required: true },
      secondConvenerId: { type: String, default: null },
      roles: { type: [new Schema({ memberId: String, role: String }, { _id: false })], default: [] },
      invitations: {
        type: [
          new Schema(
            {
              memberId: String,
              role: String,
              answer: String,
              leaveReason: String,
              leave: String,
              answeredAt: Date,
              leaveDecidedBy: String,
            },
            { _id: false },
          ),
        ],
        default: [],
      },
      openToAll: { type: Boolean, default: false },
      cancelledAt: { type: Date, default: null },
      cancelReason: { type: String, default: null },
      agenda: { type: [agendaItem], default: [] },
      currentItemId: { type: String, default: null },
      currentItemStartedAt: { type: Date, default: null },
      locked: { type: Boolean, default: false },
      speakerLimitSeconds: { type: Number, default: 180 },
      speakers: { type: Schema.Types.Mixed, default: () => ({ queue: [], speaker: null }) },
      muted: { type: [String], default: [] },
      removed: { type: [String], default: [] },
      allowedToSpeak: { type: [String], default: [] },
      hallCode: { type: String },
      startedAt: { type: Date, default: null },
      closedAt: { type: Date, default: null },
      origin: { type: String, enum: ['live', 'paper'], default: 'live' },
      themeId: { type: String, default: null },
      paperNote: { type: String },
    },
    { versionKey: false },
  );
  // Documents made through the model (tests, fixtures) get their year like the service's inserts.
  sessionSchema.pre('validate', function () {
    if (this.scheduledAt) this.year = sessionYear(this.scheduledAt);
  });
  const Session = conn.model<SessionDoc>('Session', sessionSchema);
  const Attendance = conn.model<AttendanceDoc>(
    'Attendance',
    new Schema<AttendanceDoc>(
      {
        _id: String,
        sessionId: { type: String, required: true, index: true },
        // Indexed: the tracking list asks which sessions its reader attended (without it, the
        // embedded database reads the attendance of every session of every year).
        memberId: { type: String, required: true, index: true },
        role: { type: String, required: true },
        online: { type: Boolean, default: false },
        inHall: { type: Boolean, default: false },
        firstSeenAt: { type: Date, required: true },
        checkedInAt: { type: Date, default: null },
        checkedInBy: { type: String, default: null },
      },
      { versionKey: false },
    ),
    'attendance',
  );
  const SpeakingRecord = conn.model<SpeakingRecordDoc>(
    'SpeakingRecord',
    new Schema<SpeakingRecordDoc>(
      {
        _id: String,
        sessionId: { type: String, required: true, index: true },
        memberId: { type: String, required: true },
        itemId: { type: String, default: null },
        startedAt: { type: Date, required: true },
        durationSeconds: { type: Number, required: true },
        pointOfOrder: { type: Boolean, default: false },
      },
      { versionKey: false },
    ),
    'speaking_records',
  );
  return { Room, Session, Attendance, SpeakingRecord };
}
