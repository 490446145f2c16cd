import { z } from 'zod';
import { AgendaItem, Id, OutcomeView, SessionMode, SessionRole, SessionView, Text } from '../domain';
import { limits } from '../limits';
import { MinutesStatus } from '../minutes';
import { ConvenerSeat, DeclineReason, TopicSource, TopicState } from './topics';
import { TrackingItemView } from './views';

export const maxTopicTitleLength = 120;
export const maxTopicDescriptionLength = 4000;

/** POST /api/topics — 荐题. `sourceRef` names the ticket or case for hotline and governance-centre topics. */
export const TopicProposal = z
  .object({
    title: Text(maxTopicTitleLength),
    description: z.string().trim().max(maxTopicDescriptionLength).default(''),
    source: TopicSource,
    sourceRef: z.string().trim().min(1).max(limits.maxIdLength).optional(),
    /** The department the proposer thinks can solve it; the conveners decide. */
    department: z.string().trim().max(limits.maxDepartmentLength).optional(),
  })
  .strict();
export type TopicProposal = z.input<typeof TopicProposal>;

/**
 * POST /api/topics/:id/accept. The first convener (a committee member who may convene) names the
 * second convener, the head of the responsible department, when accepting; the second convener
 * then accepts their own seat.
 */
export const AcceptTopicBody = z.discriminatedUnion('seat', [
  z
    .object({
      seat: z.literal('first'),
      /** null: no department head convenes; the first convener accepts alone. */
      secondConvenerId: Id.nullable(),
      department: Text(limits.maxDepartmentLength),
    })
    .strict(),
  z.object({ seat: z.literal('second') }).strict(),
]);
export type AcceptTopicBody = z.infer<typeof AcceptTopicBody>;

export const DeclineTopicBody = z.object({ reason: DeclineReason }).strict();
export type DeclineTopicBody = z.infer<typeof DeclineTopicBody>;

export const Invitee = z.object({ memberId: Id, role: SessionRole }).strict();
export type Invitee = z.infer<typeof Invitee>;

/** POST /api/topics/:id/schedule — the session that will deliberate an accepted topic. */
export const ScheduleTopicBody = z
  .object({
    scheduledAt: z.iso.datetime({ offset: true }),
    roomId: Id,
    mode: SessionMode,
    agenda: z
      .array(AgendaItem.omit({ id: true }))
      .min(1)
      .max(limits.maxAgendaItems),
    invitees: z.array(Invitee).max(500).default([]),
    /** A follow-up round (第二轮) of a topic already held: said explicitly, never by a repeated click. */
    followUp: z.boolean().optional(),
  })
  .strict();
export type ScheduleTopicBody = z.input<typeof ScheduleTopicBody>;

export const TopicEvent = z.object({
  at: z.string(),
  by: Id,
  byName: z.string(),
  action: z.enum(['propose', 'accept', 'decline', 'schedule', 'hold', 'startTracking', 'close']),
  state: TopicState,
  note: z.string().nullable(),
});
export type TopicEvent = z.infer<typeof TopicEvent>;

export const TopicAcceptance = z.object({ seat: ConvenerSeat, by: Id, byName: z.string(), at: z.string() });
export type TopicAcceptance = z.infer<typeof TopicAcceptance>;

export const TopicPerson = z.object({ id: Id, name: z.string(), title: z.string() });
export type TopicPerson = z.infer<typeof TopicPerson>;

/** 议题: from proposal (荐题) to closure (闭环). */
export const TopicView = z.object({
  id: Id,
  title: z.string(),
  description: z.string(),
  source: TopicSource,
  sourceRef: z.string().nullable(),
  proposedBy: TopicPerson,
  proposedAt: z.string(),
  state: TopicState,
  department: z.string().nullable(),
  firstConvener: TopicPerson.nullable(),
  secondConvener: TopicPerson.nullable(),
  acceptances: z.array(TopicAcceptance),
  declineReason: z.string().nullable(),
  sessionId: Id.nullable(),
  history: z.array(TopicEvent),
});
export type TopicView = z.infer<typeof TopicView>;

export const SimilarTopic = z.object({ id: Id, title: z.string(), state: TopicState, similarity: z.number() });
export type SimilarTopic = z.infer<typeof SimilarTopic>;

export const TopicListResponse = z.object({ topics: z.array(TopicView) });
export type TopicListResponse = z.infer<typeof TopicListResponse>;

export const TopicResponse = z.object({ topic: TopicView });
export type TopicResponse = z.infer<typeof TopicResponse>;

