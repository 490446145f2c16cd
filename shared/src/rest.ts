import { z } from 'zod';
import { Id, MemberView, SessionRole, SessionView, Text } from './domain';
import { limits } from './limits';

export const DemoLoginBody = z.object({ memberId: Id }).strict();
export type DemoLoginBody = z.infer<typeof DemoLoginBody>;

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(limits.maxNameLength),
    password: z.string().min(1).max(limits.maxPasswordLength),
  })
  .strict();
export type LoginBody = z.infer<typeof LoginBody>;

export const MeResponse = z.object({ member: MemberView.nullable(), demoLogin: z.boolean().optional() });
export type MeResponse = z.infer<typeof MeResponse>;

export const MembersResponse = z.object({ members: z.array(MemberView) });
export type MembersResponse = z.infer<typeof MembersResponse>;

/** A session in the room list (GET /api/sessions): its view, and whether it was cancelled (listed with the past). */
export const SessionListItem = SessionView.extend({ cancelled: z.boolean() });
export type SessionListItem = z.infer<typeof SessionListItem>;

export const SessionsResponse = z.object({ sessions: z.array(SessionListItem) });
export type SessionsResponse = z.infer<typeof SessionsResponse>;

/** Roles a guest can be invited as. Conveners, members and staff come from accounts. */
export const GuestRole = SessionRole.extract([
  'departmentRep',
  'stakeholder',
  'citizenRep',
  'leader',
  'recorder',
  'observer',
]);
export type GuestRole = z.infer<typeof GuestRole>;

export const CreateInvitationBody = z
  .object({
    role: GuestRole,
    /** Who it is for, as staff know them; the guest can correct it when accepting. */
    name: Text(limits.maxNameLength),
    /**
     * How long the link stays valid. Left out: until the day after the session (at least
     * `limits.invitationHours` from now), so a link sent a week ahead still opens on the day.
     */
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .optional(),
  })
  .strict();
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>;

export const InvitationView = z.object({
  id: Id,
  sessionId: Id,
  role: GuestRole,
  name: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  acceptedBy: Id.nullable(),
});
export type InvitationView = z.infer<typeof InvitationView>;

/** Created once: the link carries a secret token shown only in this answer. */
export const CreatedInvitation = z.object({ invitation: InvitationView, token: z.string(), path: z.string() });
export type CreatedInvitation = z.infer<typeof CreatedInvitation>;

export const InvitationPreview = z.object({
  role: GuestRole,
  name: z.string(),
  /**
   * Already accepted: opening the link again (a second browser, or after leaving) signs in the
   * same guest, under the name they gave the first time; no name is asked again.
   */
  accepted: z.boolean(),
  session: SessionView,
  expiresAt: z.string(),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;

export const InvitationsResponse = z.object({ invitations: z.array(InvitationView) });
export type InvitationsResponse = z.infer<typeof InvitationsResponse>;

export const InvitationResponse = z.object({ invitation: InvitationView });
export type InvitationResponse = z.infer<typeof InvitationResponse>;

export const AcceptedInvitation = z.object({ member: MemberView, sessionId: Id });
export type AcceptedInvitation = z.infer<typeof AcceptedInvitation>;

export const LoginResponse = z.object({ member: MemberView });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const AcceptInvitationBody = z.object({ name: Text(limits.maxNameLength) }).strict();
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBody>;

/** The storage key of a session's minutes document (the socket path uses the bare session id). */
export const minutesDocName = (sessionId: string) => `minutes:${sessionId}`;
/** URL path prefix of the minutes socket; the doc name follows it. */
export const MINUTES_PATH = '/minutes';

/** Why a sign-in was refused: a wrong name or password, or a locked name or address. */
export const LoginFailureReason = z.enum(['badCredentials', 'rateLimited']);
export type LoginFailureReason = z.infer<typeof LoginFailureReason>;

/** One refused sign-in, as staff see it (GET /api/auth/failures). */
export const LoginFailureView = z.object({
  at: z.string(),
  username: z.string(),
  address: z.string(),
  reason: LoginFailureReason,
});
export type LoginFailureView = z.infer<typeof LoginFailureView>;

export const LoginFailuresResponse = z.object({ failures: z.array(LoginFailureView) });
export type LoginFailuresResponse = z.infer<typeof LoginFailuresResponse>;
