import {
  type BallotContent,
  noPresence,
  type OutcomeView,
  type PollTallyFrame,
  type PollView,
  type PresenceChange,
  type PresenceCounts,
  type PresenceEntry,
  type RoomSnapshot,
  roomRunningRoles,
  type ServerToClientEvents,
  type SessionRole,
  SessionRole as SessionRoles,
  type SessionView,
  type SpeakerQueue,
  type SuggestionView,
} from '@yitang/shared';
import { clockOffset } from '../../lib/clock';

/** Server events that carry the room's sequence number (`poll:tally`, `room:removed`, notifications and sign-outs do not). */
export type SequencedEvent = Exclude<
  keyof ServerToClientEvents,
  'poll:tally' | 'room:removed' | 'notification:new' | 'topic:changed' | 'account:signedOut'
>;

/** One sequenced server event, tagged with its name. */
export type RoomDelta = {
  [E in SequencedEvent]: { type: E } & Parameters<ServerToClientEvents[E]>[0];
}[SequencedEvent];

/** The part of the room state that a snapshot replaces and deltas update. */
export interface RoomData {
  seq: number;
  /** Server clock minus local clock (ms), for the item timer and the speaking countdown. */
  clockOffsetMs: number;
  session: SessionView | null;
  /**
   * Who is present as far as we know: everyone, or in a big room (`presencePartial`) those who run
   * it, the speaker and queue, the muted, us, and whoever frames told us about since.
   */
  presence: PresenceEntry[];
  /** The room's true counts, from the snapshot and then from every presence frame. */
  presenceCounts: PresenceCounts;
  /** The snapshot listed only part of the room; the rest is fetched in pages on request. */
  presencePartial: boolean;
  speakers: SpeakerQueue;
  suggestions: SuggestionView[];
  polls: PollView[];
  outcomes: OutcomeView[];
  /** pollId -> the ballot the server holds for us; null for a secret poll ("you voted"). */
  myBallots: Record<string, BallotContent | null>;
  /** pollId -> who entered our ballot on paper, for the ballots staff entered for us. */
  myPaperBallots: Record<string, string>;
  you: PresenceEntry | null;
  /** The hall check-in code (staff and conveners only). */
  hallCode: string | null;
  /** Everyone this room has shown us (presence, suggestion authors), so voter lists keep names after people leave. */
  names: Record<string, string>;
}

export const emptySpeakers: SpeakerQueue = { queue: [], speaker: null };

export const noCounts: PresenceCounts = noPresence();

export const emptyRoom: RoomData = {
  seq: 0,
  clockOffsetMs: 0,
  session: null,
  presence: [],
  presenceCounts: noCounts,
  presencePartial: false,
  speakers: emptySpeakers,
  suggestions: [],
  polls: [],
  outcomes: [],
  myBallots: {},
  myPaperBallots: {},
  you: null,
  hallCode: null,
  names: {},
};

function withNames(names: Record<string, string>, people: ReadonlyArray<{ id: string; name: string }>) {
  if (people.every((p) => names[p.id] === p.name)) return names;
  const next = { ...names };
  for (const p of people) next[p.id] = p.name;
  return next;
}

/** The room as a snapshot tells it; `receivedAt` is the local time it arrived (for the clock offset). */
export function roomFromSnapshot(
  snapshot: RoomSnapshot,
  receivedAt: number,
  known: Record<string, string> = {},
): RoomData {
  const names = withNames(known, [
    ...snapshot.presence.map((p) => ({ id: p.memberId, name: p.name })),
    ...snapshot.suggestions.map((s) => ({ id: s.authorId, name: s.authorName })),
    { id: snapshot.you.memberId, name: snapshot.you.name },
  ]);
  return {
    seq: snapshot.seq,
    clockOffsetMs: clockOffset(snapshot.serverNow, receivedAt),
    session: snapshot.session,
    presence: snapshot.presence,
    presenceCounts: snapshot.presenceCounts,
    presencePartial: snapshot.presencePartial,
    speakers: snapshot.speakers,
    suggestions: snapshot.suggestions,
    polls: snapshot.polls,
    outcomes: snapshot.outcomes,
    myBallots: snapshot.myBallots,
    myPaperBallots: snapshot.myPaperBallots ?? {},
    you: snapshot.you,
    hallCode: snapshot.hallCode,
    names,
  };
}

