/**
 * Test support: the real server on port 0 against the real database, and real clients.
 * Nothing here mocks anything; waits are on events, never on time.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer as createTcpServer } from 'node:net';
import type {
  Ack,
  BallotContent,
  ClientEventName,
  ClientEventResults,
  ClientPayload,
  ClientToServerEvents,
  PollSettings,
  PollSettingsOf,
  ServerToClientEvents,
} from '@yitang/shared';
import { CreatedInvitation, type GuestRole } from '@yitang/shared';
import type { Connection } from 'mongoose';
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { createServer, type ServerDeps, type YitangApp } from '../app';
import { connectDatabase } from '../db/connect';
import { createModels, ensureIndexes } from '../db/models';
import { createLogger, type Logger } from '../logger';
import { demo, seedDemo } from '../seed/demo';

export { type InProcessNode, type InProcessNodes, startInProcessNodes } from './nodes';
export { type RedisServer, startRedisServer } from './redis';
export { demo };

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  app: YitangApp;
  conn: Connection;
  dbName: string;
  /** Sockets opened through `joinAs`, closed by `closeSockets` and on close. */
  sockets: ClientSocket[];
  closeSockets(): void;
  /** Closes the server (not the database) and starts a fresh one on the same database. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** One ballot secret for every test server of this test file: they may share rooms and restart. */
const ballotSecret = randomBytes(32);

/** A database name unique to this test file run. */
export const uniqueDbName = (prefix = 'it') => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

export async function startTestServer(opts: {
  mongoUri: string;
  dbName?: string;
  seed?: boolean;
  /** Snapshots list only those who run the room above this many present (see LiveRoomDeps). */
  snapshotPresenceMax?: number;
  /** Overrides of the server's settings (security tests turn on secure cookies, Redis, ...). */
  config?: Partial<ServerDeps['config']>;
  /** The driver emits every command it sends on `conn.getClient()` ('commandStarted'). */
  monitorCommands?: boolean;
  /** The server's secret (ballots, hall codes, audit chain); one random secret per test file by default. */
  ballotSecret?: Buffer;
  /** The clock of the day-based parts (hall codes). */
  clock?: () => number;
  /** The server's logger (a test that reads what the server logs); silent by default. */
  logger?: Logger;
  /** Voice and video (media/): the media test passes its own LiveKit server's. */
  media?: ServerDeps['media'];
}): Promise<TestServer> {
  const dbName = opts.dbName ?? uniqueDbName();
  const logger = opts.logger ?? createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
  const config = {
    ALLOWED_ORIGINS: [],
    CLIENT_DIST: '/nonexistent',
    COOKIE_SECURE: false,
    DEMO_LOGIN: true,
    CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    SNAPSHOT_PRESENCE_MAX: opts.snapshotPresenceMax,
    ...opts.config,
  };

  const boot = async () => {
    const conn = await connectDatabase(opts.mongoUri, dbName, undefined, { monitorCommands: opts.monitorCommands });
    const models = createModels(conn);
    await ensureIndexes(models);
    if (opts.seed !== false) await seedDemo(models);
    const app = createServer({
      config,
      conn,
      logger,
      ballotSecret: opts.ballotSecret ?? ballotSecret,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.media ? { media: opts.media } : {}),
    });
    const url = await app.listen(0, '127.0.0.1');
    await app.warmRooms();
    return { conn, app, url };
  };

  let current = await boot();
  const server: TestServer = {
    get url() {
      return current.url;
    },
    get app() {
      return current.app;
    },
    get conn() {
      return current.conn;
    },
    dbName,
    sockets: [],
    closeSockets() {
      for (const s of server.sockets.splice(0)) s.close();
    },
    async restart() {
      await current.app.close();
      await current.conn.close();
      current = await boot();
    },
    async close() {
      server.closeSockets();
      await current.app.close();
      await current.conn.dropDatabase().catch(() => undefined);
      await current.conn.close();
    },
  };
  return server;
}

