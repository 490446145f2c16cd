import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createLogger } from '../src/logger';
import { createMinutesServer, type MinutesServer } from '../src/minutes/minutes.server';
import { createMinutesStore } from '../src/minutes/minutes.store';
import { startTestServer, synced, type TestServer, whenDoc } from '../src/testing';

/**
 * The minutes server alone on a socket of its own (no sign-in), over the real database, so the
 * test can wait for its writes (`change` resolves once every queued write is done) and restart it.
 */
let db: TestServer;
let http: Server;
let wss: WebSocketServer;
let minutes: MinutesServer;
let url: string;
const providers: WebsocketProvider[] = [];
const docName = 'minutes:batching';

const startMinutes = () => {
  minutes = createMinutesServer({ store: createMinutesStore(db.app.models), logger: createLogger('silent') });
};

beforeAll(async () => {
  db = await startTestServer({ mongoUri: inject('mongoUri'), seed: false });
  startMinutes();
  http = createServer();
  wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    minutes.accept(ws, name, { readonly: false, memberId: 'm-batching' });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await minutes.close();
  wss.close();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await db.close();
});

async function open(name = docName) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, name, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  providers.push(provider);
  await synced(provider);
  return { doc, text: doc.getText('t'), provider };
}

describe('minutes update log under fast typing', () => {
  it('stores a burst of updates in far fewer records, and a restart loads all of it', async () => {
    const a = await open();
    const n = 150; // under the compaction threshold, so the log keeps every record
    for (let i = 0; i < n; i += 1) a.text.insert(a.text.length, `${i % 10}`);
    const expected = a.text.toString();
    const probe = await open();
    await whenDoc(probe.doc, () => probe.text.toString() === expected);
    // A change by the server resolves once every write queued before it is done.
    await minutes.change(docName, 'm-batching', (d) => d.getMap('probe').set('done', true));

    const records = await db.app.models.MinutesUpdate.countDocuments({ doc: docName });
    expect(records).toBeGreaterThan(0);
    // One insert per update would be n + 1 records; queued updates are merged into one append.
    expect(records).toBeLessThan(n / 5);
    // The merged records alone (no snapshot yet) load to the same document.
    const loaded = await createMinutesStore(db.app.models).load(docName);
    expect(loaded.pending).toBe(records);
    const fromLog = new Y.Doc();
    Y.applyUpdate(fromLog, loaded.state ?? new Uint8Array());
    expect(fromLog.getText('t').toString()).toBe(expected);

    for (const p of providers.splice(0)) p.destroy();
    await minutes.close();
    startMinutes();
    const after = await open();
    expect(after.text.toString()).toBe(expected);
    expect(after.doc.getMap('probe').get('done')).toBe(true);
  });

  it('stores the records of several documents in one write, and a failed record fails only its own document', async () => {
    const nameA = 'minutes:batching-a';
    const nameB = 'minutes:batching-b';
    const a = await open(nameA);
    const b = await open(nameB);
    const closes: Array<{ doc: string; code: number }> = [];
    for (const [doc, p] of [
      [nameA, a.provider],
      [nameB, b.provider],
    ] as const) {
      p.on('connection-close', (event: { code: number } | null) => {
        if (event) closes.push({ doc, code: event.code });
      });
    }
    const aClosed = new Promise<number>((resolve) => {
      const fn = (event: { code: number } | null) => {
        if (!event) return;
        a.provider.off('connection-close', fn);
        resolve(event.code);
      };
      a.provider.on('connection-close', fn);
    });
    // Another writer took A's first log position; B's is free. Both records are released at
    // the same write tick, so they reach the database in one insert.
    await db.app.models.MinutesUpdate.collection.insertOne({
      doc: nameA,
      seq: 1,
      update: Buffer.from(Y.encodeStateAsUpdate(new Y.Doc())),
      at: new Date(),
    });
    a.text.insert(0, '甲文档');
    b.text.insert(0, '乙文档');

    expect(await aClosed).toBe(4500);
    await minutes.change(nameB, 'm-batching', (d) => d.getMap('probe').set('done', true));
    // B was stored and kept its editor; only A's editor was sent away (and will send again).
    expect(closes.filter((c) => c.doc === nameB)).toEqual([]);
    const storedB = await createMinutesStore(db.app.models).load(nameB);
    const fromB = new Y.Doc();
    Y.applyUpdate(fromB, storedB.state ?? new Uint8Array());
    expect(fromB.getText('t').toString()).toBe('乙文档');
    // A's editor reconnects to a freshly loaded document and sends its edit again.
    await synced(a.provider);
    const probe = await open(nameA);
    await whenDoc(probe.doc, () => probe.text.toString() === '甲文档');
    await minutes.change(nameA, 'm-batching', (d) => d.getMap('probe').set('done', true));
    const storedA = await createMinutesStore(db.app.models).load(nameA);
    const fromA = new Y.Doc();
    Y.applyUpdate(fromA, storedA.state ?? new Uint8Array());
    expect(fromA.getText('t').toString()).toBe('甲文档');
  });
});
