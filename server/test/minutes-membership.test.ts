/**
 * The minutes socket follows the session's membership (issue 13): taken off the invitation list,
 * or left outside when a plenary is closed to all, a person's open minutes socket is closed as a
 * refused person's is; a recorder demoted to member reconnects and from then on only reads.
 */
import { MinutesCloseCode, SessionDetailResponse } from '@yitang/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { demo, minutesProvider, signIn, startTestServer, synced, type TestServer, whenDoc } from '../src/testing';

let server: TestServer;
const providers: WebsocketProvider[] = [];
const convener = 'm-he-jun';

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});
afterAll(async () => {
  await server.close();
});

async function call(memberId: string, method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await signIn(server.url, memberId) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function createSession(body: Record<string, unknown>): Promise<string> {
  const r = await call(demo.staffId, 'POST', '/sessions', {
    topic: '老旧小区加装电梯协商',
    roomId: demo.roomId,
    scheduledAt: '2026-12-21T14:30:00+08:00',
    mode: 'hybrid',
    firstConvenerId: convener,
    agenda: [{ title: '协商讨论', plannedMinutes: 30 }],
    ...body,
  });
  expect(r.status).toBe(201);
  return SessionDetailResponse.parse(r.json).session.id;
}

/** The minutes of `sessionId` open as `memberId`, synced. */
async function open(memberId: string, sessionId: string) {
  const doc = new Y.Doc();
  const provider = minutesProvider(server.url, sessionId, doc, await signIn(server.url, memberId));
  providers.push(provider);
  await synced(provider);
  return { doc, text: doc.getText('t'), provider };
}

/** Resolves with the code of the provider's next close. */
const nextClose = (provider: WebsocketProvider) =>
  new Promise<number>((resolve) => {
    const fn = (event: { code: number } | null) => {
      provider.off('connection-close', fn);
      resolve(event?.code ?? 0);
    };
    provider.on('connection-close', fn);
  });

describe('the minutes socket follows membership changes', () => {
  it('an invitee taken off the list is closed as refused and does not reconnect', async () => {
    const sessionId = await createSession({ invitees: [{ memberId: 'm-song-tao', role: 'member' }] });
    const invitee = await open('m-song-tao', sessionId);
    const closed = nextClose(invitee.provider);
    expect((await call(convener, 'DELETE', `/sessions/${sessionId}/invitees/m-song-tao`)).status).toBe(200);
    expect(await closed).toBe(MinutesCloseCode.removed);
    // 4403 is terminal for the provider: it stays closed.
    expect(invitee.provider.shouldConnect && invitee.provider.wsconnected).toBe(false);
  });

  it('a recorder demoted to member reconnects read-only: their later edit is not applied', async () => {
    const sessionId = await createSession({ invitees: [{ memberId: 'm-ma-li', role: 'recorder' }] });
    const chair = await open(convener, sessionId);
    const recorder = await open('m-ma-li', sessionId);
    recorder.text.insert(0, '记录员写入。');
    await whenDoc(chair.doc, () => chair.text.toString().includes('记录员写入。'));

    const closed = nextClose(recorder.provider);
    expect((await call(convener, 'PATCH', `/sessions/${sessionId}/invitees/m-ma-li`, { role: 'member' })).status).toBe(
      200,
    );
    expect(await closed).toBe(MinutesCloseCode.permissionsChanged);
    // The provider reconnects by itself, with the access of a member.
    await new Promise<void>((resolve) => {
      const fn = (isSynced: boolean) => {
        if (!isSynced) return;
        recorder.provider.off('sync', fn);
        resolve();
      };
      recorder.provider.on('sync', fn);
    });

    recorder.text.insert(recorder.text.length, '降级后写入。');
    // Frames of one socket are handled in order: once the chair sees the recorder's next
    // awareness state, the edit before it was handled too.
    const mark = 7;
    const seen = new Promise<void>((resolve) => {
      const fn = () => {
        const state = chair.provider.awareness.getStates().get(recorder.doc.clientID);
        if (state?.minutesRev !== mark) return;
        chair.provider.awareness.off('change', fn);
        resolve();
      };
      chair.provider.awareness.on('change', fn);
    });
    recorder.provider.awareness.setLocalStateField('minutesRev', mark);
    await seen;
    expect(chair.text.toString()).toContain('记录员写入。');
    expect(chair.text.toString()).not.toContain('降级后写入。');
    const fresh = await open(demo.staffId, sessionId);
    expect(fresh.text.toString()).toContain('记录员写入。');
    expect(fresh.text.toString()).not.toContain('降级后写入。');
  });

  it('a plenary closed to all closes an uninvited member’s minutes socket as refused', async () => {
    const sessionId = await createSession({ openToAll: true });
    const member = await open('m-xie-fang', sessionId);
    const closed = nextClose(member.provider);
    expect((await call(convener, 'PATCH', `/sessions/${sessionId}`, { openToAll: false })).status).toBe(200);
    expect(await closed).toBe(MinutesCloseCode.removed);
  });
});
