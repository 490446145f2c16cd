import { randomUUID } from 'node:crypto';
import type { BallotContent } from '@yitang/shared';
import { rawCollection, trusted } from '../src/db/models';
import { PollBook } from '../src/polls/poll.book';
import type { BallotDoc } from '../src/polls/poll.model';
import { createPollRepository } from '../src/polls/poll.repository';
import { yesNoPoll } from '../src/testing';
import type { BenchContext } from './lib/context';
import { report } from './report';

const content = (i: number): BallotContent => ({ kind: 'yesno', choice: i % 3 === 0 ? 'no' : 'yes' });

/** Casts `n` ballots at once through `book` (voters v0…v{n-1}); the wall time per ballot. */
async function msPerBallot(book: PollBook, pollId: string, n: number): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      book.cast(pollId, { memberId: `v${i}`, role: 'member' }, { ballotId: randomUUID(), content: content(i) }, null),
    ),
  );
  return (performance.now() - t0) / n;
}

/**
 * Our write path for a ballot (PollBook.cast: eligibility, validation, the stored ballot keyed by
 * poll and voter, the live tally) for `n` voters casting at once, against the raw driver's
 * `insertMany` of the same `n` ballot documents into the same collection on the same server.
 */
export async function ballotPersistence(ctx: BenchContext, opts: { ballots: number; rounds: number }): Promise<void> {
  const repo = createPollRepository(ctx.models);
  const ballots = rawCollection(ctx.models.Ballot);
  const ours: number[] = [];
  const baseline: number[] = [];
  const pollIds: string[] = [];
  for (let round = 0; round < opts.rounds; round += 1) {
    const sessionId = `bench-persist-${Date.now().toString(36)}-${round}`;
    const book = new PollBook({
      sessionId,
      repo,
      pollChanged: () => undefined,
      tallyFrame: () => undefined,
      presentRoles: () => [],
    });
    const draft = await book.create('bench-convener', yesNoPoll('持久化'), null);
    await book.open(draft.id);
    pollIds.push(draft.id);
    ours.push(await msPerBallot(book, draft.id, opts.ballots));
    book.dispose();
    const stored = await ctx.models.Ballot.countDocuments({ pollId: draft.id });
    if (stored !== opts.ballots) throw new Error(`ballot persistence: ${stored} of ${opts.ballots} stored`);

    const pollId = `p-raw-${randomUUID()}`;
    pollIds.push(pollId);
    const docs: BallotDoc[] = Array.from({ length: opts.ballots }, (_, i) => ({
      _id: `${pollId}:v${i}`,
      ballotId: randomUUID(),
      pollId,
      voterId: `v${i}`,
      content: content(i),
      paper: false,
      enteredBy: null,
      castAt: new Date(),
    }));
    const t1 = performance.now();
    await ballots.insertMany(docs);
    baseline.push((performance.now() - t1) / opts.ballots);
  }
  // Secret ballots: one insert each, the voter mark (who) with the content sealed (what), against
  // the raw driver's insertMany of the same marks without the seal.
  const marks = rawCollection(ctx.models.VoterMark);
  const secretOurs: number[] = [];
  const secretBaseline: number[] = [];
  for (let round = 0; round < opts.rounds; round += 1) {
    const book = new PollBook({
      sessionId: `bench-secret-${Date.now().toString(36)}-${round}`,
      repo,
      pollChanged: () => undefined,
      tallyFrame: () => undefined,
      presentRoles: () => [],
    });
    const draft = await book.create('bench-convener', yesNoPoll('无记名', { secret: true }), null);
    await book.open(draft.id);
    pollIds.push(draft.id);
    secretOurs.push(await msPerBallot(book, draft.id, opts.ballots));
    const closed = await book.close(draft.id);
    book.dispose();
    if (closed.tally?.ballots !== opts.ballots) {
      throw new Error(`secret ballot persistence: ${closed.tally?.ballots} of ${opts.ballots} summed`);
    }
    const pollId = `p-raw-${randomUUID()}`;
    pollIds.push(pollId);
    const docs = Array.from({ length: opts.ballots }, (_, i) => ({
      _id: `${pollId}:v${i}`,
      pollId,
      ballotId: randomUUID(),
      paper: false,
    }));
    const t1 = performance.now();
    await marks.insertMany(docs);
    secretBaseline.push((performance.now() - t1) / opts.ballots);
  }
  await marks.deleteMany({ pollId: trusted({ $in: pollIds }) });

  // Leave no ballots behind for the scenarios that follow (FerretDB scans collections for
  // queries other than by _id, so a bigger ballots collection slows theirs).
  await ballots.deleteMany({ pollId: trusted({ $in: pollIds }) });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  report({
    scenario: 'ballot-persistence',
    metric: `write time per ballot, ${opts.ballots} ballots at once (median of ${opts.rounds})`,
    unit: 'ms',
    ours: median(ours),
    baseline: median(baseline),
    target: 1.3,
  });
  report({
    scenario: 'ballot-persistence',
    metric: `write time per secret ballot (one sealed insert), ${opts.ballots} ballots at once (median of ${opts.rounds}; baseline: insertMany of the marks)`,
    unit: 'ms',
    ours: median(secretOurs),
    baseline: median(secretBaseline),
    target: 2,
  });
}
