import { EventEmitter } from 'node:events';
import {
  type DeliveryListResponse,
  type DeliveryQuery,
  type DeliveryView,
  type NotifyChannel,
  type NotifyKind,
  type PersonalChannel,
  quietHoursEnd,
  urgentNotifyKinds,
} from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { nextAttemptAt, type Random } from '../hotline/backoff';
import type { Logger } from '../logger';
import type { Channel } from './channels';
import { describeError } from './channels/types';
import type { Claims } from './claims';
import type { NotifyAttemptDoc, NotifyDeliveryDoc, NotifyPrefsDoc } from './notify.model';
import { render } from './templates';

export interface DeliverySettings {
  /** Backoff of the first retry (ms); doubles per retry up to `retryMaxMs`, with full jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts in a round before a delivery is given up (`failed`); staff can send it again. */
  maxAttempts: number;
  /** Links start with it (PUBLIC_URL); without it they are paths on this site. */
  publicUrl: string | null;
}

/** A message the scheduler asks to send: to members (each on their channels) and to the group robot. */
export interface Message {
  /** The occasion, e.g. `session-reminder:s-1:day-before#2`: with member and channel, the idempotency key. */
  key: string;
  kind: NotifyKind;
  params: Record<string, string>;
  /** A path on this site; the page asks for sign-in first when needed, then comes back to it. */
  path: string;
  memberIds: string[];
  /** Also to the WeChat Work group robot, once. */
  group?: boolean;
  /** Per member, extra template values (e.g. whether that invitee has answered). */
  paramsFor?: (memberId: string) => Record<string, string>;
}

export interface DeliveryEvents {
  /** After each attempt has been recorded. */
  attempt: [DeliveryView];
}

/** The most deliveries one answer of the log carries (the newest of the month). */
const LOG_PAGE = 500;

/** How long one attempt's lease lasts: well beyond a channel's timeout. */
const ATTEMPT_LEASE_MS = 2 * 60_000;

/** The China-time month of an instant, YYYY-MM. */
export function chinaMonth(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(at)
    .slice(0, 7);
}

/** An address with its middle hidden, for the staff log. */
function mask(channel: NotifyChannel, to: string): string {
  if (channel === 'sms') return to.length > 7 ? `${to.slice(0, -8)}****${to.slice(-4)}` : '****';
  if (channel === 'email') {
    const [name = '', domain = ''] = to.split('@');
    return `${name.slice(0, 1)}***@${domain}`;
  }
  return to;
}

function addressOf(prefs: NotifyPrefsDoc, channel: PersonalChannel): string | null {
  if (channel === 'email') return prefs.email;
  if (channel === 'sms') return prefs.phone;
  return prefs.wecomUserId;
}

/**
 * Deliveries (`notify_deliveries`): each message to each address on each channel is stored first
 * under its idempotency key, then sent; a failure is recorded with the time of the next attempt
 * (exponential backoff with jitter) until the round's attempts are spent. Each attempt is claimed
 * by key (claims.ts), so of several nodes exactly one makes it. A non-urgent message to a member
 * in their quiet hours is held until they end.
 */
