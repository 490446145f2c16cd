import { z } from 'zod';
import { limits } from '../limits';
import { votingLimits, votingShareScale } from './limits';

/** The five kinds of poll. */
export const PollKind = z.enum(['yesno', 'single', 'multiple', 'ranking', 'score']);
export type PollKind = z.infer<typeof PollKind>;

/**
 * An option's id: the same shape as `Id` in domain.ts, declared here because domain.ts imports
 * this folder (voting/ must not import domain.ts). `__proto__` is refused so ids can safely key
 * plain objects.
 */
export const OptionId = z
  .string()
  .min(1)
  .max(limits.maxIdLength)
  .regex(/^[A-Za-z0-9:_-]+$/, { error: 'an option id uses only letters, digits, ":", "_" and "-"' })
  .refine((id) => id !== '__proto__', { error: "'__proto__' cannot be an option id" });
export type OptionId = z.infer<typeof OptionId>;

export const PollOption = z.strictObject({
  id: OptionId,
  label: z
    .string()
    .trim()
    .min(1, { error: 'an option needs a label' })
    .max(votingLimits.maxOptionLabelLength, {
      error: `an option label has at most ${votingLimits.maxOptionLabelLength} characters`,
    }),
});
export type PollOption = z.infer<typeof PollOption>;

const PollOptions = z
  .array(PollOption, { error: 'this poll needs a list of options' })
  .min(votingLimits.minOptions, { error: `a poll needs at least ${votingLimits.minOptions} options` })
  .max(votingLimits.maxOptions, { error: `a poll has at most ${votingLimits.maxOptions} options` })
  .superRefine((options, ctx) => {
    const seen = new Set<string>();
    options.forEach((option, index) => {
      if (seen.has(option.id)) {
        ctx.addIssue({ code: 'custom', message: `option id '${option.id}' is used twice`, path: [index, 'id'] });
      }
      seen.add(option.id);
    });
  });

/**
 * Who may vote. `members`: CPPCC members and the two conveners only. `all`: every participant
 * except staff, recorders and observers (see `mayVote`).
 */
export const Electorate = z.enum(['members', 'all']);
export type Electorate = z.infer<typeof Electorate>;

/** True when `share * 10^quorumShareDecimals` is a whole number (up to float noise). */
function hasShareDecimals(share: number): boolean {
  const scaled = share * votingShareScale;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * Least participation for a valid vote. `ballots`: at least `min` ballots cast (blanks count).
 * `share`: at least `ceil(share * presentElectorate)` ballots; `share` is in (0, 1] with at most
 * `votingLimits.quorumShareDecimals` decimals so the threshold is computed in integers.
 */
export const Quorum = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    z.strictObject({
      type: z.literal('ballots'),
      min: z
        .number()
        .int({ error: 'quorum.min must be a whole number' })
        .min(1, { error: 'quorum.min must be at least 1' })
        .max(votingLimits.maxQuorumBallots, { error: `quorum.min is at most ${votingLimits.maxQuorumBallots}` }),
    }),
    z.strictObject({
      type: z.literal('share'),
      share: z
        .number()
        .gt(0, { error: 'quorum.share must be greater than 0' })
        .lte(1, { error: 'quorum.share must be at most 1' })
        .refine(hasShareDecimals, {
          error: `quorum.share has at most ${votingLimits.quorumShareDecimals} decimal places`,
        }),
    }),
  ],
  {
    error: (issue) => (issue.code === 'invalid_union' ? "quorum.type must be 'none', 'ballots' or 'share'" : undefined),
  },
);
export type Quorum = z.infer<typeof Quorum>;

export const MajorityRule = z.enum(['simple', 'absolute', 'twoThirds']);
export type MajorityRule = z.infer<typeof MajorityRule>;

/** What the absolute and two-thirds rules divide by: ballots cast, or the present electorate. */
export const MajorityBase = z.enum(['cast', 'present']);
export type MajorityBase = z.infer<typeof MajorityBase>;

export const Majority = z.strictObject({ rule: MajorityRule, base: MajorityBase });
export type Majority = z.infer<typeof Majority>;

