/**
 * Issue 12, sign-in protection, against the real server, database and a real redis-server:
 * failed logins are limited per account and per address (shared by two nodes through Redis),
 * logged and shown to staff; sign-in sessions end after idle time and after an absolute TTL.
 */
import { createHash } from 'node:crypto';
import { LoginFailuresResponse, limits, MeResponse } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { loginFailureKeepSeconds } from '../src/auth/auth.model';
import { trusted } from '../src/db/models';
import {
  connectSocket,
  demo,
  minutesProvider,
  must,
  type RedisServer,
  signIn,
  startRedisServer,
  startTestServer,
  synced,
  type TestServer,
  uniqueDbName,
} from '../src/testing';

let server: TestServer;
let redis: RedisServer | undefined;
let nodeA: TestServer;
let nodeB: TestServer;

beforeAll(async () => {
  redis = await startRedisServer('yitang-login-limits-');
  const shared = {
    mongoUri: inject('mongoUri'),
    dbName: uniqueDbName('limits'),
    config: { REDIS_URL: redis.url },
  };
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  nodeA = await startTestServer(shared);
  nodeB = await startTestServer({ ...shared, seed: false });
});
afterAll(async () => {
  await server?.close();
  await nodeB?.close();
  await nodeA?.close();
  await redis?.stop();
});

/** A password sign-in from `address` (the server trusts X-Forwarded-For from loopback, as behind nginx). */
const login = (url: string, username: string, password: string, address: string) =>
  fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ username, password }),
  });
const code = async (res: Response) => ((await res.json()) as { error?: { code?: string } }).error?.code;

