/**
 * Ballots arriving together are written together (InsertBatcher: one unordered insertMany per
 * batch). Each caller must still get its own answer: stored, its own duplicate, or the batch's
 * failure; and over real sockets a burst with duplicates inside one batch keeps one ballot per voter.
 */
import { randomUUID } from 'node:crypto';
import { MembersResponse } from '@yitang/shared';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../src/db/connect';
import { createModels, ensureIndexes, trusted } from '../src/db/models';
import { isDuplicateKey } from '../src/errors';
import { InsertBatcher } from '../src/lib/insert-batcher';
import { PollBook } from '../src/polls/poll.book';
import { createPollRepository } from '../src/polls/poll.repository';
import {
  choice,
  demo,
  joinAs,
  must,
  openPoll,
  request,
  startTestServer,
  type TestServer,
  uniqueDbName,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
let conn: Connection;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  await must(await joinAs(server, demo.firstConvenerId), 'session:start', {});
  conn = await connectDatabase(inject('mongoUri'), uniqueDbName('batch'));
});
afterAll(async () => {
  await server.close();
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

type Fate = 'stored' | 'duplicate' | 'failed';
const fate = (p: Promise<void>): Promise<Fate> =>
  p.then(
    () => 'stored' as const,
    (err: unknown) => (isDuplicateKey(err) ? ('duplicate' as const) : ('failed' as const)),
  );

describe('InsertBatcher', () => {
  it('answers each document of a batch with its own fate', async () => {
    const collection = conn.collection<{ _id: string; key: string }>('batched');
    await collection.createIndex({ key: 1 }, { unique: true });
    await collection.insertOne({ _id: 'old', key: 'k-old' });
    const batcher = new InsertBatcher(collection);
    // The first goes alone; the rest wait for it and go as one batch with duplicates inside.
    const fates = await Promise.all([
      fate(batcher.insert({ _id: 'a', key: 'k-a' })),
      fate(batcher.insert({ _id: 'b', key: 'k-b' })),
      fate(batcher.insert({ _id: 'old', key: 'k-new' })), // duplicate _id of a stored document
      fate(batcher.insert({ _id: 'c', key: 'k-b' })), // duplicate key of a document in the same batch
      fate(batcher.insert({ _id: 'd', key: 'k-d' })),
      fate(batcher.insert({ _id: 'b', key: 'k-e' })), // duplicate _id in the same batch
      fate(batcher.insert({ _id: 'a', key: 'k-f' })), // duplicate of the lone first insert
    ]);
    expect(fates).toEqual(['stored', 'stored', 'duplicate', 'duplicate', 'stored', 'duplicate', 'duplicate']);
    const stored = await collection.find().sort({ _id: 1 }).toArray();
    expect(stored).toEqual([
      { _id: 'a', key: 'k-a' },
      { _id: 'b', key: 'k-b' },
      { _id: 'd', key: 'k-d' },
      { _id: 'old', key: 'k-old' },
    ]);
  });

  it('rejects every document of a batch whose write fails as a whole', async () => {
    const collection = conn.collection<{ _id: string; big?: string }>('refusing');
    const batcher = new InsertBatcher(collection);
    // A document over the 16 MiB limit makes the driver refuse the whole insertMany: its
    // batch-mates are rejected too (their senders re-send), none is reported stored.
    const fates = await Promise.all([
      fate(batcher.insert({ _id: 'alone' })),
      fate(batcher.insert({ _id: 'mate' })),
      fate(batcher.insert({ _id: 'huge', big: 'x'.repeat(17 * 1024 * 1024) })),
    ]);
    expect(fates).toEqual(['stored', 'failed', 'failed']);
    expect(await collection.find().toArray()).toEqual([{ _id: 'alone' }]);
    // The batcher carries on after a failed batch.
    await batcher.insert({ _id: 'later' });
    expect(await collection.countDocuments({ _id: 'later' })).toBe(1);
  });
});

describe('InsertBatcher with a write interval', () => {
  const big = () => 'x'.repeat(17 * 1024 * 1024);

  it('writes an insert after a quiet spell at once, and later ones together once the interval allows', async () => {
    const collection = conn.collection<{ _id: string; big?: string }>('spaced');
    const batcher = new InsertBatcher(collection, { intervalMs: 1000 });
    // The first is written at once, alone: a gathering window would have put the oversized
    // document of the next turn in its write, failing both.
    const first = fate(batcher.insert({ _id: 'first' }));
    await new Promise<void>((resolve) => setImmediate(resolve));
    const huge = fate(batcher.insert({ _id: 'huge', big: big() }));
    expect(await first).toBe('stored');
    expect(await huge).toBe('failed');
    // Nothing is in flight now, but the last write began less than the interval ago: these two
    // wait for it and go as one write, which the oversized one makes fail as a whole. Written
    // at once, 'mate' would have been stored alone.
    const later = [fate(batcher.insert({ _id: 'mate' })), fate(batcher.insert({ _id: 'huge-2', big: big() }))];
    expect(await Promise.all(later)).toEqual(['failed', 'failed']);
    expect(await collection.find().toArray()).toEqual([{ _id: 'first' }]);
    // Duplicates inside one write keep their own answers.
    expect(await Promise.all([fate(batcher.insert({ _id: 'a' })), fate(batcher.insert({ _id: 'a' }))])).toEqual([
      'stored',
      'duplicate',
    ]);
    expect(await collection.countDocuments()).toBe(2);
  });
});

describe('a burst of ballots with duplicates inside one batch', () => {
  it('keeps one ballot per voter and answers re-sends with the same receipt', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const { members } = MembersResponse.parse(await (await fetch(`${server.url}/api/auth/demo-identities`)).json());
    const voterIds = members
      .filter((m) => m.kind === 'member' && m.id !== demo.firstConvenerId)
      .map((m) => m.id)
      .slice(0, 12);
    const sockets = await Promise.all(voterIds.map((id) => joinAs(server, id)));
    const poll = await openPoll(convener, yesNoPoll('批量写入'));

    const first = sockets.map(() => randomUUID());
    // All at once: each voter's ballot, the same ballot again, and a second ballot of their own.
    const answers = await Promise.all(
      sockets.flatMap((s, i) => [
        request(s, 'vote:cast', { pollId: poll.id, ballotId: first[i] ?? '', content: choice('yes') }),
        request(s, 'vote:cast', { pollId: poll.id, ballotId: first[i] ?? '', content: choice('yes') }),
        request(s, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('no') }),
      ]),
    );
    for (let i = 0; i < sockets.length; i += 1) {
      const [once, again, second] = answers.slice(i * 3, i * 3 + 3);
      expect(once).toEqual({ ok: true, data: { pollId: poll.id, ballotId: first[i], paper: false } });
      expect(again).toEqual(once);
      expect(second?.ok === false && second.error.code).toBe('ALREADY_VOTED');
    }
    expect(await server.app.models.Ballot.countDocuments({ pollId: poll.id })).toBe(sockets.length);
    // Once counted, a re-send and a second ballot are answered from the stored ballot.
    const [late] = sockets;
    if (!late) throw new Error('no voter');
    expect(
      await request(late, 'vote:cast', { pollId: poll.id, ballotId: first[0] ?? '', content: choice('yes') }),
    ).toEqual(answers[0]);
    const another = await request(late, 'vote:cast', {
      pollId: poll.id,
      ballotId: randomUUID(),
      content: choice('no'),
    });
    expect(another.ok === false && another.error.code).toBe('ALREADY_VOTED');
    expect(await server.app.models.Ballot.countDocuments({ pollId: poll.id })).toBe(sockets.length);
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally?.ballots).toBe(sockets.length);
    expect(closed.tally).toMatchObject({ yes: sockets.length, no: 0 });
  });
});

