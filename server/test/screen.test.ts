import { randomUUID } from 'node:crypto';
import { ScreenLink, type ScreenServerEvents, type ScreenView, screenNamespace } from '@yitang/shared';
import { io as ioClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  choice,
  demo,
  joinAs,
  must,
  openPoll,
  signIn,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);
const screens: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  for (const s of screens) s.close();
  await server.close();
});

type ScreenSocket = Socket<ScreenServerEvents, Record<string, never>>;

/** A hall screen's socket as the screen page opens it, with every view it is sent. */
function openScreen(
  auth: { sessionId: string; key?: string },
  cookie?: string,
): Promise<{ socket: ScreenSocket; views: ScreenView[]; frames: Array<[string, unknown]> }> {
  const socket: ScreenSocket = ioClient(`${server.url}${screenNamespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
    extraHeaders: cookie ? { cookie } : {},
  });
  screens.push(socket);
  const views: ScreenView[] = [];
  const frames: Array<[string, unknown]> = [];
  socket.onAny((event: string, payload: unknown) => frames.push([event, payload]));
  socket.on('screen:view', (v) => views.push(v));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, views, frames }));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(Object.assign(err, { code: (err as { data?: { code?: string } }).data?.code }));
    });
  });
}

/** The first view (already received or coming) that satisfies `match`. */
function viewWhere(
  screen: { socket: ScreenSocket; views: ScreenView[] },
  match: (v: ScreenView) => boolean,
): Promise<ScreenView> {
  const seen = screen.views.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const fn = (v: ScreenView) => {
      if (!match(v)) return;
      screen.socket.off('screen:view', fn);
      resolve(v);
    };
    screen.socket.on('screen:view', fn);
  });
}

async function screenLink(
  memberId: string,
  sessionId: string = demo.sessionId,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}/api/sessions/${encodeURIComponent(sessionId)}/screen-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: await signIn(server.url, memberId) },
    body: '{}',
  });
  return { status: res.status, body: await res.json() };
}

describe('hall screen links', () => {
  it('are made by staff and conveners only, for a session that exists', async () => {
    const made = await screenLink(demo.staffId);
    expect(made.status).toBe(200);
    expect(ScreenLink.parse(made.body).expiresAt > new Date().toISOString()).toBe(true);
    expect((await screenLink(demo.firstConvenerId)).status).toBe(200);
    expect(await screenLink('m-zheng-yu')).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await screenLink(demo.staffId, 's-no-such')).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
  });

  it('open only the session they were made for; without one, only a convener or staff opens a screen', async () => {
    const { key } = ScreenLink.parse((await screenLink(demo.staffId)).body);
    const forged = `${key.split('.')[0]}.${'A'.repeat(43)}`;
    await expect(openScreen({ sessionId: demo.sessionId, key: forged })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(openScreen({ sessionId: 's-other', key })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // A link that ran out: the right signature on a time in the past cannot be made without the key.
    await expect(openScreen({ sessionId: demo.sessionId, key: `1.${key.split('.')[1]}` })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(openScreen({ sessionId: demo.sessionId })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const member = await signIn(server.url, 'm-zheng-yu');
    await expect(openScreen({ sessionId: demo.sessionId }, member)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(openScreen({ sessionId: '../x' }, member)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Hostile handshakes are refused with a code, and the server goes on.
    for (const auth of [
      { sessionId: { $gt: '' } },
      { sessionId: demo.sessionId, key: 12345 },
      { sessionId: demo.sessionId, key: 'k'.repeat(5000) },
      {},
    ] as unknown as Array<{ sessionId: string; key?: string }>) {
      await expect(openScreen(auth)).rejects.toMatchObject({ code: expect.stringMatching(/^[A-Z_]+$/) });
    }
    const cookie = await signIn(server.url, demo.firstConvenerId);
    const convener = await openScreen({ sessionId: demo.sessionId }, cookie);
    expect((await viewWhere(convener, () => true)).sessionId).toBe(demo.sessionId);
    // Signing out closes the screens opened with that sign-in.
    const closed = new Promise((resolve) => convener.socket.once('disconnect', resolve));
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBeLessThan(300);
    expect(await closed).toBe('io server disconnect');
  });
});

describe('the hall screen', () => {
  it('follows the room by names and counts, is no participant, and never receives a tally while a poll is open', async () => {
    const { key } = ScreenLink.parse((await screenLink(demo.staffId)).body);
    const convener = await join(demo.firstConvenerId);
    const before = (await must(convener, 'room:snapshot', {})).presenceCounts;
    const screen = await openScreen({ sessionId: demo.sessionId, key });
    const first = await viewWhere(screen, () => true);
    expect(first).toMatchObject({ sessionId: demo.sessionId, state: 'scheduled', speaker: null, queue: [] });

    // Not present: the counts and the list the room keeps are as they were.
    const after = await must(convener, 'room:snapshot', {});
    expect(after.presenceCounts).toEqual(before);
    // Not in the room's channel either: no room frame can reach it.
    const roomChannel = server.app.io.of('/').adapter.rooms.get(`session:${demo.sessionId}`) ?? new Set();
    expect(roomChannel.has(screen.socket.id ?? '')).toBe(false);

    // The session starts: the first agenda item, with its start for the timer.
    await must(convener, 'session:start', {});
    const live = await viewWhere(screen, (v) => v.state === 'live');
    expect(live.currentItemId).toBe('a1');
    expect(live.currentItemStartedAt).not.toBeNull();

    // A speaker and the queue, by name.
    const zheng = await join('m-zheng-yu');
    const dong = await join('m-dong-hai');
    await must(zheng, 'hand:raise', { pointOfOrder: false });
    await must(dong, 'hand:raise', { pointOfOrder: false });
    await must(convener, 'speaker:grant', { memberId: 'm-zheng-yu' });
    const speaking = await viewWhere(screen, (v) => v.speaker !== null);
    expect(speaking.speaker?.name).toBe('郑宇');
    expect(speaking.queue.map((q) => q.name)).toEqual(['董海']);
    expect(Date.parse(speaking.speaker?.endsAt ?? '')).toBeGreaterThan(Date.parse(speaking.serverNow));

    // The agenda moves.
    await must(convener, 'agenda:goto', { itemId: 'a2' });
    await viewWhere(screen, (v) => v.currentItemId === 'a2');

    // A named poll and a secret one: the screen sees the count of ballots, nothing else.
    const named = await openPoll(convener, yesNoPoll('是否同意设置夜间限时经营区？'));
    const secret = await openPoll(convener, yesNoPoll('是否同意整治方案？', { secret: true }));
    for (const [voter, c] of [
      [zheng, 'yes'],
      [dong, 'no'],
    ] as const) {
      await must(voter, 'vote:cast', { pollId: named.id, ballotId: randomUUID(), content: choice(c) });
      await must(voter, 'vote:cast', { pollId: secret.id, ballotId: randomUUID(), content: choice(c) });
    }
    const counted = await viewWhere(screen, (v) => v.polls.length === 2 && v.polls.every((p) => p.ballots === 2));
    expect(counted.polls.map((p) => p.stage)).toEqual(['open', 'open']);

    // Closed but not published: the screen shows neither poll.
    await must(convener, 'poll:close', { pollId: named.id });
    await must(convener, 'poll:close', { pollId: secret.id });
    await viewWhere(screen, (v) => v.polls.length === 0);
    const everyFrame = JSON.stringify(screen.frames);
    // No tally, no voter, no result and no member id ever reached the screen while they were not published.
    expect(screen.frames.every(([event]) => event === 'screen:view')).toBe(true);
    expect(everyFrame).not.toMatch(/"tally"|"voters"|"result"|"yes":|m-zheng-yu|m-dong-hai/);

    // Published: the result.
    await must(convener, 'poll:publish', { pollId: secret.id });
    const published = await viewWhere(screen, (v) => v.polls.some((p) => p.stage === 'published'));
    const shown = published.polls.find((p) => p.id === secret.id);
    expect(shown).toMatchObject({ stage: 'published', ballots: 2 });
    expect(shown?.stage === 'published' && shown.result.ballots).toBe(2);
    expect(published.polls.some((p) => p.id === named.id)).toBe(false);

    await must(convener, 'speaker:end', {});
    await must(convener, 'session:close', {});
    await viewWhere(screen, (v) => v.state === 'closed' && v.speaker === null && v.queue.length === 0);
    screen.socket.close();
  });
});
