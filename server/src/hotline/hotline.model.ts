import type { HotlineDeliveryState, HotlineStatusChange, HotlineTicketOrigin, TopicState } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * A 12345 hotline ticket. `_id` is `hl-<ticketId>` (hotlineTicketKey), so a ticket received twice,
 * by CSV or webhook, is stored once. Tickets of a CSV import carry its `importId`; they count only
 * once their import is `done` (see HotlineImportDoc).
 */
export interface HotlineTicketDoc {
  _id: string;
  ticketId: string;
  title: string;
  description: string;
  district: string;
  category: string;
  reportedAt: string;
  hotlineStatus: string | null;
  origin: HotlineTicketOrigin;
  importId: string | null;
  receivedAt: Date;
  /** Set once, when the ticket became a topic. */
  topicId: string | null;
  /** The topic's title and state as last heard from topics, for the ticket list. */
  topicTitle: string | null;
  topicState: TopicState | null;
}

/**
 * One CSV upload. Written `importing` before its tickets, `done` after every one of them is
 * stored; a failed import removes the tickets it inserted and is marked `failed`. An import left
 * `importing` by a crash is rolled back the same way when the server starts.
 */
export interface HotlineImportDoc {
  _id: string;
  state: 'importing' | 'done' | 'failed';
  by: string;
  fileName: string;
  tickets: number;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface DeliveryAttemptDoc {
  at: Date;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
}

/**
 * The outbox: one document per status message to the hotline, written before any attempt so a
 * restart resumes it. `_id` is derived from the change it reports (deliveryKey), so reporting the
 * same change twice stores one delivery; it is also the `Idempotency-Key` sent with every attempt.
 */
export interface HotlineDeliveryDoc {
  _id: string;
  ticketId: string;
  topicId: string;
  change: HotlineStatusChange;
  /** The exact JSON sent on every attempt. */
  body: string;
  state: HotlineDeliveryState;
  attempts: DeliveryAttemptDoc[];
  /** Attempts before this index belong to an earlier round (before staff sent it again). */
  roundStart: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export function hotlineModels(conn: Connection) {
  const HotlineTicketRecord = conn.model<HotlineTicketDoc>(
    'HotlineTicket',
    new Schema<HotlineTicketDoc>(
      {
        _id: String,
        ticketId: { type: String, required: true },
        title: { type: String, required: true },
        description: { type: String, default: '' },
        district: { type: String, default: '' },
        category: { type: String, default: '' },
        reportedAt: { type: String, required: true },
        hotlineStatus: { type: String, default: null },
        origin: { type: String, required: true },
        importId: { type: String, default: null, index: true },
        receivedAt: { type: Date, required: true },
        topicId: { type: String, default: null, index: true },
        topicTitle: { type: String, default: null },
        topicState: { type: String, default: null },
      },
      { versionKey: false },
    ),
    'hotline_tickets',
  );
  const HotlineImport = conn.model<HotlineImportDoc>(
    'HotlineImport',
    new Schema<HotlineImportDoc>(
      {
        _id: String,
        state: { type: String, required: true },
        by: { type: String, required: true },
        fileName: { type: String, default: '' },
        tickets: { type: Number, required: true },
        startedAt: { type: Date, required: true },
        finishedAt: { type: Date, default: null },
      },
      { versionKey: false },
    ),
    'hotline_imports',
  );
  const HotlineDelivery = conn.model<HotlineDeliveryDoc>(
    'HotlineDelivery',
    new Schema<HotlineDeliveryDoc>(
      {
        _id: String,
        ticketId: { type: String, required: true, index: true },
        // The topic trail lists a topic's messages.
        topicId: { type: String, required: true, index: true },
        change: { type: Schema.Types.Mixed, required: true },
        body: { type: String, required: true },
        state: { type: String, required: true, index: true },
        attempts: {
          type: [new Schema({ at: Date, statusCode: Number, error: String, nextAttemptAt: Date }, { _id: false })],
          default: [],
        },
        roundStart: { type: Number, default: 0 },
        nextAttemptAt: { type: Date, default: null },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'hotline_deliveries',
  );
  return { HotlineTicketRecord, HotlineImport, HotlineDelivery };
}
