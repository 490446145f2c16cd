/**
 * The handshake's copy of the sign-ins and members (auth/sign-in-cache.ts): a room filling reads
 * neither per join, and the copy never lets in what the database would refuse, once whatever
 * ended it has been heard of (at once on the node that ended it; after its notice on the others).
 */
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AccountsChange } from '../src/cluster/cluster';
import { createModels } from '../src/db/models';
import {
  type ClientSocket,
  connectSocket,
  demo,
  type InProcessNode,
  type InProcessNodes,
  must,
  signIn,
  startInProcessNodes,
  startTestServer,
  type TestServer,
  uniqueDbName,
} from '../src/testing';

const mongoUri = inject('mongoUri');

const call = (url: string, method: string, path: string, cookie: string, body: unknown = {}) =>
  fetch(`${url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    ...(method === 'GET' ? {} : { body: JSON.stringify(body) }),
  });

/** Connects, and answers the member the server took the socket for (its own presence entry). */
async function joinedAs(url: string, cookie: string, sockets: ClientSocket[]): Promise<string> {
  const socket = await connectSocket(url, cookie);
  sockets.push(socket);
  const snapshot = await must(socket, 'room:join', { sessionId: demo.sessionId });
  socket.close();
  return snapshot.you.name;
}

describe('one node', () => {
  let server: TestServer;
  const finds: CommandStartedEvent[] = [];
  const watch = () =>
    server.conn.getClient().on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'find') finds.push(e);
    });
  const findsOn = (model: 'AuthSession' | 'Member') => {
    const name = createModels(server.conn)[model].collection.collectionName;
    return finds.filter((e) => e.command.find === name).length;
  };

  beforeAll(async () => {
    server = await startTestServer({ mongoUri, monitorCommands: true });
    watch();
    const convener = await connectSocket(server.url, await signIn(server.url, demo.firstConvenerId));
    server.sockets.push(convener);
    await must(convener, 'room:join', { sessionId: demo.sessionId });
    await must(convener, 'session:start', {});
  });
  afterAll(async () => {
    await server.close();
  });

  it('copies the usable sign-ins at a start: after a restart a signed-in member joins without a read of either', async () => {
    const cookie = await signIn(server.url, 'm-zhou-min');
    await server.restart();
    watch();
    finds.length = 0;
    const socket = await connectSocket(server.url, cookie);
    server.sockets.push(socket);
    await must(socket, 'room:join', { sessionId: demo.sessionId });
    expect(findsOn('AuthSession')).toBe(0);
    expect(findsOn('Member')).toBe(0);
  });

  it('refuses a signed-out sign-in at the next handshake, though it was let in from the copy before', async () => {
    const cookie = await signIn(server.url, 'm-sun-jianhua');
    (await connectSocket(server.url, cookie)).close();
    expect((await call(server.url, 'POST', '/auth/logout', cookie)).status).toBe(200);
    await expect(connectSocket(server.url, cookie)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('shows a member renamed meanwhile by their new name at the next handshake', async () => {
    const member = 'm-li-xiaoyan';
    const cookie = await signIn(server.url, member);
    const before = await joinedAs(server.url, cookie, server.sockets);
    const staff = await signIn(server.url, demo.staffId);
    const renamed = `${before}（改）`;
    expect((await call(server.url, 'PATCH', `/org/members/${member}`, staff, { name: renamed })).status).toBe(200);
    expect(await joinedAs(server.url, cookie, server.sockets)).toBe(renamed);
  });

  it('does not trust its copy of a sign-in written by anything else: one left idle in the database is refused', async () => {
    const member = 'm-gao-ya';
    const cookie = await signIn(server.url, member);
    (await connectSocket(server.url, cookie)).close();
    await createModels(server.conn).AuthSession.updateMany(
      { memberId: member },
      { $set: { lastSeenAt: new Date(Date.now() - 30 * 24 * 3600_000) } },
    );
    await expect(connectSocket(server.url, cookie)).rejects.toThrow('UNAUTHENTICATED');
  });
});

describe('two nodes, each with its own database connection', () => {
  let cluster: InProcessNodes<readonly ['node-a', 'node-b']>;
  let a: InProcessNode;
  let b: InProcessNode;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    cluster = await startInProcessNodes({
      mongoUri,
      dbName: uniqueDbName('signincopy'),
      nodeIds: ['node-a', 'node-b'],
      redisPrefix: 'yitang-sign-in-cache-redis-',
      connectionPerNode: true,
    });
    [a, b] = cluster.nodes;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await cluster?.close();
  });

  /** Resolves once `node` has applied the next accounts change of this kind (announced or its own). */
  const heard = (node: InProcessNode, kind: AccountsChange['kind']) =>
    new Promise<void>((resolve) => {
      // Listeners run in the order they were added: the server's own came first.
      const stop = node.cluster.onAccountsChanged((change) => {
        if (change.kind !== kind) return;
        stop();
        resolve();
      });
    });

  it('a sign-out through one node is refused by the other, which had let that sign-in in from its copy', async () => {
    const cookie = await signIn(a.url, 'm-song-tao');
    (await connectSocket(b.url, cookie)).close();
    const told = heard(b, 'signInsEnded');
    expect((await call(a.url, 'POST', '/auth/logout', cookie)).status).toBe(200);
    await told;
    await expect(connectSocket(b.url, cookie)).rejects.toThrow('UNAUTHENTICATED');
  });

  it('a member renamed through one node has the new name at the next handshake on the other', async () => {
    const member = 'm-yuan-mei';
    const cookie = await signIn(b.url, member);
    const before = await joinedAs(b.url, cookie, sockets);
    const staff = await signIn(a.url, demo.staffId);
    const told = heard(b, 'membersWritten');
    const renamed = `${before}（改）`;
    expect((await call(a.url, 'PATCH', `/org/members/${member}`, staff, { name: renamed })).status).toBe(200);
    await told;
    expect(await joinedAs(b.url, cookie, sockets)).toBe(renamed);
  });

  it('reads the database at every handshake while it cannot hear the other nodes, and forgets its copy', async () => {
    const cookie = await signIn(a.url, 'm-xu-jing');
    (await connectSocket(b.url, cookie)).close();
    const cut = heard(b, 'noticesMissed');
    await cluster.redis.kill();
    await cut;
    expect(b.cluster.hearsAccounts()).toBe(false);
    // Used here meanwhile (a REST call reads the database, which copies it again)...
    expect((await call(b.url, 'GET', '/members', cookie)).status).toBe(200);
    // ...and signed out through the other node, whose notice cannot reach this one.
    expect((await call(a.url, 'POST', '/auth/logout', cookie)).status).toBe(200);
    await expect(connectSocket(b.url, cookie)).rejects.toThrow('UNAUTHENTICATED');
    const back = heard(b, 'noticesMissed');
    await cluster.redis.restart();
    await back;
    expect(b.cluster.hearsAccounts()).toBe(true);
    await expect(connectSocket(b.url, cookie)).rejects.toThrow('UNAUTHENTICATED');
  });
});
