import { describe, expect, it } from 'vitest';
import { backoffCeiling, nextAttemptAt, retryDelays } from './backoff';

describe('backoff', () => {
  it('doubles the ceiling up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => backoffCeiling(n, 100, 1_000))).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000,
    ]);
    expect(backoffCeiling(5_000, 100, 1_000)).toBe(1_000);
  });

  it('applies full jitter within [0, ceiling)', () => {
    expect(retryDelays(5, 100, 1_000, () => 0)).toEqual([0, 0, 0, 0, 0]);
    expect(retryDelays(5, 100, 1_000, () => 0.5)).toEqual([50, 100, 200, 400, 500]);
    expect(retryDelays(5, 100, 1_000, () => 1)).toEqual([99, 199, 399, 799, 999]);
    expect(retryDelays(0, 100, 1_000)).toEqual([]);
  });

  it('stays within bounds for any random value', () => {
    const delays = retryDelays(200, 250, 60_000);
    delays.forEach((d, i) => {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(60_000, 250 * 2 ** i));
    });
  });

  it('computes the next attempt time from now', () => {
    const now = new Date('2025-03-01T08:00:00Z');
    expect(nextAttemptAt(3, now, () => 0.5, 1_000, 60_000).toISOString()).toBe('2025-03-01T08:00:02.000Z');
    const t = nextAttemptAt(1, now, Math.random).getTime() - now.getTime();
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThan(1_000);
  });

  it('rejects nonsense arguments', () => {
    expect(() => retryDelays(-1, 100, 1_000)).toThrow(RangeError);
    expect(() => backoffCeiling(0, 100, 1_000)).toThrow(RangeError);
    expect(() => backoffCeiling(1, 0, 1_000)).toThrow(RangeError);
    expect(() => backoffCeiling(1, 100, 10)).toThrow(RangeError);
  });
});