describe('failed sign-ins', () => {
  it('locks an account after a few wrong passwords, from whatever address, even for the right one', async () => {
    for (let i = 0; i < limits.loginFailuresPerAccount; i++) {
      const res = await login(server.url, 'zhou-min', 'wrong', `10.1.0.${i + 1}`);
      expect(res.status).toBe(401);
    }
    const locked = await login(server.url, 'zhou-min', demo.password, '10.1.0.99');
    expect(locked.status).toBe(429);
    expect(await code(locked)).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another account is not affected.
    expect((await login(server.url, 'chen-liqun', demo.password, '10.1.0.99')).status).toBe(200);
  });

  it('limits one address that tries many accounts', async () => {
    for (let i = 0; i < limits.loginFailuresPerAddress; i++) {
      const res = await login(server.url, `nobody-${i}`, 'guess', '10.2.0.1');
      expect(res.status).toBe(401);
    }
    const blocked = await login(server.url, 'chen-liqun', demo.password, '10.2.0.1');
    expect(blocked.status).toBe(429);
    expect((await login(server.url, 'chen-liqun', demo.password, '10.2.0.2')).status).toBe(200);
  });

  it('charges nothing to an account for tries from an address that is out of budget', async () => {
    for (let i = 0; i < limits.loginFailuresPerAddress; i++) {
      expect((await login(server.url, `nobody-${i}`, 'guess', '10.6.0.1')).status).toBe(401);
    }
    // The address is spent: however often it names song-tao, song-tao's budget stays whole.
    for (let i = 0; i < limits.loginFailuresPerAccount + 1; i++) {
      expect((await login(server.url, 'song-tao', 'guess', '10.6.0.1')).status).toBe(429);
    }
    expect((await login(server.url, 'song-tao', demo.password, '10.6.0.2')).status).toBe(200);
  });

  it('counts every address of one IPv6 /64 as one address', async () => {
    for (let i = 1; i <= limits.loginFailuresPerAddress; i++) {
      const res = await login(server.url, `nobody6-${i}`, 'guess', `2001:db8:6:7::${i.toString(16)}`);
      expect(res.status).toBe(401);
    }
    // Another host part of the same /64, written in full: refused; the next /64 is not.
    expect((await login(server.url, 'gao-ya', demo.password, '2001:0db8:0006:0007:ffff:1:2:3')).status).toBe(429);
    expect((await login(server.url, 'gao-ya', demo.password, '2001:db8:6:8::1')).status).toBe(200);
  });

  it('stores a locked account’s refusals once per window, and drops refusals older than 30 days', async () => {
    const old = new Date(Date.now() - (loginFailureKeepSeconds + 60) * 1000);
    await server.app.models.LoginFailure.create({
      _id: 'old-refusal',
      at: old,
      username: 'x',
      address: '10.7.9.9',
      reason: 'badCredentials',
    });
    for (let i = 0; i < limits.loginFailuresPerAccount; i++) {
      expect((await login(server.url, 'lin-feng', 'wrong', `10.7.0.${i + 1}`)).status).toBe(401);
    }
    for (let i = 0; i < 10; i++) {
      expect((await login(server.url, 'LIN-FENG', 'wrong', `10.7.1.${i + 1}`)).status).toBe(429);
    }
    const rows = await server.app.models.LoginFailure.find({ username: /^lin-feng$/i }).lean();
    expect(rows.filter((r) => r.reason === 'badCredentials')).toHaveLength(limits.loginFailuresPerAccount);
    expect(rows.filter((r) => r.reason === 'rateLimited')).toHaveLength(1);
    expect(await server.app.models.LoginFailure.exists({ _id: 'old-refusal' })).toBeNull();
  });

  it('logs each failure and shows the recent ones to staff only', async () => {
    await login(server.url, 'feng-gang', 'typo', '10.3.0.7');
    const staff = await fetch(`${server.url}/api/auth/failures`, {
      headers: { cookie: await signIn(server.url, demo.staffId) },
    });
    expect(staff.status).toBe(200);
    const { failures } = LoginFailuresResponse.parse(await staff.json());
    expect(failures[0]).toMatchObject({ username: 'feng-gang', address: '10.3.0.7', reason: 'badCredentials' });
    expect(failures.some((f) => f.reason === 'rateLimited' && f.username === 'zhou-min')).toBe(true);
    const member = await fetch(`${server.url}/api/auth/failures`, {
      headers: { cookie: await signIn(server.url, 'm-zhou-min') },
    });
    expect(member.status).toBe(403);
    expect((await fetch(`${server.url}/api/auth/failures`)).status).toBe(401);
  });

  it('takes the client address from X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const strict = await startTestServer({ mongoUri: inject('mongoUri'), config: { TRUST_PROXY: '10.9.9.9' } });
    try {
      await login(strict.url, 'feng-gang', 'typo', '10.5.5.5');
      const res = await fetch(`${strict.url}/api/auth/failures`, {
        headers: { cookie: await signIn(strict.url, demo.staffId) },
      });
      const { failures } = LoginFailuresResponse.parse(await res.json());
      // The test's own loopback peer is not trusted here: its header is ignored.
      expect(failures[0]?.address).toMatch(/127\.0\.0\.1$/);
    } finally {
      await strict.close();
    }
  });

  it('shares the limits between two nodes through Redis', async () => {
    const half = Math.ceil(limits.loginFailuresPerAccount / 2);
    for (let i = 0; i < limits.loginFailuresPerAccount; i++) {
      const node = i < half ? nodeA : nodeB;
      expect((await login(node.url, 'tang-li', 'wrong', `10.4.0.${i + 1}`)).status).toBe(401);
    }
    expect((await login(nodeA.url, 'tang-li', demo.password, '10.4.1.1')).status).toBe(429);
    expect((await login(nodeB.url, 'tang-li', demo.password, '10.4.1.2')).status).toBe(429);
  });

  it('counts in memory while Redis is gone, and still closes', async () => {
    const lost = await startRedisServer('yitang-login-lost-');
    const node = await startTestServer({ mongoUri: inject('mongoUri'), config: { REDIS_URL: lost.url } });
    try {
      expect((await login(node.url, 'he-jun', 'wrong', '10.8.0.1')).status).toBe(401);
      await lost.kill();
      // Not a 500: the insurance limiter counts on this node alone (from zero), and still locks the name.
      for (let i = 1; i <= limits.loginFailuresPerAccount; i++) {
        expect((await login(node.url, 'he-jun', 'wrong', `10.8.0.${i + 1}`)).status).toBe(401);
      }
      expect((await login(node.url, 'he-jun', demo.password, '10.8.1.1')).status).toBe(429);
    } finally {
      // close() must not wait for a Redis that will never answer.
      await node.close();
      await lost.stop();
    }
  });
});

