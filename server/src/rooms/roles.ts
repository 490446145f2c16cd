import { invitationManagers, type MemberView, type SessionRole } from '@yitang/shared';
import type { SessionDoc } from './room.model';

/** What `roleIn` reads of a session: who convenes it and who belongs to it. */
export type Membership = Pick<SessionDoc, '_id' | 'firstConvenerId' | 'secondConvenerId' | 'roles'> &
  Partial<Pick<SessionDoc, 'invitations' | 'openToAll'>>;

/**
 * A person's role in one session, or null when they may not enter it. Membership decides: the
 * conveners; then an invitation (sessions/) or an assigned role (recorder, leader, …) with its
 * role; staff, who run every session; and, in a plenary (`openToAll`), every committee member
 * as a member. Anyone else (an uninvited member or official) is refused. A guest holds the role
 * of their guest invitation, in their one session only.
 */
export function roleIn(session: Membership, member: MemberView): SessionRole | null {
  if (member.id === session.firstConvenerId) return 'firstConvener';
  if (member.id === session.secondConvenerId) return 'secondConvener';
  if (member.kind === 'guest') {
    return member.guestSessionId === session._id ? (member.guestRole ?? null) : null;
  }
  const invited = session.invitations?.find((i) => i.memberId === member.id);
  if (invited) return invited.role;
  const assigned = (session.roles ?? []).find((r) => r.memberId === member.id);
  if (assigned) return assigned.role;
  if (member.kind === 'staff') return 'staff';
  if (session.openToAll && member.kind === 'member') return 'member';
  return null;
}

/** The refusal an account outside a session's membership gets, in the committee's words first. */
export const notInvitedMessage = '你不在本次协商的邀请名单中。You are not on this session’s invitation list.';

export const isChair = (role: SessionRole | null) => role !== null && invitationManagers.includes(role);
