import {
  type Ack,
  type BallotContent,
  type ClientEventName,
  type ClientEventResults,
  type ClientPayload,
  type ClientToServerEvents,
  clientEventSchemas,
  ErrorCode,
  OutcomeView,
  PollTallyFrame,
  PollView,
  PresenceChange,
  RoomSnapshot,
  type ServerToClientEvents,
  SessionView,
  SignOutReason,
  SpeakerQueue,
  SuggestionView,
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

/** How long an acknowledgement may take before the UI stops waiting for it. */
const ackTimeoutMs = 15_000;

/** The one live room this tab is in, if any. */
let current: Connection | null = null;

const room = () => appStore.getState();

function isCurrent(conn: Connection): boolean {
  return current === conn;
}

function takeSnapshot(conn: Connection, data: unknown): boolean {
  const parsed = RoomSnapshot.safeParse(data);
  if (!parsed.success) {
    console.warn('room snapshot failed validation', parsed.error);
    room().roomFailed('BAD_RESPONSE');
    return false;
  }
  room().applySnapshot(parsed.data, Date.now());
  conn.joined = true;
  return true;
}

function join(conn: Connection): void {
  conn.socket.emit('room:join', { sessionId: conn.sessionId }, (res) => {
    if (!isCurrent(conn)) return;
    if (!res.ok) {
      if (res.error.code === 'UNAUTHENTICATED') room().sessionExpired();
      // With several server nodes, this one may not serve the room: a retry must connect anew
      // (and is then routed to the room's node), not ask this connection again.
      if (res.error.code === 'UNAVAILABLE') conn.socket.disconnect();
      if (res.error.code === 'REMOVED') leaveRemoved(conn);
      else room().roomFailed(res.error.code);
      return;
    }
    if (!takeSnapshot(conn, res.data)) return;
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
      handleRefusal(conn, res.error.code, false);
      return;
    }
    takeSnapshot(conn, res.data);
  });
}

/** The server ended our sign-in and is closing the socket: say why, and do not reconnect. */
function leaveSignedOut(conn: Connection, reason: SignOutReason): void {
  conn.joined = false;
  room().roomSignedOut(reason);
  conn.socket.disconnect();
}

/** A convener removed us: say so, and stop reconnecting to this room. */
function leaveRemoved(conn: Connection): void {
  conn.joined = false;
  room().roomRemoved();
  conn.socket.disconnect();
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
  if (room().applyDelta(delta, Date.now()) === 'gap') requestSnapshot(conn);
}

function seqOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error('bad seq');
  return value;
}

function isoOf(value: unknown): string {
  if (typeof value !== 'string') throw new Error('bad serverNow');
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
    const state = room().roomConnection;
    if (!isCurrent(conn) || state === 'removed' || state === 'signedOut') return;
    // The server sent us away on purpose; Socket.IO will not reconnect, so offer a retry.
    if (reason === 'io server disconnect') room().roomFailed('UNAVAILABLE');
    else if (reason !== 'io client disconnect') room().roomReconnecting();
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

  socket.on('presence:changed', (d) =>
    onDelta(conn, () => ({ type: 'presence:changed', seq: seqOf(d.seq), ...PresenceChange.parse(d) })),
  );
  socket.on('session:updated', (d) =>
    onDelta(conn, () => ({ type: 'session:updated', seq: seqOf(d.seq), session: SessionView.parse(d.session) })),
  );
  socket.on('speakers:updated', (d) =>
    onDelta(conn, () => ({
      type: 'speakers:updated',
      seq: seqOf(d.seq),
      speakers: SpeakerQueue.parse(d.speakers),
      serverNow: isoOf(d.serverNow),
    })),
  );
  socket.on('suggestion:updated', (d) =>
    onDelta(conn, () => ({
      type: 'suggestion:updated',
      seq: seqOf(d.seq),
      suggestion: SuggestionView.parse(d.suggestion),
    })),
  );
  socket.on('poll:updated', (d) =>
    onDelta(conn, () => ({ type: 'poll:updated', seq: seqOf(d.seq), poll: PollView.parse(d.poll) })),
  );
  socket.on('outcome:updated', (d) =>
    onDelta(conn, () => ({ type: 'outcome:updated', seq: seqOf(d.seq), outcome: OutcomeView.parse(d.outcome) })),
  );
  socket.on('poll:tally', (d) => {
    const frame = PollTallyFrame.safeParse(d);
    if (frame.success && conn.joined) room().applyTally(frame.data);
  });
  socket.on('room:removed', (d) => {
    if (isCurrent(conn) && d.sessionId === conn.sessionId) leaveRemoved(conn);
  });
  socket.on('account:signedOut', (d) => {
    const reason = SignOutReason.safeParse(d?.reason);
    if (isCurrent(conn)) leaveSignedOut(conn, reason.success ? reason.data : 'signedOut');
  });
}

