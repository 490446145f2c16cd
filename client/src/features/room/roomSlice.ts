import type { BallotReceipt, Choice, PollView, RoomSnapshot, Tally } from '@yitang/shared';
import type { ClientErrorCode } from '../../lib/errors';
import type { SliceCreator } from '../../store/types';
import {
  emptyRoom,
  placeDelta,
  type RoomData,
  type RoomDelta,
  reduceDelta,
  roomFromSnapshot,
  upsertPoll,
} from './roomState';

/** idle: no room; connecting: first join; joined: live; reconnecting: socket down; failed: gave up. */
export type RoomConnection = 'idle' | 'connecting' | 'joined' | 'reconnecting' | 'failed';

/** A ballot sent (or waiting to be sent) whose ack has not come back yet. */
export interface PendingBallot {
  pollId: string;
  ballotId: string;
  choice: Choice;
}

/** An error to show in the room's live region; `id` makes a repeated error announce again. */
export interface RoomNotice {
  id: number;
  code: ClientErrorCode;
}

/** What screen readers hear about polls: only openings and final tallies, never each vote. */
export interface RoomAnnouncement {
  id: number;
  kind: 'pollOpened' | 'pollClosed';
  poll: PollView;
}

export interface RoomSlice extends RoomData {
  roomSessionId: string | null;
  roomConnection: RoomConnection;
  roomFailure: ClientErrorCode | null;
  /** pollId -> ballot awaiting its ack; re-sent with the same ballotId after a reconnect. */
  pendingBallots: Record<string, PendingBallot>;
  roomNotice: RoomNotice | null;
  roomAnnouncement: RoomAnnouncement | null;

  roomConnecting: (sessionId: string) => void;
  roomReconnecting: () => void;
  roomFailed: (code: ClientErrorCode) => void;
  roomReset: () => void;
  applySnapshot: (snapshot: RoomSnapshot) => void;
  /** Applies a delta if it is the next in sequence; 'gap' means the caller must fetch a snapshot. */
  applyDelta: (delta: RoomDelta) => 'applied' | 'stale' | 'gap';
  applyTally: (pollId: string, tally: Tally) => void;
  pollReceived: (poll: PollView) => void;
  ballotPending: (ballot: PendingBallot) => void;
  ballotAccepted: (receipt: BallotReceipt) => void;
  ballotDropped: (pollId: string) => void;
  showNotice: (code: ClientErrorCode) => void;
  dismissNotice: () => void;
}

let nextMessageId = 1;

const initialRoomSlice = {
  ...emptyRoom,
  roomSessionId: null,
  roomConnection: 'idle',
  roomFailure: null,
  pendingBallots: {},
  roomNotice: null,
  roomAnnouncement: null,
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

  roomFailed: (code) => set({ roomConnection: 'failed', roomFailure: code }),

  roomReset: () => set(initialRoomSlice),

  applySnapshot: (snapshot) => set({ ...roomFromSnapshot(snapshot), roomConnection: 'joined', roomFailure: null }),

  applyDelta: (delta) => {
    const state = get();
    // Before the first snapshot there is nothing to apply to; the join ack brings the state.
    if (state.roomConnection === 'connecting' || state.session === null) return 'stale';
    const place = placeDelta(state.seq, delta.seq);
    if (place !== 'next') return place;
    const next = reduceDelta(state, delta);
    const announcement: RoomAnnouncement | null =
      delta.type === 'poll:opened' || delta.type === 'poll:closed'
        ? {
            id: nextMessageId++,
            kind: delta.type === 'poll:opened' ? 'pollOpened' : 'pollClosed',
            poll: delta.poll,
          }
        : state.roomAnnouncement;
    set({ ...next, roomAnnouncement: announcement });
    return 'applied';
  },

  applyTally: (pollId, tally) =>
    set((state) => ({
      polls: state.polls.map((p) => (p.id === pollId && p.state === 'open' ? { ...p, tally } : p)),
    })),

  pollReceived: (poll) => set((state) => ({ polls: upsertPoll(state.polls, poll) })),

  ballotPending: (ballot) => set((state) => ({ pendingBallots: { ...state.pendingBallots, [ballot.pollId]: ballot } })),

  ballotAccepted: (receipt) =>
    set((state) => {
      const { [receipt.pollId]: _sent, ...pendingBallots } = state.pendingBallots;
      return { pendingBallots, myBallots: { ...state.myBallots, [receipt.pollId]: receipt.choice } };
    }),

  ballotDropped: (pollId) =>
    set((state) => {
      const { [pollId]: _dropped, ...pendingBallots } = state.pendingBallots;
      return { pendingBallots };
    }),

  showNotice: (code) => set({ roomNotice: { id: nextMessageId++, code } }),

  dismissNotice: () => set({ roomNotice: null }),
});
