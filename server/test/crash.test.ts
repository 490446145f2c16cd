/**
 * kill -9: the real server process dies with ballots acknowledged; a new process on the same
 * database knows every one of them, recognises their re-sends, and counts each exactly once.
 */
import { randomUUID } from 'node:crypto';
import { type BallotReceipt, MembersResponse } from '@yitang/shared';
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
const dbName = uniqueDbName('crash');
const N = 12;

/** Starts server/src/main.ts the way a user does, on a free port, against this file's database. */
function startProcess(): Promise<ServerProcess> {
  return startServerProcess({
    MONGODB_URI: mongoUri,
    MONGODB_DB: dbName,
    SEED_DEMO: '1',
  });
}

let proc: ServerProcess;
const cookies = new Map<string, string>();
let voterIds: string[] = [];
const sockets: ClientSocket[] = [];

async function join(memberId: string): Promise<ClientSocket> {
  const cookie = cookies.get(memberId);
  if (!cookie) throw new Error(`no cookie for ${memberId}`);
  const socket = await connectSocket(proc.url, cookie);
  sockets.push(socket);
  await must(socket, 'room:join', { sessionId: demo.sessionId });
  return socket;
}

function closeSockets(): void {
  for (const s of sockets.splice(0)) s.close();
}

async function kill9(): Promise<void> {
  proc.child.kill('SIGKILL');
  await proc.exited;
  expect(proc.child.signalCode).toBe('SIGKILL');
}

beforeAll(async () => {
  proc = await startProcess();
  const { members } = MembersResponse.parse(await (await fetch(`${proc.url}/api/auth/demo-identities`)).json());
  voterIds = members
    .filter((m) => m.kind === 'member' && m.id !== demo.firstConvenerId)
    .map((m) => m.id)
    .slice(0, N);
  expect(voterIds).toHaveLength(N);
  // Sign-in sessions live in the database: the same cookies serve the restarted process.
  for (const id of [demo.firstConvenerId, ...voterIds]) cookies.set(id, await signIn(proc.url, id));
  const convener = await join(demo.firstConvenerId);
  await must(convener, 'session:start', {});
  closeSockets();
}, 120_000);

afterAll(async () => {
  closeSockets();
  // Undefined only when the first start failed.
  if (proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
  const conn = await connectDatabase(mongoUri, dbName);
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

const choices = ['yes', 'no', 'abstain'] as const;
const choiceOf = (i: number) => choices[i % choices.length] ?? 'yes';

describe.each([
  { kind: 'named', secret: false },
  { kind: 'secret', secret: true },
])('a $kind poll across a kill -9', ({ secret }) => {
  it(`keeps all ${N} acknowledged ballots, recognises their re-sends and counts each once`, async () => {
    // Before the crash: N ballots, every one acknowledged.
    const convener = await join(demo.firstConvenerId);
    const poll = await openPoll(convener, yesNoPoll(secret ? '无记名:整治方案' : '记名:整治方案', { secret }));
    const voters = await Promise.all(voterIds.map(join));
    const ballots = voterIds.map((_, i) => ({ pollId: poll.id, ballotId: randomUUID(), content: choice(choiceOf(i)) }));
    const receipts: BallotReceipt[] = await Promise.all(
      voters.map((socket, i) => {
        const ballot = ballots[i];
        if (!ballot) throw new Error('one ballot per voter');
        return must(socket, 'vote:cast', ballot);
      }),
    );
    expect(receipts.map((r) => r.ballotId)).toEqual(ballots.map((b) => b.ballotId));

    await kill9();
    closeSockets();
    proc = await startProcess();

    // After: the rebuilt room shows every ballot, the poll still open.
    const convener2 = await join(demo.firstConvenerId);
    const rebuilt = (await must(convener2, 'room:snapshot', {})).polls.find((p) => p.id === poll.id);
    expect(rebuilt).toMatchObject({ stage: 'open', ballots: N });
    expect([...(rebuilt?.voters ?? [])].sort()).toEqual([...voterIds].sort());

    const again = await Promise.all(voterIds.map(join));
    // The same ballots re-sent (same ballotIds): the same receipts.
    const resent = await Promise.all(
      again.map((socket, i) => {
        const ballot = ballots[i];
        if (!ballot) throw new Error('one ballot per voter');
        return request(socket, 'vote:cast', ballot);
      }),
    );
    expect(resent).toEqual(receipts.map((data) => ({ ok: true, data })));

    // A new ballot from one of them: refused.
    const first = again[0];
    if (!first) throw new Error('no voters');
    expect(
      await request(first, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('no') }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });

    // Closed: exactly N, with the choices as cast.
    const closed = await must(convener2, 'poll:close', { pollId: poll.id });
    const count = (c: 'yes' | 'no' | 'abstain') => voterIds.filter((_, i) => choiceOf(i) === c).length;
    expect(closed.ballots).toBe(N);
    expect(closed.tally).toMatchObject({ ballots: N, yes: count('yes'), no: count('no'), abstain: count('abstain') });
    expect(closed.voters).toHaveLength(N);

    // And in the database: one stored vote per voter.
    const conn = await connectDatabase(mongoUri, dbName);
    try {
      const models = createModels(conn);
      const stored = secret
        ? await models.VoterMark.countDocuments({ pollId: poll.id })
        : await models.Ballot.countDocuments({ pollId: poll.id });
      expect(stored).toBe(N);
      expect((await models.Poll.findById(poll.id).lean())?.tally).toMatchObject({ ballots: N });
    } finally {
      await conn.close();
    }
    closeSockets();
  }, 120_000);

  it('completes ballots caught in flight by the kill once their voters re-send them', async () => {
    const convener = await join(demo.firstConvenerId);
    const poll = await openPoll(convener, yesNoPoll(secret ? '无记名:中途崩溃' : '记名:中途崩溃', { secret }));
    const voters = await Promise.all(voterIds.map(join));
    const ballots = voterIds.map((_, i) => ({ pollId: poll.id, ballotId: randomUUID(), content: choice(choiceOf(i)) }));

    // All N sent at once; the process dies as soon as half are acknowledged, the rest in flight
    // (for a secret poll possibly between "who voted" and "what was voted").
    let acked = 0;
    const halfAcked = new Promise<void>((resolve) => {
      voters.forEach((socket, i) => {
        const ballot = ballots[i];
        if (!ballot) throw new Error('one ballot per voter');
        void request(socket, 'vote:cast', ballot).then((res) => {
          if (!res.ok) return;
          acked += 1;
          if (acked === N / 2) resolve();
        });
      });
    });
    await halfAcked;
    await kill9();
    closeSockets();
    proc = await startProcess();

    // Every voter re-sends the ballot they have no ack for (the client cannot tell which arrived).
    const again = await Promise.all(voterIds.map(join));
    const resent = await Promise.all(
      again.map((socket, i) => {
        const ballot = ballots[i];
        if (!ballot) throw new Error('one ballot per voter');
        return request(socket, 'vote:cast', ballot);
      }),
    );
    expect(resent).toEqual(
      ballots.map((b) => ({ ok: true, data: { pollId: b.pollId, ballotId: b.ballotId, paper: false } })),
    );

    const convener2 = await join(demo.firstConvenerId);
    const closed = await must(convener2, 'poll:close', { pollId: poll.id });
    const count = (c: 'yes' | 'no' | 'abstain') => voterIds.filter((_, i) => choiceOf(i) === c).length;
    expect(closed.voters).toHaveLength(N);
    expect(closed.tally).toMatchObject({ ballots: N, yes: count('yes'), no: count('no'), abstain: count('abstain') });
    closeSockets();
  }, 120_000);
});
