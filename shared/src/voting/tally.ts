import { z } from 'zod';
import { type BallotContent, validateBallot } from './ballot';
import { VotingError } from './errors';
import { OptionId, type PollSettings } from './settings';

const Count = z.number().int().nonnegative();
const Counts = z.record(OptionId, Count);

/**
 * A running tally, safe to broadcast live (it holds sums only, never who voted what).
 * Every field is a sum over ballots, so the order in which ballots are added does not matter,
 * and `tallyPollBallots` over the stored ballots always reproduces the live tally.
 * `ballots` counts every ballot including blanks; `blank` counts blank ballots (for yesno the
 * blank is `abstain`). Per-option records are keyed by option id and start with every option at 0.
 * - single / multiple: `votes[id]` = ballots naming the option.
 * - ranking (Borda count): `points[id]` = sum over non-blank ballots of (n − 1 − position), so
 *   first place earns n − 1 points and last place 0, where n is the number of options.
 * - score: `sums[id]` = sum of the scores given, `counts[id]` = number of ballots scoring it.
 */
export const PollTally = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('yesno'), ballots: Count, yes: Count, no: Count, abstain: Count }),
  z.strictObject({ kind: z.literal('single'), ballots: Count, blank: Count, votes: Counts }),
  z.strictObject({ kind: z.literal('multiple'), ballots: Count, blank: Count, votes: Counts }),
  z.strictObject({ kind: z.literal('ranking'), ballots: Count, blank: Count, points: Counts }),
  z.strictObject({
    kind: z.literal('score'),
    ballots: Count,
    blank: Count,
    sums: z.record(OptionId, z.number().int()),
    counts: Counts,
  }),
]);
export type PollTally = z.infer<typeof PollTally>;
export type PollTallyOf<K extends PollTally['kind']> = Extract<PollTally, { kind: K }>;

/** Reads a per-option entry; a missing entry is 0. Own properties only. */
export function tallyEntry(record: Readonly<Record<string, number>>, id: string): number {
  return Object.hasOwn(record, id) ? (record[id] ?? 0) : 0;
}

function zeros(settings: PollSettings): Record<string, number> {
  return settings.kind === 'yesno' ? {} : Object.fromEntries(settings.options.map((o) => [o.id, 0]));
}

function plus(record: Readonly<Record<string, number>>, id: string, amount: number): Record<string, number> {
  return { ...record, [id]: tallyEntry(record, id) + amount };
}

/** The tally of a poll with no ballots. */
export function emptyPollTally(settings: PollSettings): PollTally {
  switch (settings.kind) {
    case 'yesno':
      return { kind: 'yesno', ballots: 0, yes: 0, no: 0, abstain: 0 };
    case 'single':
    case 'multiple':
      return { kind: settings.kind, ballots: 0, blank: 0, votes: zeros(settings) };
    case 'ranking':
      return { kind: 'ranking', ballots: 0, blank: 0, points: zeros(settings) };
    case 'score':
      return { kind: 'score', ballots: 0, blank: 0, sums: zeros(settings), counts: zeros(settings) };
  }
}

function kindMismatch(settings: PollSettings, tally: PollTally): VotingError {
  return new VotingError('KIND_MISMATCH', `a ${tally.kind} tally cannot count a ${settings.kind} poll`);
}

/**
 * Adds one ballot, returning a new tally (the input is not changed). The ballot must pass
 * `validateBallot` for these settings and the tally must be of the poll's kind; otherwise this
 * throws a `VotingError` (a programming error: check ballots before counting them).
 */
export function addToPollTally(settings: PollSettings, tally: PollTally, content: BallotContent): PollTally {
  const check = validateBallot(settings, content);
  if (!check.ok) throw new VotingError(check.reason, `ballot refused for this ${settings.kind} poll`);
  if (tally.kind !== settings.kind) throw kindMismatch(settings, tally);
  const ballots = tally.ballots + 1;
  switch (content.kind) {
    case 'yesno': {
      if (tally.kind !== 'yesno') throw kindMismatch(settings, tally);
      const c = content.choice;
      return {
        kind: 'yesno',
        ballots,
        yes: tally.yes + (c === 'yes' ? 1 : 0),
        no: tally.no + (c === 'no' ? 1 : 0),
        abstain: tally.abstain + (c === 'abstain' ? 1 : 0),
      };
    }
    case 'single': {
      if (tally.kind !== 'single') throw kindMismatch(settings, tally);
      const id = content.optionId;
      if (id === null) return { ...tally, ballots, blank: tally.blank + 1 };
      return { ...tally, ballots, votes: plus(tally.votes, id, 1) };
    }
    case 'multiple': {
      if (tally.kind !== 'multiple') throw kindMismatch(settings, tally);
      if (content.optionIds.length === 0) return { ...tally, ballots, blank: tally.blank + 1 };
      const votes = content.optionIds.reduce((acc, id) => plus(acc, id, 1), tally.votes);
      return { ...tally, ballots, votes };
    }
    case 'ranking': {
      if (tally.kind !== 'ranking') throw kindMismatch(settings, tally);
      const n = content.ranking.length; // a valid non-blank ranking ranks every option
      if (n === 0) return { ...tally, ballots, blank: tally.blank + 1 };
      const points = content.ranking.reduce((acc, id, place) => plus(acc, id, n - 1 - place), tally.points);
      return { ...tally, ballots, points };
    }
    case 'score': {
      if (tally.kind !== 'score') throw kindMismatch(settings, tally);
      const entries = Object.entries(content.scores);
      if (entries.length === 0) return { ...tally, ballots, blank: tally.blank + 1 };
      let { sums, counts } = tally;
      for (const [id, score] of entries) {
        sums = plus(sums, id, score);
        counts = plus(counts, id, 1);
      }
      return { ...tally, ballots, sums, counts };
    }
  }
}

/** Recomputes a tally from stored ballots (e.g. after a restart). Same result as adding them live. */
export function tallyPollBallots(settings: PollSettings, contents: Iterable<BallotContent>): PollTally {
  let tally = emptyPollTally(settings);
  for (const content of contents) tally = addToPollTally(settings, tally, content);
  return tally;
}

/**
 * Whether the running tally is shown while a poll is open. Never for a secret ballot; nor for a
 * ranking, whose running point totals invite tactical ordering: its points appear at the close.
 */
export function liveTallyShown(settings: Pick<PollSettings, 'secret' | 'kind'>): boolean {
  return !settings.secret && settings.kind !== 'ranking';
}
