import { describe, expect, it } from 'vitest';
import { mayViewDashboards } from './dashboard';
import {
  committeeToday,
  monthOf,
  monthPeriod,
  monthsOf,
  periodBounds,
  periodProblem,
  quarterPeriod,
  ReportDate,
  yearPeriod,
} from './period';

describe('report periods', () => {
  it('presets cover whole calendar units, leap years included', () => {
    expect(yearPeriod(2026)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(quarterPeriod(2026, 1)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(quarterPeriod(2026, 2)).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(quarterPeriod(2026, 4)).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(monthPeriod(2028, 2)).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthPeriod(2026, 2)).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });

  it('bounds run from local midnight to the local midnight after the last day', () => {
    const { start, end } = periodBounds({ from: '2026-01-01', to: '2026-01-31' });
    expect(start.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-01-31T16:00:00.000Z');
  });

  it('months are counted in committee time', () => {
    expect(monthOf(new Date('2026-01-31T15:59:59Z'))).toBe('2026-01');
    expect(monthOf(new Date('2026-01-31T16:00:00Z'))).toBe('2026-02');
    expect(committeeToday(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(monthsOf({ from: '2025-11-15', to: '2026-02-03' })).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsOf({ from: '2026-03-01', to: '2026-03-31' })).toEqual(['2026-03']);
  });

  it('refuses impossible dates, reversed and overlong periods', () => {
    expect(ReportDate.safeParse('2026-02-30').success).toBe(false);
    expect(ReportDate.safeParse('2026-2-3').success).toBe(false);
    expect(ReportDate.safeParse('2028-02-29').success).toBe(true);
    expect(periodProblem({ from: '2026-02-01', to: '2026-01-31' })).toMatch(/after/);
    expect(periodProblem({ from: '2016-01-01', to: '2025-12-31' })).toBeNull();
    expect(periodProblem({ from: '2016-01-01', to: '2026-01-01' })).toMatch(/at most/);
  });
});

describe('who may view dashboards', () => {
  it('staff and officials always, members only as conveners or leaders, guests never', () => {
    expect(mayViewDashboards({ kind: 'staff' }, false)).toBe(true);
    expect(mayViewDashboards({ kind: 'official' }, false)).toBe(true);
    expect(mayViewDashboards({ kind: 'member' }, false)).toBe(false);
    expect(mayViewDashboards({ kind: 'member', canConvene: true }, false)).toBe(true);
    expect(mayViewDashboards({ kind: 'member' }, true)).toBe(true);
    expect(mayViewDashboards({ kind: 'guest' }, true)).toBe(false);
  });
});