/** Signs in as a demo identity and returns the Cookie header value. */
export async function signIn(url: string, memberId: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/demo-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberId }),
  });
  if (!res.ok) throw new Error(`sign-in as ${memberId} failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie');
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] ?? '';
}

/**
 * A JSON POST as a demo identity on any of several servers (nodes), signing in once per server
 * and identity: `post<Body>(node, memberId, path, body)` answers the status and the parsed body.
 */
export function postAsOn() {
  const cookies = new Map<string, string>();
  return async <T>(
    server: { url: string },
    memberId: string,
    path: string,
    body: unknown = {},
  ): Promise<{ status: number; body: T }> => {
    const key = `${server.url} ${memberId}`;
    let cookie = cookies.get(key);
    if (!cookie) {
      cookie = await signIn(server.url, memberId);
      cookies.set(key, cookie);
    }
    const res = await fetch(`${server.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}

/** A real socket.io-client connected with the given cookie; resolves once connected. */
export function connectSocket(url: string, cookie?: string): Promise<ClientSocket> {
  const socket: ClientSocket = ioClient(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: cookie ? { cookie } : {},
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Emits an event and resolves with its ack. */
export function request<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: ClientPayload<E>,
): Promise<Ack<ClientEventResults[E]>> {
  return new Promise((resolve) => {
    const emit = socket.emit as (e: string, p: unknown, ack: (res: Ack<ClientEventResults[E]>) => void) => void;
    emit.call(socket, event, payload, resolve);
  });
}

/** Like `request`, but fails the test unless the ack is ok; returns its data. */
export async function must<E extends ClientEventName>(
  socket: ClientSocket,
  event: E,
  payload: ClientPayload<E>,
): Promise<ClientEventResults[E]> {
  const res = await request(socket, event, payload);
  if (!res.ok) throw new Error(`${event} refused: ${res.error.code} ${res.error.message}`);
  return res.data;
}

type Listener<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Resolves with the first `event` whose payload satisfies `match`. */
export function next<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  match: (payload: Listener<E>) => boolean = () => true,
): Promise<Listener<E>> {
  return new Promise((resolve) => {
    const on = socket.on.bind(socket) as (e: string, fn: (p: Listener<E>) => void) => void;
    const off = socket.off.bind(socket) as (e: string, fn: (p: Listener<E>) => void) => void;
    const fn = (payload: Listener<E>) => {
      if (!match(payload)) return;
      off(event, fn);
      resolve(payload);
    };
    on(event, fn);
  });
}

type PolyfillOption = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>['WebSocketPolyfill'];

/**
 * The stock y-websocket `WebsocketProvider`, connected to the minutes socket as a signed-in
 * member. Node has no cookie jar, so the socket class is `ws` with the Cookie header set.
 */
export function minutesProvider(url: string, sessionId: string, doc: Y.Doc, cookie: string): WebsocketProvider {
  class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  }
  // `ws` implements the browser WebSocket API the provider uses; its declared type differs.
  const polyfill = CookieWebSocket as unknown as PolyfillOption;
  return new WebsocketProvider(`${url.replace(/^http/, 'ws')}/minutes`, sessionId, doc, {
    WebSocketPolyfill: polyfill,
    disableBc: true,
  });
}

/** Resolves once the provider has finished its first sync with the server. */
export function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const fn = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', fn);
      resolve();
    };
    provider.on('sync', fn);
  });
}

/** Resolves when `check()` holds, re-checking on every update of `doc`. */
export function whenDoc(doc: Y.Doc, check: () => boolean): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve) => {
    const fn = () => {
      if (!check()) return;
      doc.off('update', fn);
      resolve();
    };
    doc.on('update', fn);
  });
}

/** Settings of a yes/no/abstain poll; named, members vote, no quorum, simple majority of votes cast. */
export function yesNoPoll(question: string, over: Partial<Omit<PollSettingsOf<'yesno'>, 'kind'>> = {}): PollSettings {
  return {
    kind: 'yesno',
    question,
    secret: false,
    electorate: 'members',
    quorum: { type: 'none' },
    majority: { rule: 'simple', base: 'cast' },
    ...over,
  };
}

export const choice = (c: 'yes' | 'no' | 'abstain'): BallotContent => ({ kind: 'yesno', choice: c });

/** Signs in, connects and joins the demo session; the socket is remembered for `closeAll`. */
export async function joinAs(
  server: TestServer,
  memberId: string,
  sessionId: string = demo.sessionId,
): Promise<ClientSocket> {
  const socket = await connectSocket(server.url, await signIn(server.url, memberId));
  server.sockets.push(socket);
  await must(socket, 'room:join', { sessionId });
  return socket;
}

/** Creates and opens a poll as `convener`; returns its view. */
export async function openPoll(convener: ClientSocket, settings: PollSettings) {
  const draft = await must(convener, 'poll:create', { settings });
  return must(convener, 'poll:open', { pollId: draft.id });
}

/**
 * Invites a guest into a session as `role` (the inviter must be staff or a convener there),
 * accepts the invitation as `name`, and returns the guest's Cookie header value.
 */
export async function signInAsGuest(
  url: string,
  inviterCookie: string,
  role: GuestRole,
  name: string,
  sessionId: string = demo.sessionId,
): Promise<string> {
  const created = await fetch(`${url}/api/sessions/${sessionId}/invitations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: inviterCookie },
    body: JSON.stringify({ role, name }),
  });
  if (created.status !== 201) throw new Error(`inviting a ${role} failed: ${created.status}`);
  const { token } = CreatedInvitation.parse(await created.json());
  const accepted = await fetch(`${url}/api/invite/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!accepted.ok) throw new Error(`accepting the ${role} invitation failed: ${accepted.status}`);
  const cookie = accepted.headers.get('set-cookie');
  if (!cookie) throw new Error('no session cookie for the guest');
  return cookie.split(';')[0] ?? '';
}

/**
 * Resolves with the close code once the server has closed the provider's socket and the provider
 * has reconnected and synced again (e.g. after the minutes' permissions changed). Call it before
 * the action that closes the socket.
 */
export function nextReconnect(provider: WebsocketProvider): Promise<number> {
  return new Promise((resolve) => {
    let code = 0;
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve(code);
    };
    const onClose = (event: { code: number } | null) => {
      if (!event) return; // closed by the client itself
      code = event.code;
      provider.off('connection-close', onClose);
      provider.on('sync', onSync);
    };
    provider.on('connection-close', onClose);
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers a test starts: Redis, nginx). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
