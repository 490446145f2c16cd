/**
 * Two nodes: Redis and nginx (from Debian) and two real server processes on loopback, against
 * this run's database. One room has one owner node; participants who reach either node see the
 * same presence and tally; a member's sockets are reached across nodes; an owner that finds its
 * room taken by the other node (it had been cut off from Redis) lets go of it, and the room's
 * participants come back on the new owner; and after the owner is killed (SIGKILL) its
 * participants reconnect through nginx to the other node and find every acknowledged ballot.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BallotReceipt, MembersResponse, MinutesCloseCode, type PollView } from '@yitang/shared';
import { createClient } from 'redis';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addressKey, ownerKey } from '../src/cluster/cluster';
import { connectDatabase } from '../src/db/connect';
import { createModels } from '../src/db/models';
import {
  type ClientSocket,
  choice,
  demo,
  freePort,
  minutesProvider,
  must,
  next,
  nextReconnect,
  openPoll,
  type RedisServer,
  request,
  signIn,
  startRedisServer,
  synced,
  uniqueDbName,
  whenDoc,
  yesNoPoll,
} from '../src/testing';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../..', import.meta.url));
const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('twonodes');
const session = demo.sessionId;
/** Voters; half reach node a directly, half node b. */
const N = 8;

/** A Debian program the test needs; CI installs it (scripts/setup.sh), so missing is a failure. */
function program(name: string, versionFlag: string): string {
  for (const candidate of [name, `/usr/sbin/${name}`, `/usr/bin/${name}`]) {
    const probe = spawnSync(candidate, [versionFlag], { stdio: 'ignore' });
    if (!probe.error) return candidate;
  }
  throw new Error(
    `the two-nodes test needs ${name}, which is not installed: run scripts/setup.sh --browser ` +
      '(it installs redis-server and nginx from Debian), or apt-get install redis-server nginx',
  );
}

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

/** Spawns a program and resolves once `ready` (given everything it printed so far) holds. */
function launch(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv },
  ready: (output: string) => boolean,
  extraReady?: Promise<void>,
): Promise<Proc> {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = { child, exited, output: () => output };
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (!done && ready(output)) {
        done = true;
        resolve(proc);
      }
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      check();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    void extraReady?.then(() => {
      if (!done) {
        done = true;
        resolve(proc);
      }
    });
    void exited.then(() => {
      if (!done) reject(new Error(`${command} exited before it was ready:\n${output}`));
    });
  });
}

async function stop(proc: Proc | undefined): Promise<void> {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  await proc.exited;
}

interface Node {
  id: string;
  url: string;
  proc: Proc;
}

let dir = '';
let redisUrl = '';
let redis: RedisServer | undefined;
let nginxProc: Proc | undefined;
const nodes = new Map<string, Node>();
let front = '';
const cookies = new Map<string, string>();
let voterIds: string[] = [];
/** A member whose sign-out (through one node) must reach their socket on the other. */
let leaverId = '';
/** A member who casts the first ballot after the kill. */
let lateId = '';
const sockets: ClientSocket[] = [];
const providers: WebsocketProvider[] = [];

/** Runs server/src/main.ts as node `id` with `env` to its exit; resolves with its code and stderr. */
/** Nodes sharing rooms share the secret that seals secret ballots. */
const ballotSecret = 'two-nodes test ballot secret, 32+ chars';

