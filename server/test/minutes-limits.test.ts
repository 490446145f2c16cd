import { limits, MinutesCloseCode } from '@yitang/shared';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { demo, minutesProvider, signIn, startTestServer, synced, type TestServer, whenDoc } from '../src/testing';

let server: TestServer;
const providers: WebsocketProvider[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
  for (const ws of sockets.splice(0)) ws.terminate();
});
afterAll(async () => {
  await server.close();
});

async function open(memberId: string) {
  const doc = new Y.Doc();
  const provider = minutesProvider(server.url, demo.sessionId, doc, await signIn(server.url, memberId));
  providers.push(provider);
  await synced(provider);
  return { doc, provider };
}

interface Raw {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
}

/** A bare `ws` client on the minutes socket, sending hand-made y-protocols frames. */
async function raw(memberId: string): Promise<Raw> {
  const cookie = await signIn(server.url, memberId);
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/minutes/${demo.sessionId}`, { headers: { cookie } });
  sockets.push(ws);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

const updateFrame = (update: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
};

const awarenessFrame = (states: Array<{ id: number; clock: number; state: unknown }>): Uint8Array => {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, states.length);
  for (const s of states) {
    encoding.writeVarUint(inner, s.id);
    encoding.writeVarUint(inner, s.clock);
    encoding.writeVarString(inner, JSON.stringify(s.state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
};

/** Small updates, each a new insert into `field` of one local document. */
function smallUpdates(field: string, count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < count; i += 1) doc.getText(field).insert(i, 'x');
  return out;
}

/** One update inserting `bytes` bytes of ASCII into `field`. */
function bigUpdate(field: string, bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText(field).insert(0, 'y'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

/** Resolves when the observer's awareness holds a state for `id` satisfying `check`. */
function whenAwareness(provider: WebsocketProvider, id: number, check: (s: Record<string, unknown>) => boolean) {
  const holds = () => {
    const s: unknown = provider.awareness.getStates().get(id);
    return typeof s === 'object' && s !== null && check(s as Record<string, unknown>);
  };
  return new Promise<void>((resolve) => {
    if (holds()) return resolve();
    const fn = () => {
      if (!holds()) return;
      provider.awareness.off('change', fn);
      resolve();
    };
    provider.awareness.on('change', fn);
  });
}

describe('minutes socket limits: sizes and rates', () => {
  it('refuses an update above maxMinutesUpdateBytes (updateTooLarge) and keeps nothing of it', async () => {
    const writer = await raw(demo.recorderId);
    const update = bigUpdate('tooLarge', limits.maxMinutesUpdateBytes + 1024);
    expect(update.byteLength).toBeLessThan(limits.maxMinutesFrameBytes);
    writer.ws.send(updateFrame(update));
    expect((await writer.closed).code).toBe(MinutesCloseCode.updateTooLarge);
    const reader = await open('m-gao-ya');
    expect(reader.doc.getText('tooLarge').length).toBe(0);
  });

  it('closes a connection that sends frames faster than its bucket allows (rateLimited)', async () => {
    const flood = await raw(demo.recorderId);
    for (const u of smallUpdates('flood', limits.minutesFramesBurst + 50)) flood.ws.send(updateFrame(u));
    expect((await flood.closed).code).toBe(MinutesCloseCode.rateLimited);
  });

  it("limits a person's frames across all their connections", async () => {
    const per = Math.ceil(limits.minutesMemberFramesBurst / 2) + 10;
    expect(per).toBeLessThan(limits.minutesFramesBurst);
    const a = await raw(demo.firstConvenerId);
    const b = await raw(demo.firstConvenerId);
    // Each connection alone stays under its own bucket; together they pass the person's.
    for (const u of smallUpdates('person-a', per)) a.ws.send(updateFrame(u));
    for (const u of smallUpdates('person-b', per)) b.ws.send(updateFrame(u));
    const closed = await Promise.race([a.closed, b.closed]);
    expect(closed.code).toBe(MinutesCloseCode.rateLimited);
  });

  it('limits the bytes a connection sends per second', async () => {
    const heavy = await raw(demo.recorderId);
    const size = limits.maxMinutesUpdateBytes - 4096;
    const count = Math.ceil(limits.minutesBytesBurst / size) + 1;
    for (let i = 0; i < count; i += 1) heavy.ws.send(updateFrame(bigUpdate(`heavy-${i}`, size)));
    expect((await heavy.closed).code).toBe(MinutesCloseCode.rateLimited);
  });

  it('lets ordinary typing through', async () => {
    const a = await open(demo.recorderId);
    const b = await open('m-gao-ya');
    const text = a.doc.getText('typing');
    for (let i = 0; i < 30; i += 1) text.insert(text.length, '字');
    await whenDoc(b.doc, () => b.doc.getText('typing').length === 30);
    expect(a.provider.wsconnected).toBe(true);
  });
});

describe('minutes socket limits: awareness', () => {
  it("reduces a reader's awareness to their own identity, caret and change mark", async () => {
    const writer = await open(demo.recorderId);
    const reader = await raw('m-zhou-min');
    const id = 424242;
    reader.ws.send(
      awarenessFrame([
        {
          id,
          clock: 1,
          state: {
            user: { memberId: demo.firstConvenerId, name: '陈立群', color: '#9f1c20', editing: true },
            cursor: { anchor: { type: null, tname: 'default', item: null, assoc: 0 }, head: null },
            minutesRev: 7,
            banner: '读者想让别人看到的任何东西',
          },
        },
      ]),
    );
    await whenAwareness(writer.provider, id, (s) => s.minutesRev === 7);
    const seen = writer.provider.awareness.getStates().get(id);
    expect(seen).toEqual({
      user: { memberId: 'm-zhou-min', name: '周敏', color: '#9f1c20', editing: false },
      cursor: { anchor: { type: null, tname: 'default', item: null, assoc: 0 }, head: null },
      minutesRev: 7,
    });
  });

  it("does not let a connection speak for another connection's awareness id, or for many ids", async () => {
    const writer = await open(demo.recorderId);
    const observer = await open('m-gao-ya');
    // A first state (clock 0) is not taken by receivers; a field set afterwards is.
    writer.provider.awareness.setLocalStateField('minutesRev', 1);
    await whenAwareness(observer.provider, writer.doc.clientID, (s) => s.minutesRev === 1);
    const before = observer.provider.awareness.getStates().get(writer.doc.clientID);
    const spoof = await raw(demo.firstConvenerId);
    // Another connection's id, then many ids of its own, then its marker.
    spoof.ws.send(awarenessFrame([{ id: writer.doc.clientID, clock: 1000, state: { user: { name: '冒名' } } }]));
    spoof.ws.send(
      awarenessFrame(Array.from({ length: 10 }, (_, i) => ({ id: 9000 + i, clock: 1, state: { minutesRev: i } }))),
    );
    // The marker goes under an id it was let to own: once seen, the frames before it were handled.
    spoof.ws.send(awarenessFrame([{ id: 9000, clock: 2, state: { minutesRev: 'done' } }]));
    await whenAwareness(observer.provider, 9000, (s) => s.minutesRev === 'done');
    expect(observer.provider.awareness.getStates().get(writer.doc.clientID)).toEqual(before);
    const owned = [...observer.provider.awareness.getStates().keys()].filter((k) => k >= 9000 && k < 9010);
    expect(owned.length).toBeLessThanOrEqual(limits.minutesAwarenessIdsPerConnection);
  });

  it('drops an awareness frame above maxMinutesAwarenessBytes', async () => {
    const observer = await open('m-gao-ya');
    const seenBig: unknown[] = [];
    observer.provider.awareness.on('change', () => {
      const s = observer.provider.awareness.getStates().get(777);
      if (typeof s === 'object' && s !== null && 'big' in s) seenBig.push(s);
    });
    const sender = await raw(demo.recorderId);
    sender.ws.send(
      awarenessFrame([{ id: 777, clock: 1, state: { big: 'z'.repeat(limits.maxMinutesAwarenessBytes * 2) } }]),
    );
    sender.ws.send(awarenessFrame([{ id: 777, clock: 2, state: { minutesRev: 'after' } }]));
    await whenAwareness(observer.provider, 777, (s) => s.minutesRev === 'after');
    expect(seenBig.length).toBe(0);
  });

  it("does not count a client's echoes of others' awareness against it", async () => {
    // The stock provider sends back every awareness change it receives; in a busy document that
    // is many frames a second, none of them the client's own.
    const observer = await open('m-gao-ya');
    const peerIds = [
      demo.recorderId,
      demo.firstConvenerId,
      'm-luo-bin',
      'm-zhou-min',
      'm-deng-yun',
      'm-lin-feng',
      'm-sun-jianhua',
      'm-li-xiaoyan',
      'm-wu-guoqiang',
      'm-xu-jing',
      'm-ma-li',
      'm-hu-zhiyong',
    ];
    const peers = await Promise.all(peerIds.map((id) => raw(id)));
    const each = Math.min(limits.minutesAwarenessBurst, limits.minutesFramesBurst);
    expect(each * peers.length).toBeGreaterThan(2 * limits.minutesFramesBurst);
    let received = 0;
    observer.provider.awareness.on('update', () => {
      received += 1;
    });
    const closes: number[] = [];
    observer.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    peers.forEach((peer, k) => {
      for (let i = 1; i <= each; i += 1) {
        peer.ws.send(awarenessFrame([{ id: 7000 + k, clock: i, state: { minutesRev: i } }]));
      }
    });
    const last = peers.length - 1;
    await whenAwareness(observer.provider, 7000 + last, (s) => s.minutesRev === each);
    expect(received).toBeGreaterThan(2 * limits.minutesFramesBurst);
    // A document update after the echoes: the observer is still connected and served.
    const writer = await open(demo.recorderId);
    writer.doc.getText('after-echoes').insert(0, '仍在');
    await whenDoc(observer.doc, () => observer.doc.getText('after-echoes').length === 2);
    expect(closes).toEqual([]);
  });

  it('drops awareness frames above their rate', async () => {
    const observer = await open('m-gao-ya');
    const seen = new Set<unknown>();
    observer.provider.awareness.on('change', () => {
      const s = observer.provider.awareness.getStates().get(555);
      if (typeof s === 'object' && s !== null && 'n' in s) seen.add(s.n);
    });
    const sender = await raw(demo.recorderId);
    const count = limits.minutesAwarenessBurst * 3;
    for (let i = 1; i <= count; i += 1) sender.ws.send(awarenessFrame([{ id: 555, clock: i, state: { n: i } }]));
    // A document update after them: once it arrived, every awareness frame before it was handled.
    const [marker] = smallUpdates('awareness-marker', 1);
    if (!marker) throw new Error('no marker update');
    sender.ws.send(updateFrame(marker));
    await whenDoc(observer.doc, () => observer.doc.getText('awareness-marker').length === 1);
    expect(seen.size).toBeGreaterThan(0);
    // The bucket refills while the frames arrive: a few more than the burst may pass.
    expect(seen.size).toBeLessThanOrEqual(limits.minutesAwarenessBurst + 5);
  });
});
