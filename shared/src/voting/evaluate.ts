import { z } from 'zod';
import type { Vocabulary } from '../vocabulary';
import { VotingError } from './errors';
import { votingShareScale } from './limits';
import { type Majority, type MajorityRule, OptionId, type PollSettings, type Quorum } from './settings';
import { type PollTally, tallyEntry } from './tally';

const Count = z.number().int().nonnegative();

/**
 * What the server knows at evaluation time. `presentElectorate`: participants present in the
 * room who may vote in this poll (`mayVote`), whether or not they voted.
 */
export const PollEvaluationContext = z.strictObject({ presentElectorate: Count });
export type PollEvaluationContext = z.infer<typeof PollEvaluationContext>;

export const QuorumStatus = z.strictObject({ required: Count, reached: z.boolean() });
export type QuorumStatus = z.infer<typeof QuorumStatus>;

export const YesNoOutcome = z.enum(['adopted', 'rejected', 'noQuorum']);
export type YesNoOutcome = z.infer<typeof YesNoOutcome>;
/** A yes/no poll's result in words: on screen, in the minutes' vote blocks and in the printed minutes. */
export const yesNoOutcomeNames: Vocabulary<YesNoOutcome> = {
  'zh-CN': { adopted: '通过', rejected: '未通过', noQuorum: '未达法定人数' },
  en: { adopted: 'Adopted', rejected: 'Not adopted', noQuorum: 'No quorum' },
};

/** Outcome of single, ranking and score polls: one winner, a tie at the top, nobody, or no quorum. */
export const WinnerOutcome = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('elected'), winner: OptionId }),
  /** Two or more options tied for first place; the engine never breaks ties. */
  z.strictObject({ type: z.literal('tie'), tied: z.array(OptionId) }),
  /** No option met the majority rule (or no ballot expressed any preference). */
  z.strictObject({ type: z.literal('noMajority') }),
  z.strictObject({ type: z.literal('noQuorum') }),
]);
export type WinnerOutcome = z.infer<typeof WinnerOutcome>;

/**
 * Outcome of a multiple-choice poll: `elected` (at most maxChoices ids, most votes first) meet the
 * rule outright; `tied` options are tied at the boundary for the `tiedSeats` remaining places
 * (empty and 0 when there is no tie). `elected` may be empty when no option met the rule.
 */
export const MultipleOutcome = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('decided'),
    elected: z.array(OptionId),
    tied: z.array(OptionId),
    tiedSeats: Count,
  }),
  z.strictObject({ type: z.literal('noQuorum') }),
]);
export type MultipleOutcome = z.infer<typeof MultipleOutcome>;

const VoteStanding = z.strictObject({ optionId: OptionId, votes: Count });
const PointStanding = z.strictObject({ optionId: OptionId, points: Count });
/** `average` is for display (null when nobody scored the option); decisions compare sums/counts in integers. */
const ScoreStanding = z.strictObject({
  optionId: OptionId,
  sum: z.number().int(),
  count: Count,
  average: z.number().nullable(),
});

const resultCommon = {
  quorum: QuorumStatus,
  /** Ballots cast, blanks included. */
  ballots: Count,
  /** The majority base: ballots cast, or max(presentElectorate, ballots) for base 'present'. */
  base: Count,
  /** Least votes an option (yesno: "yes") needs under the absolute/two-thirds rule; null for 'simple'. */
  votesNeeded: Count.nullable(),
};

/** The evaluation of a poll. Standings list every option, best first, ties in settings order. */
export const PollResult = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('yesno'), ...resultCommon, outcome: YesNoOutcome }),
  z.strictObject({
    kind: z.literal('single'),
    ...resultCommon,
    outcome: WinnerOutcome,
    standings: z.array(VoteStanding),
  }),
  z.strictObject({
    kind: z.literal('multiple'),
    ...resultCommon,
    outcome: MultipleOutcome,
    standings: z.array(VoteStanding),
  }),
  z.strictObject({
    kind: z.literal('ranking'),
    ...resultCommon,
    outcome: WinnerOutcome,
    standings: z.array(PointStanding),
  }),
  z.strictObject({
    kind: z.literal('score'),
    ...resultCommon,
    outcome: WinnerOutcome,
    standings: z.array(ScoreStanding),
  }),
]);
export type PollResult = z.infer<typeof PollResult>;

