import type { NotifyChannel, NotifyKind, NotifyLocale, PersonalChannel } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/** A member's choice of channels, addresses and quiet hours. `_id` is the member's id. */
export interface NotifyPrefsDoc {
  _id: string;
  channels: PersonalChannel[];
  email: string | null;
  phone: string | null;
  wecomUserId: string | null;
  quietFrom: string | null;
  quietTo: string | null;
  locale: NotifyLocale;
  updatedAt: Date;
}

/** What a timed job does; its `ref` names the record it is about. */
export type JobKind =
  | 'sessionDayBefore'
  | 'sessionHourBefore'
  | 'trackingDueWeek'
  | 'trackingDueDay'
  | 'trackingOverdue'
  | 'minutesReview'
  | 'quarterlyMinimums';

/**
 * A timed job. `_id` is its natural key (`session-reminder:<sessionId>:day-before`), so planning
 * it twice stores one. `rev` grows each time it is planned for another time: a run claims one rev,
 * and the messages it sends carry it in their keys. `slot` is the China day it falls due on (the
 * later of `runAt` and when it was planned): the scheduler reads due jobs by that equality.
 */
export interface NotifyJobDoc {
  _id: string;
  kind: JobKind;
  ref: string;
  runAt: Date;
  slot: string;
  state: 'due' | 'done' | 'cancelled';
  rev: number;
  plannedAt: Date;
  doneAt: Date | null;
}

export interface NotifyAttemptDoc {
  at: Date;
  ok: boolean;
  error: string | null;
  nextAttemptAt: Date | null;
}

/**
 * One message to one address on one channel. `_id` is its idempotency key
 * (`<job key>#<rev>:<member>:<channel>`): a job run twice, by one node or two, stores one.
 * `month` (China time, YYYY-MM of `createdAt`) pages the staff log by equality.
 */
export interface NotifyDeliveryDoc {
  _id: string;
  kind: NotifyKind;
  channel: NotifyChannel;
  memberId: string | null;
  to: string;
  locale: NotifyLocale;
  subject: string;
  text: string;
  link: string;
  params: Record<string, string>;
  urgent: boolean;
  state: 'pending' | 'sent' | 'failed';
  /** Set while a message waits for the end of its recipient's quiet hours. */
  heldUntil: Date | null;
  nextAttemptAt: Date | null;
  attempts: NotifyAttemptDoc[];
  /** Attempts before this index belong to an earlier round (before staff sent it again). */
  roundStart: number;
  month: string;
  createdAt: Date;
  sentAt: Date | null;
}

/**
 * A lease on one piece of work (a job's run, a delivery's attempt), by key: `_id` is
 * `<work>~<generation>`. Inserting it is the claim: a unique key is the one thing both FerretDB
 * and MongoDB refuse atomically. A lease that ran out is taken over by the next generation.
 */
export interface NotifyClaimDoc {
  _id: string;
  owner: string;
  at: Date;
  leaseUntil: Date;
  /** The China day of `at`: old claims are deleted a day at a time, by equality. */
  day: string;
}

export function notifyModels(conn: Connection) {
  const NotifyPrefs = conn.model<NotifyPrefsDoc>(
    'NotifyPrefs',
    new Schema<NotifyPrefsDoc>(
      {
        _id: String,
        channels: { type: [String], default: [] },
        email: { type: String, default: null },
        phone: { type: String, default: null },
        wecomUserId: { type: String, default: null },
        quietFrom: { type: String, default: null },
        quietTo: { type: String, default: null },
        locale: { type: String, default: 'zh-CN' },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'notify_preferences',
  );
  const NotifyJob = conn.model<NotifyJobDoc>(
    'NotifyJob',
    new Schema<NotifyJobDoc>(
      {
        _id: String,
        kind: { type: String, required: true },
        ref: { type: String, required: true },
        runAt: { type: Date, required: true },
        slot: { type: String, required: true, index: true },
        state: { type: String, required: true, index: true },
        rev: { type: Number, required: true },
        plannedAt: { type: Date, required: true },
        doneAt: { type: Date, default: null },
      },
      { versionKey: false },
    ),
    'notify_jobs',
  );
  const NotifyDelivery = conn.model<NotifyDeliveryDoc>(
    'NotifyDelivery',
    new Schema<NotifyDeliveryDoc>(
      {
        _id: String,
        kind: { type: String, required: true },
        channel: { type: String, required: true },
        memberId: { type: String, default: null },
        to: { type: String, required: true },
        locale: { type: String, required: true },
        subject: { type: String, required: true },
        text: { type: String, required: true },
        link: { type: String, required: true },
        params: { type: Schema.Types.Mixed, default: {} },
        urgent: { type: Boolean, default: false },
        state: { type: String, required: true, index: true },
        heldUntil: { type: Date, default: null },
        nextAttemptAt: { type: Date, default: null },
        attempts: {
          type: [new Schema({ at: Date, ok: Boolean, error: String, nextAttemptAt: Date }, { _id: false })],
          default: [],
        },
        roundStart: { type: Number, default: 0 },
        month: { type: String, required: true, index: true },
        createdAt: { type: Date, required: true },
        sentAt: { type: Date, default: null },
      },
      { versionKey: false },
    ),
    'notify_deliveries',
  );
  const NotifyClaim = conn.model<NotifyClaimDoc>(
    'NotifyClaim',
    new Schema<NotifyClaimDoc>(
      {
        _id: String,
        owner: { type: String, required: true },
        at: { type: Date, required: true },
        leaseUntil: { type: Date, required: true },
        day: { type: String, required: true, index: true },
      },
      { versionKey: false },
    ),
    'notify_claims',
  );
  return { NotifyPrefs, NotifyJob, NotifyDelivery, NotifyClaim };
}