/** POST /api/topics answers with the topic and the likely duplicates it was warned about. */
export const ProposeTopicResponse = z.object({ topic: TopicView, similar: z.array(SimilarTopic) });
export type ProposeTopicResponse = z.infer<typeof ProposeTopicResponse>;

export const SimilarTopicsResponse = z.object({ similar: z.array(SimilarTopic) });
export type SimilarTopicsResponse = z.infer<typeof SimilarTopicsResponse>;

/** 专业对口: members whose expertise fits the topic, best first. */
export const MemberMatch = z.object({
  id: Id,
  name: z.string(),
  title: z.string(),
  sectorName: z.string().nullable(),
  tags: z.array(z.string()),
  score: z.number(),
});
export type MemberMatch = z.infer<typeof MemberMatch>;
export const MemberMatchesResponse = z.object({ matches: z.array(MemberMatch) });
export type MemberMatchesResponse = z.infer<typeof MemberMatchesResponse>;

/** A consultation room (协商议事室) at the city, town or village level. */
export const RoomView = z.object({ id: Id, name: z.string(), level: z.enum(['city', 'town', 'village']) });
export type RoomView = z.infer<typeof RoomView>;
export const RoomsResponse = z.object({ rooms: z.array(RoomView) });
export type RoomsResponse = z.infer<typeof RoomsResponse>;

/** One entry in a person's notification centre (通知中心). */
export const NotificationKind = z.enum([
  'invitation',
  'topicToAccept',
  'topicAccepted',
  'topicDeclined',
  'topicClosed',
  'trackingAssigned',
  'trackingChased',
  'sessionCancelled',
  'sessionRescheduled',
  'proposalCosign',
  'proposalSubmitted',
  'proposalDecided',
  'proposalAssigned',
  'proposalReassignRequested',
  'proposalReplied',
  'proposalFeedback',
  'proposalChased',
  'proposalKey',
  'proposalCosignAnswered',
  'proposalRelieved',
  'proposalReplyFiled',
  'socialReportSubmitted',
  'socialReportDecided',
  'socialReportWithdrawn',
  'minutesToApprove',
]);
export type NotificationKind = z.infer<typeof NotificationKind>;

export const NotificationView = z.object({
  id: z.string(),
  kind: NotificationKind,
  /** Values the client puts into the kind's sentence (topic title, time, reason, …). */
  params: z.record(z.string(), z.string()),
  /** Where the notification leads in the app, e.g. `/topics/tp-…`. */
  link: z.string(),
  /** For invitations: the session's calendar file. */
  calendarUrl: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationsResponse = z.object({ notifications: z.array(NotificationView), unread: z.number() });
export type NotificationsResponse = z.infer<typeof NotificationsResponse>;

/** A poll of the topic's session as the trail shows it: the question and, once closed, the result. */
export const TrailPoll = z.object({
  id: Id,
  question: z.string(),
  stage: z.enum(['draft', 'open', 'closed', 'published']),
  result: z.string().nullable(),
});
export type TrailPoll = z.infer<typeof TrailPoll>;

/** A message exchanged with the 12345 hotline about this topic: the ticket in, status reports out. */
export const TrailHotlineMessage = z.object({
  at: z.string(),
  /** `ticket`: the ticket received; `topic` / `tracking`: a status reported back. */
  kind: z.enum(['ticket', 'topic', 'tracking']),
  /** The ticket's title and text, the outcome tracked, or a decline's reason. */
  text: z.string(),
  /** The topic state or tracking status reported (a key the client translates); null for the ticket. */
  status: z.string().nullable(),
  /** For a report back: pending, delivered or failed. */
  delivery: z.enum(['pending', 'delivered', 'failed']).nullable(),
});
export type TrailHotlineMessage = z.infer<typeof TrailHotlineMessage>;

/** GET /api/topics/:id/trail — one page from proposal to closure (the topic trail). */
export const TopicTrail = z.object({
  topic: TopicView,
  session: SessionView.nullable(),
  /** Every session of the topic, oldest first: a follow-up round (第二轮) after the first. */
  rounds: z.array(SessionView),
  minutesStatus: MinutesStatus.nullable(),
  polls: z.array(TrailPoll),
  outcomes: z.array(OutcomeView),
  tracking: z.array(TrackingItemView),
  hotline: z.array(TrailHotlineMessage),
});
export type TopicTrail = z.infer<typeof TopicTrail>;
