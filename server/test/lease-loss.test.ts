/**
 * A node that loses a room's lease while alive (another node took it: it had been cut off from
 * Redis) disposes of its copy of the room: the registry lets go of it, its timers stop, and it
 * writes nothing more over what the new owner does; if the node takes the lease again later, the
 * room is loaded afresh from the database. Real Redis (from Debian) and the run's database; the
 * two nodes' registries run in this process, each with its own Redis connections.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MemberView, MINUTES_PATH, MinutesCloseCode, minutesDocName } from '@yitang/shared';
import type { Connection } from 'mongoose';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { HallCodes } from '../src/auth/hall-code';
import { type Cluster, createCluster, ownerKey } from '../src/cluster/cluster';
import { LeasedRoomRegistry } from '../src/cluster/leased-registry';
import { connectDatabase } from '../src/db/connect';
import { createModels, ensureIndexes, type Models } from '../src/db/models';
import { createLogger } from '../src/logger';
import { createMemberService } from '../src/members/member.service';
import { createMinutesServer, type MinutesServer } from '../src/minutes/minutes.server';
import { createMinutesStore } from '../src/minutes/minutes.store';
import type { RoomNotice } from '../src/minutes/minutes.writer';
import { createOutcomeRepository } from '../src/outcomes/outcome.repository';
import { createPollRepository } from '../src/polls/poll.repository';
import type { Actor, LiveRoom } from '../src/rooms/live-room';
import { createRoomRepository } from '../src/rooms/room.repository';
import { seedDemo } from '../src/seed/demo';
import type { YitangServer } from '../src/socket/types';
import { createSuggestionRepository } from '../src/suggestions/suggestion.repository';
import {
  demo,
  minutesProvider,
  type RedisServer,
  startRedisServer,
  synced,
  uniqueDbName,
  whenDoc,
} from '../src/testing';

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('leaseloss');
const session = demo.sessionId;
const logger = createLogger('silent');

/** The lease period the nodes use here: renewals every 0.5 s instead of every 5 s. */
const leaseMs = 1_500;

interface Node {
  cluster: Cluster;
  io: YitangServer;
  registry: LeasedRoomRegistry;
  /** What this node's rooms told the minutes writer. */
  notices: RoomNotice[];
  minutes: MinutesServer;
  /** Where the minutes socket of this node listens (editors write as the recorder). */
  minutesUrl: string;
  stopMinutes: () => Promise<void>;
}

