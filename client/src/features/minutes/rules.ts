import {
  type MinutesInfo,
  type MinutesStatus,
  minutesWriters,
  type SessionRole,
  type SessionState,
} from '@yitang/shared';

/** The minutes' lifecycle, in order: the steps the review page shows. */
export const minutesSteps = ['draft', 'inReview', 'approved', 'published'] as const satisfies readonly MinutesStatus[];

const conveners: readonly SessionRole[] = ['firstConvener', 'secondConvener'];

/*
 * The REST rules below are the server's; shared/ names only the writers (`minutesWriters`), so these
 * lists live here until the contract has them. "Staff" there is the account (a staff member who is
 * this session's recorder still counts), so callers pass `staffAccount` from the signed-in member.
 */
/** Who may mark a review comment resolved. */
const resolvers: readonly SessionRole[] = [...conveners, 'recorder'];

const isStaff = (role: SessionRole | undefined, staffAccount: boolean) => staffAccount || role === 'staff';

const has = (list: readonly SessionRole[], role: SessionRole | undefined) => role !== undefined && list.includes(role);

/** While drafted or in review the text may still change; approved and published minutes are frozen. */
export function isOpenForEditing(status: MinutesStatus | null): boolean {
  return status === 'draft' || status === 'inReview';
}

/** Whether someone in `role` may edit the minutes now: a writer (conveners, recorder) while not frozen. */
export function mayWriteMinutes(role: SessionRole | undefined, status: MinutesStatus | null): boolean {
  return has(minutesWriters, role) && isOpenForEditing(status);
}

/** Why the editor is read-only for someone, or null when they may write. */
export type ReadOnlyReason = 'loading' | 'role' | 'frozen';

export function readOnlyReason(role: SessionRole | undefined, status: MinutesStatus | null): ReadOnlyReason | null {
  if (status === null || role === undefined) return 'loading';
  if (!isOpenForEditing(status)) return 'frozen';
  return has(minutesWriters, role) ? null : 'role';
}

/**
 * The minutes status to judge editing by: the server's once loaded; before that, a session that has
 * not closed can only have draft minutes (review starts after the close), so writers can type at once.
 */
export function effectiveStatus(
  info: Pick<MinutesInfo, 'status'> | null,
  sessionState: SessionState | undefined,
): MinutesStatus | null {
  if (info) return info.status;
  return sessionState === 'scheduled' || sessionState === 'live' ? 'draft' : null;
}

export type StepState = 'done' | 'current' | 'todo';

export function stepState(step: MinutesStatus, status: MinutesStatus): StepState {
  const at = minutesSteps.indexOf(status);
  const i = minutesSteps.indexOf(step);
  if (i < at) return 'done';
  return i === at ? 'current' : 'todo';
}

/** Someone's standing towards the minutes of one session. */
export interface MinutesStanding {
  role: SessionRole | undefined;
  /** A staff account (staff steer the minutes whatever their role in this session). */
  staffAccount: boolean;
  memberId: string | undefined;
  status: MinutesStatus;
  sessionState: SessionState;
  approvals: readonly string[];
}

export type MinutesAction = 'review' | 'withdraw' | 'approve' | 'publish';

/** What a transition button would do for this person now: shown and usable, or why not. */
export type ActionState = 'ready' | 'hidden' | 'notClosed' | 'approvedByYou';

/**
 * Transitions by role and status: conveners and staff submit a closed session's draft for review,
 * and may take it back to draft until it is approved; each convener approves the version in review once (both are needed); conveners and staff publish
 * approved minutes.
 */
export function actionState(action: MinutesAction, s: MinutesStanding): ActionState {
  const steward = has(conveners, s.role) || isStaff(s.role, s.staffAccount);
  switch (action) {
    case 'review':
      if (!steward || s.status !== 'draft') return 'hidden';
      return s.sessionState === 'closed' ? 'ready' : 'notClosed';
    case 'withdraw':
      return steward && s.status === 'inReview' ? 'ready' : 'hidden';
    case 'approve':
      if (!has(conveners, s.role) || s.status !== 'inReview') return 'hidden';
      return s.memberId !== undefined && s.approvals.includes(s.memberId) ? 'approvedByYou' : 'ready';
    case 'publish':
      return steward && s.status === 'approved' ? 'ready' : 'hidden';
  }
}

/** Participants comment on the minutes while they are in review. */
export function mayComment(role: SessionRole | undefined, status: MinutesStatus | null): boolean {
  return role !== undefined && status === 'inReview';
}

export function mayResolveComments(role: SessionRole | undefined): boolean {
  return has(resolvers, role);
}

/** A manual version (writers and staff), while the text can still change; a frozen text has its approval version. */
export function maySnapshot(
  role: SessionRole | undefined,
  status: MinutesStatus | null,
  staffAccount = false,
): boolean {
  return (has(minutesWriters, role) || isStaff(role, staffAccount)) && isOpenForEditing(status);
}

/** Exports are of the published text only. */
export function mayExport(status: MinutesStatus | null): boolean {
  return status === 'published';
}
