import type { AdoptionLevel, DutyKind } from '@yitang/shared';
import type { SocialReportDoc } from './social-report.model';

/** A date (YYYY-MM-DD) in the committee's time zone. */
export const chinaDay = (at: Date | string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(at));

/**
 * A duty record the report earned, in the shape the scoring ledger's `recordDerived` writes:
 * verified, under its natural key.
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
}

const levelKind: Record<AdoptionLevel, DutyKind> = {
  city: 'socialReportCity',
  province: 'socialReportProvince',
  national: 'socialReportNational',
};
const levelLabel: Record<AdoptionLevel, string> = { city: '市级', province: '省级', national: '全国政协' };

/** Keys of a report's duty records, parsed nowhere else: `sr:<id>:adopted`, `sr:<id>:<level>`. */
export const adoptedRecordKey = (reportId: string) => `sr:${reportId}:adopted`;
export const levelRecordKey = (reportId: string, level: AdoptionLevel) => `sr:${reportId}:${level}`;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * The records an adopted report has earned: one `socialReport` (the yearly minimum and its
 * rule), dated the day of adoption, and one per level it was adopted or forwarded at, dated that
 * step's day, so the rubric weighs the levels (national > province > city). Deriving again gives
 * the same keys and dates: the ledger adds nothing on a re-run.
 */
export function reportDutyRecords(doc: SocialReportDoc): ReportDutyRecord[] {
  const title = clip(doc.edited?.title ?? doc.original.title, 80);
  const label = `社情民意《${title}》`;
  const adopted = (doc.trail ?? []).find((e) => e.action === 'adopt');
  if (!adopted) return [];
  const records: ReportDutyRecord[] = [
    {
      id: adoptedRecordKey(doc._id),
      memberId: doc.authorId,
      kind: 'socialReport',
      date: chinaDay(adopted.at),
      title: `${label}被采用`,
      source: 'socialReport',
      proposal: null,
      note: label,
    },
  ];
  for (const e of doc.trail ?? []) {
    if ((e.action !== 'adopt' && e.action !== 'raise') || !e.level) continue;
    records.push({
      id: levelRecordKey(doc._id, e.level),
      memberId: doc.authorId,
      kind: levelKind[e.level],
      date: chinaDay(e.at),
      title: `${label}被${levelLabel[e.level]}采用`,
      source: 'socialReport',
      proposal: null,
      note: label,
    });
  }
  return records;
}
