import { z } from 'zod';
import { maxTopicTitleLength } from './closedloop/topic-views';
import { AgendaItem, Id, SessionMode, SessionRole, SessionState, Text } from './domain';
import { limits } from './limits';

/** Most people one session invites (the topics' schedule form shares the bound). */
export const maxInvitees = 500;
/** Longest leave (请假) or cancellation reason. */
export const maxLeaveReasonLength = 200;

/**
 * Sessions (协商活动) as the sessions module owns them: who is invited with which role, their
 * answer (参加 / 请假 with a reason), and staff's decision on a leave request. "Absent without
 * leave" (缺席未请假) is derived after close from these and the attendance; nobody types it in.
 */

/** Roles one can be invited as; conveners are the session's own fields, staff come from accounts. */
export const InviteeRole = SessionRole.exclude(['firstConvener', 'secondConvener', 'staff']);
export type InviteeRole = z.infer<typeof InviteeRole>;

/** An invitee's answer: not yet, will attend, or asks for leave (请假). */
export const RsvpAnswer = z.enum(['pending', 'attend', 'leave']);
export type RsvpAnswer = z.infer<typeof RsvpAnswer>;

/** Staff's decision on a leave request. */
export const LeaveDecision = z.enum(['requested', 'approved', 'refused']);
export type LeaveDecision = z.infer<typeof LeaveDecision>;

export const InviteeView = z.object({
  memberId: Id,
  name: z.string(),
  sectorName: z.string().nullable(),
  role: SessionRole,
  answer: RsvpAnswer,
  leaveReason: z.string().nullable(),
  /** null unless the answer is leave. */
  leave: LeaveDecision.nullable(),
  answeredAt: z.string().nullable(),
});
export type InviteeView = z.infer<typeof InviteeView>;

/** GET /api/sessions/:id/detail: the session as its managers and invitees see it. */
export const SessionDetail = z.object({
  id: Id,
  topic: z.string(),
  topicId: Id.nullable(),
  roomId: Id,
  roomName: z.string(),
  scheduledAt: z.string(),
  mode: SessionMode,
  state: SessionState,
  cancelled: z.boolean(),
  cancelReason: z.string().nullable(),
  openToAll: z.boolean(),
  firstConvenerId: Id,
  secondConvenerId: Id.nullable(),
  agenda: z.array(AgendaItem),
  /** The caller's role here (null: they may not enter). */
  myRole: SessionRole.nullable(),
  /** Whether the caller manages the session (a convener or staff). */
  manage: z.boolean(),
  /** Everyone invited; an invitee who does not manage sees only their own row. */
  invitations: z.array(InviteeView),
  /** After close: invitees who neither took part nor had leave approved (缺席未请假). */
  absentWithoutLeave: z.array(Id),
});
export type SessionDetail = z.infer<typeof SessionDetail>;

export const SessionDetailResponse = z.object({ session: SessionDetail });
export type SessionDetailResponse = z.infer<typeof SessionDetailResponse>;

/** GET /api/sessions/mine: sessions the caller may enter, each with their invitation if any. */
export const MySessionsResponse = z.object({
  sessions: z.array(
    z.object({
      id: Id,
      topic: z.string(),
      roomName: z.string(),
      scheduledAt: z.string(),
      mode: SessionMode,
      state: SessionState,
      cancelled: z.boolean(),
      myRole: SessionRole,
      invitation: InviteeView.nullable(),
    }),
  ),
});
export type MySessionsResponse = z.infer<typeof MySessionsResponse>;

const Invitee = z.object({ memberId: Id, role: InviteeRole }).strict();

/** POST /api/sessions — staff create a session directly (a topic's comes from scheduling it). */
export const CreateSessionBody = z
  .object({
    topic: Text(maxTopicTitleLength),
    topicId: Id.nullable().default(null),
    roomId: Id,
    scheduledAt: z.iso.datetime({ offset: true }),
    mode: SessionMode,
    firstConvenerId: Id,
    secondConvenerId: Id.nullable().default(null),
    openToAll: z.boolean().default(false),
    agenda: z
      .array(AgendaItem.omit({ id: true }))
      .max(limits.maxAgendaItems)
      .default([]),
    invitees: z.array(Invitee).max(maxInvitees).default([]),
  })
  .strict();
