/**
 * Cutting a person off tells their open sockets why before closing them, on every node: the
 * `account:signedOut` event with its reason, then the server's disconnect, in that order. Two
 * nodes of this process on one real Redis (from Debian) and the run's database; the request goes
 * to one node while the person's sockets are open on both.
 */
import { AccountLink, type SignOutReason } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import {
  type ClientSocket,
  connectSocket,
  demo,
  type InProcessNode,
  type InProcessNodes,
  request,
  signIn,
  signInAsGuest,
  startInProcessNodes,
  uniqueDbName,
} from '../src/testing';

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('cutoff');

let cluster: InProcessNodes<readonly ['node-a', 'node-b']>;
let a: InProcessNode;
let b: InProcessNode;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  cluster = await startInProcessNodes({
    mongoUri,
    dbName,
    nodeIds: ['node-a', 'node-b'],
    redisPrefix: 'yitang-cut-off-redis-',
  });
  [a, b] = cluster.nodes;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.close();
});

const post = (url: string, path: string, body: unknown, cookie: string) =>
  fetch(`${url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });

/**
 * A socket of `cookie` on `node`, and what it hears from the server's side of the cut-off, in
 * the order heard: resolves once the socket is disconnected.
 */
async function watched(node: InProcessNode, cookie: string) {
  const socket = await connectSocket(node.url, cookie);
  sockets.push(socket);
  const heard: string[] = [];
  const closed = new Promise<string[]>((resolve) => {
    socket.on('account:signedOut', (d: { reason: SignOutReason }) => heard.push(`signedOut:${d.reason}`));
    socket.once('disconnect', (reason) => {
      heard.push(`disconnect:${reason}`);
      resolve(heard);
    });
  });
  return { socket, closed };
}

describe('a person cut off through one node is told why on both, before the disconnect', () => {
  it('deactivation: every socket hears reason deactivated, then the server disconnects it', async () => {
    const member = 'm-song-tao';
    const cookie = await signIn(b.url, member);
    const onA = await watched(a, await signIn(a.url, member));
    const onB = await watched(b, cookie);
    // Someone else's socket is left alone.
    const other = await watched(b, await signIn(b.url, 'm-zhou-min'));
    const staff = await signIn(a.url, demo.staffId);

    expect((await post(a.url, `/accounts/${member}/deactivate`, {}, staff)).status).toBe(200);

    const told = ['signedOut:deactivated', 'disconnect:io server disconnect'];
    expect(await onA.closed).toEqual(told);
    expect(await onB.closed).toEqual(told);
    expect(other.socket.connected).toBe(true);
    // Connecting again is refused: there is nothing for the client to reconnect to.
    await expect(connectSocket(b.url, cookie)).rejects.toThrow();
    expect((await post(a.url, `/accounts/${member}/reactivate`, {}, staff)).status).toBe(200);
  });

  it('signing out in one tab tells the other tabs, on either node, that they are signed out', async () => {
    const member = 'm-yuan-mei';
    const here = await signIn(a.url, member);
    const elsewhere = await watched(b, await signIn(b.url, member));
    const sameNode = await watched(a, await signIn(a.url, member));

    expect((await post(a.url, '/auth/logout', {}, here)).status).toBe(200);

    const told = ['signedOut:signedOut', 'disconnect:io server disconnect'];
    expect(await elsewhere.closed).toEqual(told);
    expect(await sameNode.closed).toEqual(told);
  });

  it('a new password set from a reset link tells the open sockets so', async () => {
    const member = 'm-zhou-min';
    const open = await watched(b, await signIn(b.url, member));
    const staff = await signIn(a.url, demo.staffId);
    const res = await post(a.url, `/accounts/${member}/reset-link`, {}, staff);
    expect(res.status).toBe(200);
    const link = AccountLink.parse(await res.json());

    expect((await post(a.url, `/accounts/links/${link.token}`, { password: 'a-new-long-password-7' }, '')).status).toBe(
      200,
    );

    expect(await open.closed).toEqual(['signedOut:passwordReset', 'disconnect:io server disconnect']);
  });

  it('a password changed in one browser signs out the others, and keeps the one that changed it', async () => {
    const member = 'm-lin-feng';
    const keep = await signIn(a.url, member);
    const kept = await watched(a, keep);
    const keptOnB = await watched(b, keep);
    const other = await watched(b, await signIn(b.url, member));

    const res = await post(
      a.url,
      '/account/password',
      { current: demo.password, password: 'a-changed-password-9' },
      keep,
    );
    expect(res.status).toBe(200);

    expect(await other.closed).toEqual(['signedOut:passwordChanged', 'disconnect:io server disconnect']);
    // The sign-in that changed it still answers on both nodes.
    for (const socket of [kept.socket, keptOnB.socket]) {
      expect(socket.connected).toBe(true);
      // Not in a room, so refused: an answer all the same.
      expect((await request(socket, 'room:snapshot', {})).ok).toBe(false);
    }
  });

  it("revoking a guest's invitation tells the guest's socket so", async () => {
    const chair = await signIn(a.url, demo.firstConvenerId);
    const guestCookie = await signInAsGuest(a.url, chair, 'observer', '来宾丙');
    const open = await watched(b, guestCookie);
    const list = await fetch(`${a.url}/api/sessions/${demo.sessionId}/invitations`, { headers: { cookie: chair } });
    const { invitations } = z
      .object({ invitations: z.array(z.object({ id: z.string(), name: z.string() })) })
      .parse(await list.json());
    const invitation = invitations.find((i) => i.name === '来宾丙');
    expect(invitation).toBeDefined();

    const revoked = await post(a.url, `/sessions/${demo.sessionId}/invitations/${invitation?.id}/revoke`, {}, chair);
    expect(revoked.status).toBe(200);

    expect(await open.closed).toEqual(['signedOut:invitationRevoked', 'disconnect:io server disconnect']);
  });

  it('a sign-in running out tells its socket it expired, then closes it', async () => {
    const member = 'm-gao-ya';
    const cookie = await signIn(b.url, member);
    // Set before the socket opens: the socket watches the end it reads on connecting.
    await b.app.models.AuthSession.updateMany(
      { memberId: member },
      { $set: { expiresAt: new Date(Date.now() + 1000) } },
    );
    const open = await watched(b, cookie);

    expect(await open.closed).toEqual(['signedOut:expired', 'disconnect:io server disconnect']);
  });
});
