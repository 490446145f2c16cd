import type { Choice, PollOutcome, Tally } from './domain';

export const emptyTally = (): Tally => ({ yes: 0, no: 0, abstain: 0 });

/** Adds one ballot to a tally, returning a new tally. */
export function addBallot(tally: Tally, choice: Choice): Tally {
  return { ...tally, [choice]: tally[choice] + 1 };
}

export function ballotCount(tally: Tally): number {
  return tally.yes + tally.no + tally.abstain;
}

/**
 * Simple majority of votes cast for or against: adopted when "yes" outnumbers "no".
 * Abstentions are counted as present but do not decide. The live-room issue adds the other
 * majority rules and quorum.
 */
export function decide(tally: Tally): PollOutcome {
  return tally.yes > tally.no ? 'adopted' : 'rejected';
}