/** A minutes socket for `minutes` alone: every editor is let in, as a writer. */
async function serveMinutes(minutes: MinutesServer): Promise<{ url: string; stop: () => Promise<void> }> {
  const http = createHttpServer();
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    const sessionId = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(MINUTES_PATH.length + 1));
    wss.handleUpgrade(req, socket, head, (ws) => {
      minutes.accept(ws, minutesDocName(sessionId), { readonly: false, memberId: demo.recorderId });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    stop: async () => {
      for (const ws of wss.clients) ws.terminate();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

let redis: RedisServer | undefined;
let redisUrl = '';
let conn: Connection;
let models: Models;
const nodes: Node[] = [];

async function startNode(nodeId: string): Promise<Node> {
  const cluster = await createCluster({ redisUrl, nodeId, logger, leaseMs });
  const io: YitangServer = new Server();
  cluster.attach(io);
  // Nobody connects to these nodes: the address only has to be there.
  await cluster.announce('http://127.0.0.1:9');
  const notices: RoomNotice[] = [];
  const registry = new LeasedRoomRegistry(
    {
      io,
      rooms: createRoomRepository(models),
      polls: createPollRepository(models),
      suggestions: createSuggestionRepository(models),
      outcomes: createOutcomeRepository(models),
      logger,
      notify: (notice) => notices.push(notice),
      hallCodes: new HallCodes(randomBytes(32)),
    },
    cluster,
  );
  const minutes = createMinutesServer({ store: createMinutesStore(models), logger });
  cluster.shareMinutes(minutes);
  const socket = await serveMinutes(minutes);
  const node = { cluster, io, registry, notices, minutes, minutesUrl: socket.url, stopMinutes: socket.stop };
  nodes.push(node);
  return node;
}

async function stopNode(node: Node): Promise<void> {
  nodes.splice(nodes.indexOf(node), 1);
  await node.registry.disposeAll();
  await node.minutes.close();
  await node.stopMinutes();
  await node.cluster.close();
}

async function actor(room: LiveRoom, memberId: string): Promise<Actor> {
  const member: MemberView | null = await createMemberService(models).get(memberId);
  const role = member ? room.roleOf(member) : null;
  if (!member || !role) throw new Error(`${memberId} takes no part in ${session}`);
  return { member, role };
}

/** Rewrites the room's lease to `nodeId`, as that node does when it takes an expired lease. */
async function setOwner(nodeId: string, sessionId: string = session): Promise<void> {
  const client = createClient({ url: redisUrl });
  await client.connect();
  await client.set(ownerKey(sessionId), nodeId, { PX: leaseMs * 10 });
  await client.close();
}

async function storedSpeakers() {
  const doc = await models.Session.findById(session).lean();
  return doc?.speakers;
}

beforeAll(async () => {
  redis = await startRedisServer('yitang-lease-loss-');
  redisUrl = redis.url;
  conn = await connectDatabase(mongoUri, dbName);
  models = createModels(conn);
  await ensureIndexes(models);
  await seedDemo(models);
});

afterAll(async () => {
  for (const node of [...nodes]) await stopNode(node);
  await conn?.dropDatabase().catch(() => undefined);
  await conn?.close();
  await redis?.stop();
});

describe('a node whose room is taken by another node while it is alive', () => {
  it('disposes of its copy, which writes nothing more, and loads the room afresh when it gets the lease back', async () => {
    const a = await startNode(`a-${dbName}`);
    const b = await startNode(`b-${dbName}`);

    // Node a owns the room: the session is live, the second convener has the floor (a's
    // countdown runs for the turn), and a poll is open with a ballot counted.
    const old = await a.registry.get(session);
    if (!old) throw new Error('the demo session did not load');
    await old.start();
    const convener = await actor(old, demo.firstConvenerId);
    const speaker = await actor(old, demo.secondConvenerId);
    const recorder = await actor(old, demo.recorderId);
    await old.enter(convener);
    await old.enter(speaker);
    await old.grant(speaker.member.id);
    expect(old.speakerTimerArmed).toBe(true);
    const turn = (await storedSpeakers())?.speaker;
    expect(turn?.memberId).toBe(speaker.member.id);
    expect(a.registry.has(session)).toBe(true);
    const noticesBefore = a.notices.length;

    // Node b takes the lease, as it would once the lease had expired while a was cut off.
    const disposed = once(a.registry, 'disposed');
    await setOwner(b.cluster.nodeId);

    // At its next renewal a lets go of the room: out of its registry, disposed, no countdown.
    expect(await disposed).toEqual([session]);
    expect(a.registry.has(session)).toBe(false);
    expect(old.isDisposed).toBe(true);
    expect(old.speakerTimerArmed).toBe(false);

    // The new owner loads the room from the database (the turn still running there) and
    // changes the queue.
    const fresh = await b.registry.get(session);
    if (!fresh) throw new Error('the new owner did not load the session');
    await fresh.enter(await actor(fresh, demo.recorderId));
    await fresh.raiseHand(recorder.member.id, false);
    const afterB = await storedSpeakers();
    expect(afterB?.speaker?.startedAt).toBe(turn?.startedAt);
    expect(afterB?.queue.map((q) => q.memberId)).toEqual([recorder.member.id]);

    // What the old copy's countdown would do when the turn runs out (end it: record the turn and
    // write its queue) is refused, and so is anything else on it: the session keeps what the new
    // owner wrote, no turn is recorded, the minutes hear nothing from the old copy.
    await expect(old.endSpeech(null)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(old.raiseHand(convener.member.id, false)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(old.enter(recorder)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(old.speakerTimerArmed).toBe(false);
    expect(await storedSpeakers()).toEqual(afterB);
    expect(await models.SpeakingRecord.countDocuments({ sessionId: session })).toBe(0);
    expect(a.notices.length).toBe(noticesBefore);

    // While b holds the lease, a refuses the room and keeps no copy of it.
    await expect(a.registry.get(session)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(a.registry.has(session)).toBe(false);

    // The lease comes back to a (as it would if b were cut off in turn): b lets go of its copy,
    // and a loads a new one from the database, with b's queue and the running turn.
    const bDisposed = once(b.registry, 'disposed');
    await setOwner(a.cluster.nodeId);
    expect(await bDisposed).toEqual([session]);
    expect(fresh.isDisposed).toBe(true);
    const again = await a.registry.get(session);
    if (!again) throw new Error('the session did not load again');
    expect(again).not.toBe(old);
    expect(again.isDisposed).toBe(false);
    expect(again.speakerTimerArmed).toBe(true);
    const queue = await again.raiseHand(convener.member.id, false);
    expect(queue.queue.map((q) => q.memberId)).toEqual([recorder.member.id, convener.member.id]);
    expect(queue.speaker?.startedAt).toBe(turn?.startedAt);
  });

  it('lets go of its minutes copy: editors are cut, what it holds is written, and it stores no snapshot', async () => {
    const sessionId = demo.secondSessionId;
    const doc = minutesDocName(sessionId);
    const a = await startNode(`c-${dbName}`);
    const b = await startNode(`d-${dbName}`);
    await a.cluster.claim(sessionId);

    // Two editors on a's copy; the second sees the first's edit, so a has applied it.
    const first = new Y.Doc();
    const second = new Y.Doc();
    const editors = [
      minutesProvider(a.minutesUrl, sessionId, first, ''),
      minutesProvider(a.minutesUrl, sessionId, second, ''),
    ];
    try {
      await Promise.all(editors.map(synced));
      first.getText('t').insert(0, '会前情况通报');
      await whenDoc(second, () => second.getText('t').toString() === '会前情况通报');
      expect(a.minutes.residentDocuments()).toBe(1);

      // Cut editors go elsewhere (through the relay to the new owner): here they just stop.
      const closes = editors.map(
        (p) =>
          new Promise<number>((resolve) => {
            const onClose = (event: { code: number } | null) => {
              p.off('connection-close', onClose);
              p.disconnect();
              resolve(event?.code ?? 0);
            };
            p.on('connection-close', onClose);
          }),
      );
      const released = new Promise<string>((resolve) => a.minutes.onReleased(resolve));
      await setOwner(b.cluster.nodeId, sessionId);

      expect(await Promise.all(closes)).toEqual([
        MinutesCloseCode.permissionsChanged,
        MinutesCloseCode.permissionsChanged,
      ]);
      expect(await released).toBe(doc);
      expect(a.minutes.residentDocuments()).toBe(0);
      // No snapshot from the old copy (it could be stored over the new owner's and delete its
      // records); the edit is in the log, where the new owner reads it.
      expect(await models.MinutesSnapshot.findById(doc).lean()).toBeNull();
      const stored = await createMinutesStore(models).load(doc);
      const check = new Y.Doc();
      for (const part of stored.parts) Y.applyUpdate(check, part);
      expect(check.getText('t').toString()).toBe('会前情况通报');
    } finally {
      for (const p of editors) p.destroy();
    }
  });
});
