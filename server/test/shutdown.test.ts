/**
 * SIGTERM stops the real server process within a few seconds whatever is connected: minutes
 * editors and readers get a going-away close (1001) after their last update is stored, room
 * clients a close they reconnect from (issue 12: it hung with a minutes socket open).
 */
import { once } from 'node:events';
import { connect, createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { minutesDocName } from '@yitang/shared';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectDatabase } from '../src/db/connect';
import { createModels } from '../src/db/models';
import { createMinutesStore } from '../src/minutes/minutes.store';
import {
  type ClientSocket,
  connectSocket,
  demo,
  minutesProvider,
  must,
  signIn,
  synced,
  uniqueDbName,
  whenDoc,
} from '../src/testing';
import { type ServerProcess, startServerProcess } from '../src/testing/process';

const mongoUri = inject('mongoUri');
const dbNames: string[] = [];
const procs: ServerProcess[] = [];
const providers: WebsocketProvider[] = [];
const sockets: ClientSocket[] = [];
const proxies: TcpServer[] = [];

/**
 * A TCP relay in front of the real database whose server-to-database bytes can be held back
 * and let go later, in order: a database that has not yet stored what it was sent. `hold(only)`
 * holds just the chunks `only` picks (and whatever follows them on the same connection);
 * `onHeld` hears of each chunk held.
 */
async function databaseRelay(): Promise<{
  uri: string;
  hold(only?: (chunk: Buffer) => boolean): void;
  letGo(): void;
  onHeld(fn: (chunk: Buffer) => void): void;
}> {
  const target = new URL(mongoUri);
  let held: { only: (chunk: Buffer) => boolean; queue: { to: Socket; chunk: Buffer }[] } | null = null;
  const heldListeners: ((chunk: Buffer) => void)[] = [];
  const open = new Set<Socket>();
  const server = createTcpServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('error', () => undefined);
      s.once('close', () => {
        open.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (held && (held.only(chunk) || held.queue.some((q) => q.to === upstream))) {
        held.queue.push({ to: upstream, chunk });
        for (const fn of heldListeners) fn(chunk);
      } else {
        upstream.write(chunk);
      }
    });
  });
  server.once('close', () => {
    for (const s of open) s.destroy();
  });
  proxies.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return {
    uri: `mongodb://127.0.0.1:${address.port}/?directConnection=true`,
    hold: (only = () => true) => {
      held ??= { only, queue: [] };
    },
    letGo: () => {
      const queued = held?.queue ?? [];
      held = null;
      for (const { to, chunk } of queued) to.write(chunk);
    },
    onHeld: (fn) => {
      heldListeners.push(fn);
    },
  };
}

async function start(): Promise<ServerProcess> {
  const dbName = uniqueDbName('stop');
  dbNames.push(dbName);
  const proc = await startServerProcess({ MONGODB_URI: mongoUri, MONGODB_DB: dbName, SEED_DEMO: '1' });
  procs.push(proc);
  return proc;
}

/** A synced minutes client whose first close code (sent by the server) is `closed`. */
async function openMinutes(url: string, memberId: string) {
  const doc = new Y.Doc();
  const provider = minutesProvider(url, demo.sessionId, doc, await signIn(url, memberId));
  providers.push(provider);
  const closed = new Promise<number>((resolve) => {
    const onClose = (event: { code: number } | null) => {
      if (!event) return;
      // Once the server said goodbye, do not dial a stopped server again.
      provider.shouldConnect = false;
      provider.off('connection-close', onClose);
      resolve(event.code);
    };
    provider.on('connection-close', onClose);
  });
  await synced(provider);
  return { doc, text: doc.getText('t'), closed };
}

afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  for (const s of sockets.splice(0)) s.close();
  for (const p of proxies.splice(0)) p.close();
  // A stop that hung (the bug) must not outlive the test.
  for (const p of procs.splice(0)) {
    if (p.alive()) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
});
afterAll(async () => {
  for (const name of dbNames) {
    const conn = await connectDatabase(mongoUri, name);
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
});

describe('SIGTERM', () => {
  it('stops within seconds with an editor, a reader, a room client and a half-sent request; the last edit is kept', async () => {
    const proc = await start();
    const editor = await openMinutes(proc.url, demo.recorderId);
    const reader = await openMinutes(proc.url, 'm-zhou-min');
    const room = await connectSocket(proc.url, await signIn(proc.url, 'm-gao-ya'));
    sockets.push(room);
    await must(room, 'room:join', { sessionId: demo.sessionId });
    const roomClosed = new Promise<string>((resolve) => room.once('disconnect', (reason) => resolve(reason)));

    // A request whose headers never end, and an upgrade left half done: neither may hold the stop.
    const slow = connect(proc.port, '127.0.0.1');
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    slow.on('error', () => undefined);
    const slowClosed = new Promise<void>((resolve) => slow.once('close', () => resolve()));

    editor.text.insert(0, '散会前的最后一句。');
    // The reader has it: the server applied it and queued its write.
    await whenDoc(reader.doc, () => reader.text.toString().includes('散会前的最后一句。'));

    const t0 = performance.now();
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    const ms = performance.now() - t0;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(5_000);
    expect(await editor.closed).toBe(1001);
    expect(await reader.closed).toBe(1001);
    // 'transport close' is a reconnectable loss; 'io server disconnect' would not be retried.
    expect(await roomClosed).toBe('transport close');
    await slowClosed;

    const conn = await connectDatabase(mongoUri, dbNames[dbNames.length - 1] ?? '');
    const stored = await createMinutesStore(createModels(conn)).load(minutesDocName(demo.sessionId));
    await conn.close();
    const check = new Y.Doc();
    if (stored.state) Y.applyUpdate(check, stored.state);
    expect(check.getText('t').toString()).toContain('散会前的最后一句。');
    console.log(`SIGTERM to exit with an editor, a reader and a room client: ${Math.round(ms)} ms`);
  }, 20_000);

  it("an editor's going-away close comes only once their last update is stored, however slow the database", async () => {
    const relay = await databaseRelay();
    const dbName = uniqueDbName('stop');
    dbNames.push(dbName);
    const proc = await startServerProcess({
      MONGODB_URI: relay.uri,
      MONGODB_DB: dbName,
      SEED_DEMO: '1',
      LOG_LEVEL: 'info',
    });
    procs.push(proc);
    const reader = await openMinutes(proc.url, 'm-zhou-min');
    // A raw editor: its close code is exactly what the server sent, and it never reconnects.
    const editor = new WebSocket(`${proc.url.replace(/^http/, 'ws')}/minutes/${demo.sessionId}`, {
      headers: { cookie: await signIn(proc.url, demo.recorderId) },
    });
    // The server's first sync message: the document is loaded and the editor accepted.
    await once(editor, 'message');

    const conn = await connectDatabase(mongoUri, dbName);
    const stored = async () => {
      const { state } = await createMinutesStore(createModels(conn)).load(minutesDocName(demo.sessionId));
      const check = new Y.Doc();
      if (state) Y.applyUpdate(check, state);
      return check.getText('t').toString();
    };
    // What the database holds at the moment the editor hears the close (read directly, not
    // through the relay); only then do the held writes go on, so they cannot win a race.
    const atClose = new Promise<{ code: number; text: string }>((resolve) => {
      editor.once('close', (code: number) => {
        void stored().then((text) => {
          resolve({ code, text });
          relay.letGo();
        });
      });
    });

    // From here nothing the server sends reaches the database until it says it is storing the
    // minutes to stop (or the editor was closed first: the bug).
    relay.hold();
    const onOutput = () => {
      if (proc.output().includes('storing the open minutes before closing their sockets')) relay.letGo();
    };
    proc.child.stdout?.on('data', onOutput);
    proc.child.stderr?.on('data', onOutput);

    const last = new Y.Doc();
    last.getText('t').insert(0, '闭会前记下的最后一句。');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // y-websocket sync message
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(last));
    editor.send(encoding.toUint8Array(encoder));
    // Applied by the server (the reader has it), not yet stored (its write is held).
    await whenDoc(reader.doc, () => reader.text.toString().includes('闭会前记下的最后一句。'));
    proc.child.kill('SIGTERM');

    const closed = await atClose;
    expect(closed.code).toBe(1001);
    expect(closed.text).toContain('闭会前记下的最后一句。');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(await stored()).toContain('闭会前记下的最后一句。');
    await conn.close();
  }, 30_000);

  it('stores every open document at once: none waits for another to be stored', async () => {
    const relay = await databaseRelay();
    const dbName = uniqueDbName('stop');
    dbNames.push(dbName);
    const proc = await startServerProcess({ MONGODB_URI: relay.uri, MONGODB_DB: dbName, SEED_DEMO: '1' });
    procs.push(proc);
    const cookie = await signIn(proc.url, demo.staffId);
    const sessions = [demo.sessionId, demo.secondSessionId];
    const editors = sessions.map(
      (id) => new WebSocket(`${proc.url.replace(/^http/, 'ws')}/minutes/${id}`, { headers: { cookie } }),
    );
    // Each document is loaded once its editor hears the server's first sync message.
    await Promise.all(editors.map((ws) => once(ws, 'message')));

    // From the stop on, a write naming either document is held. Stored one after another, the
    // second is never sent while the first waits (and the stop deadline ends the process); at
    // once, both are waiting together, and then they go on.
    const names = sessions.map((id) => Buffer.from(minutesDocName(id)));
    const seen = new Set<number>();
    let bothWaiting = false;
    relay.onHeld((chunk) => {
      for (const [i, name] of names.entries()) if (chunk.includes(name)) seen.add(i);
      if (seen.size === names.length && !bothWaiting) {
        bothWaiting = true;
        relay.letGo();
      }
    });
    relay.hold((chunk) => names.some((name) => chunk.includes(name)));
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    relay.letGo();
    expect(bothWaiting).toBe(true);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 30_000);

  it('stops within seconds with only a read-only minutes reader connected', async () => {
    const proc = await start();
    const reader = await openMinutes(proc.url, 'm-zhou-min');
    const t0 = performance.now();
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    const ms = performance.now() - t0;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(5_000);
    expect(await reader.closed).toBe(1001);
  }, 20_000);
});
