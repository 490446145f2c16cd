/**
 * Property-based fuzzing of every surface a stranger reaches (issue 12: "Nothing a stranger sends
 * stops Yitang"), against the real server process and the real database:
 *
 * - raw HTTP request lines, paths and headers, and upgrade requests, over raw TCP;
 * - every REST route (listed from Express's own router), with hostile params, query and body,
 *   signed out, as a member and as staff;
 * - every Socket.IO client event (and unknown ones, and raw socket.io packets), as a member and
 *   as staff in the room;
 * - random and truncated y-protocols frames on the minutes socket, as a read-only reader and as
 *   a writer.
 *
 * After every batch the process still answers /healthz, a client already in the room still gets
 * an ack, and no answer is a 5xx. At the end no collection the fuzzer must not change has changed.
 *
 * FUZZ_BUDGET_MS is the time for all surfaces together (default 60 s; `pnpm fuzz:night` gives an
 * hour). FUZZ_SEED replays a run (fast-check prints the seed and path of a failure).
 */
import { clientEventSchemas, limits, minutesDocName } from '@yitang/shared';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import type { Connection } from 'mongoose';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { createServer } from '../src/app';
import { connectDatabase } from '../src/db/connect';
import { createModels, ensureIndexes } from '../src/db/models';
import type { RestRoute } from '../src/http/routes';
import { createLogger } from '../src/logger';
import { createMinutesStore } from '../src/minutes/minutes.store';
import { type ClientSocket, connectSocket, demo, must, signIn, uniqueDbName } from '../src/testing';
import { rawExchange, type ServerProcess, startServerProcess, upgradeRequest } from '../src/testing/process';

const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 60_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/** Each surface's share of the budget. */
const share = {
  raw: 0.15,
  upgrade: 0.1,
  rest: 0.3,
  handshake: 0.05,
  socket: 0.25,
  minutes: 0.1,
  minutesWriter: 0.05,
} as const;
const timeFor = (surface: keyof typeof share) => Math.max(1_000, Math.round(BUDGET_MS * share[surface]));
const testTimeout = (surface: keyof typeof share) => timeFor(surface) + 60_000;

/**
 * Collections the fuzzer may change: its own sign-ins and sign-outs (and the audit log's record
 * of them and of refusals; what was done is checked in its own collection), the attendance its joins
 * record, the minutes the server itself writes (the agenda structure, room events) and those the
 * fuzzing writer (the recorder) writes into the second session; that no reader's frame reached the
 * minutes is checked by their content instead. Every other
 * collection must keep its count.
 */
const MAY_CHANGE = new Set([
  'attendance',
  'authsessions',
  'auditlog',
  'minutes_snapshots',
  'minutes_updates',
  'minutes_authors',
  // Staff may make a reset link for an account whose id is among the path pieces.
  'accounttokens',
]);

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('fuzz');
let proc: ServerProcess;
let conn: Connection;
let routes: RestRoute[] = [];
const cookies: Record<'member' | 'staff' | 'reader' | 'observer', string> = {
  member: '',
  staff: '',
  reader: '',
  observer: '',
};
/** The REST fuzzer's own sign-ins: it may sign itself out, and then signs in again. */
const restCookies: Record<'member' | 'staff', string> = { member: '', staff: '' };
let observer: ClientSocket;
let observerLost = '';
let countsBefore: Record<string, number> = {};
const runs: Record<string, number> = {};

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const db = conn.db;
  if (!db) throw new Error('no database handle');
  for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
    out[c.name] = await db.collection(c.name).countDocuments();
  }
  return out;
}

/** When the observer last asked: it asks at most every 100 ms, under the per-socket event rate. */
let observerAsked = 0;

