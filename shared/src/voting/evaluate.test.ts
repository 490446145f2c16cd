import { describe, expect, it } from 'vitest';
import { VotingError } from './errors';
import { evaluatePoll, meetsMajority, PollResult, quorumRequired, votesNeeded } from './evaluate';
import type { Majority, MajorityRule, Quorum } from './settings';
import type { PollTally, PollTallyOf } from './tally';
import { multiple, ranking, score, single, yesno } from './test-fixtures';

const yn = (yes: number, no: number, abstain: number): PollTallyOf<'yesno'> => ({
  kind: 'yesno',
  ballots: yes + no + abstain,
  yes,
  no,
  abstain,
});

/** A single/multiple tally; `ballots` defaults to votes + blank (right for single-choice). */
const votes = <K extends 'single' | 'multiple'>(
  kind: K,
  counts: Record<string, number>,
  blank = 0,
  ballots = Object.values(counts).reduce((a, b) => a + b, 0) + blank,
) => ({ kind, ballots, blank, votes: counts });

/** Evaluates and checks the result against its own schema. */
function evaluate(...args: Parameters<typeof evaluatePoll>): PollResult {
  const result = evaluatePoll(...args);
  expect(PollResult.parse(result)).toEqual(result);
  return result;
}

const m = (rule: MajorityRule, base: Majority['base']): Majority => ({ rule, base });

describe('yes/no majority rules × base', () => {
  // [rule, base, yes, no, abstain, present, outcome, base used, votesNeeded]
  it.each([
    ['simple', 'cast', 3, 2, 5, 0, 'adopted', 10, null],
    ['simple', 'cast', 2, 2, 0, 0, 'rejected', 4, null],
    ['simple', 'cast', 0, 0, 4, 0, 'rejected', 4, null],
    ['simple', 'cast', 1, 0, 0, 0, 'adopted', 1, null],
    ['simple', 'present', 3, 2, 5, 30, 'adopted', 30, null],
    ['simple', 'present', 2, 3, 0, 30, 'rejected', 30, null],
    // absolute: yes × 2 > base
    ['absolute', 'cast', 5, 3, 2, 0, 'rejected', 10, 6], // exactly half: 10 > 10 fails
    ['absolute', 'cast', 6, 2, 2, 0, 'adopted', 10, 6],
    ['absolute', 'cast', 5, 4, 0, 0, 'adopted', 9, 5],
    ['absolute', 'cast', 4, 0, 5, 0, 'rejected', 9, 5], // abstentions count in the cast base
    ['absolute', 'present', 6, 0, 0, 12, 'rejected', 12, 7],
    ['absolute', 'present', 7, 0, 0, 12, 'adopted', 12, 7],
    ['absolute', 'present', 4, 4, 0, 5, 'rejected', 8, 5], // base never below ballots cast
    ['absolute', 'cast', 0, 0, 0, 0, 'rejected', 0, 1],
    // twoThirds: yes × 3 ≥ base × 2
    ['twoThirds', 'cast', 6, 3, 0, 0, 'adopted', 9, 6], // 18 ≥ 18
    ['twoThirds', 'cast', 5, 3, 0, 0, 'rejected', 8, 6], // 15 ≥ 16 fails
    ['twoThirds', 'cast', 6, 2, 0, 0, 'adopted', 8, 6], // 18 ≥ 16
    ['twoThirds', 'cast', 6, 0, 3, 0, 'adopted', 9, 6],
    ['twoThirds', 'cast', 5, 0, 3, 0, 'rejected', 8, 6],
    ['twoThirds', 'cast', 2, 1, 0, 0, 'adopted', 3, 2], // 6 ≥ 6
    ['twoThirds', 'cast', 1, 0, 0, 0, 'adopted', 1, 1],
    ['twoThirds', 'cast', 0, 0, 0, 0, 'rejected', 0, 1], // never adopted without a yes
    ['twoThirds', 'cast', 0, 0, 2, 0, 'rejected', 2, 2],
    ['twoThirds', 'present', 8, 0, 0, 12, 'adopted', 12, 8],
    ['twoThirds', 'present', 7, 0, 0, 12, 'rejected', 12, 8],
    ['twoThirds', 'present', 10, 1, 0, 9, 'adopted', 11, 8],
  ] as const)(
    '%s/%s yes=%i no=%i abstain=%i present=%i → %s',
    (rule, base, yes, no, abstain, present, outcome, usedBase, needed) => {
      const r = evaluate(yesno(m(rule, base)), yn(yes, no, abstain), { presentElectorate: present });
      expect(r.outcome).toBe(outcome);
      expect(r.base).toBe(usedBase);
      expect(r.votesNeeded).toBe(needed);
      expect(r.ballots).toBe(yes + no + abstain);
    },
  );
});