export type CreateSessionBody = z.input<typeof CreateSessionBody>;

/** PATCH /api/sessions/:id — while scheduled: the subject, room, mode, second convener, plenary. */
export const PatchSessionBody = z
  .object({
    topic: Text(maxTopicTitleLength).optional(),
    roomId: Id.optional(),
    mode: SessionMode.optional(),
    secondConvenerId: Id.nullable().optional(),
    openToAll: z.boolean().optional(),
  })
  .strict();
export type PatchSessionBody = z.infer<typeof PatchSessionBody>;

export const RescheduleSessionBody = z.object({ scheduledAt: z.iso.datetime({ offset: true }) }).strict();
export type RescheduleSessionBody = z.infer<typeof RescheduleSessionBody>;

export const CancelSessionBody = z.object({ reason: Text(maxLeaveReasonLength) }).strict();
export type CancelSessionBody = z.infer<typeof CancelSessionBody>;

/** POST /api/sessions/:id/invitees — adds people (or changes the role of those already invited). */
export const AddInviteesBody = z.object({ invitees: z.array(Invitee).min(1).max(maxInvitees) }).strict();
export type AddInviteesBody = z.infer<typeof AddInviteesBody>;

export const InviteeRoleBody = z.object({ role: InviteeRole }).strict();
export type InviteeRoleBody = z.infer<typeof InviteeRoleBody>;

/** POST /api/sessions/:id/rsvp — the caller's own answer; leave needs a reason. */
export const RsvpBody = z.discriminatedUnion('answer', [
  z.object({ answer: z.literal('attend') }).strict(),
  z.object({ answer: z.literal('leave'), reason: Text(maxLeaveReasonLength) }).strict(),
]);
export type RsvpBody = z.infer<typeof RsvpBody>;

/** POST /api/sessions/:id/leave/:memberId — staff approve or refuse a leave request. */
export const LeaveDecisionBody = z.object({ decision: z.enum(['approved', 'refused']) }).strict();
export type LeaveDecisionBody = z.infer<typeof LeaveDecisionBody>;

/**
 * Who someone is to one session, for its REST rights: staff; one of its conveners; an invitee
 * (an invitation or an assigned role); a committee member let in by a plenary (`openToAll`);
 * anyone else.
 */
export const SessionActor = z.enum(['staff', 'convener', 'invitee', 'plenaryMember', 'other']);
export type SessionActor = z.infer<typeof SessionActor>;

/** What one may do to a session over REST (the room's own events are in `eventRoles`). */
export const SessionRight = z.enum([
  'create',
  'read',
  'join',
  'edit',
  'reschedule',
  'cancel',
  'invite',
  'rsvp',
  'decideLeave',
]);
export type SessionRight = z.infer<typeof SessionRight>;

/**
 * The session rights the server enforces (server/src/sessions), shown in docs/protocol.md
 * (`sessionRightsMarkdown`). Conveners and staff manage; invitees answer for themselves; staff
 * decide on leave; anyone outside the membership may neither read nor join. `create` is for a
 * session not scheduled from a topic (a topic's conveners schedule theirs from the topic).
 */
export const sessionRights: Record<SessionRight, readonly SessionActor[]> = {
  create: ['staff'],
  read: ['staff', 'convener', 'invitee', 'plenaryMember'],
  join: ['staff', 'convener', 'invitee', 'plenaryMember'],
  edit: ['staff', 'convener'],
  reschedule: ['staff', 'convener'],
  cancel: ['staff', 'convener'],
  invite: ['staff', 'convener'],
  rsvp: ['invitee'],
  decideLeave: ['staff'],
};

export const maySession = (right: SessionRight, actor: SessionActor): boolean => sessionRights[right].includes(actor);