/** The process lives, /healthz answers, and a client already in the room is still served. */
async function healthy(force = false): Promise<void> {
  if (!proc.alive()) throw new Error(`the server process died:\n${proc.output().slice(-4_000)}`);
  const res = await fetch(`${proc.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
  if (!observer.connected) throw new Error(`the observer in the room was disconnected: ${observerLost}`);
  if (!force && performance.now() - observerAsked < 100) return;
  observerAsked = performance.now();
  const ack = await observer.timeout(10_000).emitWithAck('room:snapshot', {});
  // An answer is what counts; the observer asks after every batch, so its own rate limit may say no.
  if (!ack.ok && ack.error.code !== 'RATE_LIMITED') throw new Error(`the observer was refused: ${ack.error.code}`);
}

/** Runs `property` until the surface's time is up; fails with fast-check's report (seed, path). */
async function fuzz<Ts>(surface: keyof typeof share, property: fc.IAsyncPropertyWithHooks<Ts>): Promise<void> {
  const details = await fc.check(property, {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: timeFor(surface),
    markInterruptAsFailure: false,
    ...(SEED !== undefined ? { seed: SEED } : {}),
  });
  runs[surface] = details.numRuns;
  if (!details.failed) await healthy(true);
  if (details.failed) {
    throw new Error(`${fc.defaultReportMessage(details) ?? 'fuzz property failed'}\n${String(details.errorInstance)}`);
  }
  expect(details.numRuns).toBeGreaterThan(0);
}

beforeAll(async () => {
  // The route list comes from an in-process copy of the app (never listening): Express's router.
  conn = await connectDatabase(mongoUri, dbName);
  await ensureIndexes(createModels(conn));
  const probe = createServer({
    config: {
      ALLOWED_ORIGINS: [],
      CLIENT_DIST: '/nonexistent',
      COOKIE_SECURE: false,
      DEMO_LOGIN: true,
      CHROMIUM_PATH: '/nonexistent',
      SNAPSHOT_PRESENCE_MAX: undefined,
    },
    conn,
    logger: createLogger('silent'),
  });
  // Deactivating an account cuts it off at once: with the first convener's id among the path
  // pieces, that would end the observer this suite watches. accounts.test.ts covers the route.
  routes = probe.routes().filter((r) => !r.path.endsWith('/deactivate'));
  await probe.close();

  proc = await startServerProcess({ MONGODB_URI: mongoUri, MONGODB_DB: dbName, SEED_DEMO: '1' });
  cookies.member = await signIn(proc.url, 'm-gao-ya');
  cookies.staff = await signIn(proc.url, demo.recorderId);
  cookies.reader = await signIn(proc.url, 'm-zhou-min');
  cookies.observer = await signIn(proc.url, demo.firstConvenerId);
  restCookies.member = await signIn(proc.url, 'm-gao-ya');
  restCookies.staff = await signIn(proc.url, demo.staffId);
  observer = await connectSocket(proc.url, cookies.observer);
  observer.on('disconnect', (reason, description) => {
    observerLost = `${reason} ${JSON.stringify(description ?? null)}`;
  });
  await must(observer, 'room:join', { sessionId: demo.sessionId });
  countsBefore = await counts();
}, 120_000);

afterAll(async () => {
  observer?.close();
  if (proc?.alive()) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
  console.log(`fuzz runs in ${BUDGET_MS} ms: ${JSON.stringify(runs)}`);
  await conn?.dropDatabase().catch(() => undefined);
  await conn?.close();
});

// Pieces of hostile input.
const junkText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%FF',
    '%00',
    '..',
    '../..',
    '//',
    '\\',
    '{}',
    '[]',
    '%2e%2e%2f',
    '\u0000',
    '\uFFFF',
  ),
  fc.string({ maxLength: 20_000 }),
);
const pathSegment = fc.oneof(
  junkText.map((s) => encodeURIComponent(s)),
  fc.constantFrom('%', '%E0%A4%A', '%FF', '%C0%AF', '..', '', 'x'.repeat(5_000)),
  fc.constantFrom(demo.sessionId, demo.secondSessionId, demo.roomId, demo.firstConvenerId),
);
const tokenChars = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.!~'),
  maxLength: 12,
});

describe('raw HTTP over TCP', () => {
  const requestLine = fc.record({
    method: fc.oneof(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'CONNECT'),
      tokenChars,
    ),
    target: fc.oneof(
      fc.constantFrom('/', '//', '/api/sessions/%E0%A4%A', '*', 'http://x/', '/socket.io/?EIO=4', '/minutes/%FF'),
      fc
        .constantFrom('/api', '/healthz', '/readyz', '/minutes', '/socket.io')
        .chain((p) => pathSegment.map((s) => `${p}/${s}`)),
      junkText,
    ),
    version: fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', ''),
    headers: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'Host',
            'Content-Length',
            'Transfer-Encoding',
            'Connection',
            'Upgrade',
            'Cookie',
            'Origin',
            'Content-Type',
            'Expect',
            'Sec-WebSocket-Key',
            'Sec-WebSocket-Version',
          ),
          tokenChars,
        ),
        fc.oneof(junkText, fc.constantFrom('-1', '99999999999', 'chunked', 'websocket', 'Upgrade', '100-continue')),
      ),
      { maxLength: 12 },
    ),
    body: fc.string({ unit: 'binary', maxLength: 2_000 }),
  });
  const rawRequest = fc.oneof(
    {
      weight: 4,
      arbitrary: requestLine.map(
        (r) =>
          `${r.method} ${r.target} ${r.version}\r\n${r.headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${r.body}`,
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4_000 }) },
  );

  it(
    'every request line, path and header gets an answer or a close, and the server lives on',
    async () => {
      await fuzz(
        'raw',
        fc.asyncProperty(fc.array(rawRequest, { minLength: 1, maxLength: 5 }), async (batch) => {
          await Promise.all(
            batch.map(async (bytes) => {
              const { received } = await rawExchange(proc.port, Buffer.from(bytes, 'latin1'), () => false, 200);
              const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received)?.[1] ?? 0);
              if (status >= 500) throw new Error(`answered ${status}: ${received.slice(0, 300)}`);
            }),
          );
          await healthy();
        }),
      );
    },
    testTimeout('raw'),
  );
});

describe('upgrade requests over TCP', () => {
  const target = fc.oneof(
    fc.constantFrom('/minutes', '/socket.io', '', '/api').chain((p) => pathSegment.map((s) => `${p}/${s}`)),
    junkText.map((s) => `/${s}`),
    fc.constantFrom(
      '//',
      '///minutes/x',
      '/minutes/',
      '/minutes/%FF',
      '/socket.io',
      '/socket.io?EIO=4&transport=websocket',
      '/socket.io/?EIO=4&transport=websocket',
    ),
  );
  const who = fc.constantFrom<keyof typeof cookies | 'none' | 'junk'>('none', 'junk', 'member', 'reader');

  it(
    'every upgrade is answered at once (or accepted) and the server lives on',
    async () => {
      await fuzz(
        'upgrade',
        fc.asyncProperty(target, who, junkText, async (t, w, origin) => {
          const cookie = w === 'none' ? undefined : w === 'junk' ? `yitang_session=${origin}` : cookies[w];
          const headers: Record<string, string> = {};
          if (cookie) headers.Cookie = cookie.replace(/[\r\n]/g, '');
          if (origin.length < 100) headers.Origin = origin.replace(/[\r\n]/g, '');
          // Every refusal and every acceptance starts with a status line: wait for that only.
          const { received, closedByServer } = await rawExchange(
            proc.port,
            Buffer.from(upgradeRequest(t.replace(/[\r\n ]/g, ''), headers), 'latin1'),
            (r) => r.includes('\r\n\r\n'),
            5_000,
          );
          if (!closedByServer && !received.includes('\r\n\r\n')) throw new Error(`${t} was left open unanswered`);
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
          if (status === 0 && received !== '') throw new Error(`no status line: ${received.slice(0, 200)}`);
          if (status >= 500 && status !== 503) throw new Error(`answered ${status}`);
          await healthy();
        }),
      );
    },
    testTimeout('upgrade'),
  );
});

describe('REST routes', () => {
  const fill = (pattern: string) =>
    fc
      .array(pathSegment, { minLength: 8, maxLength: 8 })
      .map((segs) => pattern.replace(/:(\w+)|\{\*\w+\}|\*\w+/g, (_m, _n, i: number) => segs[i % segs.length] ?? 'x'));
  const body = fc.oneof(
    fc.constant<{ type?: string; text?: string }>({}),
    fc.jsonValue({ maxDepth: 4 }).map((v) => ({ type: 'application/json', text: JSON.stringify(v) })),
    fc.record({
      type: fc.constantFrom(
        'application/json',
        'text/plain',
        'text/csv',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'multipart/form-data',
        'application/json; charset=utf-7',
        'application/octet-stream',
      ),
      text: fc.oneof(
        junkText,
        fc.constantFrom('{', '{"a":', '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n'),
      ),
    }),
  );

  it(
    'every route answers hostile params, query and body with a refusal, never a 5xx or a crash',
    async () => {
      expect(routes.length).toBeGreaterThan(20);
      const route = fc.constantFrom(...routes);
      await fuzz(
        'rest',
        fc.asyncProperty(
          route.chain((r) => fc.tuple(fc.constant(r), fill(r.path))),
          fc.dictionary(junkText, junkText, { maxKeys: 4 }),
          body,
          fc.constantFrom<'none' | 'junk' | 'member' | 'staff'>('none', 'junk', 'member', 'staff'),
          async ([r, p], query, b, w) => {
            const qs = new URLSearchParams(query).toString();
            const headers: Record<string, string> = {};
            if (w === 'junk') headers.cookie = 'yitang_session=deadbeef';
            else if (w !== 'none') headers.cookie = restCookies[w];
            if (b.type) headers['content-type'] = b.type;
            const method = r.method;
            const res = await fetch(`${proc.url}${p}${qs ? `?${qs}` : ''}`, {
              method,
              headers,
              ...(b.text !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: b.text } : {}),
              signal: AbortSignal.timeout(15_000),
            });
            await res.arrayBuffer();
            if (res.ok && (w === 'member' || w === 'staff') && r.path === '/api/auth/logout') {
              restCookies[w] = await signIn(proc.url, w === 'member' ? 'm-gao-ya' : demo.staffId);
            }
            if (res.status >= 500 && res.status !== 503) {
              throw new Error(`${method} ${p} answered ${res.status}`);
            }
            await healthy();
          },
        ),
      );
    },
    testTimeout('rest'),
  );
});

describe('Socket.IO handshakes', () => {
  it(
    'a connection with a hostile cookie, auth payload or query is refused (or served), never a crash',
    async () => {
      await fuzz(
        'handshake',
        fc.asyncProperty(
          fc.oneof(junkText, fc.constantFrom(cookies.member, `yitang_session=${'%'.repeat(50)}`)),
          fc.dictionary(junkText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
          fc.dictionary(tokenChars, junkText, { maxKeys: 3 }),
          async (cookie, auth, query) => {
            const socket: ClientSocket = ioClient(proc.url, {
              transports: ['websocket'],
              forceNew: true,
              reconnection: false,
              timeout: 10_000,
              // Header values cannot carry line breaks or non-Latin-1 text through any client.
              extraHeaders: { cookie: cookie.replace(/[^\x20-\x7e]/g, '') },
              auth,
              query,
            });
            const outcome = await new Promise<string>((resolve) => {
              socket.once('connect', () => resolve('connected'));
              socket.once('connect_error', (err) => resolve(err.message));
            });
            socket.close();
            // The server answered (a refusal, or a connection for the one real cookie), not timed out.
            if (outcome === 'timeout') throw new Error('the handshake was never answered');
            await healthy();
          },
        ),
      );
    },
    testTimeout('handshake'),
  );
});

describe('Socket.IO events', () => {
  const events = Object.keys(clientEventSchemas);
  const keysOf = (event: string): string[] => {
    const schema: unknown = clientEventSchemas[event as keyof typeof clientEventSchemas];
    if (typeof schema === 'object' && schema !== null && 'shape' in schema) {
      const shape = schema.shape;
      if (typeof shape === 'object' && shape !== null) return Object.keys(shape);
    }
    return [];
  };
  const payloadFor = (event: string) => {
    const keys = keysOf(event);
    const value = fc.oneof(fc.anything({ maxDepth: 3 }), junkText, fc.constantFrom(demo.sessionId, 'p1', -1, 1e308));
    return fc.oneof(
      fc.anything({ maxDepth: 4 }),
      keys.length > 0 ? fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }) : fc.object(),
    );
  };
  const emission = fc.record({
    event: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...events) }, { weight: 1, arbitrary: junkText }),
    as: fc.constantFrom<'member' | 'staff'>('member', 'staff'),
    withAck: fc.boolean(),
    extra: fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 2 }),
    raw: fc.option(fc.string({ unit: 'binary', maxLength: 500 }), { freq: 8 }),
  });
  const clients: Partial<Record<'member' | 'staff', ClientSocket>> = {};
  const sent: Record<'member' | 'staff', number> = { member: 0, staff: 0 };
  /**
   * The fuzzing client, replaced before its event budget (limits.socketBurst) runs out, so that
   * events reach their handlers instead of the rate limiter (which has its own tests).
   */
  const client = async (who: 'member' | 'staff'): Promise<ClientSocket> => {
    const existing = clients[who];
    sent[who] += 1;
    if (existing?.connected && sent[who] < limits.socketBurst - 10) return existing;
    existing?.close();
    const socket = await connectSocket(proc.url, cookies[who]);
    clients[who] = socket;
    sent[who] = 1;
    await must(socket, 'room:join', { sessionId: demo.sessionId });
    return socket;
  };

  it(
    'every event with hostile payloads is refused cleanly, and the room goes on',
    async () => {
      await fuzz(
        'socket',
        fc.asyncProperty(
          emission.chain((e) => payloadFor(e.event).map((payload) => ({ ...e, payload }))),
          async (e) => {
            const socket = await client(e.as);
            if (e.raw !== null) {
              // A raw socket.io packet (type, namespace, id, JSON) straight into the engine.
              socket.io.engine.send(`4${e.raw}`);
            } else if (e.withAck) {
              // The server acks every event, known or not; an unanswered one is a wedge.
              const emit = socket.timeout(10_000).emitWithAck.bind(socket) as (
                ev: string,
                ...args: unknown[]
              ) => Promise<unknown>;
              await emit(e.event, e.payload, ...e.extra).catch((err: unknown) => {
                // Closing the offender's connection (oversized or malformed packets) is a refusal
                // too; an unanswered event on a live connection is not.
                if (socket.connected) throw err;
              });
            } else {
              const emit = socket.emit.bind(socket) as (ev: string, ...args: unknown[]) => void;
              emit(e.event, e.payload, ...e.extra);
            }
            await healthy();
          },
        ),
      );
      clients.member?.close();
      clients.staff?.close();
    },
    testTimeout('socket'),
  );
});

describe('the minutes socket', () => {
  const MESSAGE_SYNC = 0;
  const MESSAGE_AWARENESS = 1;
  /** A well-formed y-protocols frame carrying `text`: sync step 1, step 2, an update, or awareness. */
  const validFrame = (kind: number, text: string): Uint8Array => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, text);
    const enc = encoding.createEncoder();
    if (kind === 3) {
      const awareness = new awarenessProtocol.Awareness(doc);
      awareness.setLocalState({ user: { name: text } });
      encoding.writeVarUint(enc, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
      awareness.destroy();
    } else {
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      if (kind === 0) syncProtocol.writeSyncStep1(enc, doc);
      else if (kind === 1) syncProtocol.writeSyncStep2(enc, doc);
      else syncProtocol.writeUpdate(enc, Y.encodeStateAsUpdate(doc));
    }
    return encoding.toUint8Array(enc);
  };
  const frame = fc.oneof(
    fc.uint8Array({ maxLength: 2_000 }),
    fc
      .tuple(fc.integer({ min: 0, max: 5 }), fc.uint8Array({ maxLength: 500 }))
      .map(([type, rest]) => Uint8Array.from([type, ...rest])),
    fc
      .tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.string({ maxLength: 200 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }),
      )
      .map(([kind, text, cut, flips]) => {
        const bytes = validFrame(kind, text);
        // Truncated at a random point, with a few bytes changed.
        const out = bytes.slice(0, 1 + (cut % bytes.length));
        for (const [at, value] of flips) out[at % out.length] = value;
        return out;
      }),
  );

  const sockets = new Map<string, WebSocket>();
  /** The fuzzer's minutes connection to `sessionId` as `who`, opened again after the server closed it. */
  const open = async (sessionId: string, who: 'reader' | 'staff'): Promise<WebSocket> => {
    const key = `${who}:${sessionId}`;
    const existing = sockets.get(key);
    if (existing && existing.readyState === WebSocket.OPEN) return existing;
    const socket = new WebSocket(`${proc.url.replace(/^http/, 'ws')}/minutes/${sessionId}`, {
      headers: { cookie: cookies[who] },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    sockets.set(key, socket);
    return socket;
  };
  const send = (socket: WebSocket, frames: Uint8Array[]) =>
    Promise.all(frames.map((f) => new Promise<void>((resolve) => socket.send(f, () => resolve()))));

  it(
    'random and truncated frames from a reader are refused or ignored',
    async () => {
      await fuzz(
        'minutes',
        fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
          await send(await open(demo.sessionId, 'reader'), frames);
          await healthy();
        }),
      );
    },
    testTimeout('minutes'),
  );

  it(
    'random and truncated frames from a writer (the recorder) are applied or refused, never a crash',
    async () => {
      // Another session's minutes: the writer's valid frames are stored there, as they should be.
      await fuzz(
        'minutesWriter',
        fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
          await send(await open(demo.secondSessionId, 'staff'), frames);
          await healthy();
        }),
      );
      for (const socket of sockets.values()) socket.close();
    },
    testTimeout('minutesWriter'),
  );
});

describe('after every surface', () => {
  it('the server stops cleanly, and nothing the fuzzer must not change was stored', async () => {
    // A stop stores every write in flight: nothing the fuzzer sent can still be on its way.
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    // Every reader frame that carried an edit carried it in the text 't': none may be stored.
    const stored = await createMinutesStore(createModels(conn)).load(minutesDocName(demo.sessionId));
    const doc = new Y.Doc();
    for (const part of stored.parts) Y.applyUpdate(doc, part);
    expect(doc.getText('t').toString()).toBe('');
    const after = await counts();
    const changed = Object.keys({ ...countsBefore, ...after }).filter(
      (name) => !MAY_CHANGE.has(name) && (countsBefore[name] ?? 0) !== (after[name] ?? 0),
    );
    expect(changed.map((name) => `${name}: ${countsBefore[name] ?? 0} → ${after[name] ?? 0}`)).toEqual([]);
  });
});
