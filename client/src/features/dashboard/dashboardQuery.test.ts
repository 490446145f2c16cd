import { describe, expect, it } from 'vitest';
import {
  askFromSearch,
  askSearch,
  currentPeriods,
  dashboardCsvPath,
  defaultAsk,
  periodForm,
  periodOfForm,
} from './dashboardQuery';

describe('dashboard address', () => {
  it('defaults to this year in committee time, every level', () => {
    expect(defaultAsk('2026-11-27')).toEqual({ from: '2026-01-01', to: '2026-12-31', level: 'all', roomId: '' });
    expect(askFromSearch('', '2026-11-27')).toEqual(defaultAsk('2026-11-27'));
  });

  it('reads back what it writes', () => {
    const ask = { from: '2026-04-01', to: '2026-06-30', level: 'town' as const, roomId: 'rt-1' };
    expect(askFromSearch(`?${askSearch(ask)}`, '2026-11-27')).toEqual(ask);
    expect(askSearch({ ...ask, level: 'all', roomId: '' })).toBe('from=2026-04-01&to=2026-06-30');
    expect(dashboardCsvPath(ask, 'en')).toBe(
      '/api/reports/dashboard.csv?from=2026-04-01&to=2026-06-30&level=town&roomId=rt-1&lang=en',
    );
  });

  it('drops what the server would refuse', () => {
    expect(askFromSearch('from=2026-02-30&to=2026-03-01&level=province&roomId=a%20b', '2026-11-27')).toEqual(
      defaultAsk('2026-11-27'),
    );
    expect(askFromSearch('from=2026-03-01&to=2026-02-01', '2026-11-27').from).toBe('2026-01-01');
  });
});

describe('period form', () => {
  it('recognises presets', () => {
    expect(periodForm({ from: '2026-01-01', to: '2026-12-31' }).kind).toBe('year');
    expect(periodForm({ from: '2026-07-01', to: '2026-09-30' })).toMatchObject({ kind: 'quarter', quarter: 3 });
    expect(periodForm({ from: '2026-02-01', to: '2026-02-28' })).toMatchObject({ kind: 'month', month: 2 });
    expect(periodForm({ from: '2026-02-01', to: '2026-02-27' }).kind).toBe('custom');
  });

  it('turns the form into a period or a reason', () => {
    const base = { year: 2026, quarter: 2 as const, month: 2, from: '', to: '' };
    expect(periodOfForm({ ...base, kind: 'quarter' })).toEqual({ period: { from: '2026-04-01', to: '2026-06-30' } });
    expect(periodOfForm({ ...base, kind: 'month' })).toEqual({ period: { from: '2026-02-01', to: '2026-02-28' } });
    expect(periodOfForm({ ...base, kind: 'year', year: Number.NaN })).toEqual({ problem: 'dates' });
    expect(periodOfForm({ ...base, kind: 'custom', from: '2026-03-01', to: '2026-02-01' })).toEqual({
      problem: 'order',
    });
    expect(periodOfForm({ ...base, kind: 'custom', from: '2000-01-01', to: '2026-02-01' })).toEqual({
      problem: 'span',
    });
    expect(periodOfForm({ ...base, kind: 'custom', from: '2026-01-01', to: '' })).toEqual({ problem: 'dates' });
  });
});

describe('one-click periods', () => {
  it('are the year, quarter and month of today', () => {
    expect(currentPeriods('2026-11-27')).toEqual({
      year: { from: '2026-01-01', to: '2026-12-31' },
      quarter: { from: '2026-10-01', to: '2026-12-31' },
      month: { from: '2026-11-01', to: '2026-11-30' },
    });
  });
});
