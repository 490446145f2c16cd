import { describe, expect, it } from 'vitest';
import { type OrderedSession, orderSessions, splitSessions } from './session-order';

const s = (id: string, scheduledAt: string, state: OrderedSession['state'], cancelled = false): OrderedSession => ({
  id,
  scheduledAt,
  state,
  cancelled,
});

describe('session lists: live and upcoming first, then the past newest first', () => {
  // A held year (oldest first, as stored), today's live session, two ahead, one cancelled.
  const year = Array.from({ length: 36 }, (_, i) =>
    s(`held-${String(i).padStart(2, '0')}`, new Date(Date.UTC(2026, 0, 5 + i * 9)).toISOString(), 'closed'),
  );
  const live = s('today', '2026-12-06T06:30:00.000Z', 'live');
  const nextWeek = s('next-week', '2026-12-13T06:30:00.000Z', 'scheduled');
  const tomorrow = s('tomorrow', '2026-12-07T01:00:00.000Z', 'scheduled');
  const called = s('called-off', '2026-12-08T01:00:00.000Z', 'scheduled', true);
  const all = [...year, nextWeek, called, live, tomorrow];

  it('puts the live session first, then the scheduled ones soonest first', () => {
    expect(splitSessions(all).current.map((x) => x.id)).toEqual(['today', 'tomorrow', 'next-week']);
  });

  it('puts closed and cancelled sessions after, newest first', () => {
    const past = splitSessions(all).past.map((x) => x.id);
    expect(past).toHaveLength(37);
    expect(past.slice(0, 3)).toEqual(['called-off', 'held-35', 'held-34']);
    expect(past.at(-1)).toBe('held-00');
  });

  it('a live session stays first even when scheduled after the coming ones (it started early)', () => {
    const early = s('early-start', '2026-12-20T01:00:00.000Z', 'live');
    expect(orderSessions([tomorrow, early]).map((x) => x.id)).toEqual(['early-start', 'tomorrow']);
  });

  it('keeps the input intact and orders ties by id', () => {
    const a = s('b', '2026-12-07T01:00:00.000Z', 'scheduled');
    const b = s('a', '2026-12-07T01:00:00.000Z', 'scheduled');
    const input = [a, b];
    expect(orderSessions(input).map((x) => x.id)).toEqual(['a', 'b']);
    expect(input.map((x) => x.id)).toEqual(['b', 'a']);
  });
});