export function createDeliveries(deps: {
  models: Models;
  channels: Map<NotifyChannel, Channel>;
  claims: Claims;
  logger: Logger;
  now: () => number;
  settings: DeliverySettings;
  memberNames: (ids: string[]) => Promise<Map<string, string>>;
  random?: Random;
}) {
  const { NotifyDelivery, NotifyPrefs } = deps.models;
  const deliveries = rawCollection(NotifyDelivery);
  const events = new EventEmitter<DeliveryEvents>();
  const random = deps.random ?? Math.random;
  const opts = deps.settings;
  const link = (path: string) => (opts.publicUrl ? new URL(path, opts.publicUrl).toString() : path);

  function present(doc: NotifyDeliveryDoc, names: Map<string, string>): DeliveryView {
    const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
    const attempts = doc.attempts ?? [];
    const held = doc.state === 'pending' && doc.heldUntil !== null && attempts.length === 0;
    return {
      id: doc._id,
      kind: doc.kind,
      channel: doc.channel,
      memberId: doc.memberId,
      memberName: doc.memberId ? (names.get(doc.memberId) ?? null) : null,
      to: mask(doc.channel, doc.to),
      subject: doc.subject,
      link: doc.link,
      state: held ? 'held' : doc.state,
      urgent: doc.urgent,
      createdAt: new Date(doc.createdAt).toISOString(),
      nextAttemptAt: iso(doc.nextAttemptAt),
      sentAt: iso(doc.sentAt),
      attempts: attempts.map((a) => ({
        at: new Date(a.at).toISOString(),
        ok: a.ok,
        error: a.error ?? null,
        nextAttemptAt: iso(a.nextAttemptAt),
      })),
    };
  }

  async function store(doc: NotifyDeliveryDoc): Promise<boolean> {
    try {
      await deliveries.insertOne(doc);
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false; // stored before (a second run, another node): sent once
      throw err;
    }
  }

  function newDelivery(
    id: string,
    m: Message,
    channel: NotifyChannel,
    to: string,
    memberId: string | null,
    prefs: NotifyPrefsDoc | null,
    params: Record<string, string>,
  ): NotifyDeliveryDoc {
    const now = new Date(deps.now());
    const locale = prefs?.locale ?? 'zh-CN';
    const url = link(m.path);
    const text = render(m.kind, params, locale, url);
    const urgent = urgentNotifyKinds.includes(m.kind);
    const quiet = prefs?.quietFrom && prefs.quietTo ? { from: prefs.quietFrom, to: prefs.quietTo } : null;
    const heldUntil = urgent || !memberId ? null : quietHoursEnd(now, quiet);
    return {
      _id: id,
      kind: m.kind,
      channel,
      memberId,
      to,
      locale,
      subject: text.subject,
      text: text.text,
      link: url,
      params,
      urgent,
      state: 'pending',
      heldUntil,
      nextAttemptAt: heldUntil ?? now,
      attempts: [],
      roundStart: 0,
      month: chinaMonth(now),
      createdAt: now,
      sentAt: null,
    };
  }

  async function attempt(id: string): Promise<void> {
    const before = await NotifyDelivery.findById(id).lean();
    if (before?.state !== 'pending') return;
    const n = before.attempts?.length ?? 0;
    if (!(await deps.claims.claim(`dl:${id}#${n}`, ATTEMPT_LEASE_MS))) return;
    // Read again under the claim: another node may have made this attempt and recorded it.
    const doc = await NotifyDelivery.findById(id).lean();
    if (doc?.state !== 'pending' || (doc.attempts?.length ?? 0) !== n) return;
    const channel = deps.channels.get(doc.channel);
    let error: string | null = null;
    if (!channel) error = 'channel not configured';
    else {
      try {
        await channel.send({
          id: doc._id,
          to: doc.to,
          kind: doc.kind,
          locale: doc.locale,
          subject: doc.subject,
          text: doc.text,
          markdown: render(doc.kind, doc.params ?? {}, doc.locale, doc.link).markdown,
          params: doc.params ?? {},
          link: doc.link,
        });
      } catch (err) {
        error = describeError(err);
      }
    }
    const now = new Date(deps.now());
    const count = n - (doc.roundStart ?? 0) + 1;
    const ok = error === null;
    const givingUp = !ok && (count >= opts.maxAttempts || !channel);
    const next = ok || givingUp ? null : nextAttemptAt(count, now, random, opts.retryBaseMs, opts.retryMaxMs);
    const entry: NotifyAttemptDoc = { at: now, ok, error, nextAttemptAt: next };
    const state = ok ? 'sent' : givingUp ? 'failed' : 'pending';
    await NotifyDelivery.updateOne(
      { _id: id, state: 'pending' },
      {
        $set: { state, nextAttemptAt: next, heldUntil: null, ...(ok ? { sentAt: now } : {}) },
        $push: { attempts: entry },
      },
    );
    if (!ok) deps.logger.warn({ deliveryId: id, attempt: count, error, next }, 'notification delivery failed');
    const after: NotifyDeliveryDoc = {
      ...doc,
      state,
      nextAttemptAt: next,
      heldUntil: null,
      sentAt: ok ? now : doc.sentAt,
      attempts: [...(doc.attempts ?? []), entry],
    };
    const names = await deps.memberNames(doc.memberId ? [doc.memberId] : []);
    events.emit('attempt', present(after, names));
  }

  return {
    events,
    /** The channels this server sends through. */
    available: (): NotifyChannel[] => [...deps.channels.keys()],

    /**
     * Stores the message once per member and chosen channel (and once for the group robot).
     * Answers the ids stored now; those stored before are left to their own attempts.
     */
    async enqueue(m: Message): Promise<string[]> {
      const stored: string[] = [];
      for (const memberId of new Set(m.memberIds)) {
        const prefs = await NotifyPrefs.findById(memberId).lean();
        if (!prefs) continue;
        const params = { ...m.params, ...(m.paramsFor?.(memberId) ?? {}) };
        for (const channel of new Set(prefs.channels ?? [])) {
          const to = addressOf(prefs, channel);
          if (!to || !deps.channels.has(channel)) continue;
          const id = `${m.key}:${memberId}:${channel}`;
          if (await store(newDelivery(id, m, channel, to, memberId, prefs, params))) stored.push(id);
        }
      }
      if (m.group && deps.channels.has('wecomRobot')) {
        const id = `${m.key}:group:wecomRobot`;
        if (await store(newDelivery(id, m, 'wecomRobot', 'group', null, null, m.params))) stored.push(id);
      }
      return stored;
    },

    /** Makes every attempt that is due (pending, its time come), one claim each. */
    async sendDue(): Promise<number> {
      const now = deps.now();
      const pending = await NotifyDelivery.find({ state: 'pending' }, { _id: 1, nextAttemptAt: 1 }).lean();
      const due = pending.filter((d) => !d.nextAttemptAt || new Date(d.nextAttemptAt).getTime() <= now);
      for (const d of due) {
        try {
          await attempt(d._id);
        } catch (err) {
          deps.logger.error({ err, deliveryId: d._id }, 'notification attempt failed');
        }
      }
      return due.length;
    },

    /** A month of the log (China time), newest first, filtered by state, channel and kind. */
    async list(q: DeliveryQuery): Promise<DeliveryListResponse> {
      const month = q.month ?? chinaMonth(new Date(deps.now()));
      const docs = await NotifyDelivery.find({ month }).lean();
      const kept = docs
        .filter((d) => (!q.channel || d.channel === q.channel) && (!q.kind || d.kind === q.kind))
        .sort(
          (a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || a._id.localeCompare(b._id),
        );
      const names = await deps.memberNames([...new Set(kept.flatMap((d) => (d.memberId ? [d.memberId] : [])))]);
      const out = kept.map((d) => present(d, names)).filter((d) => !q.state || d.state === q.state);
      return { month, deliveries: out.slice(0, LOG_PAGE) };
    },

    /** Sends a delivery that was given up again, with a fresh round of attempts (staff, from the log). */
    async resend(id: string): Promise<DeliveryView> {
      const doc = await NotifyDelivery.findById(id).lean();
      if (!doc) throw new AppError('NOT_FOUND', 'No such delivery.');
      if (doc.state !== 'failed') {
        throw new AppError('ILLEGAL_TRANSITION', 'Only a delivery that was given up can be sent again.');
      }
      const now = new Date(deps.now());
      const roundStart = doc.attempts?.length ?? 0;
      const res = await NotifyDelivery.updateOne(
        { _id: id, state: 'failed' },
        { $set: { state: 'pending', nextAttemptAt: now, roundStart } },
      );
      if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The delivery changed meanwhile; reload.');
      await attempt(id);
      const after = await NotifyDelivery.findById(id).lean();
      const names = await deps.memberNames(doc.memberId ? [doc.memberId] : []);
      return present(after ?? doc, names);
    },
  };
}

export type Deliveries = ReturnType<typeof createDeliveries>;
