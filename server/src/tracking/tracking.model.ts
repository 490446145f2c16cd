import type { TrackingEvent, TrackingStatus } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * 督办事项. `_id` is `tr-<outcomeId>`: one item per recorded outcome, so creating the items of a
 * session twice (a retry, a restart) creates nothing new.
 */
export interface TrackingItemDoc {
  _id: string;
  outcomeId: string;
  sessionId: string;
  topic: string;
  text: string;
  department: string;
  deadline: string | null;
  status: TrackingStatus;
  history: Array<Omit<TrackingEvent, 'at'> & { at: Date }>;
  createdAt: Date;
  updatedAt: Date;
}

export const trackingKey = (outcomeId: string) => `tr-${outcomeId}`;

export function trackingModels(conn: Connection) {
  const TrackingItem = conn.model<TrackingItemDoc>(
    'TrackingItem',
    new Schema<TrackingItemDoc>(
      {
        _id: String,
        outcomeId: { type: String, required: true },
        sessionId: { type: String, required: true, index: true },
        topic: { type: String, required: true },
        text: { type: String, required: true },
        department: { type: String, default: '' },
        deadline: { type: String, default: null },
        status: { type: String, required: true },
        history: {
          type: [
            new Schema(
              { at: Date, by: String, byName: String, action: String, status: String, note: String },
              { _id: false },
            ),
          ],
          default: [],
        },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'tracking_items',
  );
  return { TrackingItem };
}
