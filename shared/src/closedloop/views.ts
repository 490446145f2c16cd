import { z } from 'zod';
import { TrackingAction, TrackingStatus } from './tracking';

const Id = z.string().min(1).max(64);

/** One step in a tracking item's history: who did what, when (and why, for a return). */
export const TrackingEvent = z.object({
  at: z.string(),
  by: Id,
  byName: z.string(),
  action: z.enum(['create', 'start', 'report', 'verify', 'return', 'close']),
  status: TrackingStatus,
  note: z.string().nullable(),
});
export type TrackingEvent = z.infer<typeof TrackingEvent>;

/** 督办事项: one outcome followed until it is done and verified. */
export const TrackingItemView = z.object({
  id: Id,
  outcomeId: Id,
  sessionId: Id,
  topic: z.string(),
  text: z.string(),
  department: z.string(),
  deadline: z.string().nullable(),
  status: TrackingStatus,
  /** Derived from the deadline and the status, for today in the committee's time zone. */
  overdue: z.boolean(),
  history: z.array(TrackingEvent),
});
export type TrackingItemView = z.infer<typeof TrackingItemView>;

export const TrackingListResponse = z.object({ items: z.array(TrackingItemView) });
export type TrackingListResponse = z.infer<typeof TrackingListResponse>;

/** POST /api/tracking/:id/actions — the action, with a reason for a return; an optional note. */
export const TrackingActionBody = z
  .object({ action: TrackingAction, note: z.string().trim().max(2000).optional() })
  .strict();
export type TrackingActionBody = z.infer<typeof TrackingActionBody>;
