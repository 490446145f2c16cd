import { describe, expect, it } from 'vitest';
import { addBallot, ballotCount, decide, emptyTally } from './poll';

describe('poll rules', () => {
  it('adds ballots without mutating the tally', () => {
    const t0 = emptyTally();
    const t1 = addBallot(t0, 'yes');
    expect(t0).toEqual({ yes: 0, no: 0, abstain: 0 });
    expect(t1).toEqual({ yes: 1, no: 0, abstain: 0 });
    expect(ballotCount(addBallot(t1, 'abstain'))).toBe(2);
  });

  it.each([
    [{ yes: 3, no: 2, abstain: 5 }, 'adopted'],
    [{ yes: 2, no: 2, abstain: 0 }, 'rejected'],
    [{ yes: 0, no: 0, abstain: 4 }, 'rejected'],
    [{ yes: 0, no: 1, abstain: 0 }, 'rejected'],
    [{ yes: 1, no: 0, abstain: 0 }, 'adopted'],
  ] as const)('decides %o as %s', (tally, outcome) => {
    expect(decide(tally)).toBe(outcome);
  });
});
