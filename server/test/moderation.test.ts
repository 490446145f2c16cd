import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connectSocket,
  demo,
  joinAs,
  must,
  next,
  request,
  signIn,
  startTestServer,
  type TestServer,
} from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  await must(await join(demo.firstConvenerId), 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

describe('moderation', () => {
  it('mutes: no hand, no suggestion, out of the queue; unmute restores', async () => {
    const convener = await join(demo.firstConvenerId);
    const loud = await join('m-feng-gang');
    await must(loud, 'hand:raise', { pointOfOrder: false });
    const entry = await must(convener, 'moderation:mute', { memberId: 'm-feng-gang', muted: true });
    expect(entry.muted).toBe(true);
    const snap = await must(loud, 'room:snapshot', {});
    expect(snap.speakers.queue.map((q) => q.memberId)).not.toContain('m-feng-gang');
    expect(await request(loud, 'hand:raise', { pointOfOrder: false })).toMatchObject({
      ok: false,
      error: { code: 'MUTED' },
    });
    expect(await request(loud, 'suggestion:submit', { text: '我还要说' })).toMatchObject({
      ok: false,
      error: { code: 'MUTED' },
    });
    await must(convener, 'moderation:mute', { memberId: 'm-feng-gang', muted: false });
    await must(loud, 'hand:raise', { pointOfOrder: false });
  });

  it('a mute sent at the same moment as an allowance to speak wins: the muted person is not allowed', async () => {
    const convener = await join(demo.firstConvenerId);
    await join('m-song-tao');
    // Both go out before either is answered; the allowance is checked after the mute has landed.
    const [muted, allowed] = await Promise.all([
      request(convener, 'moderation:mute', { memberId: 'm-song-tao', muted: true }),
      request(convener, 'moderation:allow', { memberId: 'm-song-tao', allowed: true }),
    ]);
    expect(muted).toMatchObject({ ok: true });
    expect(allowed).toMatchObject({ ok: false, error: { code: 'MUTED' } });
    const snap = await must(convener, 'room:snapshot', {});
    expect(snap.session.allowedToSpeak ?? []).not.toContain('m-song-tao');
    await must(convener, 'moderation:mute', { memberId: 'm-song-tao', muted: false });
    // Unmuted, they are still not allowed: a convener must allow them again.
    const after = await must(convener, 'room:snapshot', {});
    expect(after.session.allowedToSpeak ?? []).not.toContain('m-song-tao');
  });

  it('removes a participant, who cannot come back', async () => {
    const convener = await join(demo.firstConvenerId);
    const target = await join('m-deng-yun');
    const told = next(target, 'room:removed');
    const left = next(convener, 'presence:changed', (d) => d.left.includes('m-deng-yun'));
    await must(convener, 'moderation:remove', { memberId: 'm-deng-yun' });
    expect((await told).sessionId).toBe(demo.sessionId);
    await left;
    expect(await request(target, 'suggestion:submit', { text: '还在吗' })).toMatchObject({
      ok: false,
      error: { code: 'REMOVED' },
    });
    const again = await connectSocket(server.url, await signIn(server.url, 'm-deng-yun'));
    server.sockets.push(again);
    expect(await request(again, 'room:join', { sessionId: demo.sessionId })).toMatchObject({
      ok: false,
      error: { code: 'REMOVED' },
    });
    expect(await request(convener, 'moderation:remove', { memberId: demo.secondConvenerId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('locks the room against newcomers but lets participants back in', async () => {
    const convener = await join(demo.firstConvenerId);
    const inside = await join('m-yuan-mei');
    const locked = await must(convener, 'room:lock', { locked: true });
    expect(locked.locked).toBe(true);
    inside.disconnect();
    const back = await join('m-yuan-mei');
    expect((await must(back, 'room:snapshot', {})).session.locked).toBe(true);
    const newcomer = await connectSocket(server.url, await signIn(server.url, 'm-pan-yong'));
    server.sockets.push(newcomer);
    expect(await request(newcomer, 'room:join', { sessionId: demo.sessionId })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_LOCKED' },
    });
    await must(convener, 'room:lock', { locked: false });
    await must(newcomer, 'room:join', { sessionId: demo.sessionId });
  });

  it('refuses to grant the floor to, mute or remove someone who is not in the session', async () => {
    const convener = await join(demo.firstConvenerId);
    const answers = await Promise.all([
      request(convener, 'speaker:grant', { memberId: 'm-nobody' }),
      request(convener, 'moderation:mute', { memberId: 'm-nobody', muted: true }),
      request(convener, 'moderation:remove', { memberId: 'm-nobody' }),
    ]);
    for (const a of answers) expect(a).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const session = await server.app.models.Session.findById(demo.sessionId).lean();
    expect(session?.removed).not.toContain('m-nobody');
    expect(session?.muted).not.toContain('m-nobody');
  });
});