describe('sign-in session expiry', () => {
  const me = async (cookie: string) =>
    MeResponse.parse(await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })).json()).member;
  /** The stored session of a cookie: its id is the SHA-256 of the token. */
  const sessionOf = async (cookie: string) => {
    const token = cookie.slice(cookie.indexOf('=') + 1);
    const s = await server.app.models.AuthSession.findById(
      createHash('sha256').update(token).digest('base64url'),
    ).lean();
    if (!s) throw new Error('no session stored');
    return s;
  };

  it('ends a session left idle longer than the idle limit', async () => {
    const cookie = await signIn(server.url, 'm-feng-gang');
    expect(await me(cookie)).not.toBeNull();
    const s = await sessionOf(cookie);
    // The clock is the database's record of the last use: move it back past the idle limit.
    const idle = new Date(Date.now() - (limits.sessionIdleSeconds + 60) * 1000);
    await server.app.models.AuthSession.updateOne({ _id: s._id }, { $set: { lastSeenAt: idle } });
    expect(await me(cookie)).toBeNull();
  });

  it('ends a session past its absolute lifetime however busy it is', async () => {
    const cookie = await signIn(server.url, 'm-tang-li');
    const s = await sessionOf(cookie);
    const born = new Date(Date.now() - (limits.sessionMaxAgeSeconds + 60) * 1000);
    // Used a moment ago, but created longer ago than the absolute limit.
    await server.app.models.AuthSession.updateOne(
      { _id: s._id },
      { $set: { createdAt: born, lastSeenAt: new Date() } },
    );
    expect(await me(cookie)).toBeNull();
  });

  it('counts work on a live socket as use: its idle clock restarts', async () => {
    const cookie = await signIn(server.url, 'm-song-tao');
    const s = await sessionOf(cookie);
    // Nearly idle for too long: only the socket keeps it. Its handshake is the first use (work
    // on the socket then counts a minute after it, and the open socket every minute).
    const old = new Date(Date.now() - (limits.sessionIdleSeconds - 30) * 1000);
    await server.app.models.AuthSession.updateOne({ _id: s._id }, { $set: { lastSeenAt: old } });
    const socket = await connectSocket(server.url, cookie);
    server.sockets.push(socket);
    await must(socket, 'room:join', { sessionId: demo.sessionId });
    // The touch runs behind the answer; the next REST call must still find the session.
    const seen = async () => (await sessionOf(cookie)).lastSeenAt?.getTime() ?? 0;
    await expect.poll(seen).toBeGreaterThan(old.getTime());
    expect(await me(cookie)).not.toBeNull();
  });

  it('counts an open room socket that sends nothing, and an open minutes socket, as use', async () => {
    const follower = await signIn(server.url, 'm-liang-xue');
    server.sockets.push(await connectSocket(server.url, follower));
    const writer = await signIn(server.url, 'm-chen-liqun');
    const provider = minutesProvider(server.url, demo.sessionId, new Y.Doc(), writer);
    const idle = await signIn(server.url, 'm-ma-li');
    try {
      await synced(provider);
      const old = new Date(Date.now() - (limits.sessionIdleSeconds - 30) * 1000);
      const ids = await Promise.all([follower, writer, idle].map(async (c) => (await sessionOf(c))._id));
      await server.app.models.AuthSession.updateMany({ _id: trusted({ $in: ids }) }, { $set: { lastSeenAt: old } });
      // What the once-a-minute timer does, now.
      await server.app.touchOpenSessions();
      for (const c of [follower, writer]) {
        expect((await sessionOf(c)).lastSeenAt?.getTime()).toBeGreaterThan(old.getTime());
      }
      // No socket open: its idle clock runs on.
      expect((await sessionOf(idle)).lastSeenAt?.getTime()).toBe(old.getTime());
    } finally {
      provider.destroy();
    }
  });

  it('keeps a session that is in use within both limits', async () => {
    const cookie = await signIn(server.url, 'm-zhou-min');
    const s = await sessionOf(cookie);
    const recent = new Date(Date.now() - (limits.sessionIdleSeconds - 60) * 1000);
    await server.app.models.AuthSession.updateOne({ _id: s._id }, { $set: { lastSeenAt: recent } });
    expect(await me(cookie)).not.toBeNull();
  });
});