/** Where a delta stands against the state: the next one, one we already have, or past a gap. */
export function placeDelta(stateSeq: number, deltaSeq: number): 'next' | 'stale' | 'gap' {
  if (deltaSeq === stateSeq + 1) return 'next';
  return deltaSeq <= stateSeq ? 'stale' : 'gap';
}

/** Replaces the item with the same id, or appends it. */
export function upsertBy<T>(items: T[], item: T, idOf: (x: T) => string): T[] {
  const id = idOf(item);
  const index = items.findIndex((x) => idOf(x) === id);
  if (index === -1) return [...items, item];
  return items.map((x, i) => (i === index ? item : x));
}

const pollId = (p: PollView) => p.id;

/** Adds voters not yet listed, keeping the order they voted in. */
export function mergeVoters(voters: string[], added: readonly string[]): string[] {
  const seen = new Set(voters);
  const fresh = added.filter((id) => {
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return fresh.length === 0 ? voters : [...voters, ...fresh];
}

/**
 * Applies a coalesced tally frame to its poll: whole counts, the new tally (a secret poll's stays
 * hidden: its frames carry none) and the voters added since the last frame. Frames are not
 * sequenced, so one for a poll that is no longer open (a late frame after the close) is ignored:
 * the close's `poll:updated` carries the final counts.
 */
export function applyTallyFrame(polls: PollView[], frame: PollTallyFrame): PollView[] {
  return polls.map((p) => {
    if (p.id !== frame.pollId || p.stage !== 'open') return p;
    return {
      ...p,
      ballots: Math.max(p.ballots, frame.ballots),
      tally: frame.tally ?? p.tally,
      voters: mergeVoters(p.voters, frame.votersAdded),
    };
  });
}

/**
 * A poll update replaces the poll except its voters: the update names only the voters no tally
 * frame named before it (a close in a room of thousands would otherwise carry the whole list to
 * everyone), so they are added to the ones we know. Voters are never removed from a poll.
 */
function updatePoll(polls: PollView[], poll: PollView): PollView[] {
  const old = polls.find((p) => p.id === poll.id);
  const merged = old ? { ...poll, voters: mergeVoters(old.voters, poll.voters) } : poll;
  return upsertBy(polls, merged, pollId);
}

/**
 * Applies a coalesced presence frame: entries replace (or join) the list in place, those who
 * left drop out. Linear in the list and the frame, so a frame of hundreds of arrivals into a
 * room of thousands stays cheap; applying the same frame twice gives the same list.
 */
export function applyPresenceChange(
  presence: PresenceEntry[],
  change: Pick<PresenceChange, 'entries' | 'left'>,
): PresenceEntry[] {
  if (change.entries.length === 0 && change.left.length === 0) return presence;
  const gone = new Set(change.left);
  const fresh = new Map<string, PresenceEntry>();
  for (const e of change.entries) if (!gone.has(e.memberId)) fresh.set(e.memberId, e);
  const next: PresenceEntry[] = [];
  for (const p of presence) {
    if (gone.has(p.memberId)) continue;
    const e = fresh.get(p.memberId);
    if (e) fresh.delete(p.memberId);
    next.push(e ?? p);
  }
  for (const e of fresh.values()) next.push(e);
  return next;
}

const runsTheRoom: ReadonlySet<SessionRole> = new Set(roomRunningRoles);

/**
 * The entries a big room's partial snapshot would list for us: those who run the room, the
 * muted, the speaker and the queue, and ourselves (the server's rule for the short list).
 */
export function shortList(room: Pick<RoomData, 'presence' | 'speakers' | 'you'>): PresenceEntry[] {
  const stage = new Set(room.speakers.queue.map((q) => q.memberId));
  if (room.speakers.speaker) stage.add(room.speakers.speaker.memberId);
  return room.presence.filter(
    (p) => runsTheRoom.has(p.role) || p.muted || stage.has(p.memberId) || p.memberId === room.you?.memberId,
  );
}

/**
 * Applies a presence frame, whole or slim (`partial`: a big room's frame for all but staff and
 * conveners); both carry the room's counts and take their place in the same `seq` order. The
 * first slim frame after a whole list (the room has grown past the snapshot threshold) cuts the
 * list to the short list, as a new snapshot would: later slim frames tell of those listed only,
 * so anyone else kept would never be seen to leave.
 */
function updatePresence(room: RoomData, change: PresenceChange): Partial<RoomData> {
  const you = room.you ? (change.entries.find((e) => e.memberId === room.you?.memberId) ?? room.you) : null;
  const partial = room.presencePartial || change.partial === true;
  const base = partial && !room.presencePartial ? shortList(room) : room.presence;
  return {
    presencePartial: partial,
    presence: applyPresenceChange(base, change),
    presenceCounts: change.counts,
    you,
    names: withNames(
      room.names,
      change.entries.map((e) => ({ id: e.memberId, name: e.name })),
    ),
  };
}

/** Applies one in-order delta; pure, so the sequencing rules stay apart from the effects. */
export function reduceDelta(room: RoomData, delta: RoomDelta, receivedAt: number): RoomData {
  const next: RoomData = { ...room, seq: delta.seq };
  switch (delta.type) {
    case 'presence:changed':
      return { ...next, ...updatePresence(room, delta) };
    case 'session:updated':
      return { ...next, session: delta.session };
    case 'speakers:updated':
      return { ...next, speakers: delta.speakers, clockOffsetMs: clockOffset(delta.serverNow, receivedAt) };
    case 'suggestion:updated':
      return {
        ...next,
        suggestions: upsertBy(room.suggestions, delta.suggestion, (s) => s.id),
        names: withNames(room.names, [{ id: delta.suggestion.authorId, name: delta.suggestion.authorName }]),
      };
    case 'poll:updated':
      return { ...next, polls: updatePoll(room.polls, delta.poll) };
    case 'outcome:updated':
      return { ...next, outcomes: upsertBy(room.outcomes, delta.outcome, (o) => o.id) };
  }
}

/**
 * How many present hold a role that `may` accepts (e.g. a poll's electorate), from the room's
 * counts: right in a big room too, where the presence list is partial.
 */
export function presentWith(room: Pick<RoomData, 'presenceCounts'>, may: (role: SessionRole) => boolean): number {
  let n = 0;
  for (const role of SessionRoles.options) if (may(role)) n += room.presenceCounts.byRole[role];
  return n;
}

/** Whether we have voted in a poll: a ballot the server holds for us, or our id among its voters (e.g. a paper ballot). */
export function hasVoted(room: Pick<RoomData, 'myBallots' | 'you'>, poll: PollView): boolean {
  if (Object.hasOwn(room.myBallots, poll.id)) return true;
  return room.you !== null && poll.voters.includes(room.you.memberId);
}

/** Things worth telling a screen reader about, once each; running tallies are not among them. */
export type RoomEvent =
  | { kind: 'pollOpened'; pollId: string }
  | { kind: 'pollClosed'; pollId: string }
  | { kind: 'speaker'; memberId: string | null }
  | { kind: 'agendaItem'; itemId: string }
  | { kind: 'sessionState'; state: SessionView['state'] };

/** What changed between two states that deserves an announcement (at most one per delta). */
export function roomEventOf(before: RoomData, after: RoomData, delta: RoomDelta): RoomEvent | null {
  switch (delta.type) {
    case 'poll:updated': {
      const old = before.polls.find((p) => p.id === delta.poll.id);
      if (delta.poll.stage === 'open' && old?.stage !== 'open') return { kind: 'pollOpened', pollId: delta.poll.id };
      if (delta.poll.stage === 'closed' && old?.stage === 'open') return { kind: 'pollClosed', pollId: delta.poll.id };
      return null;
    }
    case 'speakers:updated': {
      const was = before.speakers.speaker?.memberId ?? null;
      const now = after.speakers.speaker?.memberId ?? null;
      const sameTurn = before.speakers.speaker?.startedAt === after.speakers.speaker?.startedAt;
      return was === now && sameTurn ? null : { kind: 'speaker', memberId: now };
    }
    case 'session:updated': {
      const s = delta.session;
      if (before.session && before.session.state !== s.state) return { kind: 'sessionState', state: s.state };
      if (s.currentItemId && before.session?.currentItemId !== s.currentItemId) {
        return { kind: 'agendaItem', itemId: s.currentItemId };
      }
      return null;
    }
    default:
      return null;
  }
}