const SimpleMajority = z.strictObject({
  rule: z.literal('simple', { error: "ranking and score polls only allow the 'simple' majority rule" }),
  base: MajorityBase,
});

export const ScoreRange = z
  .strictObject({
    min: z
      .number()
      .int({ error: 'scoreRange.min must be a whole number' })
      .min(-votingLimits.scoreBound, { error: `scoreRange.min is at least ${-votingLimits.scoreBound}` }),
    max: z
      .number()
      .int({ error: 'scoreRange.max must be a whole number' })
      .max(votingLimits.scoreBound, { error: `scoreRange.max is at most ${votingLimits.scoreBound}` }),
  })
  .refine((r) => r.min < r.max, { error: 'scoreRange.min must be less than scoreRange.max' })
  .refine((r) => r.max - r.min <= votingLimits.maxScoreSpan, {
    error: `scoreRange spans at most ${votingLimits.maxScoreSpan} points`,
  });
export type ScoreRange = z.infer<typeof ScoreRange>;

/** Readable refusal of keys that belong to another kind of poll (e.g. maxChoices on a yesno poll). */
function strictFor(kind: PollKind, hint = '') {
  return {
    error: (issue: z.core.$ZodRawIssue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.join(', ')} ${issue.keys.length === 1 ? 'is' : 'are'} not allowed on a ${kind} poll${hint}`
        : undefined,
  };
}

const common = {
  question: z
    .string()
    .trim()
    .min(1, { error: 'the question must not be empty' })
    .max(limits.maxPollQuestionLength, {
      error: `the question has at most ${limits.maxPollQuestionLength} characters`,
    }),
  /** Secret ballots: the server must never reveal who voted what. Counting is identical. */
  secret: z.boolean(),
  electorate: Electorate,
  quorum: Quorum,
};

export const YesNoPollSettings = z.strictObject(
  { kind: z.literal('yesno'), ...common, majority: Majority },
  strictFor('yesno', ' (its choices are fixed: yes, no, abstain)'),
);
export const SinglePollSettings = z.strictObject(
  { kind: z.literal('single'), ...common, options: PollOptions, majority: Majority },
  strictFor('single'),
);
export const MultiplePollSettings = z
  .strictObject(
    {
      kind: z.literal('multiple'),
      ...common,
      options: PollOptions,
      maxChoices: z
        .number({ error: 'a multiple-choice poll needs maxChoices (a whole number)' })
        .int({ error: 'maxChoices must be a whole number' })
        .min(1, { error: 'maxChoices must be at least 1' }),
      majority: Majority,
    },
    strictFor('multiple'),
  )
  .refine((s) => s.maxChoices <= s.options.length, {
    error: 'maxChoices must not exceed the number of options',
    path: ['maxChoices'],
  });
export const RankingPollSettings = z.strictObject(
  { kind: z.literal('ranking'), ...common, options: PollOptions, majority: SimpleMajority },
  strictFor('ranking'),
);
export const ScorePollSettings = z.strictObject(
  {
    kind: z.literal('score'),
    ...common,
    options: PollOptions,
    scoreRange: ScoreRange,
    majority: SimpleMajority,
  },
  strictFor('score'),
);

/** A poll's settings, frozen once the poll opens. Parse with `PollSettings.safeParse` to get readable refusals. */
export const PollSettings = z.discriminatedUnion(
  'kind',
  [YesNoPollSettings, SinglePollSettings, MultiplePollSettings, RankingPollSettings, ScorePollSettings],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? `kind must be one of: ${PollKind.options.join(', ')}` : undefined,
  },
);
export type PollSettings = z.infer<typeof PollSettings>;
export type PollSettingsOf<K extends PollKind> = Extract<PollSettings, { kind: K }>;

/** The fixed choices of a yes/no poll; "abstain" is its blank ballot. */
export const YesNoChoice = z.enum(['yes', 'no', 'abstain']);
export type YesNoChoice = z.infer<typeof YesNoChoice>;

/** The option ids a ballot may name: the fixed choices for yesno, the configured options otherwise. */
export function pollOptionIds(settings: PollSettings): string[] {
  return settings.kind === 'yesno' ? [...YesNoChoice.options] : settings.options.map((o) => o.id);
}
