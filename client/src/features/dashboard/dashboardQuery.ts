import {
  committeeToday,
  Id,
  monthPeriod,
  type Period,
  periodProblem,
  quarterPeriod,
  ReportDate,
  ReportLevel,
  yearPeriod,
} from '@yitang/shared';

/** The page of dashboards; its question rides in the query, so a view can be shared or bookmarked. */
export const dashboardPath = '/reports';

/** What the dashboard shows: a period, a level and perhaps one room. */
export interface DashboardAsk extends Period {
  level: ReportLevel;
  /** '' for every room at the level. */
  roomId: string;
}

/** How the period was picked in the form: a whole year, quarter or month, or two dates. */
export type PeriodKind = 'year' | 'quarter' | 'month' | 'custom';

export interface PeriodForm {
  kind: PeriodKind;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  month: number;
  from: string;
  to: string;
}

/** This year, every level: what the page shows when the address says nothing. */
export function defaultAsk(today = committeeToday()): DashboardAsk {
  return { ...yearPeriod(Number(today.slice(0, 4))), level: 'all', roomId: '' };
}

/** Reads the ask from a page query string; anything malformed falls back to the default. */
export function askFromSearch(search: string, today = committeeToday()): DashboardAsk {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const fallback = defaultAsk(today);
  const from = ReportDate.safeParse(q.get('from'));
  const to = ReportDate.safeParse(q.get('to'));
  const period = from.success && to.success ? { from: from.data, to: to.data } : fallback;
  const level = ReportLevel.safeParse(q.get('level') ?? 'all');
  const roomId = Id.safeParse(q.get('roomId'));
  return {
    ...(periodProblem(period) ? fallback : period),
    level: level.success ? level.data : 'all',
    roomId: roomId.success ? roomId.data : '',
  };
}

/** The query string (without `?`) of an ask; defaults are left out. */
export function askSearch(ask: DashboardAsk, lang?: string): string {
  const params = new URLSearchParams({ from: ask.from, to: ask.to });
  if (ask.level !== 'all') params.set('level', ask.level);
  if (ask.roomId !== '') params.set('roomId', ask.roomId);
  if (lang) params.set('lang', lang);
  return params.toString();
}

export const dashboardPagePath = (ask: DashboardAsk) => `${dashboardPath}?${askSearch(ask)}`;
export const dashboardApiPath = (ask: DashboardAsk) => `/api/reports/dashboard?${askSearch(ask)}`;
/** The CSV download, its headings in the UI's language. */
export const dashboardCsvPath = (ask: DashboardAsk, lang: string) =>
  `/api/reports/dashboard.csv?${askSearch(ask, lang === 'en' ? 'en' : 'zh-CN')}`;

/** The form's view of a period: a preset when the dates are exactly one, else two dates. */
export function periodForm(p: Period): PeriodForm {
  const year = Number(p.from.slice(0, 4));
  const month = Number(p.from.slice(5, 7));
  const base = { year, quarter: (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4, month, from: p.from, to: p.to };
  const same = (q: Period) => q.from === p.from && q.to === p.to;
  if (same(yearPeriod(year))) return { ...base, kind: 'year' };
  if (same(quarterPeriod(year, base.quarter))) return { ...base, kind: 'quarter' };
  if (same(monthPeriod(year, month))) return { ...base, kind: 'month' };
  return { ...base, kind: 'custom' };
}

/** The period a form describes, or why it cannot be asked. */
export function periodOfForm(f: PeriodForm): { period: Period } | { problem: 'dates' | 'order' | 'span' } {
  if (f.kind !== 'custom' && !(Number.isInteger(f.year) && f.year >= 1900 && f.year <= 9999)) {
    return { problem: 'dates' };
  }
  let period: Period;
  if (f.kind === 'year') period = yearPeriod(f.year);
  else if (f.kind === 'quarter') period = quarterPeriod(f.year, f.quarter);
  else if (f.kind === 'month') period = monthPeriod(f.year, f.month);
  else {
    if (!ReportDate.safeParse(f.from).success || !ReportDate.safeParse(f.to).success) return { problem: 'dates' };
    period = { from: f.from, to: f.to };
  }
  if (period.from > period.to) return { problem: 'order' };
  return periodProblem(period) ? { problem: 'span' } : { period };
}

/** This year, this quarter and this month (committee time), for one-click choices. */
export function currentPeriods(today = committeeToday()): Record<'year' | 'quarter' | 'month', Period> {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const quarter = (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4;
  return { year: yearPeriod(year), quarter: quarterPeriod(year, quarter), month: monthPeriod(year, month) };
}
