import { z } from 'zod';
import { TopicState } from '../closedloop/topics';
import { Id } from '../domain';

/**
 * The 12345 citizen-hotline linkage: tickets in (CSV upload, signed webhook), one-step topics,
 * status changes out (signed webhook with retries and a delivery log).
 */

/** One 12345 hotline ticket, as received by CSV upload or as the body of the signed webhook. */
export const HotlineTicket = z.object({
  ticketId: z
    .string()
    .trim()
    .min(1)
    // Ids are at most 64 characters: the ticket is `hl-<ticketId>`, its topic `tp-hotline-<ticketId>`.
    .max(48)
    .regex(/^[A-Za-z0-9-]+$/, 'ticketId may contain only letters, digits and hyphens'),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(4000),
  district: z.string().trim().max(60),
  reportedAt: z.iso.datetime({ offset: true }),
  category: z.string().trim().max(60),
  /** The hotline's own status label, kept as given. */
  status: z.string().trim().min(1).max(40).optional(),
});
export type HotlineTicket = z.infer<typeof HotlineTicket>;

/** The webhook body: a ticket; `description`, `district` and `category` may be left out. */
export const HotlineWebhookBody = HotlineTicket.extend({
  description: HotlineTicket.shape.description.default(''),
  district: HotlineTicket.shape.district.default(''),
  category: HotlineTicket.shape.category.default(''),
}).strict();
export type HotlineWebhookBody = z.input<typeof HotlineWebhookBody>;

/** The ticket's key in Yitang: one stored ticket per hotline ticket id. */
export const hotlineTicketKey = (ticketId: string) => `hl-${ticketId}`;

/** Largest ticket CSV accepted (bytes) and most tickets in one file. */
export const hotlineLimits = { maxCsvBytes: 2 * 1024 * 1024, maxCsvTickets: 5_000 } as const;

export const HotlineTicketOrigin = z.enum(['csv', 'webhook']);
export type HotlineTicketOrigin = z.infer<typeof HotlineTicketOrigin>;

export const HotlineDeliveryState = z.enum(['pending', 'delivered', 'failed']);
export type HotlineDeliveryState = z.infer<typeof HotlineDeliveryState>;

export const HotlineTicketView = z.object({
  id: Id,
  ticketId: z.string(),
  title: z.string(),
  description: z.string(),
  district: z.string(),
  category: z.string(),
  reportedAt: z.string(),
  /** The hotline's own status label, as last received. */
  hotlineStatus: z.string().nullable(),
  origin: HotlineTicketOrigin,
  receivedAt: z.string(),
  topicId: Id.nullable(),
  topicTitle: z.string().nullable(),
  topicState: TopicState.nullable(),
  /** Outbound status messages about this ticket, by delivery state. */
  deliveries: z.object({ pending: z.number(), delivered: z.number(), failed: z.number() }),
});
export type HotlineTicketView = z.infer<typeof HotlineTicketView>;

export const HotlineTicketsResponse = z.object({ tickets: z.array(HotlineTicketView) });
export type HotlineTicketsResponse = z.infer<typeof HotlineTicketsResponse>;

export const HotlineTicketResponse = z.object({ ticket: HotlineTicketView });
export type HotlineTicketResponse = z.infer<typeof HotlineTicketResponse>;

/** Why a row (or the whole file, row 0) was refused; the client words each one. */
export const HotlineProblemCode = z.enum([
  'emptyFile',
  'noTickets',
  'tooManyTickets',
  'notCsv',
  'missingColumn',
  'duplicateColumn',
  'fieldCount',
  'required',
  'tooLong',
  'badFormat',
  'invalidField',
  'duplicateInFile',
  'conflict',
]);
export type HotlineProblemCode = z.infer<typeof HotlineProblemCode>;

export const HotlineRowProblem = z.object({
  /** 1-based data row (the header is not counted); 0 for the file or its header. */
  row: z.number().int().min(0),
  field: z.string().optional(),
  code: HotlineProblemCode,
  message: z.string(),
});
export type HotlineRowProblem = z.infer<typeof HotlineRowProblem>;

