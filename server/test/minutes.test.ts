import { limits, minutesDocName } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createModels } from '../src/db/models';
import { createMinutesStore } from '../src/minutes/minutes.store';
import { demo, minutesProvider, signIn, startTestServer, synced, type TestServer, whenDoc } from '../src/testing';

let server: TestServer;
const providers: WebsocketProvider[] = [];

async function open(memberId: string): Promise<{ doc: Y.Doc; text: Y.Text; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = minutesProvider(server.url, demo.sessionId, doc, await signIn(server.url, memberId));
  providers.push(provider);
  await synced(provider);
  return { doc, text: doc.getText('t'), provider };
}

function closeAll(): void {
  for (const p of providers.splice(0)) p.destroy();
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  closeAll();
  await server.close();
});

describe('minutes over y-websocket', () => {
  it('converges two editors typing at once', async () => {
    const a = await open(demo.firstConvenerId);
    const b = await open(demo.recorderId);
    a.text.insert(0, '会议纪要:');
    b.text.insert(0, '南门小吃街。');
    const both = (t: Y.Text) => t.toString().includes('会议纪要:') && t.toString().includes('南门小吃街。');
    await Promise.all([whenDoc(a.doc, () => both(a.text)), whenDoc(b.doc, () => both(b.text))]);
    expect(a.text.toString()).toBe(b.text.toString());
  });

  it('keeps every word across a server restart', async () => {
    const a = await open(demo.firstConvenerId);
    a.text.insert(a.text.length, '与会委员一致同意整治方案。');
    const expected = a.text.toString();
    // Wait until a second client sees it: the server has applied (and queued the write of) it.
    const probe = await open('m-gao-ya');
    await whenDoc(probe.doc, () => probe.text.toString() === expected);
    closeAll();
    await server.restart();
    const after = await open('m-gao-ya');
    expect(after.text.toString()).toBe(expected);
  });

  it("refuses a reader's write: it reaches neither the other clients nor storage", async () => {
    const writer = await open(demo.recorderId);
    const reader = await open('m-zhou-min');
    reader.text.insert(0, '读者偷偷写入');
    // The server handles a socket's frames in order: once the reader's next frame (awareness)
    // reached the writer, the reader's edit has been handled too.
    const readerSeen = new Promise<void>((resolve) => {
      writer.provider.awareness.on('change', () => {
        if (writer.provider.awareness.getStates().has(reader.doc.clientID)) resolve();
      });
    });
    reader.provider.awareness.setLocalStateField('user', { name: '周敏' });
    await readerSeen;
    writer.text.insert(writer.text.length, '【记录员】');
    await whenDoc(reader.doc, () => reader.text.toString().includes('【记录员】'));
    const third = await open('m-gao-ya');
    expect(third.text.toString()).not.toContain('读者偷偷写入');
    expect(writer.text.toString()).not.toContain('读者偷偷写入');
    closeAll();
    await server.restart();
    const fresh = await open('m-gao-ya');
    expect(fresh.text.toString()).toContain('【记录员】');
    expect(fresh.text.toString()).not.toContain('读者偷偷写入');
  });

  it('refuses a socket without a session cookie', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/minutes/${demo.sessionId}`);
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
  });

  it('refuses an unknown session', async () => {
    const cookie = await signIn(server.url, 'm-gao-ya');
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/minutes/nope`, { headers: { cookie } });
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(404);
  });

  it('compacts the update log into a snapshot with identical content', async () => {
    const a = await open(demo.firstConvenerId);
    const n = limits.minutesCompactAfterUpdates + 20;
    for (let i = 0; i < n; i += 1) a.text.insert(a.text.length, `${i % 10}`);
    const expected = a.text.toString();
    const probe = await open('m-luo-bin');
    await whenDoc(probe.doc, () => probe.text.toString() === expected);
    closeAll();
    await server.restart(); // unload on close compacts and waits for every write

    const models = createModels(server.conn);
    const name = minutesDocName(demo.sessionId);
    const snapshot = await models.MinutesSnapshot.findById(name).lean();
    expect(snapshot).not.toBeNull();
    expect(await models.MinutesUpdate.countDocuments({ doc: name })).toBe(0);

    const loaded = await createMinutesStore(models).load(name);
    const fromStore = new Y.Doc();
    if (loaded.state) Y.applyUpdate(fromStore, loaded.state);
    expect(fromStore.getText('t').toString()).toBe(expected);
    const after = await open('m-luo-bin');
    expect(after.text.toString()).toBe(expected);
  });
});
