import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { HotlineDeliveryView, HotlineOutboundBody, HotlineStatusChange } from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import { nextAttemptAt, type Random } from './backoff';
import type { DeliveryAttemptDoc, HotlineDeliveryDoc } from './hotline.model';
import { SIGNATURE_HEADER, signBody, TIMESTAMP_HEADER } from './signature';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

export interface OutboxOptions {
  /** Where status changes are posted; without it deliveries wait in the outbox. */
  url: string | null;
  /** The shared secret that signs them; without it deliveries wait as well. */
  secret: string | null;
  /** Backoff of the first retry (ms); doubles per retry up to `retryMaxMs`, with full jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts before a delivery is given up (`failed`); staff can send it again. */
  maxAttempts: number;
  /** How long one attempt may take (ms). */
  timeoutMs: number;
  random?: Random;
}

export interface OutboxEvents {
  /** After each attempt has been recorded. */
  attempt: [HotlineDeliveryView];
}

/** The outbox key of a status change: the same change reported twice is one delivery. */
export function deliveryKey(ticketId: string, change: HotlineStatusChange, occurrence: number): string {
  const what =
    change.kind === 'topic' ? `topic:${change.status}` : `tracking:${change.trackingItemId}:${change.status}`;
  const digest = createHash('sha256').update(`${ticketId}\n${what}\n${occurrence}`).digest('hex');
  return `hd-${digest.slice(0, 40)}`;
}

export function presentDelivery(doc: HotlineDeliveryDoc): HotlineDeliveryView {
  const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    id: doc._id,
    ticketId: doc.ticketId,
    topicId: doc.topicId,
    change: doc.change,
    state: doc.state,
    createdAt: new Date(doc.createdAt).toISOString(),
    nextAttemptAt: iso(doc.nextAttemptAt),
    attempts: (doc.attempts ?? []).map((a) => ({
      at: new Date(a.at).toISOString(),
      statusCode: a.statusCode ?? null,
      error: a.error ?? null,
      nextAttemptAt: iso(a.nextAttemptAt),
    })),
  };
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'timed out';
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}

/**
 * Outbound status messages to the hotline. Each is stored first (`hotline_deliveries`), then
 * posted, signed, with `Idempotency-Key`; a failure is recorded with the time of the next attempt
 * and retried with exponential backoff until `maxAttempts`. Pending deliveries are picked up again
 * at start, so a restart loses none. Attempts on one delivery never overlap (a per-delivery
 * `Serial`), and the key lets the hotline drop the repeat of an attempt whose answer was lost.
 */
