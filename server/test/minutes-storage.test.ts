import { minutesDocName } from '@yitang/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebSocket as NodeWebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { isDuplicateKey } from '../src/errors';
import { createMinutesStore } from '../src/minutes/minutes.store';
import { demo, minutesProvider, signIn, startTestServer, synced, type TestServer, whenDoc } from '../src/testing';

let server: TestServer;
const providers: WebsocketProvider[] = [];
const docName = minutesDocName(demo.sessionId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});
afterAll(async () => {
  await server.close();
});

async function open(memberId: string) {
  const doc = new Y.Doc();
  const provider = minutesProvider(server.url, demo.sessionId, doc, await signIn(server.url, memberId));
  providers.push(provider);
  return { doc, text: doc.getText('t'), provider };
}

/** Resolves with the code of the next close the server makes. */
const nextClose = (provider: WebsocketProvider) =>
  new Promise<number>((resolve) => {
    const fn = (event: { code: number } | null) => {
      if (!event) return;
      provider.off('connection-close', fn);
      resolve(event.code);
    };
    provider.on('connection-close', fn);
  });

/**
 * Takes the next log positions the server will use, as another writer would. A record may still
 * be waiting to be written (the log gathers updates briefly), so the next two are taken:
 * whichever write comes next fails.
 */
async function blockNextLogPositions(): Promise<void> {
  const loaded = await createMinutesStore(server.app.models).load(docName);
  await server.app.models.MinutesUpdate.collection
    .insertMany(
      [1, 2].map((k) => ({
        doc: docName,
        seq: loaded.lastSeq + k,
        update: Buffer.from(Y.encodeStateAsUpdate(new Y.Doc())),
        at: new Date(),
      })),
      { ordered: false },
    )
    .catch((err: unknown) => {
      // The server's own write of a waiting record may have taken one of them: still blocked.
      if (!isDuplicateKey(err)) throw err;
    });
}

describe('minutes storage under failure', () => {
  it('reports a write error by closing the editors, who send their edits again: nothing is lost', async () => {
    const a = await open(demo.recorderId);
    await synced(a.provider);
    a.text.insert(0, '第一段。');
    const probe = await open(demo.firstConvenerId);
    await synced(probe.provider);
    await whenDoc(probe.doc, () => probe.text.toString() === '第一段。');
    const closed = nextClose(a.provider);
    await blockNextLogPositions();
    a.text.insert(a.text.length, '第二段(写入失败后重发)。');
    expect(await closed).toBe(4500);
    // The provider reconnects to a freshly loaded document and re-sends what the server lacks.
    await synced(a.provider);
    const fresh = await open(demo.firstConvenerId);
    await synced(fresh.provider);
    await whenDoc(fresh.doc, () => fresh.text.toString().includes('第二段'));
    expect(fresh.text.toString()).toBe('第一段。第二段(写入失败后重发)。');
  });

  it('releases a failed copy once its last editor has gone, leaving alone the copy loaded after it', async () => {
    for (const p of providers.splice(0)) p.destroy();
    await server.restart();
    const minutes = server.app.minutes;
    const a = await open(demo.recorderId);
    await synced(a.provider);
    a.text.insert(0, '甲');
    // A slow editor: it stops reading, so the server's close of its connection stays unanswered
    // until it reads again, after a new copy of the document is loaded for the others.
    const slow = await open(demo.firstConvenerId);
    await synced(slow.provider);
    await whenDoc(slow.doc, () => slow.text.toString() === a.text.toString());
    const slowSocket = slow.provider.ws as unknown as NodeWebSocket;
    slowSocket.pause();
    expect(minutes.residentDocuments()).toBe(1);

    const closed = nextClose(a.provider);
    await blockNextLogPositions();
    a.text.insert(a.text.length, '乙');
    expect(await closed).toBe(4500);
    await synced(a.provider);
    // The fresh copy is open; the failed one waits for the slow editor's connection to end.
    expect(minutes.openDocuments()).toBe(1);
    expect(minutes.residentDocuments()).toBe(2);

    const released = new Promise<string>((resolve) => {
      const off = minutes.onReleased((name) => {
        off();
        resolve(name);
      });
    });
    const slowClosed = nextClose(slow.provider);
    slowSocket.resume();
    expect(await slowClosed).toBe(4500);
    // Released as soon as its last connection ended (before: never, its awareness timer kept it).
    expect(await released).toBe(docName);
    expect(minutes.residentDocuments()).toBe(1);
    // The copy loaded after the failure is still the one handed out: an edit made on it reaches
    // a newcomer (before, the failed copy's unload timer took the new copy out of the map).
    expect(minutes.openDocuments()).toBe(1);
    a.text.insert(a.text.length, '丙');
    const late = await open('m-gao-ya');
    await synced(late.provider);
    await whenDoc(late.doc, () => late.text.toString().endsWith('丙'));
    expect(late.text.toString()).toContain('甲');
  });

  it('never serves or writes an empty document when the stored one cannot be read', async () => {
    for (const p of providers.splice(0)) p.destroy();
    await server.restart(); // unload everything
    const garbage = Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad]);
    await server.app.models.MinutesSnapshot.updateOne(
      { _id: docName },
      { $set: { state: garbage, upToSeq: 1_000_000, updatedAt: new Date() } },
      { upsert: true },
    );
    const before = await server.app.models.MinutesUpdate.countDocuments({ doc: docName });
    const a = await open(demo.recorderId);
    expect(await nextClose(a.provider)).toBe(4500);
    a.text.insert(0, '不应覆盖');
    a.provider.destroy();
    const kept = await createMinutesStore(server.app.models).load(docName);
    expect(kept.parts).toHaveLength(1);
    expect(Buffer.from(kept.parts[0] ?? []).equals(garbage)).toBe(true);
    expect(await server.app.models.MinutesUpdate.countDocuments({ doc: docName })).toBe(before);
  });

  it('opens a document of several hundred KB', async () => {
    await server.app.models.MinutesSnapshot.deleteOne({ _id: docName });
    await server.app.models.MinutesUpdate.deleteMany({ doc: docName });
    await server.restart();
    const a = await open(demo.recorderId);
    await synced(a.provider);
    const paragraph = '与会委员围绕南门小吃一条街的占道经营、油烟污染和卫生保洁问题逐一发言,提出整改建议。';
    for (let block = 0; block < 50; block += 1) {
      a.doc.transact(() => {
        for (let i = 0; i < 50; i += 1) a.text.insert(a.text.length, `${block}.${i}:${paragraph}\n`);
      });
    }
    const expected = a.text.toString();
    expect(Buffer.byteLength(expected)).toBeGreaterThan(300_000);
    const probe = await open(demo.firstConvenerId);
    await synced(probe.provider);
    await whenDoc(probe.doc, () => probe.text.toString() === expected);
    for (const p of providers.splice(0)) p.destroy();
    await server.restart();
    const stored = await createMinutesStore(server.app.models).storedBytes(docName);
    expect(stored).toBeGreaterThan(300_000);
    const reader = await open('m-gao-ya');
    await synced(reader.provider);
    expect(reader.text.toString()).toBe(expected);
  });
});
