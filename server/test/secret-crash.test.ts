/**
 * Acknowledged means counted, across kill -9 at any point of a burst. The real server process is
 * killed again and again while many voters' ballots are in flight. It reaches the database
 * through a relay in this test that reads each command and, at the chosen write, kills the
 * server before passing the write on: so the kill lands between any two writes the server makes,
 * also between the writes of one ballot. Most voters re-send on the next process, some come
 * back only after the poll is closed. At close the number of voters and the
 * number of ballots agree, every acknowledged ballot is in the tally, and a late re-send is
 * acknowledged exactly when its ballot was counted.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BallotContent } from '@yitang/shared';
import { BSON } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../src/db/connect';
import { createModels } from '../src/db/models';
import {
  type ClientSocket,
  choice,
  connectSocket,
  demo,
  must,
  openPoll,
  request,
  signIn,
  uniqueDbName,
  yesNoPoll,
} from '../src/testing';
import { type ServerProcess, startServerProcess } from '../src/testing/process';

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('burst');
const N = 150;
/** Each round kills the server just before the database would receive this write of the round. */
const killAtWrite = [2, 3, 2, 4, 3, 2];

let dataDir = '';
let proc: ServerProcess | undefined;

/**
 * A relay between the server process and the database that reads the commands (OP_MSG) the
 * server sends. Once armed with n, it holds back the n-th write command from then on, kills the
 * server, and resolves `killed`: the database never sees that write or any after it.
 */
class KillingRelay {
  private server: Server | null = null;
  private readonly links = new Set<Socket>();
  private target = 0;
  private writes = 0;
  private onKill: (() => void) | null = null;
  port = 0;

