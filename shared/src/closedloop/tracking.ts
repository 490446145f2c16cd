import { z } from 'zod';

/**
 * assigned → inProgress → reportedDone → verified → closed; reportedDone → returned → inProgress
 * when the conveners send the work back for rework. `closed` is final.
 */
export const TrackingStatus = z.enum(['assigned', 'inProgress', 'reportedDone', 'verified', 'closed', 'returned']);
export type TrackingStatus = z.infer<typeof TrackingStatus>;

export const maxReturnReasonLength = 500;

/** Why the work was sent back: required, trimmed, non-blank. */
export const ReturnReason = z.string().trim().min(1).max(maxReturnReasonLength);

export const TrackingActionType = z.enum(['start', 'report', 'verify', 'return', 'close']);
export type TrackingActionType = z.infer<typeof TrackingActionType>;

export const TrackingAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('report') }),
  z.object({ type: z.literal('verify') }),
  z.object({ type: z.literal('return'), reason: ReturnReason }),
  z.object({ type: z.literal('close') }),
]);
export type TrackingAction = z.infer<typeof TrackingAction>;

export type TrackingTransition = { ok: true; status: TrackingStatus } | { ok: false; error: 'ILLEGAL_TRANSITION' };

const legal: Record<TrackingStatus, Partial<Record<TrackingActionType, TrackingStatus>>> = {
  assigned: { start: 'inProgress' },
  inProgress: { report: 'reportedDone' },
  reportedDone: { verify: 'verified', return: 'returned' },
  verified: { close: 'closed' },
  closed: {},
  returned: { start: 'inProgress' },
};

/**
 * The status after `action`, or ILLEGAL_TRANSITION. A return whose reason is blank is refused the
 * same way (parse with `TrackingAction` first for a precise message).
 */
export function trackingTransition(status: TrackingStatus, action: TrackingAction): TrackingTransition {
  if (action.type === 'return' && action.reason.trim() === '') return { ok: false, error: 'ILLEGAL_TRANSITION' };
  const next = legal[status][action.type];
  return next === undefined ? { ok: false, error: 'ILLEGAL_TRANSITION' } : { ok: true, status: next };
}

/** Who may take a tracking action. */
export const TrackingActor = z.enum(['department', 'convener', 'staff']);
export type TrackingActor = z.infer<typeof TrackingActor>;

/** The responsible department starts and reports; the conveners verify, return and close; staff may also close. */
export const trackingActors: Readonly<Record<TrackingActionType, readonly TrackingActor[]>> = {
  start: ['department'],
  report: ['department'],
  verify: ['convener'],
  return: ['convener'],
  close: ['convener', 'staff'],
};

export function mayTakeTrackingAction(actor: TrackingActor, action: TrackingActionType): boolean {
  return trackingActors[action].includes(actor);
}

/**
 * Statuses in which the item is on the department's desk. `reportedDone` is not overdue: the
 * department has done its part on time or not, and the wait is now the conveners'. `returned`
 * is: rework does not move the deadline.
 */
const awaitingDepartment: readonly TrackingStatus[] = ['assigned', 'inProgress', 'returned'];

/**
 * Overdue means the deadline is strictly before `today` (the deadline day itself is still in
 * time) and the item is still awaiting the department. No deadline: never overdue. Dates are
 * `YYYY-MM-DD`, so they compare as strings; `today` is the caller's local (Asia/Shanghai) date.
 */
export function isOverdue(item: { status: TrackingStatus; deadline: string | null }, today: string): boolean {
  return item.deadline !== null && item.deadline < today && awaitingDepartment.includes(item.status);
}
