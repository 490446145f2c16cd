import { type Choice, emptyTally, type PollView, type Tally } from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { isDuplicateKey } from '../errors';
import { type BallotDoc, ballotKey, type PollDoc } from './poll.model';

export type InsertBallotResult = { inserted: true } | { inserted: false; existing: BallotDoc | null };

export function presentPoll(p: PollDoc, tally: Tally): PollView {
  return {
    id: p._id,
    sessionId: p.sessionId,
    question: p.question,
    state: p.state,
    tally: p.result?.tally ?? tally,
    openedAt: p.openedAt.toISOString(),
    closedAt: p.closedAt ? p.closedAt.toISOString() : null,
    outcome: p.result?.outcome ?? null,
  };
}

/** Everything the polls capability reads from and writes to MongoDB. */
export function createPollRepository(models: Models) {
  const { Poll, Ballot } = models;
  const polls = rawCollection(Poll);
  const ballots = rawCollection(Ballot);
  return {
    async insertPoll(doc: PollDoc): Promise<void> {
      await polls.insertOne(doc);
    },

    listForSession(sessionId: string): Promise<PollDoc[]> {
      return Poll.find({ sessionId }).sort({ openedAt: 1 }).lean();
    },

    /**
     * Writes one ballot. The `_id` is pollId:voterId, so a second ballot from the same voter is
     * refused by the database; on refusal the stored ballot is returned so the caller can tell a
     * re-send (same ballotId) from a second vote.
     */
    async insertBallot(b: Omit<BallotDoc, '_id'>): Promise<InsertBallotResult> {
      const _id = ballotKey(b.pollId, b.voterId);
      try {
        await ballots.insertOne({ _id, ...b });
        return { inserted: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = (await Ballot.findById(_id).lean()) ?? (await Ballot.findOne({ ballotId: b.ballotId }).lean());
        return { inserted: false, existing };
      }
    },

    findBallot(pollId: string, voterId: string): Promise<BallotDoc | null> {
      return Ballot.findById(ballotKey(pollId, voterId)).lean();
    },

    async ballotsOf(voterId: string, pollIds: string[]): Promise<Map<string, Choice>> {
      if (pollIds.length === 0) return new Map();
      const rows = await Ballot.find({ _id: trusted({ $in: pollIds.map((p) => ballotKey(p, voterId)) }) }).lean();
      return new Map(rows.map((r) => [r.pollId, r.choice]));
    },

    /** Counts the stored ballots of a poll: the source of truth for a closing tally. */
    async countBallots(pollId: string): Promise<Tally> {
      const rows = await Ballot.aggregate<{ _id: Choice; n: number }>([
        { $match: { pollId } },
        { $group: { _id: '$choice', n: { $sum: 1 } } },
      ]);
      const tally = emptyTally();
      for (const r of rows) tally[r._id] = r.n;
      return tally;
    },

    /** Closes an open poll; false when it was not open any more (someone else closed it). */
    async closePoll(pollId: string, patch: Pick<PollDoc, 'closedBy' | 'closedAt' | 'result'>): Promise<boolean> {
      const res = await Poll.updateOne({ _id: pollId, state: 'open' }, { $set: { state: 'closed', ...patch } });
      return res.matchedCount === 1;
    },

    getPoll(pollId: string): Promise<PollDoc | null> {
      return Poll.findById(pollId).lean();
    },
  };
}

export type PollRepository = ReturnType<typeof createPollRepository>;
