import { type Models, trusted } from '../db/models';
import type { PollDoc } from './poll.model';

/** A vote cast in a poll: who voted, never how (secret polls keep only a voter mark). */
export interface CastVote {
  pollId: string;
  memberId: string;
}

/**
 * The polls module's reads for other modules (the duty ledger, the minutes review), so that none
 * of them reads the polls, ballots or voter marks collections itself. Each keeps the filter,
 * projection and sort its caller had, so the same index serves it.
 */
export function pollReads(models: Pick<Models, 'Poll' | 'Ballot' | 'VoterMark'>) {
  const { Poll, Ballot, VoterMark } = models;
  return {
    /** Every poll of a session, in no particular order. */
    ofSession(sessionId: string): Promise<PollDoc[]> {
      return Poll.find({ sessionId }).lean<PollDoc[]>();
    },

    /** A session's polls in one of `stages`, in the order they closed (then were created). */
    inStages(sessionId: string, stages: readonly PollDoc['stage'][]): Promise<PollDoc[]> {
      return Poll.find({ sessionId, stage: trusted({ $in: [...stages] }) })
        .sort({ closedAt: 1, createdAt: 1 })
        .lean<PollDoc[]>();
    },

    /**
     * Who voted in these polls, named ballots and secret voter marks alike, by `pollId:voterId`
     * (one vote per voter and poll).
     */
    async votesIn(pollIds: readonly string[]): Promise<Map<string, CastVote>> {
      const votes = new Map<string, CastVote>();
      if (pollIds.length === 0) return votes;
      const [ballots, marks] = await Promise.all([
        Ballot.find({ pollId: trusted({ $in: [...pollIds] }) }, { pollId: 1, voterId: 1 }).lean(),
        VoterMark.find({ pollId: trusted({ $in: [...pollIds] }) }, { pollId: 1 }).lean(),
      ]);
      for (const b of ballots) votes.set(`${b.pollId}:${b.voterId}`, { pollId: b.pollId, memberId: b.voterId });
      // A voter mark's id is pollId:voterId; it holds nothing else about the voter.
      for (const m of marks) votes.set(m._id, { pollId: m.pollId, memberId: m._id.slice(m.pollId.length + 1) });
      return votes;
    },
  };
}

export type PollReads = ReturnType<typeof pollReads>;
