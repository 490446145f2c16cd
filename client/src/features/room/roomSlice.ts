import type { BallotContent, BallotReceipt, PollTallyFrame, RoomSnapshot, SignOutReason } from '@yitang/shared';
import type { ClientErrorCode } from '../../lib/errors';
import type { SliceCreator } from '../../store/types';
import {
  applyTallyFrame,
  emptyRoom,
  placeDelta,
  type RoomData,
  type RoomDelta,
  type RoomEvent,
  reduceDelta,
  roomEventOf,
  roomFromSnapshot,
} from './roomState';

/**
 * idle: no room; connecting: first join; joined: live; reconnecting: socket down;
 * failed: gave up (retry offered); removed: a convener removed us (no way back in);
 * signedOut: the server ended our sign-in (deactivated, signed out elsewhere…): sign in again.
 */
export type RoomConnection = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'failed' | 'removed' | 'signedOut';

/** A ballot sent (or waiting to be sent) whose ack has not come back yet. */
export interface PendingBallot {
  pollId: string;
  ballotId: string;
  content: BallotContent;
}

/** An error to show in the room's live region; `id` makes a repeated error announce again. */
export interface RoomNotice {
  id: number;
  code: ClientErrorCode;
}

/** What screen readers hear about the room: poll openings and results, speakers, agenda moves. */
export interface RoomAnnouncement {
  id: number;
  event: RoomEvent;
}

export interface RoomSlice extends RoomData {
  roomSessionId: string | null;
  roomConnection: RoomConnection;
  roomFailure: ClientErrorCode | null;
  /** Why the server signed us out, while `roomConnection` is 'signedOut'. */
  roomSignOutReason: SignOutReason | null;
  /** pollId -> ballot awaiting its ack; re-sent with the same ballotId after a reconnect. */
  pendingBallots: Record<string, PendingBallot>;
  roomNotice: RoomNotice | null;
  roomAnnouncement: RoomAnnouncement | null;
  /** The one confirm step open on the page (e.g. 'session:close', 'remove:m-x'), if any. */
  confirmKey: string | null;
  /** The outcome loaded in the outcome editor (e.g. a draft just made from a suggestion). */
  editingOutcomeId: string | null;

  roomConnecting: (sessionId: string) => void;
  roomReconnecting: () => void;
  roomFailed: (code: ClientErrorCode) => void;
  roomRemoved: () => void;
  /** The server is signing us out, for `reason`: no retry, no reconnect. */
  roomSignedOut: (reason: SignOutReason) => void;
  roomReset: () => void;
  applySnapshot: (snapshot: RoomSnapshot, receivedAt: number) => void;
  /** Applies a delta if it is the next in sequence; 'gap' means the caller must fetch a snapshot. */
  applyDelta: (delta: RoomDelta, receivedAt: number) => 'applied' | 'stale' | 'gap';
  applyTally: (frame: PollTallyFrame) => void;
  ballotPending: (ballot: PendingBallot) => void;
  ballotAccepted: (receipt: BallotReceipt) => void;
  ballotDropped: (pollId: string) => void;
  showNotice: (code: ClientErrorCode) => void;
  dismissNotice: () => void;
  askConfirm: (key: string | null) => void;
  editOutcome: (outcomeId: string | null) => void;
}

let nextMessageId = 1;

const initialRoomSlice = {
  ...emptyRoom,
  roomSessionId: null,
  roomConnection: 'idle',
  roomFailure: null,
  roomSignOutReason: null,
  pendingBallots: {},
  roomNotice: null,
  roomAnnouncement: null,
  confirmKey: null,
  editingOutcomeId: null,
} satisfies Partial<RoomSlice>;

export const createRoomSlice: SliceCreator<RoomSlice> = (set, get) => ({
  ...initialRoomSlice,

  roomConnecting: (sessionId) =>
    set((state) => ({
      ...initialRoomSlice,
      roomSessionId: sessionId,
      roomConnection: 'connecting',
      // A retry in the same room keeps the ballots still waiting for their ack.
      pendingBallots: state.roomSessionId === sessionId ? state.pendingBallots : {},
    })),

  roomReconnecting: () => {
    if (get().roomConnection === 'joined') set({ roomConnection: 'reconnecting' });
  },

  roomFailed: (code) =>
    set((state) =>
      state.roomConnection === 'removed' || state.roomConnection === 'signedOut'
        ? {}
        : { roomConnection: 'failed', roomFailure: code },
    ),

  roomRemoved: () => set({ roomConnection: 'removed', roomFailure: 'REMOVED', pendingBallots: {} }),

  // A ballot still waiting is dropped: signed out, it can no longer be sent.
  roomSignedOut: (reason) =>
    set({ roomConnection: 'signedOut', roomFailure: 'UNAUTHENTICATED', roomSignOutReason: reason, pendingBallots: {} }),

  roomReset: () => set(initialRoomSlice),

  applySnapshot: (snapshot, receivedAt) =>
    set((state) => ({
      ...roomFromSnapshot(snapshot, receivedAt, state.names),
      roomConnection: 'joined',
      roomFailure: null,
    })),

  applyDelta: (delta, receivedAt) => {
    const state = get();
    // Before the first snapshot there is nothing to apply to; the join ack brings the state.
    if (state.roomConnection === 'connecting' || state.session === null) return 'stale';
    const place = placeDelta(state.seq, delta.seq);
    if (place !== 'next') return place;
    const next = reduceDelta(state, delta, receivedAt);
    const event = roomEventOf(state, next, delta);
    set({ ...next, roomAnnouncement: event ? { id: nextMessageId++, event } : state.roomAnnouncement });
    return 'applied';
  },

  applyTally: (frame) => set((state) => ({ polls: applyTallyFrame(state.polls, frame) })),

  ballotPending: (ballot) => set((state) => ({ pendingBallots: { ...state.pendingBallots, [ballot.pollId]: ballot } })),

  ballotAccepted: (receipt) =>
    set((state) => {
      const { [receipt.pollId]: sent, ...pendingBallots } = state.pendingBallots;
      const poll = state.polls.find((p) => p.id === receipt.pollId);
      // Like the server's snapshot: a secret ballot is remembered only as "voted".
      const mine = poll?.settings.secret || !sent ? null : sent.content;
      return { pendingBallots, myBallots: { ...state.myBallots, [receipt.pollId]: mine } };
    }),

  ballotDropped: (pollId) =>
    set((state) => {
      const { [pollId]: _dropped, ...pendingBallots } = state.pendingBallots;
      return { pendingBallots };
    }),

  showNotice: (code) => set({ roomNotice: { id: nextMessageId++, code } }),

  dismissNotice: () => set({ roomNotice: null }),

  askConfirm: (key) => set({ confirmKey: key }),

  editOutcome: (outcomeId) => set({ editingOutcomeId: outcomeId }),
});
