import { z } from 'zod';
import { votingLimits } from './limits';
import { OptionId, type PollSettings, YesNoChoice } from './settings';

/**
 * One voter's ballot, by kind. Every kind has exactly one *blank* form, which is allowed and
 * counts as cast (towards the quorum and the 'cast' majority base) but for no option:
 * yesno `abstain`, single `optionId: null`, multiple `optionIds: []`, ranking `ranking: []`,
 * score `scores: {}`.
 */
export const BallotContent = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('yesno'), choice: YesNoChoice }),
    z.strictObject({ kind: z.literal('single'), optionId: OptionId.nullable() }),
    z.strictObject({ kind: z.literal('multiple'), optionIds: z.array(OptionId).max(votingLimits.maxOptions) }),
    z.strictObject({ kind: z.literal('ranking'), ranking: z.array(OptionId).max(votingLimits.maxOptions) }),
    z.strictObject({
      kind: z.literal('score'),
      // JSON.parse makes `__proto__` an own key; a record would drop it without a word and store
      // a blank ballot, so it is refused before the record is read.
      scores: z
        .custom<Record<string, unknown>>(
          (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.hasOwn(v, '__proto__'),
          { error: "scores must be an object of option ids, and '__proto__' is not one" },
        )
        .pipe(z.record(OptionId, z.number().int()))
        .refine((scores) => Object.keys(scores).length <= votingLimits.maxOptions, {
          error: `a score ballot scores at most ${votingLimits.maxOptions} options`,
        }),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'kind must be one of: yesno, single, multiple, ranking, score' : undefined,
  },
);
export type BallotContent = z.infer<typeof BallotContent>;

/**
 * Why `validateBallot` refuses a (schema-valid) ballot for a poll's settings:
 * - KIND_MISMATCH: the ballot's kind is not the poll's kind.
 * - UNKNOWN_OPTION: names an option the poll does not offer.
 * - DUPLICATE_OPTION: names an option twice (multiple, ranking).
 * - TOO_MANY_CHOICES: more than `maxChoices` options (multiple).
 * - INCOMPLETE_RANKING: a non-blank ranking that does not rank every option.
 * - INCOMPLETE_SCORES: a non-blank score ballot that does not score every option.
 * - SCORE_OUT_OF_RANGE: a score outside `scoreRange` (inclusive).
 * Checks run in this order: kind, unknown, duplicate, too many / out of range, incomplete.
 */
export const BallotRefusal = z.enum([
  'KIND_MISMATCH',
  'UNKNOWN_OPTION',
  'DUPLICATE_OPTION',
  'TOO_MANY_CHOICES',
  'INCOMPLETE_RANKING',
  'INCOMPLETE_SCORES',
  'SCORE_OUT_OF_RANGE',
]);
export type BallotRefusal = z.infer<typeof BallotRefusal>;

export type BallotCheck = { ok: true } | { ok: false; reason: BallotRefusal };

const accepted: BallotCheck = { ok: true };
const refuse = (reason: BallotRefusal): BallotCheck => ({ ok: false, reason });

/** The blank form of each kind (see `BallotContent`). Blank ballots are valid and count as cast. */
export function isBlankBallot(content: BallotContent): boolean {
  switch (content.kind) {
    case 'yesno':
      return content.choice === 'abstain';
    case 'single':
      return content.optionId === null;
    case 'multiple':
      return content.optionIds.length === 0;
    case 'ranking':
      return content.ranking.length === 0;
    case 'score':
      return Object.keys(content.scores).length === 0;
  }
}

/** Checks ids against the offered options: unknown first, then duplicates. */
function checkIds(offered: ReadonlySet<string>, ids: readonly string[]): BallotCheck {
  if (ids.some((id) => !offered.has(id))) return refuse('UNKNOWN_OPTION');
  if (new Set(ids).size !== ids.length) return refuse('DUPLICATE_OPTION');
  return accepted;
}

/**
 * Whether a schema-valid ballot is acceptable for a poll. Rules:
 * - yesno: every choice is valid.
 * - single: one offered option, or `null` (blank).
 * - multiple: 0..maxChoices distinct offered options; 0 is a blank ballot.
 * - ranking: either empty (blank) or a complete ranking of every option, each exactly once.
 *   A complete ranking is required so Borda points are comparable across ballots.
 * - score: either empty (blank) or a whole-number score within `scoreRange` for every option.
 *   Complete scores are required so averages are over the same voters for every option.
 */
export function validateBallot(settings: PollSettings, content: BallotContent): BallotCheck {
  if (settings.kind === 'yesno') return content.kind === 'yesno' ? accepted : refuse('KIND_MISMATCH');
  const offered = new Set(settings.options.map((o) => o.id));
  switch (settings.kind) {
    case 'single': {
      if (content.kind !== 'single') return refuse('KIND_MISMATCH');
      return content.optionId === null ? accepted : checkIds(offered, [content.optionId]);
    }
    case 'multiple': {
      if (content.kind !== 'multiple') return refuse('KIND_MISMATCH');
      const ids = checkIds(offered, content.optionIds);
      if (!ids.ok) return ids;
      return content.optionIds.length > settings.maxChoices ? refuse('TOO_MANY_CHOICES') : accepted;
    }
    case 'ranking': {
      if (content.kind !== 'ranking') return refuse('KIND_MISMATCH');
      if (content.ranking.length === 0) return accepted;
      const ids = checkIds(offered, content.ranking);
      if (!ids.ok) return ids;
      return content.ranking.length === offered.size ? accepted : refuse('INCOMPLETE_RANKING');
    }
    case 'score': {
      if (content.kind !== 'score') return refuse('KIND_MISMATCH');
      const entries = Object.entries(content.scores);
      if (entries.length === 0) return accepted;
      const ids = checkIds(
        offered,
        entries.map(([id]) => id),
      );
      if (!ids.ok) return ids;
      const { min, max } = settings.scoreRange;
      if (entries.some(([, score]) => !Number.isInteger(score) || score < min || score > max)) {
        return refuse('SCORE_OUT_OF_RANGE');
      }
      return entries.length === offered.size ? accepted : refuse('INCOMPLETE_SCORES');
    }
  }
}