describe('secret ballots arriving together', () => {
  const secretBook = async (sessionId = `s-secret-${randomUUID()}`) => {
    const models = createModels(conn);
    await ensureIndexes(models);
    const repo = createPollRepository(models);
    const bookOf = () =>
      new PollBook({
        sessionId,
        repo,
        pollChanged: () => undefined,
        tallyFrame: () => undefined,
        presentRoles: () => [],
      });
    const book = bookOf();
    const draft = await book.create(demo.firstConvenerId, yesNoPoll('无记名批量', { secret: true }), null);
    await book.open(draft.id);
    return { models, repo, book, bookOf, pollId: draft.id };
  };
  const voter = (i: number) => ({ memberId: `v${i}`, role: 'member' as const });
  const vote = (i: number) => (i % 4 === 0 ? choice('no') : choice('yes'));

  it('stores every ballot of a burst once, re-sends inside the burst included, and keeps only marks after the close', async () => {
    const { models, book, pollId } = await secretBook();
    const ids = Array.from({ length: 400 }, () => randomUUID());
    const casts = ids.map((ballotId, i) => book.cast(pollId, voter(i), { ballotId, content: vote(i) }, null));
    // Every tenth voter's client sends the same ballot again before the first answer came.
    const resends = ids
      .filter((_, i) => i % 10 === 0)
      .map((ballotId, k) => book.cast(pollId, voter(k * 10), { ballotId, content: vote(k * 10) }, null));
    const receipts = await Promise.all([...casts, ...resends]);
    expect(new Set(receipts.map((r) => r.ballotId)).size).toBe(400);
    // Before the close: one sealed ballot per voter, nothing else.
    expect(await models.VoterMark.countDocuments({ pollId, sealed: trusted({ $exists: true }) })).toBe(400);
    expect(await models.SecretTally.countDocuments({ _id: pollId })).toBe(0);

    const closed = await book.close(pollId);
    book.dispose();
    expect(closed.tally).toEqual({ kind: 'yesno', ballots: 400, yes: 300, no: 100, abstain: 0 });
    // After: who voted, and the sums in the poll; the sealed contents are gone.
    const marks = await models.VoterMark.find({ pollId }).lean();
    expect(marks).toHaveLength(400);
    for (const m of marks) expect(Object.keys(m).sort()).toEqual(['_id', 'ballotId', 'paper', 'pollId']);
    expect(await models.Poll.findById(pollId).lean()).toMatchObject({ sealsRemoved: true, tally: closed.tally });
  });

  it('counts stored ballots in a book rebuilt from the database and answers their re-sends', async () => {
    const { book, bookOf, pollId } = await secretBook();
    const ids = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all(ids.map((ballotId, i) => book.cast(pollId, voter(i), { ballotId, content: vote(i) }, null)));
    book.dispose();
    // A new process: the room is rebuilt from the stored (sealed) ballots.
    const rebuilt = bookOf();
    await rebuilt.load();
    expect(rebuilt.views()[0]).toMatchObject({ ballots: 30, tally: null });
    const again = await rebuilt.cast(pollId, voter(3), { ballotId: ids[3] ?? '', content: vote(3) }, null);
    expect(again).toEqual({ pollId, ballotId: ids[3], paper: false });
    await expect(
      rebuilt.cast(pollId, voter(3), { ballotId: randomUUID(), content: choice('no') }, null),
    ).rejects.toMatchObject({ code: 'ALREADY_VOTED' });
    const closed = await rebuilt.close(pollId);
    rebuilt.dispose();
    expect(closed.tally).toEqual({ kind: 'yesno', ballots: 30, yes: 22, no: 8, abstain: 0 });
  });
});

