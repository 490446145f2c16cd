import {
  type Ack,
  type Choice,
  type ClientToServerEvents,
  clientEventSchemas,
  ErrorCode,
  PollView,
  PresenceEntry,
  RoomSnapshot,
  type ServerToClientEvents,
  SessionView,
  Tally,
} from '@yitang/shared';
import { io, type Socket } from 'socket.io-client';
import type { ClientErrorCode } from '../../lib/errors';
import { newUuid } from '../../lib/ids';
import { appStore } from '../../store';
import type { PendingBallot } from './roomSlice';
import type { RoomDelta } from './roomState';

type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Connection {
  socket: RoomSocket;
  sessionId: string;
  /** True between a successful `room:join` ack and the next disconnect. */
  joined: boolean;
  /** A `room:snapshot` request is in flight; further gaps wait for it. */
  resyncing: boolean;
}

/** The one live room this tab is in, if any. */
let current: Connection | null = null;

const room = () => appStore.getState();

function isCurrent(conn: Connection): boolean {
  return current === conn;
}

function takeSnapshot(conn: Connection, res: Ack<unknown>): boolean {
  if (!res.ok) return false;
  const parsed = RoomSnapshot.safeParse(res.data);
  if (!parsed.success) {
    console.warn('room snapshot failed validation', parsed.error);
    room().roomFailed('BAD_RESPONSE');
    return false;
  }
  room().applySnapshot(parsed.data);
  conn.joined = true;
  return true;
}

function join(conn: Connection): void {
  conn.socket.emit('room:join', { sessionId: conn.sessionId }, (res) => {
    if (!isCurrent(conn)) return;
    if (!res.ok) {
      if (res.error.code === 'UNAUTHENTICATED') room().sessionExpired();
      room().roomFailed(res.error.code);
      return;
    }
    if (!takeSnapshot(conn, res)) return;
    // Ballots whose ack was lost with the old connection: the server answers a re-sent
    // ballotId with the same receipt, so this can never count a vote twice.
    for (const ballot of Object.values(room().pendingBallots)) sendBallot(conn, ballot);
  });
}

function requestSnapshot(conn: Connection): void {
  if (conn.resyncing || !conn.joined) return;
  conn.resyncing = true;
  conn.socket.emit('room:snapshot', {}, (res) => {
    conn.resyncing = false;
    if (!isCurrent(conn)) return;
    if (!res.ok) {
      room().showNotice(res.error.code);
      return;
    }
    takeSnapshot(conn, res);
  });
}

function onDelta(conn: Connection, read: () => RoomDelta): void {
  let delta: RoomDelta;
  try {
    delta = read();
  } catch (err) {
    // A malformed frame: we cannot apply it, so treat it like a gap and resync.
    console.warn('room delta failed validation', err);
    requestSnapshot(conn);
    return;
  }
  if (room().applyDelta(delta) === 'gap') requestSnapshot(conn);
}

function seqOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error('bad seq');
  return value;
}

function listen(conn: Connection): void {
  const { socket } = conn;

  socket.on('connect', () => {
    if (isCurrent(conn)) join(conn);
  });

  socket.on('disconnect', (reason) => {
    conn.joined = false;
    conn.resyncing = false;
    if (!isCurrent(conn)) return;
    // The server sent us away on purpose; Socket.IO will not reconnect, so offer a retry.
    if (reason === 'io server disconnect') room().roomFailed('UNAVAILABLE');
    else room().roomReconnecting();
  });

  socket.on('connect_error', (err) => {
    if (!isCurrent(conn)) return;
    // Refused by the server's middleware: it will not retry by itself.
    if (!socket.active) {
      const code = ErrorCode.safeParse(err.message);
      room().roomFailed(code.success ? code.data : 'UNAVAILABLE');
      if (code.success && code.data === 'UNAUTHENTICATED') room().sessionExpired();
    }
  });

  socket.on('presence:joined', (d) =>
    onDelta(conn, () => ({
      type: 'presence:joined',
      seq: seqOf(d.seq),
      entry: PresenceEntry.parse(d.entry),
    })),
  );
  socket.on('presence:left', (d) =>
    onDelta(conn, () => ({ type: 'presence:left', seq: seqOf(d.seq), memberId: String(d.memberId) })),
  );
  socket.on('agenda:current', (d) =>
    onDelta(conn, () => ({
      type: 'agenda:current',
      seq: seqOf(d.seq),
      currentItemId: typeof d.currentItemId === 'string' ? d.currentItemId : null,
    })),
  );
  socket.on('session:updated', (d) =>
    onDelta(conn, () => ({
      type: 'session:updated',
      seq: seqOf(d.seq),
      session: SessionView.parse(d.session),
    })),
  );
  socket.on('poll:opened', (d) =>
    onDelta(conn, () => ({ type: 'poll:opened', seq: seqOf(d.seq), poll: PollView.parse(d.poll) })),
  );
  socket.on('poll:closed', (d) =>
    onDelta(conn, () => ({ type: 'poll:closed', seq: seqOf(d.seq), poll: PollView.parse(d.poll) })),
  );
  socket.on('poll:tally', (d) => {
    const tally = Tally.safeParse(d.tally);
    if (tally.success && typeof d.pollId === 'string') room().applyTally(d.pollId, tally.data);
  });
}