describe('quorum', () => {
  it.each<[string, Quorum, number, number]>([
    ['none', { type: 'none' }, 10, 0],
    ['ballots 5', { type: 'ballots', min: 5 }, 0, 5],
    ['share 0.5 of 10', { type: 'share', share: 0.5 }, 10, 5],
    ['share 0.5 of 11', { type: 'share', share: 0.5 }, 11, 6],
    ['share 0.7 of 10 (0.7 × 10 is 7.000000000000001 in floats)', { type: 'share', share: 0.7 }, 10, 7],
    ['share 0.3333 of 3', { type: 'share', share: 0.3333 }, 3, 1],
    ['share 0.6667 of 3', { type: 'share', share: 0.6667 }, 3, 3],
    ['share 0.6667 of 30', { type: 'share', share: 0.6667 }, 30, 21],
    ['share 1 of 7', { type: 'share', share: 1 }, 7, 7],
    ['share 0.0001 of 1', { type: 'share', share: 0.0001 }, 1, 1],
    ['share 0.5 of 0', { type: 'share', share: 0.5 }, 0, 0],
  ])('%s → %i', (_name, quorum, present, required) => {
    expect(quorumRequired(quorum, present)).toBe(required);
  });

  // [quorum, present, yes, no, abstain, reached]
  it.each<[string, Quorum, number, number, number, number, boolean]>([
    ['ballots: exactly at min', { type: 'ballots', min: 5 }, 0, 5, 0, 0, true],
    ['ballots: one under', { type: 'ballots', min: 5 }, 0, 4, 0, 0, false],
    ['ballots: abstentions count', { type: 'ballots', min: 5 }, 0, 1, 0, 4, true],
    ['share 0.5 of 10: exactly 5', { type: 'share', share: 0.5 }, 10, 5, 0, 0, true],
    ['share 0.5 of 10: 4', { type: 'share', share: 0.5 }, 10, 4, 0, 0, false],
    ['share 0.5 of 11: 6', { type: 'share', share: 0.5 }, 11, 6, 0, 0, true],
    ['share 0.5 of 11: 5', { type: 'share', share: 0.5 }, 11, 5, 0, 0, false],
    ['share 0.7 of 10: 7', { type: 'share', share: 0.7 }, 10, 7, 0, 0, true],
    ['share 0.7 of 10: 6', { type: 'share', share: 0.7 }, 10, 6, 0, 0, false],
    ['share 1 of 7: 7', { type: 'share', share: 1 }, 7, 7, 0, 0, true],
    ['share 1 of 7: 6', { type: 'share', share: 1 }, 7, 6, 0, 0, false],
    ['none with no ballots', { type: 'none' }, 10, 0, 0, 0, true],
  ])('%s', (_name, quorum, present, yes, no, abstain, reached) => {
    const r = evaluate(yesno(m('simple', 'cast'), quorum), yn(yes, no, abstain), { presentElectorate: present });
    expect(r.quorum.reached).toBe(reached);
    expect(r.quorum.required).toBe(quorumRequired(quorum, present));
    if (!reached) expect(r.outcome).toBe('noQuorum');
    else expect(r.outcome).toBe(yes > no ? 'adopted' : 'rejected');
  });

  it.each([
    ['single', single(['a', 'b'], m('simple', 'cast'), { type: 'ballots', min: 3 }), votes('single', { a: 2, b: 0 })],
    [
      'multiple',
      multiple(['a', 'b'], 1, m('simple', 'cast'), { type: 'ballots', min: 3 }),
      votes('multiple', { a: 2, b: 0 }),
    ],
    [
      'ranking',
      ranking(['a', 'b'], { type: 'ballots', min: 3 }),
      { kind: 'ranking', ballots: 2, blank: 0, points: { a: 2, b: 0 } },
    ],
    [
      'score',
      score(['a', 'b'], 1, 5, { type: 'ballots', min: 3 }),
      { kind: 'score', ballots: 2, blank: 0, sums: { a: 10, b: 2 }, counts: { a: 2, b: 2 } },
    ],
  ] as const)('%s: no quorum whatever the votes', (_name, settings, tally) => {
    expect(evaluate(settings, tally, { presentElectorate: 10 }).outcome).toEqual({ type: 'noQuorum' });
  });
});

