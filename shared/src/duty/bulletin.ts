import { z } from 'zod';
import { DutyKind, type LedgerEntry, yearOf } from './ledger';
import type { Rubric } from './rubric';
import { pointsByEntry, round2, scoreMember } from './score';

/** A calendar quarter, e.g. 2026-Q3. */
export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'expected a quarter such as 2026-Q3');
export type Quarter = z.infer<typeof Quarter>;

export function quarterOf(date: string): Quarter {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

export function previousQuarter(q: Quarter): Quarter {
  const year = Number(q.slice(0, 4));
  const n = Number(q.slice(6));
  return n === 1 ? `${year - 1}-Q4` : `${year}-Q${n - 1}`;
}

/** First and last day (inclusive, YYYY-MM-DD) of a quarter. */
export function quarterRange(q: Quarter): { from: string; to: string } {
  const year = q.slice(0, 4);
  const n = Number(q.slice(6));
  const firstMonth = (n - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lastDay = new Date(Date.UTC(Number(year), lastMonth, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, '0');
  return { from: `${year}-${mm(firstMonth)}-01`, to: `${year}-${mm(lastMonth)}-${lastDay}` };
}

export const KindCounts = z.record(DutyKind, z.number());
export type KindCounts = z.infer<typeof KindCounts>;

export const QuarterFigures = z.object({
  counts: KindCounts,
  /** Rubric points earned by the quarter's records; null when the year has no rubric. */
  points: z.number().nullable(),
});
export type QuarterFigures = z.infer<typeof QuarterFigures>;

export const BulletinMemberRow = z.object({
  memberId: z.string(),
  name: z.string(),
  sectorId: z.string().nullable(),
  sectorName: z.string().nullable(),
  current: QuarterFigures,
  previous: QuarterFigures,
  /** current.points − previous.points, when both are known. */
  change: z.number().nullable(),
});
export type BulletinMemberRow = z.infer<typeof BulletinMemberRow>;

export const BulletinSectorRow = z.object({
  sectorId: z.string().nullable(),
  sectorName: z.string().nullable(),
  members: z.number(),
  current: QuarterFigures,
  previous: QuarterFigures,
  change: z.number().nullable(),
  /** Points per member this quarter. */
  averagePoints: z.number().nullable(),
});
export type BulletinSectorRow = z.infer<typeof BulletinSectorRow>;

export const Bulletin = z.object({
  quarter: Quarter,
  previous: Quarter,
  members: z.array(BulletinMemberRow),
  sectors: z.array(BulletinSectorRow),
});
export type Bulletin = z.infer<typeof Bulletin>;

export interface BulletinMember {
  id: string;
  name: string;
  sectorId: string | null;
  sectorName: string | null;
}

const zeroCounts = (): KindCounts => Object.fromEntries(DutyKind.options.map((k) => [k, 0])) as KindCounts;

/**
 * A member's figures for a quarter: verified records dated in it, counted by kind, and the points
 * they earned under the year's rubric (scored on the year up to the quarter's end, so caps
 * reached in earlier quarters hold).
 */
export function quarterFigures(
  q: Quarter,
  memberId: string,
  ledger: readonly LedgerEntry[],
  rubric: Rubric | null,
): QuarterFigures {
  const { from, to } = quarterRange(q);
  const counts = zeroCounts();
  const inQuarter = ledger.filter(
    (e) => e.memberId === memberId && e.status === 'verified' && e.date >= from && e.date <= to,
  );
  for (const e of inQuarter) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  if (!rubric) return { counts, points: null };
  const soFar = ledger.filter((e) => e.memberId === memberId && yearOf(e.date) === rubric.year && e.date <= to);
  const earned = pointsByEntry(scoreMember(rubric, memberId, soFar));
  const points = round2(inQuarter.reduce((s, e) => s + (earned.get(e.id) ?? 0), 0));
  return { counts, points };
}

const minus = (a: number | null, b: number | null) => (a === null || b === null ? null : round2(a - b));

const sumFigures = (rows: readonly QuarterFigures[]): QuarterFigures => {
  const counts = zeroCounts();
  let points: number | null = 0;
  for (const r of rows) {
    for (const k of DutyKind.options) counts[k] = (counts[k] ?? 0) + (r.counts[k] ?? 0);
    points = points === null || r.points === null ? null : round2(points + r.points);
  }
  return { counts, points };
};

/** The quarterly bulletin (季度通报): each member and each sector, this quarter beside the previous one. */
export function buildBulletin(input: {
  quarter: Quarter;
  members: readonly BulletinMember[];
  ledger: readonly LedgerEntry[];
  rubricFor: (year: number) => Rubric | null;
}): Bulletin {
  const previous = previousQuarter(input.quarter);
  const rubricNow = input.rubricFor(Number(input.quarter.slice(0, 4)));
  const rubricBefore = input.rubricFor(Number(previous.slice(0, 4)));
  const byMember = new Map<string, LedgerEntry[]>();
  for (const e of input.ledger) {
    const list = byMember.get(e.memberId);
    if (list) list.push(e);
    else byMember.set(e.memberId, [e]);
  }
  const members: BulletinMemberRow[] = input.members.map((m) => {
    const own = byMember.get(m.id) ?? [];
    const current = quarterFigures(input.quarter, m.id, own, rubricNow);
    const prev = quarterFigures(previous, m.id, own, rubricBefore);
    return {
      memberId: m.id,
      name: m.name,
      sectorId: m.sectorId,
      sectorName: m.sectorName,
      current,
      previous: prev,
      change: minus(current.points, prev.points),
    };
  });
  const sectorIds = [...new Set(members.map((m) => m.sectorId))];
  const sectors: BulletinSectorRow[] = sectorIds.map((id) => {
    const rows = members.filter((m) => m.sectorId === id);
    const current = sumFigures(rows.map((r) => r.current));
    const prev = sumFigures(rows.map((r) => r.previous));
    return {
      sectorId: id,
      sectorName: rows[0]?.sectorName ?? null,
      members: rows.length,
      current,
      previous: prev,
      change: minus(current.points, prev.points),
      averagePoints: current.points === null || rows.length === 0 ? null : round2(current.points / rows.length),
    };
  });
  return { quarter: input.quarter, previous, members, sectors };
}