function runToExit(id: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      MONGODB_URI: mongoUri,
      MONGODB_DB: dbName,
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_DEMO: '0',
      REDIS_URL: redisUrl,
      BALLOT_SECRET: ballotSecret,
      NODE_ID: id,
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

async function startNode(id: string, seed: boolean): Promise<Node> {
  const proc = await launch(
    process.execPath,
    ['--import', 'tsx', seed ? 'src/demo-main.ts' : 'src/main.ts'],
    {
      cwd: serverDir,
      env: {
        ...process.env,
        MONGODB_URI: mongoUri,
        MONGODB_DB: dbName,
        PORT: '0',
        HOST: '127.0.0.1',
        SEED_DEMO: seed ? '1' : '0',
        DEMO_LOGIN: '1',
        REDIS_URL: redisUrl,
        BALLOT_SECRET: ballotSecret,
        NODE_ID: id,
        LOG_LEVEL: 'warn',
      },
    },
    (out) => /Yitang is running at \S+/.test(out),
  );
  const url = /Yitang is running at (\S+?)\/?\s/.exec(proc.output())?.[1];
  if (!url) throw new Error(`node ${id} printed no address:\n${proc.output()}`);
  const node = { id, url, proc };
  nodes.set(id, node);
  return node;
}

/** Writes deploy/nginx.conf.template for these nodes and starts nginx; ready once its pid file exists. */
async function startNginx(port: number): Promise<void> {
  const template = readFileSync(path.join(repoDir, 'deploy', 'nginx.conf.template'), 'utf8');
  const servers = [...nodes.values()]
    .map((n) => `        server ${new URL(n.url).host} max_fails=1 fail_timeout=5s;`)
    .join('\n');
  const conf = template
    .replaceAll('@PREFIX@', dir)
    .replaceAll('@LISTEN@', `127.0.0.1:${port}`)
    .replaceAll('@NODES@', servers);
  writeFileSync(path.join(dir, 'nginx.conf'), conf);
  const pidFile = path.join(dir, 'nginx.pid');
  // nginx writes its pid file after it has bound its listening socket.
  const watcher = watch(dir);
  const pidWritten = new Promise<void>((resolve) => {
    watcher.on('change', (_type, name) => {
      if (name === 'nginx.pid' && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '') {
        watcher.close();
        resolve();
      }
    });
  });
  try {
    nginxProc = await launch(
      program('nginx', '-v'),
      ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
      {},
      () => false,
      pidWritten,
    );
  } catch (err) {
    watcher.close();
    const log = existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
    throw new Error(`${String(err)}\n${log}`);
  }
  front = `http://127.0.0.1:${port}`;
}

/**
 * A real socket.io-client; `room` goes in the handshake the way the browser client sends it.
 * `retry` connects the way the browser does after losing its node: a failed attempt (the node
 * just died, and Redis has not yet seen its connection close) is tried again by the client.
 */
function connect(url: string, memberId: string, room: string | null = session, retry = false): Promise<ClientSocket> {
  const cookie = cookies.get(memberId);
  if (!cookie) throw new Error(`no cookie for ${memberId}`);
  const socket: ClientSocket = ioClient(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: retry,
    extraHeaders: { cookie },
    query: room ? { room } : {},
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.on('connect_error', (err) => {
      // Refused by the server itself (not a failed transport): the client would not retry.
      if (retry && socket.active) return;
      socket.close();
      reject(err);
    });
  });
}

async function joined(url: string, memberId: string, retry = false, room: string = session): Promise<ClientSocket> {
  const socket = await connect(url, memberId, room, retry);
  await must(socket, 'room:join', { sessionId: room });
  return socket;
}

function nth<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`no item ${i}`);
  return item;
}

const disconnected = (socket: ClientSocket) =>
  new Promise<string>((resolve) => {
    if (socket.disconnected) resolve('already');
    else socket.once('disconnect', (reason) => resolve(reason));
  });

async function ownerOfRoom(room: string = session): Promise<string> {
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  try {
    const owner = await redis.get(ownerKey(room));
    if (!owner) throw new Error('nobody holds the room lease');
    return owner;
  } finally {
    await redis.close();
  }
}

beforeAll(async () => {
  program('nginx', '-v');
  dir = mkdtempSync(path.join(tmpdir(), 'yitang-two-nodes-'));
  redis = await startRedisServer('yitang-two-nodes-redis-');
  redisUrl = redis.url;
  // Node a seeds the demo data; b starts on the same database once that is done.
  const a = await startNode('a', true);
  await startNode('b', false);
  await startNginx(await freePort());

  const { members } = MembersResponse.parse(await (await fetch(`${front}/api/auth/demo-identities`)).json());
  const others = members.filter((m) => m.kind === 'member' && m.id !== demo.firstConvenerId).map((m) => m.id);
  voterIds = others.slice(0, N);
  leaverId = others[N] ?? '';
  lateId = others[N + 1] ?? '';
  expect(voterIds).toHaveLength(N);
  expect(leaverId && lateId).toBeTruthy();
  // Sign-in sessions live in the database: a cookie from one node is good on the other.
  for (const id of [demo.firstConvenerId, demo.recorderId, ...voterIds, leaverId, lateId]) {
    cookies.set(id, await signIn(nodes.get(cookies.size % 2 ? 'b' : 'a')?.url ?? a.url, id));
  }
}, 120_000);

/** The stock y-websocket provider on the minutes socket of this session, as `memberId`. */
function minutes(url: string, memberId: string, room: string = session): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = minutesProvider(url, room, doc, cookies.get(memberId) ?? '');
  providers.push(provider);
  return { doc, provider };
}

