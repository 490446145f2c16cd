import { z } from 'zod';
import type { Vocabulary } from '../vocabulary';

/**
 * assigned → inProgress → reportedDone → verified → closed; reportedDone → returned → inProgress
 * when the conveners send the work back for rework. `closed` is final.
 */
export const TrackingStatus = z.enum(['assigned', 'inProgress', 'reportedDone', 'verified', 'closed', 'returned']);
export type TrackingStatus = z.infer<typeof TrackingStatus>;
/** Each status's name: the tracking pages and a topic's trail say the same. */
export const trackingStatusNames: Vocabulary<TrackingStatus> = {
  'zh-CN': {
    assigned: '已交办',
    inProgress: '办理中',
    reportedDone: '已报办结',
    verified: '已核实',
    closed: '已办结',
    returned: '已退回重办',
  },
  en: {
    assigned: 'Assigned',
    inProgress: 'In progress',
    reportedDone: 'Reported done',
    verified: 'Verified',
    closed: 'Closed',
    returned: 'Returned for rework',
  },
};

export const maxReturnReasonLength = 500;

/**
 * Where a tracking item comes from: a session's outcome (协商成果), an accepted proposal (提案交办),
 * a finding of democratic supervision (民主监督) or of an inspection (视察), or work staff set
 * directly. The same states, chases, desk, reports, verification and ratings serve every kind.
 */
export const TrackingSourceKind = z.enum(['outcome', 'proposal', 'supervision', 'inspection', 'staff']);
export type TrackingSourceKind = z.infer<typeof TrackingSourceKind>;

/**
 * Sources whose items end by the source's own steps, not on the item: a proposal's item is done
 * by the department's reply (答复) and ended by the proposer's feedback, so its desk reports
 * progress but never marks the work done.
 */
export const sourceDrivenTrackingKinds: readonly TrackingSourceKind[] = ['proposal'];

/** Whether a progress report on an item of this source may say the work is done. */
export const mayReportTrackingDone = (kind: TrackingSourceKind): boolean => !sourceDrivenTrackingKinds.includes(kind);

/** Kinds staff may create by hand (outcomes come from a session, proposals from their assignment). */
export const StaffTrackingSourceKind = z.enum(['staff', 'supervision', 'inspection']);
export type StaffTrackingSourceKind = z.infer<typeof StaffTrackingSourceKind>;

/** Lengths of a source's title and summary (a finding's description). */
export const trackingSourceLimits = { maxTitleLength: 200, maxSummaryLength: 4000, maxTextLength: 2000 } as const;

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

/** Who chases: staff and the conveners. The department is what gets chased. */
export const trackingChasers: readonly TrackingActor[] = ['staff', 'convener'];

/** Who names or changes the responsible person: staff and the conveners. */
export const trackingAssigners: readonly TrackingActor[] = ['staff', 'convener'];

/** Sizes and lengths of progress reports, attachments, chases and ratings. */
export const trackingLimits = {
  maxReportLength: 4000,
  maxNextStepLength: 1000,
  /** One attachment, bytes. Stored in MongoDB, so well under its 16 MB document limit. */
  maxAttachmentBytes: 5 * 1024 * 1024,
  maxAttachmentsPerReport: 5,
  maxFileNameLength: 200,
  maxChaseNoteLength: 1000,
  maxRatingCommentLength: 500,
} as const;

/**
 * Files a progress report may carry: photos, PDF, office documents, plain text. They are always
 * served as downloads (`Content-Disposition: attachment`, `nosniff`), never rendered in our origin.
 */
export const attachmentContentTypes = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
] as const;

export const isAllowedAttachmentType = (type: string): boolean =>
  (attachmentContentTypes as readonly string[]).includes(type);

/** True while the item is on the department's desk: it may report progress and may be chased. */
export function awaitsDepartment(status: TrackingStatus): boolean {
  return awaitingDepartment.includes(status);
}

/**
 * The status after a progress report. Reports come while the item awaits the department; the
 * first report on an assigned (or returned) item starts it, and a report marked done moves it on
 * to reportedDone. `steps` are the status-machine actions taken, in order, for the history.
 */
export function afterProgressReport(
  status: TrackingStatus,
  done: boolean,
): { ok: true; status: TrackingStatus; steps: Array<'start' | 'report'> } | { ok: false; error: 'ILLEGAL_TRANSITION' } {
  if (!awaitsDepartment(status)) return { ok: false, error: 'ILLEGAL_TRANSITION' };
  const steps: Array<'start' | 'report'> = [];
  let current = status;
  if (current !== 'inProgress') {
    const started = trackingTransition(current, { type: 'start' });
    if (!started.ok) return started;
    current = started.status;
    steps.push('start');
  }
  if (done) {
    const reported = trackingTransition(current, { type: 'report' });
    if (!reported.ok) return reported;
    current = reported.status;
    steps.push('report');
  }
  return { ok: true, status: current, steps };
}

/** 1 催办 (chased), 2 督办 (escalated to the department head), 3 reported to the leader. */
export const ChaseLevel = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type ChaseLevel = z.infer<typeof ChaseLevel>;

/**
 * The level of a new chase. The first chase of an item that is still in time is level 1; a
 * repeated chase, or one of an overdue item, goes one level above the last (an overdue item's
 * first chase is therefore already 督办). Level 3 is the top. `previous` is 0 when never chased.
 */
export function nextChaseLevel(previous: 0 | ChaseLevel, overdue: boolean): ChaseLevel {
  const escalate = previous > 0 || overdue;
  const level = Math.min(3, Math.max(previous, 1) + (escalate ? 1 : 0));
  return ChaseLevel.parse(level);
}

/** Satisfaction ratings may be given and changed until the item is closed. */
export const isRatable = (status: TrackingStatus): boolean => status !== 'closed';

/** Statuses in the department view: everything not yet verified or closed. */
export const isOpenForDepartment = (status: TrackingStatus): boolean => status !== 'verified' && status !== 'closed';

/** Department view order: overdue first, then the nearest deadline, items without one last. */
export function compareForDepartment(
  a: { overdue: boolean; deadline: string | null; id: string },
  b: { overdue: boolean; deadline: string | null; id: string },
): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if (a.deadline !== b.deadline) {
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    return a.deadline < b.deadline ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
