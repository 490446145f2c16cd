import { randomBytes } from 'node:crypto';
import { type BallotContent, limits, type PollSettings, type PollTally, tallyPollBallots } from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import { InsertBatcher } from '../lib/insert-batcher';
import { BallotSeal } from './ballot-seal';
import { type BallotDoc, ballotKey, type PaperBatchDoc, type PollDoc, type VoterMarkDoc } from './poll.model';

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
/**
 * `seal`: how secret ballots are sealed (see ballot-seal.ts). The server passes one made from
 * its ballot secret; without it the key is this repository's own, for tests and benches whose
 * secret ballots need not outlive it.
 */
export function createPollRepository(models: Models, seal: BallotSeal = new BallotSeal(randomBytes(32))) {
  const { Poll, Ballot, VoterMark, SecretTally } = models;
  const polls = rawCollection(Poll);
  const ballots = rawCollection(Ballot);
  const marks = rawCollection(VoterMark);
  // Ballots and voter marks arriving together are written together (one round trip per batch),
  // at most one write per interval: a ballot shows in the next tally frame either way.
  const ballotWrites = new InsertBatcher(ballots, { intervalMs: limits.ballotWriteIntervalMs });
  const markWrites = new InsertBatcher(marks, { intervalMs: limits.ballotWriteIntervalMs });

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
     * Stores a secret ballot whole, in one insert: the voter mark and the sealed content. Once
     * it is stored it will be counted (the close counts every sealed ballot of the poll), so
     * "voted" and "counted" cannot disagree, whenever the process dies. On refusal the stored
     * mark comes back so a re-send (same ballotId) can be told from a second ballot.
     */
    async castSecret(
      settings: PollSettings,
      pollId: string,
      voterId: string,
      ballot: { ballotId: string; content: BallotContent; enteredBy: string | null },
    ): Promise<CastResult> {
      const _id = ballotKey(pollId, voterId);
      const sealed = seal.seal(settings, pollId, ballot.content);
      const paper = ballot.enteredBy ? { paper: true, enteredBy: ballot.enteredBy } : { paper: false };
      try {
        await markWrites.insert({ _id, pollId, ballotId: ballot.ballotId, ...paper, sealed });
        return { stored: true };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const mine = await VoterMark.findById(_id).lean();
        if (mine) return { stored: false, existing: fromMark(mine, voterId), reason: 'duplicateVoter' };
        return { stored: false, existing: null, reason: 'duplicateBallotId' };
      }
    },

    /** The contents of a secret poll's stored ballots, opened (their order is the store's). */
    async openSealed(settings: PollSettings, pollId: string): Promise<BallotContent[]> {
      const rows = await VoterMark.find({ pollId }, { _id: 0, sealed: 1 }).lean();
      return rows.flatMap((r) => (r.sealed ? [seal.open(settings, pollId, r.sealed)] : []));
    },

    /**
     * Stores a secret poll's paper batch, sealed, in one update of the poll whose filter states
     * every precondition: the poll is open, this batch id is not there yet (a re-send counts once),
     * and the paper count stays within `maxPaper` afterwards. So whatever else runs at the same
     * time (another process, a stale room), the count can never pass the cap. False: refused.
     */
    async addPaperBatch(
      settings: PollSettings,
      pollId: string,
      batch: { batchId: string; contents: BallotContent[]; enteredBy: string },
      maxPaper: number,
    ): Promise<PaperBatchDoc | null> {
      const count = batch.contents.length;
      const doc: PaperBatchDoc = {
        batchId: batch.batchId,
        count,
        enteredBy: batch.enteredBy,
        enteredAt: new Date(),
        sealed: seal.sealBatch(settings, pollId, batch.contents),
      };
      const res = await polls.updateOne(
        {
          _id: pollId,
          stage: 'open',
          'paperBatches.batchId': { $ne: batch.batchId },
          // A poll stored before paper batches has no count yet: zero.
          $or: [{ paperCount: { $exists: false } }, { paperCount: { $lte: maxPaper - count } }],
        },
        { $inc: { paperCount: count }, $push: { paperBatches: doc } },
      );
      return res.matchedCount === 1 ? doc : null;
    },

    /** The contents of a secret poll's stored paper batches, opened. */
    async openPaperBatches(settings: PollSettings, pollId: string): Promise<BallotContent[]> {
      const doc = await Poll.findById(pollId, { paperBatches: 1 }).lean();
      return (doc?.paperBatches ?? []).flatMap((b) => (b.sealed ? seal.openBatch(settings, pollId, b.sealed) : []));
    },

    /** The sums a secret poll had under the previous version (see SecretTallyDoc), if any. */
    async legacySecretTally(pollId: string): Promise<PollTally | null> {
      return (await SecretTally.findById(pollId, { tally: 1 }).lean())?.tally ?? null;
    },

    /**
     * After a secret poll's close wrote its sums: the sealed contents go, the marks stay, and the
     * poll records that this was done (a close that died before it is finished on the next load).
     */
    async removeSeals(pollId: string): Promise<PaperBatchDoc[]> {
      await VoterMark.updateMany({ pollId }, { $unset: { sealed: 1 } });
      await SecretTally.deleteOne({ _id: pollId });
      // The paper batches keep who entered how many; their sealed contents go like the ballots'.
      // Rewritten whole rather than with `$[]`, which FerretDB may not know; no batch can be
      // added meanwhile, since the poll is no longer open.
      const stored = await Poll.findById(pollId, { paperBatches: 1 }).lean();
      const paperBatches = (stored?.paperBatches ?? []).map(({ sealed: _sealed, ...kept }) => kept);
      await polls.updateOne({ _id: pollId, stage: { $ne: 'open' } }, { $set: { sealsRemoved: true, paperBatches } });
      return paperBatches;
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

    /** A voter's own ballots (named: the content; secret: null) and who entered those on paper. */
    async ballotsOf(
      voterId: string,
      pollIds: string[],
    ): Promise<Map<string, BallotContent | null> & { enteredBy?: Map<string, string> }> {
      if (pollIds.length === 0) return new Map();
      // One point read per poll and kind rather than one `$in`: FerretDB answers only a lone
      // `_id` equality from its key and scans the whole collection (every ballot ever stored)
      // for anything else, and this runs at every join. A session has a handful of polls.
      const keys = pollIds.map((p) => ballotKey(p, voterId));
      const [named, secret] = await Promise.all([
        Promise.all(keys.map((k) => Ballot.findById(k, { pollId: 1, content: 1, enteredBy: 1 }).lean())),
        Promise.all(keys.map((k) => VoterMark.findById(k, { pollId: 1, enteredBy: 1 }).lean())),
      ]);
      const out: Map<string, BallotContent | null> & { enteredBy?: Map<string, string> } = new Map();
      const enteredBy = new Map<string, string>();
      for (const b of named) {
        if (!b) continue;
        out.set(b.pollId, b.content);
        if (b.enteredBy) enteredBy.set(b.pollId, b.enteredBy);
      }
      for (const m of secret) {
        if (!m) continue;
        out.set(m.pollId, null);
        if (m.enteredBy) enteredBy.set(m.pollId, m.enteredBy);
      }
      if (enteredBy.size > 0) out.enteredBy = enteredBy;
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