/** ceil(a / b) for non-negative safe integers a and positive b, without floating-point division. */
function ceilDiv(a: number, b: number): number {
  const r = a % b;
  return (a - r) / b + (r === 0 ? 0 : 1);
}

/** Ballots needed for the quorum: none → 0; ballots → min; share → ceil(share × presentElectorate). */
export function quorumRequired(quorum: Quorum, presentElectorate: number): number {
  switch (quorum.type) {
    case 'none':
      return 0;
    case 'ballots':
      return quorum.min;
    case 'share':
      // share has at most votingLimits.quorumShareDecimals decimals: compute in integer parts.
      return ceilDiv(Math.round(quorum.share * votingShareScale) * presentElectorate, votingShareScale);
  }
}

/** The majority base: ballots cast, or the present electorate (never fewer than the ballots cast). */
export function majorityBase(majority: Majority, ballots: number, presentElectorate: number): number {
  return majority.base === 'cast' ? ballots : Math.max(presentElectorate, ballots);
}

/**
 * Whether `votes` meet a threshold rule over `base`: absolute ⇔ votes × 2 > base;
 * twoThirds ⇔ votes × 3 ≥ base × 2. Either way at least one vote is needed. 'simple' is a
 * comparison between options, not a threshold, so every option with a vote passes here.
 */
export function meetsMajority(rule: MajorityRule, votes: number, base: number): boolean {
  if (votes < 1) return false;
  switch (rule) {
    case 'simple':
      return true;
    case 'absolute':
      return votes * 2 > base;
    case 'twoThirds':
      return votes * 3 >= base * 2;
  }
}

/** The least `votes` for which `meetsMajority` holds; null for 'simple'. */
export function votesNeeded(rule: MajorityRule, base: number): number | null {
  switch (rule) {
    case 'simple':
      return null;
    case 'absolute':
      return Math.floor(base / 2) + 1;
    case 'twoThirds':
      return Math.max(1, ceilDiv(base * 2, 3));
  }
}

/** Options with the highest value under `compare` (a positive result means `a` is better). */
function leaders<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  let best: T[] = [];
  for (const item of items) {
    const first = best[0];
    if (first === undefined) best = [item];
    else {
      const c = compare(item, first);
      if (c > 0) best = [item];
      else if (c === 0) best.push(item);
    }
  }
  return best;
}

/** Sorts best first; `Array.prototype.sort` is stable, so ties stay in settings order. */
function bestFirst<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort((a, b) => compare(b, a));
}

function winnerOf<T extends { optionId: string }>(candidates: readonly T[], compare: (a: T, b: T) => number) {
  const top = leaders(candidates, compare);
  const [first] = top;
  if (first === undefined) return { type: 'noMajority' } as const;
  if (top.length === 1) return { type: 'elected', winner: first.optionId } as const;
  return { type: 'tie', tied: top.map((s) => s.optionId) } as const;
}

function mismatch(settings: PollSettings, tally: PollTally): VotingError {
  return new VotingError('KIND_MISMATCH', `a ${tally.kind} tally cannot decide a ${settings.kind} poll`);
}

/**
 * Evaluates a tally under the poll's settings. Pure; never throws for valid inputs (a tally of
 * the poll's kind and a non-negative whole `presentElectorate`). See README.md for the rules.
 */
