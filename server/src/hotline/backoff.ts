/**
 * Retry timing for outbound hotline webhooks: exponential backoff with full jitter. Attempt `n`
 * (1-based: the first retry after the first failure) waits a uniformly random time in
 * `[0, min(maxMs, baseMs * 2^(n-1)))`. `random` is injectable so tests are deterministic.
 */

export type Random = () => number;

export const DEFAULT_BASE_MS = 1_000;
export const DEFAULT_MAX_MS = 5 * 60_000;

/** The ceiling of the delay before retry `attempt` (1-based), before jitter. */
export function backoffCeiling(attempt: number, baseMs = DEFAULT_BASE_MS, maxMs = DEFAULT_MAX_MS): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer >= 1');
  if (!(baseMs > 0) || !(maxMs >= baseMs)) throw new RangeError('need 0 < baseMs <= maxMs');
  // 2 ** 1024 is Infinity, which Math.min handles; no overflow to worry about.
  return Math.min(maxMs, baseMs * 2 ** (attempt - 1));
}

/** The delay in whole milliseconds before retry `attempt`, drawn with full jitter. */
export function backoffDelay(
  attempt: number,
  baseMs = DEFAULT_BASE_MS,
  maxMs = DEFAULT_MAX_MS,
  random: Random = Math.random,
): number {
  const ceiling = backoffCeiling(attempt, baseMs, maxMs);
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * ceiling);
}

/** The delays before each of `attempts` retries. */
export function retryDelays(attempts: number, baseMs: number, maxMs: number, random: Random = Math.random): number[] {
  if (!Number.isInteger(attempts) || attempts < 0) throw new RangeError('attempts must be an integer >= 0');
  return Array.from({ length: attempts }, (_, i) => backoffDelay(i + 1, baseMs, maxMs, random));
}

/** When retry `attempt` (1-based) should run, counted from `now`. */
export function nextAttemptAt(
  attempt: number,
  now: Date,
  random: Random = Math.random,
  baseMs = DEFAULT_BASE_MS,
  maxMs = DEFAULT_MAX_MS,
): Date {
  return new Date(now.getTime() + backoffDelay(attempt, baseMs, maxMs, random));
}
