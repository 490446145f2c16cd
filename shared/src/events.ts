import { z } from 'zod';
import type { NotificationView } from './closedloop/topic-views';
import type { TopicState } from './closedloop/topics';
import {
  AgendaItem,
  Id,
  type MemberView,
  type OutcomeView,
  type PollView,
  PresenceCounts,
  PresenceEntry,
  type RoomSnapshot,
  type SessionRole,
  type SessionView,
  type SpeakerQueue,
  SuggestionMark,
  type SuggestionView,
  Text,
} from './domain';
import type { Ack } from './errors';
import { limits } from './limits';
import { BallotContent } from './voting/ballot';
import { PollSettings } from './voting/settings';
import { PollTally } from './voting/tally';

const empty = z.object({}).strict();
const Deadline = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/** Payload schemas for every client→server event. The server validates each one. */
export const clientEventSchemas = {
  'room:join': z.object({ sessionId: Id }).strict(),
  'room:leave': empty,
  'room:snapshot': empty,
  /** One page of the present, sorted by `comparePresence`; `query` matches a part of the name. */
  'presence:page': z
    .object({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(limits.presencePageMax),
      query: Text(limits.maxSearchLength).optional(),
    })
    .strict(),
  'room:lock': z.object({ locked: z.boolean() }).strict(),

  'session:start': empty,
  'session:close': empty,

  'agenda:add': z
    .object({
      title: AgendaItem.shape.title,
      plannedMinutes: AgendaItem.shape.plannedMinutes,
      afterItemId: Id.nullable(),
    })
    .strict(),
  'agenda:update': z
    .object({
      itemId: Id,
      title: AgendaItem.shape.title.optional(),
      plannedMinutes: AgendaItem.shape.plannedMinutes.optional(),
    })
    .strict(),
  'agenda:remove': z.object({ itemId: Id }).strict(),
  'agenda:reorder': z.object({ itemIds: z.array(Id).max(limits.maxAgendaItems) }).strict(),
  'agenda:goto': z.object({ itemId: Id }).strict(),

  'hand:raise': z.object({ pointOfOrder: z.boolean() }).strict(),
  'hand:lower': empty,
  'queue:reorder': z.object({ memberIds: z.array(Id).max(500) }).strict(),
  'queue:remove': z.object({ memberId: Id }).strict(),
  'speaker:grant': z.object({ memberId: Id.nullable() }).strict(),
  'speaker:end': empty,
  'speaker:limit': z
    .object({ seconds: z.number().int().min(limits.minSpeakerLimitSeconds).max(limits.maxSpeakerLimitSeconds) })
    .strict(),

  'suggestion:submit': z.object({ text: Text(limits.maxSuggestionLength) }).strict(),
  'suggestion:mark': z.object({ suggestionId: Id, mark: SuggestionMark }).strict(),

  'poll:create': z.object({ settings: PollSettings }).strict(),
  'poll:update': z.object({ pollId: Id, settings: PollSettings }).strict(),
  'poll:open': z.object({ pollId: Id }).strict(),
  'poll:close': z.object({ pollId: Id }).strict(),
  'poll:publish': z.object({ pollId: Id }).strict(),
  'vote:cast': z.object({ pollId: Id, ballotId: z.uuid(), content: BallotContent }).strict(),
  /** Staff enter the paper ballot of someone checked in in the hall. */
  'vote:paper': z.object({ pollId: Id, ballotId: z.uuid(), memberId: Id, content: BallotContent }).strict(),
  /**
   * Staff enter a secret poll's paper ballots as one anonymous batch: each distinct content with
   * how many ballots carry it, and no voter. `batchId` (client-made) makes a re-send count once.
   */
  'vote:paperBatch': z
    .object({
      pollId: Id,
      batchId: z.uuid(),
      entries: z
        .array(
          z
            .object({ content: BallotContent, count: z.number().int().min(1).max(limits.maxPaperBatchBallots) })
            .strict(),
        )
        .min(1)
        .max(limits.maxPaperBatchEntries),
    })
    .strict(),

  'checkin:code': z.object({ code: z.string().regex(/^\d{6}$/) }).strict(),
  'checkin:member': z.object({ memberId: Id }).strict(),
  'checkin:search': z.object({ query: Text(limits.maxSearchLength) }).strict(),

  'outcome:draft': z.object({ suggestionId: Id }).strict(),
  'outcome:save': z
    .object({
      outcomeId: Id.nullable(),
      text: Text(limits.maxOutcomeLength),
      /** May be empty on a draft; a recorded outcome names its department. */
      department: z.string().trim().max(limits.maxDepartmentLength),
      deadline: Deadline.nullable(),
      pollId: Id.nullable(),
      suggestionIds: z.array(Id).max(50),
      record: z.boolean(),
    })
    .strict(),

  'moderation:mute': z.object({ memberId: Id, muted: z.boolean() }).strict(),
  'moderation:remove': z.object({ memberId: Id }).strict(),
  /** A convener allows a participant to speak (publish audio) besides the floor holder, or withdraws it. */
  'moderation:allow': z.object({ memberId: Id, allowed: z.boolean() }).strict(),
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientPayload<E extends ClientEventName> = z.infer<(typeof clientEventSchemas)[E]>;

export const BallotReceipt = z.object({ pollId: Id, ballotId: z.uuid(), paper: z.boolean() });
export type BallotReceipt = z.infer<typeof BallotReceipt>;

/** A paper batch stored (or recognised as already stored): its size and the poll's paper total. */
export const PaperBatchReceipt = z.object({
  pollId: Id,
  batchId: z.uuid(),
  count: z.number().int().positive(),
  paperCount: z.number().int().nonnegative(),
});
export type PaperBatchReceipt = z.infer<typeof PaperBatchReceipt>;

/** What each event's ack carries on success. */
export interface ClientEventResults {
  'room:join': RoomSnapshot;
  'room:leave': null;
  'room:snapshot': RoomSnapshot;
  'room:lock': SessionView;
  'presence:page': PresencePage;
  'session:start': SessionView;
  'session:close': SessionView;
  'agenda:add': SessionView;
  'agenda:update': SessionView;
  'agenda:remove': SessionView;
  'agenda:reorder': SessionView;
  'agenda:goto': SessionView;
  'hand:raise': SpeakerQueue;
  'hand:lower': SpeakerQueue;
  'queue:reorder': SpeakerQueue;
  'queue:remove': SpeakerQueue;
  'speaker:grant': SpeakerQueue;
  'speaker:end': SpeakerQueue;
  'speaker:limit': SessionView;
  'suggestion:submit': SuggestionView;
  'suggestion:mark': SuggestionView;
  'poll:create': PollView;
  'poll:update': PollView;
  'poll:open': PollView;
  'poll:close': PollView;
  'poll:publish': PollView;
  'vote:cast': BallotReceipt;
  'vote:paper': BallotReceipt;
  'vote:paperBatch': PaperBatchReceipt;
  'checkin:code': PresenceEntry;
  'checkin:member': PresenceEntry;
  'checkin:search': MemberView[];
  'outcome:draft': OutcomeView;
  'outcome:save': OutcomeView;
  'moderation:mute': PresenceEntry;
  'moderation:remove': null;
  'moderation:allow': SessionView;
}

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (res: Ack<ClientEventResults[E]>) => void) => void;
};

