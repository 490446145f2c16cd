import type { DutyReportAggregate } from '@yitang/shared';

/**
 * A published 述职 result as the scoring ledger's `recordDerived` writes it: verified, under its
 * natural key, so publishing again (or a re-run) adds nothing.
 */
export interface DutyReportRecord {
  id: string;
  memberId: string;
  kind: 'dutyReport';
  date: string;
  title: string;
  source: 'dutyReport';
  proposal: null;
  note: string;
}

/** The key, parsed nowhere else: `duty-report:<year>:<memberId>` (the ledger reads the year as its source). */
export const dutyReportKey = (year: number, memberId: string) => `duty-report:${year}:${memberId}`;

/**
 * The record a member's scored report earns. It is dated the panel meeting when that falls in the
 * round's year, else the year's last day: the year's rubric is the one that weighs it.
 */
export function dutyReportRecord(
  year: number,
  memberId: string,
  result: DutyReportAggregate,
  meetingDate: string | null,
): DutyReportRecord | null {
  if (result.total === null) return null;
  const date = meetingDate?.startsWith(`${year}-`) ? meetingDate : `${year}-12-31`;
  return {
    id: dutyReportKey(year, memberId),
    memberId,
    kind: 'dutyReport',
    date,
    title: `${year}年度述职：评议得分 ${result.total}（${result.scorers} 人评分）`,
    source: 'dutyReport',
    proposal: null,
    note: `${year}年度述职评议结果公布`,
  };
}
