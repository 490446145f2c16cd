import {
  type AcceptInvitationBody,
  CreatedInvitation,
  type CreateInvitationBody,
  Id,
  InvitationPreview,
  InvitationView,
  MemberView,
} from '@yitang/shared';
import { api, field, type Parser } from '../../lib/http';

const base = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}/invitations`;

export function fetchInvitations(sessionId: string): Promise<InvitationView[]> {
  return api(base(sessionId), field('invitations', InvitationView.array()));
}

export function createInvitation(sessionId: string, body: CreateInvitationBody): Promise<CreatedInvitation> {
  return api(base(sessionId), CreatedInvitation, { method: 'POST', body });
}

export function revokeInvitation(sessionId: string, invitationId: string): Promise<InvitationView> {
  return api(`${base(sessionId)}/${encodeURIComponent(invitationId)}/revoke`, field('invitation', InvitationView), {
    method: 'POST',
  });
}

export function previewInvitation(token: string): Promise<InvitationPreview> {
  return api(`/api/invite/${encodeURIComponent(token)}`, InvitationPreview);
}

export interface AcceptedInvitation {
  member: MemberView;
  sessionId: string;
}

/** rest.ts has no schema for the accept answer; it is `{ member, sessionId }`. */
const AcceptedInvitation: Parser<AcceptedInvitation> = {
  parse: (data) => ({ member: field('member', MemberView).parse(data), sessionId: field('sessionId', Id).parse(data) }),
};

/** Accepts an invitation; the server signs the guest in (cookie) for the one session. */
export function acceptInvitation(token: string, body: AcceptInvitationBody): Promise<AcceptedInvitation> {
  return api(`/api/invite/${encodeURIComponent(token)}/accept`, AcceptedInvitation, { method: 'POST', body });
}
