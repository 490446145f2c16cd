import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('gives its burst at once, then refills at its rate, never above the burst', () => {
    const t0 = 1_000_000;
    const bucket = new TokenBucket(3, 2, t0);
    expect([bucket.take(1, t0), bucket.take(1, t0), bucket.take(1, t0), bucket.take(1, t0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.take(1, t0 + 499)).toBe(false);
    expect(bucket.take(1, t0 + 500)).toBe(true);
    // A long pause refills to the burst, not beyond.
    expect(bucket.take(3, t0 + 60_000)).toBe(true);
    expect(bucket.take(1, t0 + 60_000)).toBe(false);
  });

  it('charges a cost in tokens (bytes), and refuses a cost it cannot pay without spending', () => {
    const t0 = 0;
    const bucket = new TokenBucket(100, 10, t0);
    expect(bucket.take(60, t0)).toBe(true);
    expect(bucket.take(60, t0)).toBe(false);
    expect(bucket.take(40, t0)).toBe(true);
  });
});