describe('single choice', () => {
  it.each([
    ['simple: plurality', m('simple', 'cast'), { a: 3, b: 2, c: 1 }, 0, 0, { type: 'elected', winner: 'a' }],
    ['simple: one vote is enough', m('simple', 'cast'), { a: 0, b: 1, c: 0 }, 5, 0, { type: 'elected', winner: 'b' }],
    ['simple: tie at the top', m('simple', 'cast'), { a: 3, b: 3, c: 1 }, 0, 0, { type: 'tie', tied: ['a', 'b'] }],
    ['simple: three-way tie', m('simple', 'cast'), { a: 2, b: 2, c: 2 }, 0, 0, { type: 'tie', tied: ['a', 'b', 'c'] }],
    ['simple: all blank', m('simple', 'cast'), { a: 0, b: 0, c: 0 }, 3, 0, { type: 'noMajority' }],
    ['absolute/cast: 5 of 9', m('absolute', 'cast'), { a: 5, b: 4, c: 0 }, 0, 0, { type: 'elected', winner: 'a' }],
    [
      'absolute/cast: 5 of 10 (blank counts)',
      m('absolute', 'cast'),
      { a: 5, b: 4, c: 0 },
      1,
      0,
      { type: 'noMajority' },
    ],
    ['absolute/cast: 5 of 10', m('absolute', 'cast'), { a: 5, b: 3, c: 2 }, 0, 0, { type: 'noMajority' }],
    [
      'absolute/present: 6 of 11',
      m('absolute', 'present'),
      { a: 6, b: 0, c: 0 },
      0,
      11,
      { type: 'elected', winner: 'a' },
    ],
    ['absolute/present: 6 of 12', m('absolute', 'present'), { a: 6, b: 0, c: 0 }, 0, 12, { type: 'noMajority' }],
    ['twoThirds/cast: 6 of 9', m('twoThirds', 'cast'), { a: 6, b: 2, c: 1 }, 0, 0, { type: 'elected', winner: 'a' }],
    ['twoThirds/cast: 5 of 8', m('twoThirds', 'cast'), { a: 5, b: 2, c: 1 }, 0, 0, { type: 'noMajority' }],
    [
      'twoThirds/present: 8 of 12',
      m('twoThirds', 'present'),
      { a: 8, b: 0, c: 0 },
      0,
      12,
      { type: 'elected', winner: 'a' },
    ],
    ['twoThirds/present: 7 of 12', m('twoThirds', 'present'), { a: 7, b: 0, c: 0 }, 0, 12, { type: 'noMajority' }],
  ] as const)('%s', (_name, majority, counts, blank, present, outcome) => {
    const r = evaluate(single(['a', 'b', 'c'], majority), votes('single', counts, blank), {
      presentElectorate: present,
    });
    expect(r.outcome).toEqual(outcome);
  });

  it('lists standings best first, ties in settings order', () => {
    const r = evaluate(single(['a', 'b', 'c']), votes('single', { a: 1, b: 3, c: 1 }), { presentElectorate: 0 });
    expect(r.kind === 'single' && r.standings).toEqual([
      { optionId: 'b', votes: 3 },
      { optionId: 'a', votes: 1 },
      { optionId: 'c', votes: 1 },
    ]);
  });
});

