/**
 * Thrown only on programming errors: a ballot that `validateBallot` refuses passed to
 * `addToPollTally`, a tally of another kind than its settings, or an invalid evaluation context.
 * Valid inputs never throw.
 */
export class VotingError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(`${code}: ${message}`);
    this.name = 'VotingError';
    this.code = code;
  }
}
