import { describe, expect, it } from 'vitest';
import { clockOffset, elapsedMs, formatDuration, itemTimer, remainingMs } from './clock';

const t0 = Date.parse('2026-03-01T08:00:00.000Z');

describe('server clock offset', () => {
  it('is the server time minus the local time at receipt', () => {
    expect(clockOffset('2026-03-01T08:00:05.000Z', t0)).toBe(5000);
    expect(clockOffset('2026-03-01T07:59:58.500Z', t0)).toBe(-1500);
    expect(clockOffset('not a date', t0)).toBe(0);
  });

  it('counts a countdown on the server clock, whatever the local clock says', () => {
    // The local clock is 30 s behind the server.
    const offset = clockOffset('2026-03-01T08:00:30.000Z', t0);
    const endsAt = '2026-03-01T08:03:30.000Z'; // 3 minutes after the server's now
    expect(remainingMs(endsAt, t0, offset)).toBe(180_000);
    expect(remainingMs(endsAt, t0 + 179_001, offset)).toBe(999);
    expect(formatDuration(remainingMs(endsAt, t0 + 179_001, offset), 'up')).toBe('0:01');
    expect(remainingMs(endsAt, t0 + 200_000, offset)).toBe(0);
  });

  it('times the current item from its start, against the plan', () => {
    const offset = -2000; // the local clock is 2 s ahead
    const started = '2026-03-01T07:50:00.000Z';
    const timer = itemTimer(started, 15, t0, offset);
    expect(timer.elapsedMs).toBe(10 * 60_000 - 2000);
    expect(timer.plannedMs).toBe(15 * 60_000);
    expect(timer.overrun).toBe(false);
    expect(itemTimer(started, 5, t0, offset).overrun).toBe(true);
    expect(itemTimer(null, 5, t0, offset)).toEqual({ elapsedMs: 0, plannedMs: 300_000, overrun: false });
    // A start a little in the future (clock noise) never shows negative time.
    expect(elapsedMs('2026-03-01T08:00:01.000Z', t0, 0)).toBe(0);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, 'down', '0:00'],
    [59_999, 'down', '0:59'],
    [59_001, 'up', '1:00'],
    [61_000, 'down', '1:01'],
    [45 * 60_000, 'down', '45:00'],
    [3_600_000 + 5_000, 'down', '1:00:05'],
    [-5_000, 'down', '0:00'],
  ] as const)('%i ms (%s) is %s', (ms, round, text) => {
    expect(formatDuration(ms, round)).toBe(text);
  });
});