describe('multiple choice (k = 2 of a, b, c, d)', () => {
  const ids = ['a', 'b', 'c', 'd'];
  // ballots is given explicitly: a ballot may mark several options.
  it.each([
    ['simple: top two', m('simple', 'cast'), { a: 5, b: 4, c: 3, d: 0 }, 6, 0, ['a', 'b'], [], 0],
    ['simple: tie for 2nd place', m('simple', 'cast'), { a: 5, b: 4, c: 4, d: 0 }, 6, 0, ['a'], ['b', 'c'], 1],
    [
      'simple: three-way tie for both seats',
      m('simple', 'cast'),
      { a: 4, b: 4, c: 4, d: 1 },
      6,
      0,
      [],
      ['a', 'b', 'c'],
      2,
    ],
    [
      'simple: tie inside the k places is fine',
      m('simple', 'cast'),
      { a: 5, b: 5, c: 1, d: 0 },
      6,
      0,
      ['a', 'b'],
      [],
      0,
    ],
    [
      'simple: fewer options with votes than seats',
      m('simple', 'cast'),
      { a: 3, b: 0, c: 0, d: 0 },
      3,
      0,
      ['a'],
      [],
      0,
    ],
    ['simple: all blank', m('simple', 'cast'), { a: 0, b: 0, c: 0, d: 0 }, 3, 0, [], [], 0],
    ['absolute/cast: two over half', m('absolute', 'cast'), { a: 6, b: 6, c: 5, d: 0 }, 10, 0, ['a', 'b'], [], 0],
    ['absolute/cast: only one over half', m('absolute', 'cast'), { a: 6, b: 5, c: 5, d: 0 }, 10, 0, ['a'], [], 0],
    [
      'absolute/cast: three over half tie for two seats',
      m('absolute', 'cast'),
      { a: 6, b: 6, c: 6, d: 0 },
      10,
      0,
      [],
      ['a', 'b', 'c'],
      2,
    ],
    [
      'absolute/cast: tie for the 2nd seat',
      m('absolute', 'cast'),
      { a: 9, b: 6, c: 6, d: 0 },
      10,
      0,
      ['a'],
      ['b', 'c'],
      1,
    ],
    ['twoThirds/present: 6 of 9', m('twoThirds', 'present'), { a: 6, b: 5, c: 0, d: 0 }, 7, 9, ['a'], [], 0],
    ['twoThirds/cast: none reaches 2/3', m('twoThirds', 'cast'), { a: 5, b: 5, c: 0, d: 0 }, 8, 0, [], [], 0],
  ] as const)('%s', (_name, majority, counts, ballots, present, elected, tied, tiedSeats) => {
    const r = evaluate(multiple(ids, 2, majority), votes('multiple', counts, 0, ballots), {
      presentElectorate: present,
    });
    expect(r.outcome).toEqual({ type: 'decided', elected, tied, tiedSeats });
  });
});

describe('ranking (Borda)', () => {
  it('elects the worked example winner', () => {
    // Points from the worked example in tally.test.ts: a 8, b 12, c 7, d 3 over 6 ballots (1 blank).
    const tally: PollTally = { kind: 'ranking', ballots: 6, blank: 1, points: { a: 8, b: 12, c: 7, d: 3 } };
    const r = evaluate(ranking(['a', 'b', 'c', 'd']), tally, { presentElectorate: 6 });
    expect(r.outcome).toEqual({ type: 'elected', winner: 'b' });
    expect(r.kind === 'ranking' && r.standings.map((s) => [s.optionId, s.points])).toEqual([
      ['b', 12],
      ['a', 8],
      ['c', 7],
      ['d', 3],
    ]);
  });

  it.each([
    // a>b>c and b>a>c: a 2+1 = 3, b 1+2 = 3, c 0.
    ['tie', { a: 3, b: 3, c: 0 }, 2, 0, { type: 'tie', tied: ['a', 'b'] }],
    ['all blank', { a: 0, b: 0, c: 0 }, 3, 3, { type: 'noMajority' }],
    ['no ballots', { a: 0, b: 0, c: 0 }, 0, 0, { type: 'noMajority' }],
  ] as const)('%s', (_name, points, ballots, blank, outcome) => {
    const r = evaluate(ranking(['a', 'b', 'c']), { kind: 'ranking', ballots, blank, points }, { presentElectorate: 0 });
    expect(r.outcome).toEqual(outcome);
  });
});

