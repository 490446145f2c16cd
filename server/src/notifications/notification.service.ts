import type { NotificationKind, NotificationView } from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import type { Logger } from '../logger';
import { memberChannel, type YitangServer } from '../socket/types';
import type { NotificationDoc } from './notification.model';

export interface Notice {
  /** Names the occasion; the same key for the same person is stored once. */
  key: string;
  kind: NotificationKind;
  params: Record<string, string>;
  link: string;
  calendarUrl?: string | null;
}

const listLimit = 50;

export function presentNotification(d: NotificationDoc): NotificationView {
  return {
    id: d._id,
    kind: d.kind,
    params: d.params ?? {},
    link: d.link,
    calendarUrl: d.calendarUrl ?? null,
    createdAt: new Date(d.createdAt).toISOString(),
    readAt: d.readAt ? new Date(d.readAt).toISOString() : null,
  };
}

/**
 * The notification centre (通知中心): stored per person, pushed to their open tabs over Socket.IO
 * as it is stored. A push that finds nobody online is fine: the list is read on the next visit.
 */
export function createNotificationService(deps: { models: Models; io: YitangServer; logger: Logger }) {
  const { Notification } = deps.models;
  const raw = rawCollection(Notification);

  const unreadCount = (memberId: string) => Notification.countDocuments({ memberId, readAt: null });
  /** Told of each notice with the people it was stored for now (e.g. to send it outside the browser too). */
  const forwards: Array<(memberIds: string[], notice: Notice) => Promise<void>> = [];

  return {
    /** Stores `notice` for each person (once per key and person) and pushes it to them. */
    async notify(memberIds: Iterable<string>, notice: Notice): Promise<void> {
      const now = new Date();
      const stored: string[] = [];
      for (const memberId of new Set(memberIds)) {
        const doc: NotificationDoc = {
          _id: `${notice.key}:${memberId}`,
          memberId,
          kind: notice.kind,
          params: notice.params,
          link: notice.link,
          calendarUrl: notice.calendarUrl ?? null,
          createdAt: now,
          readAt: null,
        };
        try {
          await raw.insertOne(doc);
        } catch (err) {
          if (isDuplicateKey(err)) continue;
          throw err;
        }
        stored.push(memberId);
        try {
          deps.io
            .to(memberChannel(memberId))
            .emit('notification:new', { notification: presentNotification(doc), unread: await unreadCount(memberId) });
        } catch (err) {
          deps.logger.warn({ err, memberId }, 'notification push failed');
        }
      }
      if (stored.length === 0) return;
      for (const forward of forwards) {
        try {
          await forward(stored, notice);
        } catch (err) {
          deps.logger.error({ err, key: notice.key }, 'notification forward failed');
        }
      }
    },

    /** Calls `fn` with each notice and the people it was stored for now (once per key and person). */
    onNotify(fn: (memberIds: string[], notice: Notice) => Promise<void>): void {
      forwards.push(fn);
    },

    async list(memberId: string): Promise<{ notifications: NotificationView[]; unread: number }> {
      const [docs, unread] = await Promise.all([
        Notification.find({ memberId }).sort({ createdAt: -1, _id: 1 }).limit(listLimit).lean(),
        unreadCount(memberId),
      ]);
      return { notifications: docs.map(presentNotification), unread };
    },

    /** Marks one of the person's notifications read; someone else's id is treated as unknown. */
    async markRead(memberId: string, id: string): Promise<boolean> {
      const res = await Notification.updateOne({ _id: id, memberId, readAt: null }, { $set: { readAt: new Date() } });
      if (res.matchedCount === 1) return true;
      return (await Notification.exists({ _id: id, memberId })) !== null;
    },

    async markAllRead(memberId: string): Promise<void> {
      await Notification.updateMany({ memberId, readAt: null }, { $set: { readAt: new Date() } });
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