export function evaluatePoll(settings: PollSettings, tally: PollTally, ctx: PollEvaluationContext): PollResult {
  const present = ctx.presentElectorate;
  if (!Number.isSafeInteger(present) || present < 0) {
    throw new VotingError('BAD_CONTEXT', 'presentElectorate must be a non-negative whole number');
  }
  const { rule } = settings.majority;
  const ballots = tally.ballots;
  const required = quorumRequired(settings.quorum, present);
  const quorum = { required, reached: ballots >= required };
  const base = majorityBase(settings.majority, ballots, present);
  const common = { quorum, ballots, base, votesNeeded: votesNeeded(rule, base) };

  switch (settings.kind) {
    case 'yesno': {
      if (tally.kind !== 'yesno') throw mismatch(settings, tally);
      const adopted = rule === 'simple' ? tally.yes > tally.no : meetsMajority(rule, tally.yes, base);
      const outcome = !quorum.reached ? 'noQuorum' : adopted ? 'adopted' : 'rejected';
      return { kind: 'yesno', ...common, outcome };
    }
    case 'single':
    case 'multiple': {
      if (tally.kind !== 'single' && tally.kind !== 'multiple') throw mismatch(settings, tally);
      if (tally.kind !== settings.kind) throw mismatch(settings, tally);
      const byVotes = (a: { votes: number }, b: { votes: number }) => a.votes - b.votes;
      const standings = bestFirst(
        settings.options.map((o) => ({ optionId: o.id, votes: tallyEntry(tally.votes, o.id) })),
        byVotes,
      );
      const candidates = standings.filter((s) => meetsMajority(rule, s.votes, base));
      if (settings.kind === 'single') {
        const outcome = quorum.reached ? winnerOf(candidates, byVotes) : ({ type: 'noQuorum' } as const);
        return { kind: 'single', ...common, outcome, standings };
      }
      if (!quorum.reached) return { kind: 'multiple', ...common, outcome: { type: 'noQuorum' }, standings };
      const k = settings.maxChoices;
      const last = candidates[k - 1];
      const next = candidates[k];
      let elected = candidates.map((s) => s.optionId);
      let tied: string[] = [];
      if (last !== undefined && next !== undefined && next.votes === last.votes) {
        // The k-th place is shared with options beyond it: report the tie instead of cutting it.
        elected = candidates.filter((s) => s.votes > last.votes).map((s) => s.optionId);
        tied = candidates.filter((s) => s.votes === last.votes).map((s) => s.optionId);
      } else if (last !== undefined) {
        elected = elected.slice(0, k);
      }
      const outcome = {
        type: 'decided',
        elected,
        tied,
        tiedSeats: tied.length === 0 ? 0 : k - elected.length,
      } as const;
      return { kind: 'multiple', ...common, outcome, standings };
    }
    case 'ranking': {
      if (tally.kind !== 'ranking') throw mismatch(settings, tally);
      const byPoints = (a: { points: number }, b: { points: number }) => a.points - b.points;
      const standings = bestFirst(
        settings.options.map((o) => ({ optionId: o.id, points: tallyEntry(tally.points, o.id) })),
        byPoints,
      );
      const candidates = standings.filter((s) => s.points > 0);
      const outcome = quorum.reached ? winnerOf(candidates, byPoints) : ({ type: 'noQuorum' } as const);
      return { kind: 'ranking', ...common, outcome, standings };
    }
    case 'score': {
      if (tally.kind !== 'score') throw mismatch(settings, tally);
      // Compare averages sumA/countA vs sumB/countB by cross-multiplying (counts > 0): no float equality.
      const byAverage = (a: { sum: number; count: number }, b: { sum: number; count: number }) => {
        if (a.count === 0 || b.count === 0) return (a.count === 0 ? 0 : 1) - (b.count === 0 ? 0 : 1);
        return a.sum * b.count - b.sum * a.count;
      };
      const standings = bestFirst(
        settings.options.map((o) => {
          const sum = tallyEntry(tally.sums, o.id);
          const count = tallyEntry(tally.counts, o.id);
          return { optionId: o.id, sum, count, average: count === 0 ? null : sum / count };
        }),
        byAverage,
      );
      const candidates = standings.filter((s) => s.count > 0);
      const outcome = quorum.reached ? winnerOf(candidates, byAverage) : ({ type: 'noQuorum' } as const);
      return { kind: 'score', ...common, outcome, standings };
    }
  }
}