const mark = (doc: Y.Doc) => doc.getMap<string>('two-nodes');

afterAll(async () => {
  for (const p of providers.splice(0)) p.destroy();
  for (const s of sockets.splice(0)) s.close();
  await stop(nginxProc);
  await Promise.all([...nodes.values()].map((n) => stop(n.proc)));
  await redis?.stop();
  const conn = await connectDatabase(mongoUri, dbName);
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('two nodes behind nginx, with Redis', () => {
  let poll: PollView;
  let ballots: Array<{ pollId: string; ballotId: string; content: ReturnType<typeof choice> }> = [];
  let receipts: BallotReceipt[] = [];
  let ownerId = '';
  let otherId = '';
  /** The convener's minutes editor, connected to the node that does not own the room. */
  let atOther: { doc: Y.Doc; provider: WebsocketProvider };

  it('gives a room one owner, whose presence and tally participants see through either node', async () => {
    // The convener comes in through nginx; whichever node nginx picks takes the room's lease.
    const convener = await joined(front, demo.firstConvenerId);
    const started = await request(convener, 'session:start', {});
    expect(started.ok || (!started.ok && started.error.code === 'ILLEGAL_TRANSITION')).toBe(true);
    ownerId = await ownerOfRoom();
    otherId = ownerId === 'a' ? 'b' : 'a';
    const owner = nodes.get(ownerId);
    const other = nodes.get(otherId);
    if (!owner || !other) throw new Error('two nodes expected');

    // A client that names no room in its handshake, straight at the other node: that node
    // will not load a second copy of the room.
    const stray = await connect(other.url, voterIds[0] ?? '', null);
    expect(await request(stray, 'room:join', { sessionId: session })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    stray.close();

    // Half the voters reach the owner directly, half the other node; all of them are in the room.
    const voters = await Promise.all(voterIds.map((id, i) => joined((i % 2 ? other : owner).url, id)));
    const views = await Promise.all(
      [convener, nth(voters, 0), nth(voters, 1)].map((s) => must(s, 'room:snapshot', {})),
    );
    for (const view of views) {
      const online = view.presence.filter((p) => p.online).map((p) => p.memberId);
      expect(online).toEqual(expect.arrayContaining([demo.firstConvenerId, ...voterIds]));
    }
    expect(new Set(views.map((v) => JSON.stringify(v.presence.map((p) => p.memberId).sort()))).size).toBe(1);

    // One poll, every voter votes; a socket on each node sees the full tally.
    poll = await openPoll(convener, yesNoPoll('两节点:南门小吃街整治方案'));
    const full = (s: ClientSocket) => next(s, 'poll:tally', (f) => f.pollId === poll.id && f.ballots === N);
    const seen = Promise.all([full(convener), full(nth(voters, 0)), full(nth(voters, 1))]);
    ballots = voterIds.map((_, i) => ({
      pollId: poll.id,
      ballotId: randomUUID(),
      content: choice(i % 3 === 0 ? 'no' : 'yes'),
    }));
    receipts = await Promise.all(voters.map((s, i) => must(s, 'vote:cast', nth(ballots, i))));
    const frames = await seen;
    for (const frame of frames) expect(frame.tally).toEqual(frames[0]?.tally);
    expect(frames[0]?.tally).toMatchObject({ ballots: N });
    expect(await ownerOfRoom()).toBe(ownerId);

    // The minutes document has the same single owner: an editor who reaches the other node is
    // passed through to it, and edits the document the recorder has open there.
    atOther = minutes(other.url, demo.firstConvenerId);
    const atOwner = minutes(owner.url, demo.recorderId);
    await Promise.all([synced(atOther.provider), synced(atOwner.provider)]);
    mark(atOther.doc).set('written', 'through the other node');
    await whenDoc(atOwner.doc, () => mark(atOwner.doc).get('written') === 'through the other node');
    atOwner.provider.destroy();
    expect(await ownerOfRoom()).toBe(ownerId);
  });

  it('reaches a member’s sockets on one node from the other (the Redis adapter)', async () => {
    const owner = nodes.get(ownerId);
    const other = nodes.get(otherId);
    if (!owner || !other) throw new Error('two nodes expected');
    // Live room on the owner, minutes passed through from the other node; signs out through the
    // other node: both are closed.
    const socket = await joined(owner.url, leaverId);
    const gone = disconnected(socket);
    const reader = minutes(other.url, leaverId);
    await synced(reader.provider);
    const closed = new Promise<number>((resolve) => {
      reader.provider.on('connection-close', (event) => {
        if (event) resolve(event.code);
      });
    });
    const res = await fetch(`${other.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: cookies.get(leaverId) ?? '' },
    });
    expect(res.ok).toBe(true);
    expect(await gone).toBe('io server disconnect');
    expect(await closed).toBe(MinutesCloseCode.signedOut);
    reader.provider.destroy();
  });

  it('refuses to start, saying why in one line, when Redis is unreachable or the NODE_ID is taken', async () => {
    // Two more server processes starting: slow on a busy machine, hence the longer time limit.
    const [unreachable, taken] = await Promise.all([
      runToExit('c', { REDIS_URL: `redis://127.0.0.1:${await freePort()}` }),
      runToExit(otherId, {}),
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^yitang: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ \(REDIS_URL\)/);
    expect(taken.code).toBe(1);
    expect(taken.stderr.trim()).toBe(`yitang: another running server already uses NODE_ID=${otherId}`);
  }, 120_000);

  it('when another node has taken a room from its live owner, the old owner lets it go at its next renewal and its participants come back on the new owner', async () => {
    // A second session, so the first one's owner and sockets stay as they are for the next test.
    const room = demo.secondSessionId;
    // The economy group's session admits its invitees only; this test's voters are any members, so
    // staff open it to all members first (as for a plenary), through the sessions API.
    const opened = await fetch(`${front}/api/sessions/${room}`, {
      method: 'PATCH',
      headers: { cookie: await signIn(front, demo.staffId), 'content-type': 'application/json' },
      body: JSON.stringify({ openToAll: true }),
    });
    expect(opened.status).toBe(200);
    const mine: ClientSocket[] = [];
    /** Sockets that stay connected to the new owner throughout. */
    const staying: ClientSocket[] = [];
    const editors: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];
    try {
      // Everyone has reconnection on, as in the browser. The convener comes in through nginx,
      // and the node nginx picks for this room takes its lease.
      const convener = await joined(front, demo.firstConvenerId, true, room);
      mine.push(convener);
      expect((await request(convener, 'session:start', {})).ok).toBe(true);
      const oldId = await ownerOfRoom(room);
      const newId = oldId === 'a' ? 'b' : 'a';
      const oldNode = nodes.get(oldId);
      const newNode = nodes.get(newId);
      if (!oldNode || !newNode) throw new Error('two nodes expected');

      // Voters through nginx, straight to the owner, and straight to the other node (passed
      // through to the owner); one more has connected to the owner naming the room, not joined.
      const early = voterIds.slice(0, 6);
      const [lateVoter, waitingId] = [nth(voterIds, 6), nth(voterIds, 7)];
      const voters = await Promise.all(
        early.map((id, i) => joined(i === 4 ? oldNode.url : i === 5 ? newNode.url : front, id, true, room)),
      );
      mine.push(...voters);
      const waiting = await connect(oldNode.url, waitingId, room, true);
      mine.push(waiting);

      const poll = await openPoll(convener, yesNoPoll('两节点:创新资源共享平台建设方案'));
      const counted = next(convener, 'poll:tally', (f) => f.pollId === poll.id && f.ballots === early.length);
      const ballots = early.map((_, i) => ({
        pollId: poll.id,
        ballotId: randomUUID(),
        content: choice(i % 2 ? 'yes' : 'no'),
      }));
      const receipts = await Promise.all(voters.map((s, i) => must(s, 'vote:cast', nth(ballots, i))));
      await counted;

      // Two minutes editors: the convener through nginx, the recorder passed through the other node.
      const writer = minutes(front, demo.firstConvenerId, room);
      const reader = minutes(newNode.url, demo.recorderId, room);
      editors.push(writer, reader);
      await Promise.all([synced(writer.provider), synced(reader.provider)]);
      mark(writer.doc).set('before', '接管前写下的内容');
      await whenDoc(reader.doc, () => mark(reader.doc).get('before') === '接管前写下的内容');
      expect(await ownerOfRoom(room)).toBe(oldId);

      // The old owner is cut off; its lease expires and the other node takes the room, as
      // the claim script would: the lease now names the other node.
      const dropped = Promise.all(mine.map(disconnected));
      const back = mine.map((s) => new Promise<void>((resolve) => s.once('connect', () => resolve())));
      const editorsBack = editors.map((e) => nextReconnect(e.provider));
      const redis = createClient({ url: redisUrl });
      await redis.connect();
      try {
        await redis.set(ownerKey(room), newId, { PX: 15_000 });
      } finally {
        await redis.close();
      }

      // Meanwhile a participant reaches the new owner directly, which serves the room from now
      // on. Every sequenced frame it gets must be that room's, in order: the old owner still has
      // its copy of the room in memory, and must not be heard from again.
      const first = await connect(newNode.url, lateId, room, true);
      staying.push(first);
      const seqs: number[] = [];
      first.onAny((_event: string, payload: unknown) => {
        if (typeof payload === 'object' && payload !== null && 'seq' in payload && typeof payload.seq === 'number') {
          seqs.push(payload.seq);
        }
      });
      const joinedAt = (await must(first, 'room:join', { sessionId: room })).seq;

      // At its next renewal the old owner finds the lease taken and drops every connection of
      // the room: a lost connection (not a sending-away), so the clients reconnect by themselves.
      expect(await dropped).toEqual(mine.map(() => 'transport close'));
      await Promise.all(back);
      await Promise.all(mine.map((s) => must(s, 'room:join', { sessionId: room })));
      expect(await ownerOfRoom(room)).toBe(newId);

      // The new owner rebuilt the room: everyone present, every acknowledged ballot there.
      const views = await Promise.all(mine.map((s) => must(s, 'room:snapshot', {})));
      for (const view of views) {
        const online = view.presence.filter((p) => p.online).map((p) => p.memberId);
        expect(online).toEqual(expect.arrayContaining([demo.firstConvenerId, ...early, waitingId]));
        const rebuilt = view.polls.find((p) => p.id === poll.id);
        expect(rebuilt).toMatchObject({ stage: 'open', ballots: early.length });
        expect([...(rebuilt?.voters ?? [])].sort()).toEqual([...early].sort());
      }
      // Frames sent before a snapshot's answer arrive before it, on the same connection.
      const upTo = (await must(first, 'room:snapshot', {})).seq;
      const expected = Array.from({ length: upTo - joinedAt }, (_, i) => joinedAt + 1 + i);
      expect(seqs.filter((seq) => seq > joinedAt).slice(0, expected.length)).toEqual(expected);
      const again = await Promise.all(voters.map((s, i) => request(s, 'vote:cast', nth(ballots, i))));
      expect(again).toEqual(receipts.map((data) => ({ ok: true, data })));

      // A new ballot, through nginx and the old node's pass-through: seen by all, stored once.
      const late = await joined(front, lateVoter, true, room);
      mine.push(late);
      const seen = Promise.all(
        [convener, nth(voters, 4), nth(voters, 5)].map((s) =>
          next(s, 'poll:tally', (f) => f.pollId === poll.id && f.ballots === early.length + 1),
        ),
      );
      const lateBallot = { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') };
      const lateReceipt = await must(late, 'vote:cast', lateBallot);
      await seen;
      expect(await request(late, 'vote:cast', lateBallot)).toEqual({ ok: true, data: lateReceipt });
      const conn = await connectDatabase(mongoUri, dbName);
      try {
        const { Ballot } = createModels(conn);
        expect(await Ballot.countDocuments({ pollId: poll.id })).toBe(early.length + 1);
        expect(await Ballot.countDocuments({ pollId: poll.id, voterId: lateVoter })).toBe(1);
      } finally {
        await conn.close();
      }

      // The minutes editors reconnected by themselves, to the new owner: the text written
      // before is there, for them and for an editor who comes in now; edits go between them.
      await Promise.all(editorsBack);
      expect(mark(writer.doc).get('before')).toBe('接管前写下的内容');
      const fresh = minutes(front, demo.recorderId, room);
      editors.push(fresh);
      await synced(fresh.provider);
      await whenDoc(fresh.doc, () => mark(fresh.doc).get('before') === '接管前写下的内容');
      mark(reader.doc).set('after', '接管后');
      await whenDoc(writer.doc, () => mark(writer.doc).get('after') === '接管后');

      // The old node never serves the room again: a join there that names no room is refused.
      const stray = await connect(oldNode.url, demo.firstConvenerId, null);
      mine.push(stray);
      expect(await request(stray, 'room:join', { sessionId: room })).toMatchObject({
        ok: false,
        error: { code: 'UNAVAILABLE' },
      });
      expect(await ownerOfRoom(room)).toBe(newId);
    } finally {
      for (const e of editors) e.provider.destroy();
      for (const s of [...mine, ...staying]) s.close();
    }
  }, 60_000);

  it('after the owner is killed, its participants reconnect through nginx to the other node and lose no acknowledged ballot', async () => {
    const owner = nodes.get(ownerId);
    if (!owner) throw new Error('two nodes expected');
    const live = sockets.filter((s) => s.connected);
    const allDropped = Promise.all(live.map(disconnected));
    const minutesBack = nextReconnect(atOther.provider);
    owner.proc.child.kill('SIGKILL');
    await owner.proc.exited;
    expect(owner.proc.child.signalCode).toBe('SIGKILL');
    // Every socket of the room was served by the owner (directly or passed through the other
    // node), so every one of them drops.
    await allDropped;
    nodes.delete(ownerId);

    // Everyone comes back through nginx, which now finds only the other node.
    const convener = await joined(front, demo.firstConvenerId, true);
    expect(await ownerOfRoom()).toBe(otherId);
    const voters = await Promise.all(voterIds.map((id) => joined(front, id, true)));
    const rebuilt = (await must(convener, 'room:snapshot', {})).polls.find((p) => p.id === poll.id);
    expect(rebuilt).toMatchObject({ stage: 'open', ballots: N });
    expect([...(rebuilt?.voters ?? [])].sort()).toEqual([...voterIds].sort());

    // Re-sent ballots (the client re-sends any it has no ack for) get the same receipts.
    const again = await Promise.all(voters.map((s, i) => request(s, 'vote:cast', nth(ballots, i))));
    expect(again).toEqual(receipts.map((data) => ({ ok: true, data })));

    // A new voter after the failover: everyone sees N + 1.
    const late = await joined(front, lateId);
    const seen = next(nth(voters, 0), 'poll:tally', (f) => f.pollId === poll.id && f.ballots === N + 1);
    await must(late, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') });
    expect((await seen).ballots).toBe(N + 1);

    // The minutes moved with the room: the editor that was passed through reconnected by itself,
    // a new one comes in through nginx; both have the document, and each other's edits.
    await minutesBack;
    const fresh = minutes(front, demo.recorderId);
    await synced(fresh.provider);
    expect(mark(fresh.doc).get('written')).toBe('through the other node');
    mark(fresh.doc).set('after', 'the failover');
    await whenDoc(atOther.doc, () => mark(atOther.doc).get('after') === 'the failover');

    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    const no = voterIds.filter((_, i) => i % 3 === 0).length;
    expect(closed.tally).toMatchObject({ ballots: N + 1, yes: N + 1 - no, no });

    const conn = await connectDatabase(mongoUri, dbName);
    try {
      expect(await createModels(conn).Ballot.countDocuments({ pollId: poll.id })).toBe(N + 1);
    } finally {
      await conn.close();
    }
  });

  it('writes its address again at the next renewal when Redis has lost it (a restart without its data)', async () => {
    const survivor = nodes.get(otherId);
    if (!survivor) throw new Error('the surviving node is gone');
    // If no write comes, what the node logged (it logs a failed write) says why.
    onTestFailed(() => {
      console.error(`node ${otherId} printed:\n${survivor.proc.output().slice(-4000)}`);
    });
    const redis = createClient({ url: redisUrl });
    const watcher = redis.duplicate();
    await Promise.all([redis.connect(), watcher.connect()]);
    try {
      const key = addressKey(otherId);
      const address = await redis.get(key);
      expect(address).toMatch(/^127\.0\.0\.1 \d+$/);
      // Keyspace notifications tell the test when the node writes the key: no polling. They come
      // in the order Redis ran the commands, so only a write seen after the deletion counts (a
      // renewal's write may land between the subscription and the deletion).
      await redis.configSet('notify-keyspace-events', 'Kg$');
      let wrote: () => void = () => undefined;
      const written = new Promise<void>((resolve) => {
        wrote = resolve;
      });
      let deleted = false;
      await watcher.subscribe(`__keyspace@0__:${key}`, (event) => {
        if (event === 'del') deleted = true;
        else if (event === 'set' && deleted) wrote();
      });
      // A node that died meanwhile never writes again: say so with what it printed. (Its exit
      // in afterAll, after this race is over, is no failure.)
      const died = new Promise<never>((_, reject) => {
        void survivor.proc.exited.then(() => reject(new Error(`node ${otherId} exited:\n${survivor.proc.output()}`)));
      });
      died.catch(() => undefined);
      await redis.del(key);
      await Promise.race([written, died]);
      expect(await redis.get(key)).toBe(address);
    } finally {
      await Promise.all([redis.close(), watcher.close()]);
    }
  });
});