describe("a secret poll's close", () => {
  it('names a voter whose frame came due while the seals were being removed', async () => {
    const models = createModels(conn);
    await ensureIndexes(models);
    const real = createPollRepository(models);
    // The close waits in removeSeals (the poll already closed) until the test lets it go on.
    let sealsAsked: () => void = () => undefined;
    const removing = new Promise<void>((resolve) => {
      sealsAsked = resolve;
    });
    let letRemove: () => void = () => undefined;
    const mayRemove = new Promise<void>((resolve) => {
      letRemove = resolve;
    });
    const repo: typeof real = {
      ...real,
      removeSeals: async (pollId) => {
        sealsAsked();
        await mayRemove;
        return real.removeSeals(pollId);
      },
    };
    // The frame for the voter comes due while broadcasts are going out, and waits for them.
    let frameDue: () => void = () => undefined;
    const due = new Promise<void>((resolve) => {
      frameDue = resolve;
    });
    let finishBroadcasts: () => void = () => undefined;
    const broadcasts = new Promise<void>((resolve) => {
      finishBroadcasts = resolve;
    });
    const framed: string[] = [];
    const announced: string[][] = [];
    const book = new PollBook({
      sessionId: `s-secret-close-${randomUUID()}`,
      repo,
      pollChanged: (_view, unannounced) => announced.push(unannounced),
      tallyFrame: (frame) => framed.push(...frame.votersAdded),
      broadcastsPending: () => {
        frameDue();
        return broadcasts;
      },
      presentRoles: () => [],
    });
    const draft = await book.create(demo.firstConvenerId, yesNoPoll('无记名结束', { secret: true }), null);
    await book.open(draft.id);
    announced.length = 0;
    await book.cast(
      draft.id,
      { memberId: 'v1', role: 'member' },
      { ballotId: randomUUID(), content: choice('yes') },
      null,
    );
    await due;
    const closing = book.close(draft.id);
    await removing;
    // The poll is closed now; the waiting frame goes (its then-callback ran before this await's).
    finishBroadcasts();
    await broadcasts;
    letRemove();
    const closed = await closing;
    book.dispose();
    expect(closed.voters).toEqual(['v1']);
    expect(framed).toEqual([]);
    expect(announced).toEqual([['v1']]);
  });
});

