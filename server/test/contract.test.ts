import { MembersResponse, SessionsResponse } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoHistorySize } from '../src/seed/demo-history';
import {
  type ClientSocket,
  connectSocket,
  demo,
  must,
  request,
  signIn,
  startTestServer,
  type TestServer,
} from '../src/testing';

let server: TestServer;
let socket: ClientSocket;

/** Sends anything at all, bypassing the typed event map, and resolves with the ack. */
function raw(event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => {
    const emit = socket.emit as (e: string, ...a: unknown[]) => void;
    emit.call(socket, event, ...args, resolve);
  });
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  socket = await connectSocket(server.url, await signIn(server.url, 'm-zheng-yu'));
});
afterAll(async () => {
  socket.close();
  await server.close();
});

describe('the event contract', () => {
  it('refuses a socket without a session cookie', async () => {
    await expect(connectSocket(server.url)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('answers events before a join with NOT_JOINED', async () => {
    expect(await request(socket, 'room:snapshot', {})).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
  });

  it('answers an unknown session with NOT_FOUND', async () => {
    expect(await request(socket, 'room:join', { sessionId: 'no-such-session' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it.each([
    ['room:join', { sessionId: 42 }],
    ['room:join', { sessionId: '../etc/passwd' }],
    ['room:join', { sessionId: { $gt: '' } }],
    ['room:join', null],
    ['room:join', 'just a string'],
    ['vote:cast', { pollId: 'p', ballotId: 'not-a-uuid', content: { kind: 'yesno', choice: 'yes' } }],
    [
      'vote:cast',
      { pollId: 'p', ballotId: '6c1f0b56-8f43-4a3e-9d5b-1f4a3c2b1a00', content: { kind: 'yesno', choice: 'maybe' } },
    ],
    ['poll:create', { settings: { kind: 'yesno', question: '' } }],
    ['poll:create', { settings: { kind: 'vote-for-me', question: 'x' } }],
    ['poll:open', { pollId: 'p', extra: true }],
    ['suggestion:submit', { text: 'x'.repeat(2001) }],
    ['agenda:add', { title: '议程', plannedMinutes: -5, afterItemId: null }],
  ])('answers %s with %j as BAD_REQUEST', async (event, payload) => {
    expect(await raw(event, payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('answers an unknown event with UNKNOWN_EVENT', async () => {
    expect(await raw('room:explode', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
  });

  it('survives events without an ack and keeps serving', async () => {
    const emit = socket.emit as (e: string, ...a: unknown[]) => void;
    emit.call(socket, 'vote:cast', { nonsense: true });
    emit.call(socket, 'not:an:event');
    emit.call(socket, 'room:join');
    const snap = await must(socket, 'room:join', { sessionId: demo.sessionId });
    expect(snap.session.id).toBe(demo.sessionId);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('disconnects a payload over the size cap without harming others', async () => {
    const other = await connectSocket(server.url, await signIn(server.url, 'm-xie-fang'));
    const big = await connectSocket(server.url, await signIn(server.url, 'm-han-lei'));
    const dropped = new Promise<string>((resolve) => big.once('disconnect', resolve));
    const emit = big.emit as (e: string, ...a: unknown[]) => void;
    emit.call(big, 'suggestion:submit', { text: 'x'.repeat(64 * 1024) });
    expect(await dropped).toBe('transport close');
    expect((await must(other, 'room:join', { sessionId: demo.sessionId })).session.id).toBe(demo.sessionId);
    other.close();
  });
});

describe('REST', () => {
  it('reports health and readiness', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ ok: true, database: 'up' });
  });

  it('answers every REST read in the shape the shared schemas describe', async () => {
    const headers = { cookie: await signIn(server.url, demo.staffId) };
    const members = MembersResponse.parse(await (await fetch(`${server.url}/api/members`, { headers })).json());
    // The demo's 36 accounts (赵明 heads the science bureau) and the officials of its held year (demo-history.ts).
    expect(members.members).toHaveLength(36 + demoHistorySize.members);
    expect(members.members.find((m) => m.id === demo.secondConvenerId)).toMatchObject({ sectorId: null });
    const sessions = SessionsResponse.parse(await (await fetch(`${server.url}/api/sessions`, { headers })).json());
    expect(sessions.sessions.map((s) => s.id)).toContain(demo.sessionId);
  });

  it('answers bad bodies with BAD_REQUEST and unknown members with NOT_FOUND', async () => {
    const post = (body: string) =>
      fetch(`${server.url}/api/auth/demo-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const bad = await post('{"memberId": {"$ne": null}}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    const broken = await post('{not json');
    expect(broken.status).toBe(400);
    const unknown = await post('{"memberId": "m-nobody"}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it("signs out and drops that member's sockets", async () => {
    const cookie = await signIn(server.url, 'm-tang-li');
    const s = await connectSocket(server.url, cookie);
    const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
    const res = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(res.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    const me = await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).json();
    expect(me).toEqual({ member: null, demoLogin: true });
  });
});