describe('score (average)', () => {
  it('elects the best average and reports averages', () => {
    // {a:5,b:3,c:4} {a:2,b:4,c:4} {a:5,b:3,c:1} → sums 12, 10, 9 over 3 → 4, 3.33…, 3.
    const r = evaluate(
      score(['a', 'b', 'c']),
      { kind: 'score', ballots: 4, blank: 1, sums: { a: 12, b: 10, c: 9 }, counts: { a: 3, b: 3, c: 3 } },
      { presentElectorate: 0 },
    );
    expect(r.outcome).toEqual({ type: 'elected', winner: 'a' });
    expect(r.kind === 'score' && r.standings).toEqual([
      { optionId: 'a', sum: 12, count: 3, average: 4 },
      { optionId: 'b', sum: 10, count: 3, average: 10 / 3 },
      { optionId: 'c', sum: 9, count: 3, average: 3 },
    ]);
  });

  it.each([
    ['tie', { a: 6, b: 6, c: 3 }, { a: 2, b: 2, c: 2 }, { type: 'tie', tied: ['a', 'b'] }],
    // 1/3 vs 2/6: equal averages compared in integers (1 × 6 = 2 × 3), never as floats.
    [
      'equal averages over different counts',
      { a: 1, b: 2, c: 0 },
      { a: 3, b: 6, c: 3 },
      { type: 'tie', tied: ['a', 'b'] },
    ],
    ['negative scores', { a: -4, b: -1, c: -6 }, { a: 2, b: 2, c: 2 }, { type: 'elected', winner: 'b' }],
    ['nobody scored', { a: 0, b: 0, c: 0 }, { a: 0, b: 0, c: 0 }, { type: 'noMajority' }],
  ] as const)('%s', (_name, sums, counts, outcome) => {
    const r = evaluate(
      score(['a', 'b', 'c'], -3, 3),
      { kind: 'score', ballots: 6, blank: 0, sums, counts },
      { presentElectorate: 0 },
    );
    expect(r.outcome).toEqual(outcome);
  });

  it('reports a null average for an option nobody scored', () => {
    const r = evaluate(
      score(['a', 'b']),
      { kind: 'score', ballots: 1, blank: 1, sums: { a: 0, b: 0 }, counts: { a: 0, b: 0 } },
      { presentElectorate: 0 },
    );
    expect(r.kind === 'score' && r.standings.map((s) => s.average)).toEqual([null, null]);
  });
});

describe('thresholds', () => {
  it('votesNeeded is the least number of votes meetsMajority accepts', () => {
    for (const rule of ['absolute', 'twoThirds'] as const) {
      for (let base = 0; base <= 60; base++) {
        const needed = votesNeeded(rule, base) ?? 0;
        expect(meetsMajority(rule, needed, base)).toBe(true);
        expect(meetsMajority(rule, needed - 1, base)).toBe(false);
      }
    }
  });
});

describe('programming errors throw', () => {
  it('a tally of another kind', () => {
    expect(() => evaluatePoll(single(['a', 'b']), yn(1, 0, 0), { presentElectorate: 0 })).toThrow(VotingError);
    expect(() => evaluatePoll(single(['a', 'b']), votes('multiple', { a: 1, b: 0 }), { presentElectorate: 0 })).toThrow(
      'KIND_MISMATCH',
    );
  });

  it.each([-1, 1.5, Number.NaN])('presentElectorate %s', (present) => {
    expect(() => evaluatePoll(yesno(), yn(1, 0, 0), { presentElectorate: present })).toThrow('BAD_CONTEXT');
  });
});
