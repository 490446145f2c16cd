import { AdoptionLevel, adoptionLevelNames, type DutyKind } from '@yitang/shared';
import type { SocialReportDoc } from './social-report.model';

/** A date (YYYY-MM-DD) in the committee's time zone. */
export const chinaDay = (at: Date | string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(at));

/**
 * A duty record the report earned, in the shape the scoring ledger's `recordDerived` writes:
 * verified, under its natural key. `follows`: an existing record takes this kind and date (the
 * level record when the report is raised); `retired`: the record stops counting.
 */
export interface ReportDutyRecord {
  id: string;
  memberId: string;
  kind: DutyKind;
  date: string;
  title: string;
  source: 'socialReport';
  proposal: null;
  note: string;
  follows?: boolean;
  retired?: boolean;
}

const levelKind: Record<AdoptionLevel, DutyKind> = {
  city: 'socialReportCity',
  province: 'socialReportProvince',
  national: 'socialReportNational',
};
const levelLabel = adoptionLevelNames['zh-CN'];

/**
 * Keys of a report's duty records, parsed nowhere else: `sr:<id>:submitted` (报送),
 * `sr:<id>:level` (the highest level it was adopted at). Earlier versions wrote `sr:<id>:adopted`
 * and one `sr:<id>:<level>` per level reached; those are retired wherever they exist.
 */
export const submittedRecordKey = (reportId: string) => `sr:${reportId}:submitted`;
export const levelRecordKey = (reportId: string) => `sr:${reportId}:level`;
const legacyKeys = (reportId: string) => [
  `sr:${reportId}:adopted`,
  ...AdoptionLevel.options.map((l) => `sr:${reportId}:${l}`),
];

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * The records a report has earned. Submitting it earns one `socialReport` (报送社情民意信息, the
 * yearly minimum), dated the day it was submitted; withdrawn (only possible before a decision) it
 * earns nothing, and that record is retired. A declined report was still submitted and keeps it.
 * Adopted, it earns one level record for the highest level it reached, dated the step that
 * reached it, so the rubric weighs the best level once (national > province > city) and a raise
 * changes the record instead of adding one. Deriving again gives the same keys and dates: the
 * ledger adds nothing on a re-run.
 */
export function reportDutyRecords(doc: SocialReportDoc): ReportDutyRecord[] {
  const title = clip(doc.edited?.title ?? doc.original.title, 80);
  const label = `社情民意《${title}》`;
  const base = { memberId: doc.authorId, source: 'socialReport' as const, proposal: null, note: label };
  const retire = (id: string, why: string): ReportDutyRecord => ({
    ...base,
    id,
    kind: 'socialReport',
    date: chinaDay(doc.submittedAt),
    title: label,
    note: `${label}${why}`,
    retired: true,
  });
  const records: ReportDutyRecord[] = legacyKeys(doc._id).map((id) => retire(id, '：按最高采用级别另行记录'));
  if (doc.state === 'withdrawn') {
    records.push(retire(submittedRecordKey(doc._id), '已由报送人撤回'));
    return records;
  }
  records.push({
    ...base,
    id: submittedRecordKey(doc._id),
    kind: 'socialReport',
    date: chinaDay(doc.submittedAt),
    title: `报送${label}`,
  });
  const reached = [...(doc.trail ?? [])]
    .reverse()
    .find((e) => (e.action === 'adopt' || e.action === 'raise') && e.level === doc.level);
  if (doc.level && reached) {
    records.push({
      ...base,
      id: levelRecordKey(doc._id),
      kind: levelKind[doc.level],
      date: chinaDay(reached.at),
      title: `${label}被${levelLabel[doc.level]}采用`,
      follows: true,
    });
  }
  return records;
}