  constructor(
    private readonly upstream: { host: string; port: number },
    private readonly kill: () => void,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const db = createConnection(this.upstream);
      this.links.add(client).add(db);
      const drop = () => {
        client.destroy();
        db.destroy();
        this.links.delete(client);
        this.links.delete(db);
      };
      client.on('error', drop).on('close', drop);
      db.on('error', drop).on('close', drop);
      db.on('data', (chunk) => client.write(chunk));
      let pending = Buffer.alloc(0);
      client.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4) {
          const size = pending.readInt32LE(0);
          if (pending.length < size) break;
          const message = pending.subarray(0, size);
          pending = pending.subarray(size);
          if (this.holdsBack(message)) {
            drop();
            return;
          }
          db.write(message);
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** Resolves once the server was killed just before the n-th write from now. */
  arm(n: number): Promise<void> {
    this.writes = 0;
    this.target = n;
    return new Promise((resolve) => {
      this.onKill = resolve;
    });
  }

  /** Kills now, whatever was counted (a round whose ballots all got through first). */
  killNow(): void {
    this.fire();
  }

  private fire(): void {
    this.target = 0;
    this.kill();
    const done = this.onKill;
    this.onKill = null;
    done?.();
  }

  private holdsBack(message: Buffer): boolean {
    if (this.target === 0) return false;
    const opCode = message.readInt32LE(12);
    // OP_MSG: header (16), flags (4), then sections; a kind-0 section holds the command.
    if (opCode !== 2013 || message.readUInt8(20) !== 0) return false;
    const bodySize = message.readInt32LE(21);
    const command = BSON.deserialize(message.subarray(21, 21 + bodySize));
    const name = Object.keys(command)[0] ?? '';
    if (!['insert', 'update', 'delete', 'findAndModify'].includes(name)) return false;
    this.writes += 1;
    if (this.writes < this.target) return false;
    this.fire();
    return true;
  }

  async close(): Promise<void> {
    for (const s of this.links) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

let relay: KillingRelay;

/** Starts server/src/main.ts the way a user does, on a free port, against this file's database. */
function startProcess(): Promise<ServerProcess> {
  return startServerProcess({
    MONGODB_URI: relayedUri(),
    MONGODB_DB: dbName,
    YITANG_DATA_DIR: dataDir,
    SEED_DEMO: '1',
  });
}

const running = (): ServerProcess => {
  if (!proc) throw new Error('no server process');
  return proc;
};

const cookies = new Map<string, string>();
const sockets: ClientSocket[] = [];
const voterIds = Array.from({ length: N }, (_, i) => `m-burst-${String(i).padStart(3, '0')}`);

async function join(memberId: string): Promise<ClientSocket> {
  const cookie = cookies.get(memberId);
  if (!cookie) throw new Error(`no cookie for ${memberId}`);
  const socket = await connectSocket(running().url, cookie);
  sockets.push(socket);
  await must(socket, 'room:join', { sessionId: demo.sessionId });
  return socket;
}

function closeSockets(): void {
  for (const s of sockets.splice(0)) s.close();
}

/** Waits for the process the relay killed. */
async function killed(): Promise<void> {
  const p = running();
  await p.exited;
  expect(p.child.signalCode).toBe('SIGKILL');
  closeSockets();
}

/** The database's address with the relay's port. */
function relayedUri(): string {
  const url = new URL(mongoUri);
  url.host = `127.0.0.1:${relay.port}`;
  return url.toString();
}

beforeAll(async () => {
  const db = new URL(mongoUri);
  relay = new KillingRelay({ host: db.hostname, port: Number(db.port || 27017) }, () => proc?.child.kill('SIGKILL'));
  await relay.start();
  dataDir = await mkdtemp(path.join(tmpdir(), 'yitang-burst-'));
  // A committee bigger than the demo's: the members exist before the first start.
  const conn = await connectDatabase(mongoUri, dbName);
  try {
    await createModels(conn).Member.insertMany(
      voterIds.map((id, i) => ({
        _id: id,
        committeeId: demo.committeeId,
        name: `委员${i}`,
        kind: 'member' as const,
        sectorId: null,
        title: '委员',
        expertise: [],
        // Demo sign-in (no password) enters only accounts marked as demo ones.
        demo: true,
      })),
    );
  } finally {
    await conn.close();
  }
  proc = await startProcess();
  // Sign-in sessions live in the database: the same cookies serve every later process.
  for (const id of [demo.firstConvenerId, ...voterIds]) cookies.set(id, await signIn(running().url, id));
  await must(await join(demo.firstConvenerId), 'session:start', {});
  closeSockets();
}, 300_000);

afterAll(async () => {
  closeSockets();
  if (proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
  const conn = await connectDatabase(mongoUri, dbName);
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await relay.close();
});

const choices = ['yes', 'no', 'abstain'] as const;
const choiceOf = (i: number) => choices[(i * 7) % choices.length] ?? 'yes';
/** Of the voters caught in flight by a kill, these come back only after the close. */
const isLate = (i: number) => i % 3 === 0;
/** Ballots sent and not yet answered at any moment of a burst. */
const inFlight = 24;

describe.each([
  { kind: 'secret', secret: true },
  { kind: 'named', secret: false },
])('a $kind poll killed again and again during a burst', ({ secret }) => {
  it('counts every acknowledged ballot, and at close voters and ballots agree', async () => {
    proc ??= await startProcess();
    const convener = await join(demo.firstConvenerId);
    const poll = await openPoll(convener, yesNoPoll(secret ? '无记名:连续崩溃' : '记名:连续崩溃', { secret }));
    closeSockets();
    const ballots = voterIds.map((_, i) => ({
      pollId: poll.id,
      ballotId: randomUUID(),
      content: choice(choiceOf(i)) satisfies BallotContent,
    }));
    const acked = new Set<number>();
    /** Answers that are not the voter's receipt (none expected: every ballot here is valid). */
    const problems: string[] = [];

    const late = new Set<number>();
    for (const n of killAtWrite) {
      const senders = voterIds.map((_, i) => i).filter((i) => !acked.has(i) && !late.has(i));
      const voters = await Promise.all(senders.map((i) => join(voterIds[i] ?? '')));
      // A steady stream: `inFlight` ballots sent at a time, the next one on each answer, so at
      // the kill (just before the n-th write of this round) ballots are at every stage between
      // sent and written.
      const sent: number[] = [];
      const kill = relay.arm(n);
      let nextIndex = 0;
      let answered = 0;
      const send = () => {
        const j = nextIndex;
        nextIndex += 1;
        const i = senders[j];
        const socket = voters[j];
        const ballot = i === undefined ? undefined : ballots[i];
        if (i === undefined || !socket || !ballot) return;
        sent.push(i);
        void request(socket, 'vote:cast', ballot).then((res) => {
          if (!res.ok || res.data.ballotId !== ballot.ballotId || res.data.paper) {
            problems.push(`${voterIds[i]}: ${JSON.stringify(res)}`);
          } else acked.add(i);
          answered += 1;
          if (answered === senders.length) relay.killNow();
          send();
        });
      };
      for (let k = 0; k < inFlight; k += 1) send();
      if (senders.length === 0) relay.killNow();
      await kill;
      await killed();
      // Some of those caught in flight come back only after the close.
      for (const i of sent) if (!acked.has(i) && isLate(i)) late.add(i);
      proc = await startProcess();
    }

    // The last process: every prompt voter without an acknowledgement re-sends and is answered.
    const prompt = voterIds.map((_, i) => i).filter((i) => !acked.has(i) && !late.has(i));
    const again = await Promise.all(prompt.map((i) => join(voterIds[i] ?? '')));
    const resent = await Promise.all(
      prompt.map((i, j) => {
        const socket = again[j];
        const ballot = ballots[i];
        if (!socket || !ballot) throw new Error('one ballot per voter');
        return request(socket, 'vote:cast', ballot);
      }),
    );
    for (const [j, res] of resent.entries()) {
      expect(res).toMatchObject({ ok: true });
      acked.add(prompt[j] ?? -1);
    }

    const closed = await must(await join(demo.firstConvenerId), 'poll:close', { pollId: poll.id });

    // The late voters come back after the close and re-send the same ballot.
    const lateOnes = [...late];
    const lateSockets = await Promise.all(lateOnes.map((i) => join(voterIds[i] ?? '')));
    const lateAnswers = await Promise.all(
      lateOnes.map((i, j) => {
        const socket = lateSockets[j];
        const ballot = ballots[i];
        if (!socket || !ballot) throw new Error('one ballot per voter');
        return request(socket, 'vote:cast', ballot);
      }),
    );

    const voted = new Set(closed.voters);
    const tally = closed.tally;
    if (tally?.kind !== 'yesno') throw new Error('a yes/no poll closes with a yes/no tally');
    // Voted and counted agree, and the sums are exactly those of the voters listed.
    expect(closed.voters).toHaveLength(tally.ballots);
    expect(closed.ballots).toBe(tally.ballots);
    const listed = voterIds.map((_, i) => i).filter((i) => voted.has(voterIds[i] ?? ''));
    expect(listed).toHaveLength(voted.size);
    const count = (c: (typeof choices)[number]) => listed.filter((i) => choiceOf(i) === c).length;
    expect(tally).toMatchObject({ yes: count('yes'), no: count('no'), abstain: count('abstain') });
    // Every acknowledgement, before or after the close, is a counted ballot; a late ballot that
    // was not counted is refused as closed.
    for (const i of acked) expect(voted.has(voterIds[i] ?? ''), `${voterIds[i]} acknowledged`).toBe(true);
    for (const [j, res] of lateAnswers.entries()) {
      const id = voterIds[lateOnes[j] ?? -1] ?? '';
      if (res.ok) expect(voted.has(id), `${id} acknowledged after the close`).toBe(true);
      else {
        expect(res.error.code).toBe('POLL_CLOSED');
        expect(voted.has(id), `${id} refused after the close`).toBe(false);
      }
    }
    expect(problems).toEqual([]);
    // The kills caught ballots in flight, and some of their voters came back late.
    expect(late.size).toBeGreaterThan(0);
    closeSockets();
  }, 600_000);
});
