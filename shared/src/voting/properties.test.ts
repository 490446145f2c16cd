import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BallotContent, BallotContent as BallotSchema, validateBallot } from './ballot';
import { evaluatePoll, PollResult } from './evaluate';
import { PollSettings } from './settings';
import { addToPollTally, emptyPollTally, PollTally, tallyPollBallots } from './tally';

const quorumArb = fc.oneof(
  fc.constant({ type: 'none' }),
  fc.record({ type: fc.constant('ballots'), min: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ type: fc.constant('share'), share: fc.integer({ min: 1, max: 10_000 }).map((n) => n / 10_000) }),
);
const majorityArb = fc.record({
  rule: fc.constantFrom('simple', 'absolute', 'twoThirds'),
  base: fc.constantFrom('cast', 'present'),
});
const simpleArb = fc.record({ rule: fc.constant('simple'), base: fc.constantFrom('cast', 'present') });

/** Any valid settings, built as raw input and parsed (so the arbitrary cannot drift from the schema). */
const settingsArb: fc.Arbitrary<PollSettings> = fc
  .record({
    kind: fc.constantFrom('yesno', 'single', 'multiple', 'ranking', 'score'),
    n: fc.integer({ min: 2, max: 6 }),
    k: fc.integer({ min: 1, max: 6 }),
    min: fc.integer({ min: -10, max: 5 }),
    span: fc.integer({ min: 1, max: 10 }),
    quorum: quorumArb,
    majority: majorityArb,
    simple: simpleArb,
    secret: fc.boolean(),
    electorate: fc.constantFrom('members', 'all'),
  })
  .map(({ kind, n, k, min, span, quorum, majority, simple, secret, electorate }) => {
    const options = Array.from({ length: n }, (_, i) => ({ id: `o${i}`, label: `Option ${i}` }));
    const common = { kind, question: 'Q', secret, electorate, quorum };
    const rest =
      kind === 'yesno'
        ? { majority }
        : kind === 'single'
          ? { options, majority }
          : kind === 'multiple'
            ? { options, majority, maxChoices: Math.min(k, n) }
            : kind === 'ranking'
              ? { options, majority: simple }
              : { options, majority: simple, scoreRange: { min, max: min + span } };
    return PollSettings.parse({ ...common, ...rest });
  });

/** A valid ballot for the settings (blanks included). */
function ballotArb(settings: PollSettings): fc.Arbitrary<BallotContent> {
  if (settings.kind === 'yesno') {
    return fc.constantFrom('yes', 'no', 'abstain').map((choice) => ({ kind: 'yesno', choice }));
  }
  const ids = settings.options.map((o) => o.id);
  switch (settings.kind) {
    case 'single':
      return fc.option(fc.constantFrom(...ids), { nil: null }).map((optionId) => ({ kind: 'single', optionId }));
    case 'multiple':
      return fc
        .shuffledSubarray(ids, { maxLength: settings.maxChoices })
        .map((optionIds) => ({ kind: 'multiple', optionIds }));
    case 'ranking':
      return fc
        .oneof(fc.constant<string[]>([]), fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }))
        .map((ranking) => ({ kind: 'ranking', ranking }));
    case 'score': {
      const { min, max } = settings.scoreRange;
      const full = fc
        .array(fc.integer({ min, max }), { minLength: ids.length, maxLength: ids.length })
        .map((values) => Object.fromEntries(ids.map((id, i) => [id, values[i] ?? min])));
      return fc.oneof(fc.constant({}), full).map((scores) => ({ kind: 'score', scores }));
    }
  }
}

/** Settings, valid ballots, the same ballots in another order, and a present electorate. */
const pollArb = settingsArb.chain((settings) =>
  fc.array(ballotArb(settings), { maxLength: 40 }).chain((ballots) =>
    fc.record({
      settings: fc.constant(settings),
      ballots: fc.constant(ballots),
      shuffled: fc.shuffledSubarray(ballots, { minLength: ballots.length, maxLength: ballots.length }),
      present: fc.integer({ min: 0, max: 60 }),
    }),
  ),
);

describe('voting engine properties', () => {
  it('generated ballots are schema-valid and accepted', () => {
    fc.assert(
      fc.property(pollArb, ({ settings, ballots }) => {
        for (const b of ballots) {
          expect(BallotSchema.parse(b)).toEqual(b);
          expect(validateBallot(settings, b)).toEqual({ ok: true });
        }
      }),
    );
  });

  it('the tally does not depend on ballot order', () => {
    fc.assert(
      fc.property(pollArb, ({ settings, ballots, shuffled }) => {
        expect(tallyPollBallots(settings, shuffled)).toEqual(tallyPollBallots(settings, ballots));
        expect(tallyPollBallots(settings, [...ballots].reverse())).toEqual(tallyPollBallots(settings, ballots));
      }),
    );
  });

  it('the live tally equals a recount, and each step is schema-valid and counts one ballot', () => {
    fc.assert(
      fc.property(pollArb, ({ settings, ballots }) => {
        let live = emptyPollTally(settings);
        for (const b of ballots) {
          const next = addToPollTally(settings, live, b);
          expect(next.ballots).toBe(live.ballots + 1);
          live = next;
        }
        expect(PollTally.parse(live)).toEqual(live);
        expect(live).toEqual(tallyPollBallots(settings, ballots));
      }),
    );
  });

  it('Borda points sum to ranked ballots × n(n−1)/2', () => {
    fc.assert(
      fc.property(pollArb, ({ settings, ballots }) => {
        const t = tallyPollBallots(settings, ballots);
        if (settings.kind !== 'ranking' || t.kind !== 'ranking') return;
        const n = settings.options.length;
        const total = Object.values(t.points).reduce((a, b) => a + b, 0);
        expect(total).toBe(((t.ballots - t.blank) * n * (n - 1)) / 2);
      }),
    );
  });

  it('evaluatePoll never throws for valid inputs and returns a consistent, schema-valid result', () => {
    fc.assert(
      fc.property(pollArb, ({ settings, ballots, present }) => {
        const tally = tallyPollBallots(settings, ballots);
        const r = evaluatePoll(settings, tally, { presentElectorate: present });
        expect(PollResult.parse(r)).toEqual(r);
        expect(r.kind).toBe(settings.kind);
        expect(r.ballots).toBe(ballots.length);
        expect(r.quorum.reached).toBe(ballots.length >= r.quorum.required);
        expect(r.base).toBeGreaterThanOrEqual(settings.majority.base === 'cast' ? 0 : present);
        const outcome = r.outcome;
        if (!r.quorum.reached) {
          expect(typeof outcome === 'string' ? outcome : outcome.type).toBe('noQuorum');
          return;
        }
        const ids = settings.kind === 'yesno' ? [] : settings.options.map((o) => o.id);
        if (typeof outcome === 'string') {
          expect(outcome).not.toBe('noQuorum');
        } else if (outcome.type === 'elected') {
          expect(ids).toContain(outcome.winner);
        } else if (outcome.type === 'tie') {
          expect(outcome.tied.length).toBeGreaterThanOrEqual(2);
        } else if (outcome.type === 'decided' && settings.kind === 'multiple') {
          expect(outcome.elected.length + outcome.tiedSeats).toBeLessThanOrEqual(settings.maxChoices);
          expect(outcome.tied.length === 0 || outcome.tied.length > outcome.tiedSeats).toBe(true);
        }
      }),
    );
  });
});
