/**
 * What one join costs the database. A room of thousands fills through this path, so every read
 * here is paid once per participant and, on the embedded database, also costs FerretDB and
 * PostgreSQL CPU on the same cores (docs/performance.md, "Filling a big room").
 */

import { randomBytes } from 'node:crypto';
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashToken, SESSION_COOKIE } from '../src/auth/auth.service';
import { createModels, rawCollection } from '../src/db/models';
import {
  type ClientSocket,
  choice,
  connectSocket,
  demo,
  joinAs,
  must,
  next,
  openPoll,
  signIn,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
let convener: ClientSocket;
const commands: CommandStartedEvent[] = [];

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), monitorCommands: true });
  server.conn.getClient().on('commandStarted', (e: CommandStartedEvent) => {
    if (e.commandName === 'find' || e.commandName === 'update') commands.push(e);
  });
  convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

/** Finds on the collection of `model` since the count was cleared. */
function findsOn(
  model: 'AuthSession' | 'Member' | 'Ballot' | 'VoterMark',
  filter: (f: Record<string, unknown>) => boolean = () => true,
) {
  return commandsOn('find', model, filter);
}

/** Commands of one kind (find, update) on the collection of `model` since the count was cleared. */
function commandsOn(
  kind: 'find' | 'update',

  model: 'AuthSession' | 'Member' | 'Ballot' | 'VoterMark',
  filter: (f: Record<string, unknown>) => boolean = () => true,
) {
  const name = createModels(server.conn)[model].collection.collectionName;
  return commands.filter(
    (e) => e.commandName === kind && e.command[kind] === name && filter(e.command.filter as Record<string, unknown>),
  ).length;
}

describe('the reads of one join', () => {
  it('reads neither the sign-in nor the member of a member signed in here, at the handshake or the first event', async () => {
    const memberId = 'm-zhou-min';
    const cookie = await signIn(server.url, memberId);
    commands.length = 0;
    const socket = await connectSocket(server.url, cookie);
    server.sockets.push(socket);
    await must(socket, 'room:join', { sessionId: demo.sessionId });
    // A second round trip: a read the join's answer set off has been sent by the time it returns.
    await must(socket, 'room:snapshot', {});
    // The handshake's copy (auth/sign-in-cache.ts) has both from the sign-in.
    expect(findsOn('AuthSession')).toBe(0);
    expect(findsOn('Member', (f) => f._id === memberId)).toBe(0);
  });

  it('reads a sign-in made elsewhere and its member once, at the first handshake, and then holds them', async () => {
    const memberId = 'm-cao-ming';
    // As another node would have: straight into the database.
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await rawCollection(createModels(server.conn).AuthSession).insertOne({
      _id: hashToken(token),
      memberId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 3600_000),
      lastSeenAt: now,
    });
    const cookie = `${SESSION_COOKIE}=${token}`;
    commands.length = 0;
    for (let i = 0; i < 2; i += 1) {
      const socket = await connectSocket(server.url, cookie);
      server.sockets.push(socket);
      await must(socket, 'room:join', { sessionId: demo.sessionId });
      socket.close();
    }
    expect(findsOn('AuthSession')).toBe(1);
    expect(findsOn('Member', (f) => f._id === memberId)).toBe(1);
  });

  it("reads a joiner's ballots only in the polls they voted in: none before they vote", async () => {
    const memberId = 'm-sun-jianhua';
    const named = await openPoll(convener, yesNoPoll('会前的第一项表决'));
    await openPoll(convener, yesNoPoll('会前的第二项表决'));
    const ballotReads = () => findsOn('Ballot') + findsOn('VoterMark');

    commands.length = 0;
    const first = await joinAs(server, memberId);
    expect(ballotReads()).toBe(0);

    const ballotId = crypto.randomUUID();
    await must(first, 'vote:cast', { pollId: named.id, ballotId, content: choice('no') });
    first.close();
    commands.length = 0;
    const again = await connectSocket(server.url, await signIn(server.url, memberId));
    server.sockets.push(again);
    const snapshot = await must(again, 'room:join', { sessionId: demo.sessionId });
    expect(snapshot.myBallots[named.id]).toEqual(choice('no'));
    // One point read per kind (named, secret) for the one poll voted in.
    expect(ballotReads()).toBe(2);
  });

  it("leaves the touch of a sign-in last used minutes ago to the open sign-ins' next sweep, which writes it even after the socket closed", async () => {
    const memberId = 'm-li-xiaoyan';
    const cookie = await signIn(server.url, memberId);
    const sessions = createModels(server.conn).AuthSession;
    const lastUsed = new Date(Date.now() - 10 * 60_000);
    const id = { memberId };
    await sessions.updateMany(id, { $set: { lastSeenAt: lastUsed } });
    commands.length = 0;
    const socket = await connectSocket(server.url, cookie);
    await must(socket, 'room:join', { sessionId: demo.sessionId });
    // Gone before the sweep: the server has seen the socket close once the convener hears of it.
    const gone = next(convener, 'presence:changed', (p) => p.left.includes(memberId));
    socket.close();
    await gone;
    expect(commandsOn('update', 'AuthSession')).toBe(0);
    // What the once-a-minute timer does, now: one write, for the open sign-ins and this one.
    await server.app.touchOpenSessions();
    expect(commandsOn('update', 'AuthSession')).toBe(1);
    const s = await sessions.findOne(id).lean();
    expect(s?.lastSeenAt?.getTime()).toBeGreaterThan(lastUsed.getTime());
  });
});
