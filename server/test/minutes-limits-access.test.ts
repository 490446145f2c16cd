import { MemberView, MinutesCloseCode } from '@yitang/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import {
  type ClientSocket,
  connectSocket,
  demo,
  joinAs,
  must,
  next,
  signIn,
  signInAsGuest,
  startTestServer,
  type TestServer,
} from '../src/testing';

let server: TestServer;
const sockets: WebSocket[] = [];
/** How late after the end of someone's access their sockets may still be open. */
const withinMs = 1000;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterEach(() => {
  server.closeSockets();
  for (const ws of sockets.splice(0)) ws.terminate();
});
afterAll(async () => {
  await server.close();
});

/** A minutes socket as `cookie`; `closed` resolves with the close code and when it came. */
async function minutesSocket(cookie: string) {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/minutes/${demo.sessionId}`, { headers: { cookie } });
  sockets.push(ws);
  const closed = new Promise<{ code: number; at: number }>((resolve) =>
    ws.on('close', (code) => resolve({ code, at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, closed };
}

/** Resolves with when the server disconnected the Socket.IO socket. */
const serverDisconnect = (socket: ClientSocket) =>
  new Promise<number>((resolve) =>
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') resolve(Date.now());
    }),
  );

async function room(cookie: string): Promise<ClientSocket> {
  const socket = await connectSocket(server.url, cookie);
  server.sockets.push(socket);
  await must(socket, 'room:join', { sessionId: demo.sessionId });
  return socket;
}

async function whoIs(cookie: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
  const { member } = z.object({ member: MemberView }).parse(await res.json());
  return member.id;
}

describe('the end of access closes room and minutes sockets', () => {
  it('removing a participant closes their minutes socket (removed) and drops them from the room', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const cookie = await signIn(server.url, 'm-deng-yun');
    const target = await room(cookie);
    const minutes = await minutesSocket(cookie);
    const told = next(target, 'room:removed');
    await must(convener, 'moderation:remove', { memberId: 'm-deng-yun' });
    const removedAt = Date.now();
    await told;
    const { code, at } = await minutes.closed;
    expect(code).toBe(MinutesCloseCode.removed);
    expect(at - removedAt).toBeLessThan(withinMs);
  });

  it("revoking a guest's invitation closes their room and minutes sockets", async () => {
    const chairCookie = await signIn(server.url, demo.firstConvenerId);
    const guestCookie = await signInAsGuest(server.url, chairCookie, 'observer', '来宾甲');
    const guest = await room(guestCookie);
    const minutes = await minutesSocket(guestCookie);
    const roomClosed = serverDisconnect(guest);
    const list = await fetch(`${server.url}/api/sessions/${demo.sessionId}/invitations`, {
      headers: { cookie: chairCookie },
    });
    const { invitations } = z
      .object({ invitations: z.array(z.object({ id: z.string(), name: z.string() })) })
      .parse(await list.json());
    const inv = invitations.find((i) => i.name === '来宾甲');
    if (!inv) throw new Error('no invitation');
    const revoked = await fetch(`${server.url}/api/sessions/${demo.sessionId}/invitations/${inv.id}/revoke`, {
      method: 'POST',
      headers: { cookie: chairCookie },
    });
    expect(revoked.status).toBe(200);
    const revokedAt = Date.now();
    const [roomAt, { code, at }] = await Promise.all([roomClosed, minutes.closed]);
    expect(code).toBe(MinutesCloseCode.signedOut);
    expect(roomAt - revokedAt).toBeLessThan(withinMs);
    expect(at - revokedAt).toBeLessThan(withinMs);
  });

  /** Opens a room and a minutes socket on `cookie`; both must be closed as signed out within `withinMs` of `expiresAt`. */
  async function expectSignedOutAt(cookie: string, expiresAt: number): Promise<void> {
    const socket = await room(cookie);
    const roomClosed = serverDisconnect(socket);
    const minutes = await minutesSocket(cookie);
    const [roomAt, { code, at }] = await Promise.all([roomClosed, minutes.closed]);
    expect(code).toBe(MinutesCloseCode.signedOut);
    expect(roomAt).toBeGreaterThanOrEqual(expiresAt);
    expect(roomAt - expiresAt).toBeLessThan(withinMs);
    expect(at).toBeGreaterThanOrEqual(expiresAt);
    expect(at - expiresAt).toBeLessThan(withinMs);
  }

  it("a guest's invitation expiring closes their room and minutes sockets within a second", async () => {
    const chairCookie = await signIn(server.url, demo.firstConvenerId);
    const guestCookie = await signInAsGuest(server.url, chairCookie, 'observer', '来宾乙');
    const guestId = await whoIs(guestCookie);
    const expiresAt = Date.now() + 1500;
    await server.app.models.Invitation.updateOne({ acceptedBy: guestId }, { $set: { expiresAt: new Date(expiresAt) } });
    await expectSignedOutAt(guestCookie, expiresAt);
  });

  it('a sign-in session expiring closes its room and minutes sockets within a second', async () => {
    const cookie = await signIn(server.url, 'm-gao-ya');
    const expiresAt = Date.now() + 1500;
    await server.app.models.AuthSession.updateMany(
      { memberId: 'm-gao-ya' },
      { $set: { expiresAt: new Date(expiresAt) } },
    );
    await expectSignedOutAt(cookie, expiresAt);
  });

  it('a sign-in extended before it expired keeps its sockets until the new end', async () => {
    const cookie = await signIn(server.url, 'm-lin-feng');
    const firstEnd = Date.now() + 1500;
    await server.app.models.AuthSession.updateMany(
      { memberId: 'm-lin-feng' },
      { $set: { expiresAt: new Date(firstEnd) } },
    );
    const member = await room(cookie);
    const roomClosed = serverDisconnect(member);
    const minutes = await minutesSocket(cookie);
    // Extended after both sockets were watched with the first end.
    const newEnd = firstEnd + 1500;
    await server.app.models.AuthSession.updateMany(
      { memberId: 'm-lin-feng' },
      { $set: { expiresAt: new Date(newEnd) } },
    );
    const [roomAt, { code, at }] = await Promise.all([roomClosed, minutes.closed]);
    expect(code).toBe(MinutesCloseCode.signedOut);
    expect(roomAt).toBeGreaterThanOrEqual(newEnd);
    expect(at).toBeGreaterThanOrEqual(newEnd);
    expect(at - newEnd).toBeLessThan(withinMs);
  });

  it('signing out closes room and minutes sockets', async () => {
    const cookie = await signIn(server.url, 'm-luo-bin');
    const member = await room(cookie);
    const roomClosed = serverDisconnect(member);
    const minutes = await minutesSocket(cookie);
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(200);
    const [, { code }] = await Promise.all([roomClosed, minutes.closed]);
    expect(code).toBe(MinutesCloseCode.signedOut);
  });
});