export function createOutbox(deps: { models: Models; logger: Logger; options: OutboxOptions }) {
  const { HotlineDelivery } = deps.models;
  const deliveries = rawCollection(HotlineDelivery);
  const opts = deps.options;
  const random = opts.random ?? Math.random;
  const events = new EventEmitter<OutboxEvents>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** One write at a time per record (see docs/architecture.md on FerretDB). */
  const serials = new KeyedSerial();
  const inFlight = new Set<Promise<void>>();
  let stopped = false;

  const configured = () => Boolean(opts.url && opts.secret);

  function schedule(id: string, at: Date | null): void {
    if (stopped || !configured()) return;
    const existing = timers.get(id);
    if (existing) clearTimeout(existing);
    const delay = Math.max(0, (at?.getTime() ?? Date.now()) - Date.now());
    const timer = setTimeout(() => {
      timers.delete(id);
      track(serials.run(id, () => attempt(id)));
    }, delay);
    timer.unref();
    timers.set(id, timer);
  }

  function track(p: Promise<void>): void {
    const done = p.catch((err: unknown) => deps.logger.error({ err }, 'hotline delivery attempt failed'));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }

  async function post(doc: HotlineDeliveryDoc): Promise<{ statusCode: number | null; error: string | null }> {
    const url = opts.url ?? '';
    const secret = opts.secret ?? '';
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signBody(secret, timestamp, doc.body),
          [IDEMPOTENCY_HEADER]: doc._id,
        },
        body: doc.body,
        signal: AbortSignal.timeout(opts.timeoutMs),
        redirect: 'error',
      });
      // The answer's body is not needed; read it so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
      return { statusCode: res.status, error: res.ok ? null : `HTTP ${res.status}` };
    } catch (err) {
      return { statusCode: null, error: describeError(err) };
    }
  }

  async function attempt(id: string): Promise<void> {
    if (stopped || !configured()) return;
    const doc = await HotlineDelivery.findById(id).lean();
    if (doc?.state !== 'pending') return;
    const result = await post(doc);
    const now = new Date();
    const count = (doc.attempts?.length ?? 0) - (doc.roundStart ?? 0) + 1;
    const delivered = result.error === null;
    const givingUp = !delivered && count >= opts.maxAttempts;
    const next = delivered || givingUp ? null : nextAttemptAt(count, now, random, opts.retryBaseMs, opts.retryMaxMs);
    const entry: DeliveryAttemptDoc = {
      at: now,
      statusCode: result.statusCode,
      error: result.error,
      nextAttemptAt: next,
    };
    const state = delivered ? 'delivered' : givingUp ? 'failed' : 'pending';
    await HotlineDelivery.updateOne(
      { _id: id, state: 'pending' },
      { $set: { state, nextAttemptAt: next }, $push: { attempts: entry } },
    );
    if (!delivered) {
      deps.logger.warn({ deliveryId: id, attempt: count, error: result.error, next }, 'hotline delivery failed');
    }
    events.emit(
      'attempt',
      presentDelivery({ ...doc, state, nextAttemptAt: next, attempts: [...(doc.attempts ?? []), entry] }),
    );
    if (next) schedule(id, next);
  }

  return {
    events,

    /**
     * Stores a status message for the hotline (once per key) and sends it. Resolves once it is
     * stored, not when it is delivered.
     */
    async enqueue(input: {
      ticketId: string;
      topicId: string;
      change: HotlineStatusChange;
      at: Date;
      occurrence?: number;
    }): Promise<string> {
      const id = deliveryKey(input.ticketId, input.change, input.occurrence ?? 0);
      const body: HotlineOutboundBody = {
        deliveryId: id,
        ticketId: input.ticketId,
        topicId: input.topicId,
        change: input.change,
        at: input.at.toISOString(),
      };
      const now = new Date();
      try {
        await deliveries.insertOne({
          _id: id,
          ticketId: input.ticketId,
          topicId: input.topicId,
          change: input.change,
          body: JSON.stringify(body),
          state: 'pending',
          attempts: [],
          roundStart: 0,
          nextAttemptAt: now,
          createdAt: now,
        });
      } catch (err) {
        if (isDuplicateKey(err)) return id; // already stored: its own schedule sends it
        throw err;
      }
      schedule(id, now);
      return id;
    },

    /** Picks up every pending delivery (after a restart). */
    async start(): Promise<number> {
      const pending = await HotlineDelivery.find({ state: 'pending' }, { _id: 1, nextAttemptAt: 1 }).lean();
      for (const d of pending) schedule(d._id, d.nextAttemptAt ? new Date(d.nextAttemptAt) : null);
      return pending.length;
    },

    async list(filter: { ticketId?: string } = {}): Promise<HotlineDeliveryView[]> {
      const query = filter.ticketId ? { ticketId: filter.ticketId } : {};
      const docs = await HotlineDelivery.find(query).sort({ createdAt: -1 }).limit(500).lean();
      return docs.map(presentDelivery);
    },

    /** Counts per ticket and state, for the ticket list. */
    async countsByTicket(): Promise<Map<string, Record<HotlineDeliveryDoc['state'], number>>> {
      const rows = await HotlineDelivery.aggregate<{
        _id: { ticketId: string; state: HotlineDeliveryDoc['state'] };
        n: number;
      }>([{ $group: { _id: { ticketId: '$ticketId', state: '$state' }, n: { $sum: 1 } } }]);
      const counts = new Map<string, Record<HotlineDeliveryDoc['state'], number>>();
      for (const row of rows) {
        const c = counts.get(row._id.ticketId) ?? { pending: 0, delivered: 0, failed: 0 };
        c[row._id.state] += row.n;
        counts.set(row._id.ticketId, c);
      }
      return counts;
    },

    /** Sends a given-up delivery again, with a fresh round of attempts. */
    retry(id: string): Promise<HotlineDeliveryView> {
      return serials.run(id, async () => {
        const doc = await HotlineDelivery.findById(id).lean();
        if (!doc) throw new AppError('NOT_FOUND', 'No such delivery.');
        if (doc.state !== 'failed') {
          throw new AppError('ILLEGAL_TRANSITION', 'Only a delivery that was given up can be sent again.');
        }
        const now = new Date();
        // Earlier attempts stay in the log; the new round counts its attempts after them.
        const roundStart = doc.attempts?.length ?? 0;
        await HotlineDelivery.updateOne(
          { _id: id, state: 'failed' },
          { $set: { state: 'pending', nextAttemptAt: now, roundStart } },
        );
        const view = presentDelivery({ ...doc, state: 'pending', nextAttemptAt: now, roundStart });
        schedule(id, now);
        return view;
      });
    },

    /** Resolves when no attempt is running. */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },

    /** Stops scheduling and waits for running attempts; pending deliveries stay stored. */
    async stop(): Promise<void> {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
