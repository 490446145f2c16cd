import { z } from 'zod';

/**
 * Report periods are calendar dates in the committee's time zone (China Standard Time, UTC+8 all
 * year: China keeps no daylight saving), both ends included.
 */
export const committeeUtcOffsetHours = 8;

/** The longest period a dashboard covers, in months; longer asks are refused as BAD_REQUEST. */
export const maxReportMonths = 120;

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export const ReportDate = z
  .string()
  .regex(isoDate, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
export type ReportDate = z.infer<typeof ReportDate>;

export interface Period {
  from: ReportDate;
  to: ReportDate;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** 1 January to 31 December. */
export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** Quarter 1–4 of a year. */
export function quarterPeriod(year: number, quarter: 1 | 2 | 3 | 4): Period {
  const first = (quarter - 1) * 3 + 1;
  const last = first + 2;
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(last)}-${pad(lastDay(year, last))}` };
}

/** Month 1–12 of a year. */
export function monthPeriod(year: number, month: number): Period {
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(lastDay(year, month))}` };
}

/** Today's date in the committee's time zone. */
export function committeeToday(now = new Date()): ReportDate {
  return new Date(now.getTime() + committeeUtcOffsetHours * 3_600_000).toISOString().slice(0, 10);
}

/** The instants a period covers: [start, end) in UTC, from local midnight to the midnight after `to`. */
export function periodBounds(p: Period): { start: Date; end: Date } {
  const start = new Date(`${p.from}T00:00:00+0${committeeUtcOffsetHours}:00`);
  const end = new Date(`${p.to}T00:00:00+0${committeeUtcOffsetHours}:00`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { start, end };
}

/** The month (YYYY-MM, committee time) an instant falls in. */
export function monthOf(at: Date): string {
  return new Date(at.getTime() + committeeUtcOffsetHours * 3_600_000).toISOString().slice(0, 7);
}

/** Every month (YYYY-MM) the period touches, in order. */
export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  let y = Number(p.from.slice(0, 4));
  let m = Number(p.from.slice(5, 7));
  const endKey = p.to.slice(0, 7);
  for (;;) {
    const key = `${y}-${pad(m)}`;
    out.push(key);
    if (key >= endKey) return out;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
}

/** Why a period cannot be reported on, or null when it can. */
export function periodProblem(p: Period): string | null {
  if (p.from > p.to) return 'from is after to';
  const months =
    (Number(p.to.slice(0, 4)) - Number(p.from.slice(0, 4))) * 12 +
    Number(p.to.slice(5, 7)) -
    Number(p.from.slice(5, 7)) +
    1;
  if (months > maxReportMonths) return `a report covers at most ${maxReportMonths} months`;
  return null;
}
