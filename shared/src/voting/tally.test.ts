import { describe, expect, it } from 'vitest';
import type { BallotContent } from './ballot';
import { VotingError } from './errors';
import { addToPollTally, emptyPollTally, PollTally, tallyPollBallots } from './tally';
import { multiple, ranking, score, single, yesno } from './test-fixtures';

describe('emptyPollTally', () => {
  it.each([
    ['yesno', yesno(), { kind: 'yesno', ballots: 0, yes: 0, no: 0, abstain: 0 }],
    ['single', single(['a', 'b']), { kind: 'single', ballots: 0, blank: 0, votes: { a: 0, b: 0 } }],
    ['multiple', multiple(['a', 'b'], 2), { kind: 'multiple', ballots: 0, blank: 0, votes: { a: 0, b: 0 } }],
    ['ranking', ranking(['a', 'b']), { kind: 'ranking', ballots: 0, blank: 0, points: { a: 0, b: 0 } }],
    ['score', score(['a', 'b']), { kind: 'score', ballots: 0, blank: 0, sums: { a: 0, b: 0 }, counts: { a: 0, b: 0 } }],
  ])('%s', (_name, settings, expected) => {
    const tally = emptyPollTally(settings);
    expect(tally).toEqual(expected);
    expect(PollTally.parse(tally)).toEqual(expected);
  });
});

describe('addToPollTally', () => {
  it('returns a new tally and leaves the old one untouched', () => {
    const s = single(['a', 'b']);
    const t0 = emptyPollTally(s);
    const t1 = addToPollTally(s, t0, { kind: 'single', optionId: 'a' });
    expect(t0).toEqual({ kind: 'single', ballots: 0, blank: 0, votes: { a: 0, b: 0 } });
    expect(t1).toEqual({ kind: 'single', ballots: 1, blank: 0, votes: { a: 1, b: 0 } });
  });

  it('counts yes/no/abstain; abstain is the blank', () => {
    const s = yesno();
    const t = tallyPollBallots(s, [
      { kind: 'yesno', choice: 'yes' },
      { kind: 'yesno', choice: 'abstain' },
      { kind: 'yesno', choice: 'yes' },
      { kind: 'yesno', choice: 'no' },
    ]);
    expect(t).toEqual({ kind: 'yesno', ballots: 4, yes: 2, no: 1, abstain: 1 });
  });

  it('counts single-choice votes and blanks', () => {
    const s = single(['a', 'b', 'c']);
    const t = tallyPollBallots(s, [
      { kind: 'single', optionId: 'c' },
      { kind: 'single', optionId: null },
      { kind: 'single', optionId: 'c' },
      { kind: 'single', optionId: 'a' },
    ]);
    expect(t).toEqual({ kind: 'single', ballots: 4, blank: 1, votes: { a: 1, b: 0, c: 2 } });
  });

  it('counts every option marked on a multiple-choice ballot; an empty ballot is blank', () => {
    const s = multiple(['a', 'b', 'c'], 2);
    const t = tallyPollBallots(s, [
      { kind: 'multiple', optionIds: ['a', 'b'] },
      { kind: 'multiple', optionIds: ['b'] },
      { kind: 'multiple', optionIds: [] },
    ]);
    expect(t).toEqual({ kind: 'multiple', ballots: 3, blank: 1, votes: { a: 1, b: 2, c: 0 } });
  });

  it('computes Borda points (worked example)', () => {
    // Four options, so 1st = 3 points, 2nd = 2, 3rd = 1, 4th = 0.
    //   ballot            a  b  c  d
    //   a > b > c > d     3  2  1  0
    //   a > b > c > d     3  2  1  0
    //   b > c > d > a     0  3  2  1
    //   c > b > d > a     0  2  3  1
    //   b > a > d > c     2  3  0  1
    //   (blank)           0  0  0  0
    //   total             8 12  7  3   (sum 30 = 5 ranked ballots × (3+2+1+0))
    // First places alone would tie a and b (2 each); Borda ranks b first.
    const s = ranking(['a', 'b', 'c', 'd']);
    const ballots: BallotContent[] = [
      { kind: 'ranking', ranking: ['a', 'b', 'c', 'd'] },
      { kind: 'ranking', ranking: ['a', 'b', 'c', 'd'] },
      { kind: 'ranking', ranking: ['b', 'c', 'd', 'a'] },
      { kind: 'ranking', ranking: ['c', 'b', 'd', 'a'] },
      { kind: 'ranking', ranking: ['b', 'a', 'd', 'c'] },
      { kind: 'ranking', ranking: [] },
    ];
    expect(tallyPollBallots(s, ballots)).toEqual({
      kind: 'ranking',
      ballots: 6,
      blank: 1,
      points: { a: 8, b: 12, c: 7, d: 3 },
    });
  });

  it('sums and counts scores', () => {
    const s = score(['a', 'b', 'c'], -2, 2);
    const t = tallyPollBallots(s, [
      { kind: 'score', scores: { a: 2, b: -2, c: 0 } },
      { kind: 'score', scores: { a: 1, b: -1, c: 0 } },
      { kind: 'score', scores: {} },
    ]);
    expect(t).toEqual({
      kind: 'score',
      ballots: 3,
      blank: 1,
      sums: { a: 3, b: -3, c: 0 },
      counts: { a: 2, b: 2, c: 2 },
    });
  });

  it('throws a VotingError for a refused ballot or a tally of another kind', () => {
    const s = single(['a', 'b']);
    expect(() => addToPollTally(s, emptyPollTally(s), { kind: 'single', optionId: 'z' })).toThrow(VotingError);
    expect(() => addToPollTally(s, emptyPollTally(s), { kind: 'yesno', choice: 'yes' })).toThrow('KIND_MISMATCH');
    const m = multiple(['a', 'b'], 1);
    expect(() => addToPollTally(s, emptyPollTally(m), { kind: 'single', optionId: 'a' })).toThrow('KIND_MISMATCH');
  });
});
