import {
  addToPollTally,
  type BallotContent,
  emptyPollTally,
  limits,
  type PollSettings,
  type PollTally,
  tallyPollBallots,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { isDuplicateKey } from '../errors';
import { InsertBatcher } from '../lib/insert-batcher';
import { KeyedBatcher } from '../lib/keyed-batcher';
import { type BallotDoc, ballotKey, type PollDoc, type VoterMarkDoc } from './poll.model';

/** A stored ballot as the caller sees it: who (always) and, for named polls, what. */
export interface StoredBallot {
  ballotId: string;
  voterId: string;
  content: BallotContent | null;
  paper: boolean;
}

export type CastResult =
  | { stored: true }
  | { stored: false; existing: StoredBallot | null; reason: 'duplicateVoter' | 'duplicateBallotId' };

/** Everything the polls capability reads from and writes to MongoDB. */
export function createPollRepository(models: Models) {
  const { Poll, Ballot, VoterMark, SecretTally } = models;
  const polls = rawCollection(Poll);
  const ballots = rawCollection(Ballot);
  const marks = rawCollection(VoterMark);
  const secretTallies = rawCollection(SecretTally);
  // Ballots and voter marks arriving together are written together (one round trip per batch),
  // gathered for a few milliseconds: a ballot shows in the next tally frame either way.
  const ballotWrites = new InsertBatcher(ballots, { gatherMs: limits.ballotGatherMs });
  const markWrites = new InsertBatcher(marks, { gatherMs: limits.ballotGatherMs });

  const secretSums = new KeyedBatcher<{ settings: PollSettings; ballotId: string; content: BallotContent }, PollTally>(
    async (pollId, items) => {
      const settings = items[0]?.settings;
      if (!settings) throw new Error('an empty batch of secret sums');
      // The room owns the poll, so the guard below only fails if another process added some of
      // these meanwhile: read again and add what is still missing.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const doc = await SecretTally.findById(pollId).lean();
        const current = doc?.tally ?? emptyPollTally(settings);
        const counted = new Set(doc?.counted ?? []);
        const fresh: string[] = [];
        let next = current;
        for (const { ballotId, content } of items) {
          // Counted before (a repeat after a crash), or twice in this batch (a re-send).
          if (counted.has(ballotId)) continue;
          counted.add(ballotId);
          fresh.push(ballotId);
          next = addToPollTally(settings, next, content);
        }
        if (fresh.length === 0) return current;
        const res = await secretTallies.updateOne(
          { _id: pollId, counted: trusted({ $nin: fresh }) },
          { $set: { tally: next }, $push: { counted: { $each: fresh } } },
          { upsert: !doc },
        );
        if (res.matchedCount === 1 || res.upsertedCount === 1) return next;
      }
      throw new Error(`the secret sums of ${pollId} kept changing while they were written`);
    },
  );

  const fromBallot = (b: BallotDoc): StoredBallot => ({
    ballotId: b.ballotId,
    voterId: b.voterId,
    content: b.content,
    paper: b.paper,
  });
  const fromMark = (m: VoterMarkDoc, voterId: string): StoredBallot => ({
    ballotId: m.ballotId,
    voterId,
    content: null,
    paper: m.paper,
  });

  return {
    async insertPoll(doc: PollDoc): Promise<void> {
      await polls.insertOne(doc);
      if (doc.settings.secret) {
        await secretTallies.insertOne({ _id: doc._id, tally: emptyPollTally(doc.settings), counted: [] });
      }
    },

    listForSession(sessionId: string): Promise<PollDoc[]> {
      return Poll.find({ sessionId }).sort({ createdAt: 1 }).lean();
    },

    getPoll(pollId: string): Promise<PollDoc | null> {
      return Poll.findById(pollId).lean();
    },

    /** Applies a lifecycle step only if the poll is still at `from` (one atomic update). */
    async transition(pollId: string, from: PollDoc['stage'], patch: Partial<PollDoc>): Promise<boolean> {
      const res = await Poll.updateOne({ _id: pollId, stage: from }, { $set: patch });
      return res.matchedCount === 1;
    },

    async updateDraft(pollId: string, settings: PollSettings, itemId: string | null): Promise<boolean> {
      const res = await Poll.updateOne({ _id: pollId, stage: 'draft' }, { $set: { settings, itemId } });
      if (res.matchedCount === 1 && settings.secret) {
        await secretTallies.updateOne(
          { _id: pollId },
          { $set: { tally: emptyPollTally(settings), counted: [] } },
          { upsert: true },
        );
      }
      return res.matchedCount === 1;
    },

    /**
     * Stores a named ballot. `_id` pollId:voterId makes the database refuse a second ballot from
     * one voter; on refusal the stored ballot comes back so a re-send can be told from a new vote.
     */
    async castNamed(pollId: string, b: Omit<BallotDoc, '_id' | 'pollId'>): Promise<CastResult> {
      const _id = ballotKey(pollId, b.voterId);
      try {
        await ballotWrites.insert({ _id, pollId, ...b });
        return { stored: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const mine = await Ballot.findById(_id).lean();
        if (mine) return { stored: false, existing: fromBallot(mine), reason: 'duplicateVoter' };
        const other = await Ballot.findOne({ ballotId: b.ballotId }).lean();
        return { stored: false, existing: other ? fromBallot(other) : null, reason: 'duplicateBallotId' };
      }
    },

    /**
     * Secret ballot, step 1: claim the vote (who). The mark carries no time and no content.
     */
    async markSecret(pollId: string, voterId: string, ballotId: string, paper: boolean): Promise<CastResult> {
      const _id = ballotKey(pollId, voterId);
      try {
        await markWrites.insert({ _id, pollId, ballotId, paper });
        return { stored: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const mine = await VoterMark.findById(_id).lean();
        if (mine) return { stored: false, existing: fromMark(mine, voterId), reason: 'duplicateVoter' };
        return { stored: false, existing: null, reason: 'duplicateBallotId' };
      }
    },

    /**
     * Secret ballot, step 2: add the content to the poll's sums, once per ballotId; resolves with
     * the sums once they are stored. Ballots arriving while a poll's sums are being written are
     * added together in the next write, so a poll's sums are read and written once per batch,
     * never concurrently (the room owns the poll). The `counted` guard makes a repeat after a
     * crash harmless.
     */
    addSecret(settings: PollSettings, pollId: string, ballotId: string, content: BallotContent): Promise<PollTally> {
      return secretSums.add(pollId, { settings, ballotId, content });
    },

    async secretTally(pollId: string): Promise<PollTally | null> {
      return (await SecretTally.findById(pollId).lean())?.tally ?? null;
    },

    /** Recounts a named poll from its stored ballots: the source of truth at close and on rebuild. */
    async countNamed(settings: PollSettings, pollId: string): Promise<PollTally> {
      const rows = await Ballot.find({ pollId }, { content: 1 }).lean();
      return tallyPollBallots(
        settings,
        rows.map((r) => r.content),
      );
    },

    /** Who voted in a poll, with their ballot ids (so re-sends are recognised from memory). */
    async voters(
      pollId: string,
      secret: boolean,
    ): Promise<Array<{ voterId: string; ballotId: string; paper: boolean }>> {
      if (secret) {
        const marks = await VoterMark.find({ pollId }, { _id: 1, ballotId: 1, paper: 1 }).lean();
        return marks.map((m) => ({
          voterId: String(m._id).slice(pollId.length + 1),
          ballotId: m.ballotId,
          paper: m.paper,
        }));
      }
      const rows = await Ballot.find({ pollId }, { voterId: 1, ballotId: 1, paper: 1 }).lean();
      return rows.map((r) => ({ voterId: r.voterId, ballotId: r.ballotId, paper: r.paper }));
    },

    async ballotsOf(voterId: string, pollIds: string[]): Promise<Map<string, BallotContent | null>> {
      if (pollIds.length === 0) return new Map();
      // One point read per poll and kind rather than one `$in`: FerretDB answers only a lone
      // `_id` equality from its key and scans the whole collection (every ballot ever stored)
      // for anything else, and this runs at every join. A session has a handful of polls.
      const keys = pollIds.map((p) => ballotKey(p, voterId));
      const [named, secret] = await Promise.all([
        Promise.all(keys.map((k) => Ballot.findById(k, { pollId: 1, content: 1 }).lean())),
        Promise.all(keys.map((k) => VoterMark.findById(k, { pollId: 1 }).lean())),
      ]);
      const out = new Map<string, BallotContent | null>();
      for (const b of named) if (b) out.set(b.pollId, b.content);
      for (const m of secret) if (m) out.set(m.pollId, null);
      return out;
    },

    /** The stored ballot of one voter in one poll, named or secret. */
    async findBallot(pollId: string, voterId: string, secret: boolean): Promise<StoredBallot | null> {
      const _id = ballotKey(pollId, voterId);
      if (secret) {
        const m = await VoterMark.findById(_id).lean();
        return m ? fromMark(m, voterId) : null;
      }
      const b = await Ballot.findById(_id).lean();
      return b ? fromBallot(b) : null;
    },
  };
}

export type PollRepository = ReturnType<typeof createPollRepository>;