/** A page of the present: `total` matching the query, and the entries from the offset on. */
export const PresencePage = z.object({
  total: z.number().int().nonnegative(),
  entries: z.array(PresenceEntry),
});
export type PresencePage = z.infer<typeof PresencePage>;

/** Deltas carry the room's sequence number; a client that sees a gap asks for a snapshot. */
export interface Delta {
  seq: number;
}

/** A coalesced poll frame: whole counts, and the voters added since the previous frame. */
export const PollTallyFrame = z.object({
  pollId: Id,
  ballots: z.number().int().nonnegative(),
  /** Null for a secret poll: its tally is told only at close, so no frame can link voter and choice. */
  tally: PollTally.nullable(),
  votersAdded: z.array(Id),
});
export type PollTallyFrame = z.infer<typeof PollTallyFrame>;

/**
 * The room's presence changes since the previous frame: each changed participant's entry as it is
 * now, and the ids of those who left (a member who came and went between two frames is in
 * neither). Applying a frame to a state that already has these changes (a newer snapshot) changes
 * nothing.
 */
export const PresenceChange = z.object({
  entries: z.array(PresenceEntry),
  left: z.array(Id),
  /** The room's counts as the frame leaves, so a client with a partial list keeps true counts. */
  counts: PresenceCounts,
  /**
   * Set on a big room's slim frame (sent to all but staff and conveners): it lists only those a
   * partial snapshot names (and the receiver's own entry), and `left` only those who were listed.
   */
  partial: z.literal(true).optional(),
});
export type PresenceChange = z.infer<typeof PresenceChange>;

/**
 * Why the server is ending a person's live connections: staff deactivated the account, the person
 * signed out (in another tab or device), the password was changed on another device or set anew
 * from a reset link, a guest's invitation was revoked, or the sign-in (a cookie's session, a
 * guest's invitation) ran out.
 */
export const SignOutReason = z.enum([
  'deactivated',
  'signedOut',
  'passwordChanged',
  'passwordReset',
  'invitationRevoked',
  'expired',
]);
export type SignOutReason = z.infer<typeof SignOutReason>;