/**
 * Enters the live room of `sessionId` over Socket.IO and keeps the store in step with it,
 * re-joining after every reconnect. Returns the function that leaves.
 */
export function connectRoom(sessionId: string): () => void {
  // The room in the handshake lets nginx send us to the node that owns it (docs/scale-out.md).
  const socket: RoomSocket = io({
    withCredentials: true,
    transports: ['websocket'],
    autoConnect: false,
    query: { room: sessionId },
  });
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

/** Tries again after the room refused or failed to load us. */
export function retryRoom(): void {
  const conn = current;
  if (!conn) return;
  room().roomConnecting(conn.sessionId);
  if (conn.socket.connected) join(conn);
  else conn.socket.connect();
}

/** Refusals that mean our copy of the room is out of date: fetch a fresh one. */
const staleViewCodes: ReadonlySet<ClientErrorCode> = new Set([
  'ILLEGAL_TRANSITION',
  'SESSION_CLOSED',
  'SESSION_NOT_LIVE',
  'POLL_CLOSED',
  'POLL_NOT_OPEN',
  'ALREADY_VOTED',
  'NOT_FOUND',
]);

function handleRefusal(conn: Connection, code: ClientErrorCode, notify: boolean): void {
  if (!isCurrent(conn)) return;
  if (code === 'UNAUTHENTICATED') room().sessionExpired();
  if (code === 'REMOVED') {
    leaveRemoved(conn);
    return;
  }
  if (code === 'NOT_JOINED') {
    conn.joined = false;
    join(conn);
  }
  if (notify) room().showNotice(code);
  if (staleViewCodes.has(code)) requestSnapshot(conn);
}

export type Result<T> = { ok: true; data: T } | { ok: false; code: ClientErrorCode };

export interface CallOptions {
  /** The caller shows the error itself (next to its form); the room's error region stays quiet. */
  quiet?: boolean;
}

/**
 * Sends one event of the shared contract and resolves with its acknowledgement. The payload is
 * checked against the shared schema first, so a request the server would refuse as malformed is
 * never sent. Refusals land in the room's assertive live region unless `quiet`.
 */
export function call<E extends ClientEventName>(
  event: E,
  payload: ClientPayload<E>,
  opts: CallOptions = {},
): Promise<Result<ClientEventResults[E]>> {
  const fail = (code: ClientErrorCode): Result<never> => {
    if (!opts.quiet) room().showNotice(code);
    return { ok: false, code };
  };
  if (!clientEventSchemas[event].safeParse(payload).success) return Promise.resolve(fail('BAD_REQUEST'));
  const conn = current;
  if (!conn?.joined || !conn.socket.connected) return Promise.resolve(fail('OFFLINE'));
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      resolve(fail('TIMEOUT'));
    }, ackTimeoutMs);
    const ack = (res: Ack<ClientEventResults[E]>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (res.ok) {
        resolve({ ok: true, data: res.data });
        return;
      }
      handleRefusal(conn, res.error.code, !opts.quiet);
      resolve({ ok: false, code: res.error.code });
    };
    // The typed socket cannot check an emit whose event name is a type parameter; its untyped
    // view can, and this function's signature keeps every caller typed by the shared contract.
    const untyped: Socket = conn.socket;
    untyped.emit(event, payload, ack);
  });
}

function sendBallot(conn: Connection, ballot: PendingBallot): void {
  conn.socket.emit('vote:cast', ballot, (res) => {
    if (!isCurrent(conn)) return;
    if (res.ok) {
      room().ballotAccepted(res.data);
      return;
    }
    room().ballotDropped(ballot.pollId);
    // Our view of this poll is out of date (closed, or we voted from another tab).
    handleRefusal(conn, res.error.code, true);
  });
}

/**
 * Casts a ballot. It stays pending until acked; if the socket drops first it is re-sent with
 * the same ballotId after the room is re-joined.
 */
export function castVote(pollId: string, content: BallotContent): void {
  const state = room();
  if (!current || state.pendingBallots[pollId] || Object.hasOwn(state.myBallots, pollId)) return;
  const ballot: PendingBallot = { pollId, ballotId: newUuid(), content };
  state.ballotPending(ballot);
  if (current.joined && current.socket.connected) sendBallot(current, ballot);
}
