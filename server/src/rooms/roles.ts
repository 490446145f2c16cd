import { invitationManagers, type MemberView, type SessionRole } from '@yitang/shared';
import type { SessionDoc } from './room.model';

/**
 * A person's role in one session, or null when they may not enter it. Conveners come from the
 * session; explicit assignments (recorder, leader, …) next; then the kind of account. A guest
 * holds the role of their invitation, in their one session only.
 */
export function roleIn(
  session: Pick<SessionDoc, '_id' | 'firstConvenerId' | 'secondConvenerId' | 'roles'>,
  member: MemberView,
): SessionRole | null {
  if (member.id === session.firstConvenerId) return 'firstConvener';
  if (member.id === session.secondConvenerId) return 'secondConvener';
  if (member.kind === 'guest') {
    return member.guestSessionId === session._id ? (member.guestRole ?? null) : null;
  }
  const assigned = session.roles.find((r) => r.memberId === member.id);
  if (assigned) return assigned.role;
  switch (member.kind) {
    case 'staff':
      return 'staff';
    case 'official':
      return 'departmentRep';
    default:
      return 'member';
  }
}

export const isChair = (role: SessionRole | null) => role !== null && invitationManagers.includes(role);