/** 201 from POST /api/hotline/imports: every ticket in the file is stored. */
export const HotlineImportResponse = z.object({
  importId: Id,
  /** Ticket ids stored by this import. */
  imported: z.array(z.string()),
  /** Ticket ids that were already stored with the same content (nothing written for them). */
  alreadyPresent: z.array(z.string()),
});
export type HotlineImportResponse = z.infer<typeof HotlineImportResponse>;

/** 400 from POST /api/hotline/imports: nothing was stored; every problem is listed. */
export const HotlineImportRefusal = z.object({
  error: z.object({ code: z.literal('BAD_REQUEST'), message: z.string() }),
  problems: z.array(HotlineRowProblem),
});
export type HotlineImportRefusal = z.infer<typeof HotlineImportRefusal>;

/** 200 from the webhook, the same for the first delivery of a ticket and every repeat. */
export const HotlineWebhookReceipt = z.object({ id: Id, ticketId: z.string(), receivedAt: z.string() });
export type HotlineWebhookReceipt = z.infer<typeof HotlineWebhookReceipt>;

/** POST /api/hotline/tickets/:id/topic answers with the ticket and its topic (made once). */
export const HotlineTopicResponse = z.object({ ticket: HotlineTicketView, created: z.boolean() });
export type HotlineTopicResponse = z.infer<typeof HotlineTopicResponse>;

/** Status changes reported back to the hotline. */
export const HotlineTopicStatus = z.enum(['accepted', 'declined', 'scheduled', 'closed']);
export type HotlineTopicStatus = z.infer<typeof HotlineTopicStatus>;
export const HotlineTrackingStatus = z.enum(['reportedDone', 'verified', 'closed']);
export type HotlineTrackingStatus = z.infer<typeof HotlineTrackingStatus>;

export const HotlineStatusChange = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('topic'),
    status: HotlineTopicStatus,
    /** The reason for a decline; null otherwise. */
    reason: z.string().nullable(),
  }),
  z.object({
    kind: z.literal('tracking'),
    trackingItemId: Id,
    status: HotlineTrackingStatus,
    /** The outcome being tracked. */
    text: z.string(),
    department: z.string(),
  }),
]);
export type HotlineStatusChange = z.infer<typeof HotlineStatusChange>;

/**
 * The outbound webhook's JSON body. Signed like the inbound one (X-Yitang-Timestamp,
 * X-Yitang-Signature) and sent with `Idempotency-Key: <deliveryId>`; a retry sends the same body
 * and key, so the hotline can drop a repeat.
 */
export const HotlineOutboundBody = z.object({
  deliveryId: Id,
  ticketId: z.string(),
  topicId: Id,
  change: HotlineStatusChange,
  /** When the change happened in Yitang. */
  at: z.string(),
});
export type HotlineOutboundBody = z.infer<typeof HotlineOutboundBody>;

export const HotlineDeliveryAttempt = z.object({
  at: z.string(),
  /** The hotline's HTTP status, or null when no answer came. */
  statusCode: z.number().int().nullable(),
  /** Why the attempt failed (network error, timeout, status); null when delivered. */
  error: z.string().nullable(),
  /** When the next attempt is due; null once delivered or given up. */
  nextAttemptAt: z.string().nullable(),
});
export type HotlineDeliveryAttempt = z.infer<typeof HotlineDeliveryAttempt>;

export const HotlineDeliveryView = z.object({
  id: Id,
  ticketId: z.string(),
  topicId: Id,
  change: HotlineStatusChange,
  state: HotlineDeliveryState,
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  attempts: z.array(HotlineDeliveryAttempt),
});
export type HotlineDeliveryView = z.infer<typeof HotlineDeliveryView>;

export const HotlineDeliveriesResponse = z.object({ deliveries: z.array(HotlineDeliveryView) });
export type HotlineDeliveriesResponse = z.infer<typeof HotlineDeliveriesResponse>;

export const HotlineDeliveryResponse = z.object({ delivery: HotlineDeliveryView });
export type HotlineDeliveryResponse = z.infer<typeof HotlineDeliveryResponse>;
