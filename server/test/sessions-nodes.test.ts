/**
 * The sessions module on two nodes: REST runs on any node, a live room on the node holding its
 * lease. Taken off a session's list through one node's REST, a member present in the room on the
 * other node leaves it at once and is refused on joining again. Real Redis (from Debian) and the
 * run's database; the two nodes are two servers of this process, each with its own Redis
 * connections, on one Redis.
 */
import { SessionDetailResponse } from '@yitang/shared';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer, type YitangApp } from '../src/app';
import { type Cluster, createCluster } from '../src/cluster/cluster';
import { connectDatabase } from '../src/db/connect';
import { createModels, ensureIndexes } from '../src/db/models';
import { createLogger } from '../src/logger';
import { seedDemo } from '../src/seed/demo';
import { notInvitedMessage } from '../src/sessions';
import {
  type ClientSocket,
  connectSocket,
  demo,
  must,
  type RedisServer,
  request,
  signIn,
  startRedisServer,
  uniqueDbName,
} from '../src/testing';

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('sessnodes');
const logger = createLogger('silent');

interface Node {
  app: YitangApp;
  cluster: Cluster;
  url: string;
}

let redis: RedisServer | undefined;
let conn: Connection;
const nodes: Node[] = [];
const sockets: ClientSocket[] = [];

async function startNode(nodeId: string): Promise<Node> {
  const cluster = await createCluster({ redisUrl: redis?.url ?? '', nodeId, logger });
  const app = createServer({
    config: {
      ALLOWED_ORIGINS: [],
      CLIENT_DIST: '/nonexistent',
      COOKIE_SECURE: false,
      DEMO_LOGIN: true,
      CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      SNAPSHOT_PRESENCE_MAX: undefined,
    },
    conn,
    logger,
    cluster,
  });
  const url = await app.listen(0, '127.0.0.1');
  await cluster.announce(url);
  const node = { app, cluster, url };
  nodes.push(node);
  return node;
}

let a: Node;
let b: Node;

beforeAll(async () => {
  redis = await startRedisServer();
  conn = await connectDatabase(mongoUri, dbName);
  const models = createModels(conn);
  await ensureIndexes(models);
  await seedDemo(models);
  a = await startNode('node-a');
  b = await startNode('node-b');
});

afterAll(async () => {
  for (const s of sockets) s.close();
  for (const n of nodes) {
    await n.app.close();
    await n.cluster.close();
  }
  await conn?.dropDatabase().catch(() => undefined);
  await conn?.close();
  await redis?.stop();
});

const staff = demo.staffId;
const convener = 'm-he-jun';
const invitee = 'm-song-tao';

async function call(url: string, memberId: string, method: 'POST' | 'DELETE', path: string, body?: unknown) {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await signIn(url, memberId) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function socketOn(node: Node, memberId: string): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, await signIn(node.url, memberId));
  sockets.push(socket);
  return socket;
}

describe('a membership change through one node reaches the room on the other', () => {
  it('a member taken off the list through node b leaves the room owned by node a, and is refused there', async () => {
    const created = await call(b.url, staff, 'POST', '/sessions', {
      topic: '老旧小区加装电梯协商',
      roomId: demo.roomId,
      scheduledAt: '2026-12-20T14:30:00+08:00',
      mode: 'hybrid',
      firstConvenerId: convener,
      agenda: [{ title: '协商讨论', plannedMinutes: 30 }],
      invitees: [{ memberId: invitee, role: 'member' }],
    });
    expect(created.status).toBe(201);
    const sessionId = SessionDetailResponse.parse(created.json).session.id;

    // The member joins on node a, which takes the room's lease; node b never loads it.
    const member = await socketOn(a, invitee);
    await must(member, 'room:join', { sessionId });
    expect(await b.cluster.ownerElsewhere(sessionId)).toEqual(expect.objectContaining({ nodeId: 'node-a' }));

    const gone = new Promise<string>((resolve) => member.once('disconnect', (reason) => resolve(reason)));
    const removed = await call(b.url, staff, 'DELETE', `/sessions/${sessionId}/invitees/${invitee}`);
    expect(removed.status).toBe(200);
    // Sent away by the server, not a dropped connection the client would retry.
    expect(await gone).toBe('io server disconnect');

    const again = await socketOn(a, invitee);
    const ack = await request(again, 'room:join', { sessionId });
    expect(ack.ok ? null : ack.error).toEqual(
      expect.objectContaining({ code: 'FORBIDDEN', message: notInvitedMessage }),
    );
  });
});
