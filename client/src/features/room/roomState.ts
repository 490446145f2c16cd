import type { Choice, PollView, PresenceEntry, RoomSnapshot, ServerToClientEvents, SessionView } from '@yitang/shared';

/** Server events that carry the room's sequence number. `poll:tally` is the one that does not. */
export type SequencedEvent = Exclude<keyof ServerToClientEvents, 'poll:tally'>;

/** One sequenced server event, tagged with its name. */
export type RoomDelta = {
  [E in SequencedEvent]: { type: E } & Parameters<ServerToClientEvents[E]>[0];
}[SequencedEvent];

/** The part of the room state that a snapshot replaces and deltas update. */
export interface RoomData {
  seq: number;
  session: SessionView | null;
  presence: PresenceEntry[];
  polls: PollView[];
  /** pollId -> the choice the server recorded for us. */
  myBallots: Record<string, Choice>;
  you: PresenceEntry | null;
}

export const emptyRoom: RoomData = {
  seq: 0,
  session: null,
  presence: [],
  polls: [],
  myBallots: {},
  you: null,
};

export function roomFromSnapshot(snapshot: RoomSnapshot): RoomData {
  return {
    seq: snapshot.seq,
    session: snapshot.session,
    presence: snapshot.presence,
    polls: snapshot.polls,
    myBallots: snapshot.myBallots,
    you: snapshot.you,
  };
}

/** Where a delta stands against the state: the next one, one we already have, or past a gap. */
export function placeDelta(stateSeq: number, deltaSeq: number): 'next' | 'stale' | 'gap' {
  if (deltaSeq === stateSeq + 1) return 'next';
  return deltaSeq <= stateSeq ? 'stale' : 'gap';
}

export function upsertPoll(polls: PollView[], poll: PollView): PollView[] {
  const index = polls.findIndex((p) => p.id === poll.id);
  if (index === -1) return [...polls, poll];
  return polls.map((p, i) => (i === index ? poll : p));
}

function upsertPresence(presence: PresenceEntry[], entry: PresenceEntry): PresenceEntry[] {
  const index = presence.findIndex((p) => p.memberId === entry.memberId);
  if (index === -1) return [...presence, entry];
  return presence.map((p, i) => (i === index ? entry : p));
}

/** Applies one in-order delta; pure, so the sequencing rules stay apart from the effects. */
export function reduceDelta(room: RoomData, delta: RoomDelta): RoomData {
  const next = { ...room, seq: delta.seq };
  switch (delta.type) {
    case 'presence:joined':
      return { ...next, presence: upsertPresence(room.presence, delta.entry) };
    case 'presence:left':
      return { ...next, presence: room.presence.filter((p) => p.memberId !== delta.memberId) };
    case 'agenda:current':
      return {
        ...next,
        session: room.session && { ...room.session, currentItemId: delta.currentItemId },
      };
    case 'session:updated':
      return { ...next, session: delta.session };
    case 'poll:opened':
    case 'poll:closed':
      return { ...next, polls: upsertPoll(room.polls, delta.poll) };
  }
}
