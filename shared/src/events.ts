import { z } from 'zod';
import {
  Choice,
  Id,
  type PollView,
  type PresenceEntry,
  type RoomSnapshot,
  type SessionView,
  type Tally,
} from './domain';
import type { Ack } from './errors';
import { limits } from './limits';

/** Payload schemas for every client→server event. The server validates each one. */
export const clientEventSchemas = {
  'room:join': z.object({ sessionId: Id }).strict(),
  'room:leave': z.object({}).strict(),
  'room:snapshot': z.object({}).strict(),
  'agenda:goto': z.object({ itemId: Id }).strict(),
  'poll:open': z.object({ question: z.string().trim().min(1).max(limits.maxPollQuestionLength) }).strict(),
  'poll:close': z.object({ pollId: Id }).strict(),
  'vote:cast': z.object({ pollId: Id, ballotId: z.uuid(), choice: Choice }).strict(),
} as const;

export type ClientEventName = keyof typeof clientEventSchemas;
export type ClientPayload<E extends ClientEventName> = z.infer<(typeof clientEventSchemas)[E]>;

export interface BallotReceipt {
  pollId: string;
  ballotId: string;
  choice: Choice;
}

/** What each event's ack carries on success. */
export interface ClientEventResults {
  'room:join': RoomSnapshot;
  'room:leave': null;
  'room:snapshot': RoomSnapshot;
  'agenda:goto': { currentItemId: string };
  'poll:open': PollView;
  'poll:close': PollView;
  'vote:cast': BallotReceipt;
}

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (res: Ack<ClientEventResults[E]>) => void) => void;
};

/** Deltas carry the room's sequence number; a client that sees a gap asks for a snapshot. */
export interface Delta {
  seq: number;
}

export interface ServerToClientEvents {
  'presence:joined': (d: Delta & { entry: PresenceEntry }) => void;
  'presence:left': (d: Delta & { memberId: string }) => void;
  'agenda:current': (d: Delta & { currentItemId: string | null }) => void;
  'session:updated': (d: Delta & { session: SessionView }) => void;
  'poll:opened': (d: Delta & { poll: PollView }) => void;
  'poll:closed': (d: Delta & { poll: PollView }) => void;
  /** Coalesced: not sequenced, since each frame carries the whole tally. */
  'poll:tally': (d: { pollId: string; tally: Tally; ballots: number }) => void;
}

// biome-ignore lint/complexity/noBannedTypes: Socket.IO wants an event map; there are no inter-server events yet.
export type InterServerEvents = {};

export interface SocketData {
  memberId: string;
  name: string;
  sessionId: string | null;
}

const everyone = ['firstConvener', 'secondConvener', 'member'] as const;
const conveners = ['firstConvener', 'secondConvener'] as const;

/**
 * Who may send each event, by role in the session. `room:join` is checked against the
 * session's invitees instead (anyone signed in, for now).
 */
export const eventRoles: Record<ClientEventName, readonly SessionRoleName[]> = {
  'room:join': everyone,
  'room:leave': everyone,
  'room:snapshot': everyone,
  'agenda:goto': conveners,
  'poll:open': conveners,
  'poll:close': conveners,
  'vote:cast': everyone,
};
type SessionRoleName = (typeof everyone)[number];
