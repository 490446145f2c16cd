import type { NotificationKind } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * One entry in a person's notification centre. `_id` is `<key>:<memberId>`, where the key names
 * the occasion (e.g. `invite:<sessionId>`), so telling someone the same thing twice stores one.
 * The text is rendered by the client from `kind` and `params`, in the reader's language.
 */
export interface NotificationDoc {
  _id: string;
  memberId: string;
  kind: NotificationKind;
  params: Record<string, string>;
  link: string;
  calendarUrl: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export function notificationModels(conn: Connection) {
  const Notification = conn.model<NotificationDoc>(
    'Notification',
    new Schema<NotificationDoc>(
      {
        _id: String,
        memberId: { type: String, required: true },
        kind: { type: String, required: true },
        params: { type: Schema.Types.Mixed, default: {} },
        link: { type: String, required: true },
        calendarUrl: { type: String, default: null },
        createdAt: { type: Date, required: true },
        readAt: { type: Date, default: null },
      },
      { versionKey: false },
    ).index({ memberId: 1, createdAt: -1 }),
    'notifications',
  );
  return { Notification };
}
