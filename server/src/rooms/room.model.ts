import type { AgendaItem, SessionMode, SessionState } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

export interface RoomDoc {
  _id: string;
  name: string;
  /** city | town | village: the level of the consultation room (协商议事室). */
  level: 'city' | 'town' | 'village';
}

export interface SessionDoc {
  _id: string;
  topic: string;
  roomId: string;
  scheduledAt: Date;
  mode: SessionMode;
  state: SessionState;
  firstConvenerId: string;
  secondConvenerId: string | null;
  agenda: AgendaItem[];
  currentItemId: string | null;
}

export function roomModels(conn: Connection) {
  const Room = conn.model<RoomDoc>(
    'Room',
    new Schema<RoomDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        level: { type: String, enum: ['city', 'town', 'village'], required: true },
      },
      { versionKey: false },
    ),
  );
  const Session = conn.model<SessionDoc>(
    'Session',
    new Schema<SessionDoc>(
      {
        _id: String,
        topic: { type: String, required: true },
        roomId: { type: String, required: true },
        scheduledAt: { type: Date, required: true },
        mode: { type: String, enum: ['hall', 'online', 'hybrid'], required: true },
        state: { type: String, enum: ['scheduled', 'live', 'closed'], required: true },
        firstConvenerId: { type: String, required: true },
        secondConvenerId: { type: String, default: null },
        agenda: {
          type: [new Schema<AgendaItem>({ id: String, title: String, plannedMinutes: Number }, { _id: false })],
          default: [],
        },
        currentItemId: { type: String, default: null },
      },
      { versionKey: false },
    ),
  );
  return { Room, Session };
}