export interface ServerToClientEvents {
  /** Coalesced, at most `limits.presenceFramesPerSecond` per room; sequenced like the other deltas. */
  'presence:changed': (d: Delta & PresenceChange) => void;
  'session:updated': (d: Delta & { session: SessionView }) => void;
  'speakers:updated': (d: Delta & { speakers: SpeakerQueue; serverNow: string }) => void;
  'suggestion:updated': (d: Delta & { suggestion: SuggestionView }) => void;
  /**
   * The whole poll except its voters: `poll.voters` lists only those no earlier frame to this
   * connection named (since its snapshot); a client adds them to the voters it knows. Voters are
   * never removed from a poll.
   */
  'poll:updated': (d: Delta & { poll: PollView }) => void;
  'outcome:updated': (d: Delta & { outcome: OutcomeView }) => void;
  /** Coalesced, at most `limits.tallyFramesPerSecond` per poll; not sequenced. */
  'poll:tally': (d: PollTallyFrame) => void;
  /** Sent to a removed participant just before the server drops them from the room. */
  'room:removed': (d: { sessionId: string }) => void;
  /** To every socket of one person just before the server disconnects them all: they are signed out. */
  'account:signedOut': (d: { reason: SignOutReason }) => void;
  /** To every open tab of one person: a new entry in their notification centre. */
  'notification:new': (d: { notification: NotificationView; unread: number }) => void;
  /**
   * To every socket that opened with `?topic=` naming the topic (its page is open): the topic moved,
   * e.g. held and tracked once its session's after-close step ran. The page reads the trail again.
   */
  'topic:changed': (d: { topicId: string; state: TopicState }) => void;
}

// biome-ignore lint/complexity/noBannedTypes: Socket.IO wants an event map; there are no inter-server events yet.
export type InterServerEvents = {};

export interface SocketData {
  memberId: string;
  name: string;
  member: MemberView;
  sessionId: string | null;
}

const R = {
  conveners: ['firstConvener', 'secondConvener'],
  chairs: ['firstConvener', 'secondConvener', 'staff'],
  speakers: ['firstConvener', 'secondConvener', 'member', 'departmentRep', 'stakeholder', 'citizenRep', 'leader'],
  everyone: [
    'firstConvener',
    'secondConvener',
    'member',
    'departmentRep',
    'stakeholder',
    'citizenRep',
    'leader',
    'recorder',
    'staff',
    'observer',
  ],
  staff: ['staff'],
  checkin: ['staff', 'firstConvener', 'secondConvener'],
} as const satisfies Record<string, readonly SessionRole[]>;

/**
 * Who may send each event, by role in the session. Some events have a further rule the handler
 * checks: `vote:cast` by the poll's electorate, `speaker:end` also by the current speaker,
 * `room:join` by the session's access list.
 */
export const eventRoles: Record<ClientEventName, readonly SessionRole[]> = {
  'room:join': R.everyone,
  'room:leave': R.everyone,
  'room:snapshot': R.everyone,
  'presence:page': R.everyone,
  'room:lock': R.conveners,
  'session:start': R.chairs,
  'session:close': R.chairs,
  'agenda:add': R.chairs,
  'agenda:update': R.chairs,
  'agenda:remove': R.chairs,
  'agenda:reorder': R.chairs,
  'agenda:goto': R.conveners,
  'hand:raise': R.speakers,
  'hand:lower': R.speakers,
  'queue:reorder': R.conveners,
  'queue:remove': R.conveners,
  'speaker:grant': R.conveners,
  'speaker:end': R.everyone,
  'speaker:limit': R.conveners,
  'suggestion:submit': R.speakers,
  'suggestion:mark': R.conveners,
  'poll:create': R.conveners,
  'poll:update': R.conveners,
  'poll:open': R.conveners,
  'poll:close': R.conveners,
  'poll:publish': R.conveners,
  'vote:cast': R.everyone,
  'vote:paper': R.staff,
  'vote:paperBatch': R.staff,
  'checkin:code': R.everyone,
  'checkin:member': R.checkin,
  'checkin:search': R.checkin,
  'outcome:draft': R.conveners,
  'outcome:save': R.conveners,
  'moderation:mute': R.conveners,
  'moderation:remove': R.conveners,
  'moderation:allow': R.conveners,
};

/**
 * Roles whose snapshot lists everyone present even in a big room: the check-in desk and paper
 * ballots pick people from that list. They are a few, so a fill still costs O(n) entries for them.
 */
export const fullPresenceRoles: ReadonlySet<SessionRole> = new Set([
  ...eventRoles['checkin:member'],
  ...eventRoles['vote:paper'],
]);

/** Events a closed session still answers; everything else gets SESSION_CLOSED. */
export const readOnlyEvents: ReadonlySet<ClientEventName> = new Set([
  'room:join',
  'room:leave',
  'room:snapshot',
  'presence:page',
  'poll:publish',
]);

/** Events that need a live session (started, not closed); before the start they get SESSION_NOT_LIVE. */
export const liveOnlyEvents: ReadonlySet<ClientEventName> = new Set([
  'agenda:goto',
  'hand:raise',
  'hand:lower',
  'queue:reorder',
  'queue:remove',
  'speaker:grant',
  'speaker:end',
  'suggestion:submit',
  'suggestion:mark',
  'poll:open',
  'poll:close',
  'vote:cast',
  'vote:paper',
  'vote:paperBatch',
  'outcome:draft',
]);

/** Roles that create, list and revoke a session's invitation links (REST). */
export const invitationManagers: readonly SessionRole[] = ['firstConvener', 'secondConvener', 'staff'];

/** Roles that write the minutes live; every other participant reads them. */
export const minutesWriters: readonly SessionRole[] = ['firstConvener', 'secondConvener', 'recorder'];

/** Events a muted participant may not send. */
export const mutedRefused: ReadonlySet<ClientEventName> = new Set(['hand:raise', 'suggestion:submit']);