/**
 * Enters the live room of `sessionId` over Socket.IO and keeps the store in step with it,
 * re-joining after every reconnect. Returns the function that leaves.
 */
export function connectRoom(sessionId: string): () => void {
  const socket: RoomSocket = io({ withCredentials: true, transports: ['websocket'], autoConnect: false });
  const conn: Connection = { socket, sessionId, joined: false, resyncing: false };
  current = conn;
  room().roomConnecting(sessionId);
  listen(conn);
  socket.connect();
  return () => {
    socket.disconnect();
    if (isCurrent(conn)) {
      current = null;
      room().roomReset();
    }
  };
}

/** The current connection if it can take a request now; otherwise says so in the live region. */
function ready(): Connection | null {
  if (current?.joined && current.socket.connected) return current;
  room().showNotice('OFFLINE');
  return null;
}

function failWith(code: ClientErrorCode): void {
  room().showNotice(code);
}

function sendBallot(conn: Connection, ballot: PendingBallot): void {
  conn.socket.emit('vote:cast', ballot, (res) => {
    if (!isCurrent(conn)) return;
    if (res.ok) {
      room().ballotAccepted(res.data);
      return;
    }
    room().ballotDropped(ballot.pollId);
    failWith(res.error.code);
    // Our view of this poll is out of date (closed, or we voted from another tab).
    if (res.error.code === 'ALREADY_VOTED' || res.error.code === 'POLL_CLOSED') requestSnapshot(conn);
  });
}

/**
 * Casts a ballot. It stays pending until acked; if the socket drops first it is re-sent with
 * the same ballotId after the room is re-joined.
 */
export function castVote(pollId: string, choice: Choice): void {
  const state = room();
  if (!current || state.pendingBallots[pollId] || state.myBallots[pollId]) return;
  const ballot: PendingBallot = { pollId, ballotId: newUuid(), choice };
  state.ballotPending(ballot);
  if (current.joined && current.socket.connected) sendBallot(current, ballot);
}

/** Opens a poll; resolves true when the server accepted it. */
export function openPoll(question: string): Promise<boolean> {
  const payload = clientEventSchemas['poll:open'].safeParse({ question });
  if (!payload.success) {
    failWith('BAD_REQUEST');
    return Promise.resolve(false);
  }
  const conn = ready();
  if (!conn) return Promise.resolve(false);
  return new Promise((resolve) => {
    conn.socket.emit('poll:open', payload.data, (res) => {
      if (res.ok) {
        const poll = PollView.safeParse(res.data);
        if (poll.success && isCurrent(conn)) room().pollReceived(poll.data);
      } else {
        failWith(res.error.code);
      }
      resolve(res.ok);
    });
  });
}

export function closePoll(pollId: string): void {
  const conn = ready();
  if (!conn) return;
  conn.socket.emit('poll:close', { pollId }, (res) => {
    if (!res.ok) {
      failWith(res.error.code);
      return;
    }
    const poll = PollView.safeParse(res.data);
    if (poll.success && isCurrent(conn)) room().pollReceived(poll.data);
  });
}

export function gotoAgendaItem(itemId: string): void {
  const conn = ready();
  if (!conn) return;
  conn.socket.emit('agenda:goto', { itemId }, (res) => {
    if (!res.ok) failWith(res.error.code);
  });
}

/** Tries again after the room refused or failed to load us. */
export function retryRoom(): void {
  const conn = current;
  if (!conn) return;
  room().roomConnecting(conn.sessionId);
  if (conn.socket.connected) join(conn);
  else conn.socket.connect();
}
