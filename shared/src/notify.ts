import { z } from 'zod';

/**
 * Messages outside the browser (issue 18): channels a member chooses, quiet hours, the kinds of
 * message the scheduler sends, and the delivery log staff read.
 */

/** Channels that reach one person. The WeChat Work group robot reaches a group, not a person. */
export const PersonalChannel = z.enum(['email', 'sms', 'wecom']);
export type PersonalChannel = z.infer<typeof PersonalChannel>;

/** Every channel a delivery can go through: the personal ones and the group robot. */
export const NotifyChannel = z.enum(['email', 'sms', 'wecom', 'wecomRobot']);
export type NotifyChannel = z.infer<typeof NotifyChannel>;

/** The kinds of message; each has a template in zh-CN and en (server/src/notifications/templates.ts). */
export const NotifyKind = z.enum([
  'sessionDayBefore',
  'sessionHourBefore',
  'floorYours',
  'minutesReview',
  'trackingDueWeek',
  'trackingDueDay',
  'trackingOverdue',
  'quarterlyMinimums',
]);
export type NotifyKind = z.infer<typeof NotifyKind>;

/** Urgent kinds go out during quiet hours too: the session starts within the hour, the floor is yours. */
export const urgentNotifyKinds: readonly NotifyKind[] = ['sessionHourBefore', 'floorYours'];

export const NotifyLocale = z.enum(['zh-CN', 'en']);
export type NotifyLocale = z.infer<typeof NotifyLocale>;

/** A time of day in China Standard Time, HH:MM (24 hours). */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM');

export const QuietHours = z
  .object({ from: ClockTime, to: ClockTime })
  .refine((q) => q.from !== q.to, { message: 'quiet hours start and end at different times' });
export type QuietHours = z.infer<typeof QuietHours>;

/** What a member sets on the preferences page (POST /api/notify/preferences). */
export const NotifyPreferencesBody = z
  .object({
    channels: z.array(PersonalChannel).max(3),
    email: z.email().max(200).nullable(),
    /** A mainland mobile number, 11 digits starting with 1 (an optional +86 before it). */
    phone: z
      .string()
      .regex(/^(\+86)?1\d{10}$/, 'an 11-digit mobile number')
      .nullable(),
    /** The member's WeChat Work / 政务微信 user id (成员账号), for application messages. */
    wecomUserId: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a WeChat Work user id')
      .nullable(),
    quietHours: QuietHours.nullable(),
    locale: NotifyLocale,
  })
  .strict();
export type NotifyPreferencesBody = z.infer<typeof NotifyPreferencesBody>;

export const NotifyPreferencesView = NotifyPreferencesBody.safeExtend({
  /** The channels this server has configured; a chosen channel that is not among them sends nothing. */
  available: z.array(NotifyChannel),
});
export type NotifyPreferencesView = z.infer<typeof NotifyPreferencesView>;

/** A delivery's state: `held` waits for the end of quiet hours; `pending` for its next attempt. */
export const DeliveryState = z.enum(['pending', 'held', 'sent', 'failed']);
export type DeliveryState = z.infer<typeof DeliveryState>;

export const DeliveryAttemptView = z.object({
  at: z.string(),
  ok: z.boolean(),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});

export const DeliveryView = z.object({
  /** The idempotency key: the same message to the same person on the same channel is one delivery. */
  id: z.string(),
  kind: NotifyKind,
  channel: NotifyChannel,
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
  /** The address, partly hidden (a phone's middle digits, an email's name). */
  to: z.string(),
  subject: z.string(),
  link: z.string(),
  state: DeliveryState,
  urgent: z.boolean(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  attempts: z.array(DeliveryAttemptView),
});
export type DeliveryView = z.infer<typeof DeliveryView>;

/** GET /api/notify/deliveries: a month at a time (China time), filtered by equality. */
export const DeliveryQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month, YYYY-MM')
    .optional(),
  state: DeliveryState.optional(),
  channel: NotifyChannel.optional(),
  kind: NotifyKind.optional(),
});
export type DeliveryQuery = z.infer<typeof DeliveryQuery>;

export const DeliveryListResponse = z.object({ month: z.string(), deliveries: z.array(DeliveryView) });
export type DeliveryListResponse = z.infer<typeof DeliveryListResponse>;

const CHINA_OFFSET_MIN = 8 * 60;
const minuteOfDay = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/**
 * When the quiet hours around `now` end, or null when `now` is outside them. Quiet hours are a
 * China-time span that may pass midnight (22:00–07:30); the end is the next time `to` comes.
 */
export function quietHoursEnd(now: Date, quiet: QuietHours | null): Date | null {
  if (!quiet) return null;
  const localMin = Math.floor(now.getTime() / 60_000) + CHINA_OFFSET_MIN;
  const minute = ((localMin % 1440) + 1440) % 1440;
  const from = minuteOfDay(quiet.from);
  const to = minuteOfDay(quiet.to);
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return null;
  const wait = (to - minute + 1440) % 1440;
  const end = (localMin + wait - CHINA_OFFSET_MIN) * 60_000;
  return new Date(end);
}

/**
 * The pages a message's link opens (the client's routes). The server builds every message's link
 * with these, and the browser test opens each one signed out: sign-in first, then that page.
 */
export const notifyPaths = {
  session: (sessionId: string) => `/s/${encodeURIComponent(sessionId)}`,
  minutes: (sessionId: string) => `/s/${encodeURIComponent(sessionId)}/minutes`,
  trackingItem: (itemId: string) => `/tracking/${encodeURIComponent(itemId)}`,
  activity: (activityId: string) => `/activities/${encodeURIComponent(activityId)}`,
  duty: () => '/duty',
} as const;