describe('tally frames of a room whose broadcasts are still going out', () => {
  it('wait for them and then carry every voter added meanwhile in one frame', async () => {
    const models = createModels(conn);
    await ensureIndexes(models);
    const frames: string[][] = [];
    let frameArrived: () => void = () => undefined;
    const nextFrame = () =>
      new Promise<void>((resolve) => {
        frameArrived = resolve;
      });
    // The room's broadcasts: none going out, then some until the test lets them finish.
    let going: Promise<void> | null = null;
    let asked: () => void = () => undefined;
    const book = new PollBook({
      sessionId: `s-frames-${randomUUID()}`,
      repo: createPollRepository(models),
      pollChanged: () => undefined,
      tallyFrame: (frame) => {
        frames.push(frame.votersAdded);
        frameArrived();
      },
      broadcastsPending: () => {
        asked();
        return going;
      },
      presentRoles: () => [],
    });
    const draft = await book.create(demo.firstConvenerId, yesNoPoll('帧'), null);
    await book.open(draft.id);
    const cast = (voterId: string) =>
      book.cast(
        draft.id,
        { memberId: voterId, role: 'member' },
        { ballotId: randomUUID(), content: choice('yes') },
        null,
      );

    const first = nextFrame();
    await cast('v1');
    await first;
    expect(frames).toEqual([['v1']]);

    let finish: () => void = () => undefined;
    going = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const due = new Promise<void>((resolve) => {
      asked = resolve;
    });
    await cast('v2');
    await cast('v3');
    // The next frame came due while the broadcasts were going out: it waits.
    await due;
    await cast('v4');
    expect(frames).toEqual([['v1']]);
    going = null;
    const merged = nextFrame();
    finish();
    await merged;
    expect(frames).toEqual([['v1'], ['v2', 'v3', 'v4']]);
    await book.close(draft.id);
    book.dispose();
  });
});
