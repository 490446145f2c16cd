import { limits, MinutesCloseCode, minutesDocName } from '@yitang/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createMinutesStore } from '../src/minutes/minutes.store';
import { demo, minutesProvider, signIn, startTestServer, synced, type TestServer, whenDoc } from '../src/testing';

let server: TestServer;
const providers: WebsocketProvider[] = [];
const docName = minutesDocName(demo.sessionId);
/** What the stored document holds: just under the writers' cap. */
const seeded = limits.maxMinutesDocumentBytes - 2048;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  // A document already nearly full, stored as a snapshot above any position the log reaches here.
  const full = new Y.Doc();
  full.getText('t').insert(0, 'a'.repeat(seeded));
  await createMinutesStore(server.app.models).compact(docName, Y.encodeStateAsUpdate(full), 1_000_000);
  // No copy loaded before the snapshot was stored stays in memory.
  await server.restart();
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
  await synced(provider);
  return { doc, text: doc.getText('t'), provider };
}

describe('minutes document size cap', () => {
  it('refuses the update that would grow the document past its cap, tells the writer, and keeps it storable', async () => {
    const writer = await open(demo.recorderId);
    expect(writer.text.length).toBe(seeded);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      writer.provider.on('connection-close', (event) => {
        if (event) resolve({ code: event.code, reason: event.reason });
      }),
    );
    writer.text.insert(0, '新'.repeat(2048));
    const { code, reason } = await closed;
    expect(code).toBe(MinutesCloseCode.documentFull);
    expect(reason).toBe('minutes document full');

    // Nobody got the refused text, and deleting still works on a full document.
    const convener = await open(demo.firstConvenerId);
    expect(convener.text.length).toBe(seeded);
    expect(convener.text.toString().startsWith('新')).toBe(false);
    const reader = await open('m-gao-ya');
    convener.text.delete(0, 1000);
    await whenDoc(reader.doc, () => reader.text.length === seeded - 1000);

    // The stored document loads, without the refused text, and stays below MongoDB's limit.
    for (const p of providers.splice(0)) p.destroy();
    await server.restart();
    const loaded = await createMinutesStore(server.app.models).load(docName);
    const state = loaded.state;
    if (!state) throw new Error('the document was not stored');
    expect(state.byteLength).toBeLessThanOrEqual(limits.maxMinutesDocumentBytes);
    const fromStore = new Y.Doc();
    Y.applyUpdate(fromStore, state);
    expect(fromStore.getText('t').length).toBe(seeded - 1000);
    expect(fromStore.getText('t').toString().includes('新')).toBe(false);
  });
});
