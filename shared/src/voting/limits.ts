/** Limits of the voting engine. Kept apart from `../limits` until the rest of the repo migrates. */
export const votingLimits = {
  /** Fewest options a single/multiple/ranking/score poll may offer. */
  minOptions: 2,
  /** Most options a poll may offer; also bounds every array/record in a ballot. */
  maxOptions: 20,
  maxOptionLabelLength: 100,
  /** Score bounds: `scoreRange.min >= -scoreBound` and `scoreRange.max <= scoreBound`. */
  scoreBound: 100,
  /** Largest allowed `scoreRange.max - scoreRange.min`. */
  maxScoreSpan: 100,
  /** Largest `quorum.min` for a ballots quorum. */
  maxQuorumBallots: 100_000,
  /** A share quorum is given with at most this many decimal places (so it can be computed in integers). */
  quorumShareDecimals: 4,
} as const;

/** 10 ** quorumShareDecimals: shares are computed as integer parts-per-`votingShareScale`. */
export const votingShareScale = 10 ** votingLimits.quorumShareDecimals;
