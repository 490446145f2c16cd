import type { AttendanceDoc, SessionDoc } from '../rooms/room.model';

/**
 * 缺席未请假: the invitees of a closed session who neither took part (online or in the hall) nor
 * had a leave request approved. Derived, never typed in: the duty ledger (scoring/) asks here.
 * A session that is not closed, or was cancelled, has no absentees.
 */
export function absentWithoutLeave(
  session: Pick<SessionDoc, 'state' | 'invitations'> & Partial<Pick<SessionDoc, 'cancelledAt'>>,
  attendance: ReadonlyArray<Pick<AttendanceDoc, 'memberId' | 'online' | 'inHall'>>,
): string[] {
  if (session.state !== 'closed' || session.cancelledAt) return [];
  const present = new Set(attendance.filter((a) => a.online || a.inHall).map((a) => a.memberId));
  return (session.invitations ?? [])
    .filter((i) => !present.has(i.memberId) && !(i.answer === 'leave' && i.leave === 'approved'))
    .map((i) => i.memberId);
}
