import {
  type DutyEntryView,
  type DutyKind,
  Id,
  type MemberScore,
  pointsByEntry,
  Quarter,
  SubmitDutyEntryBody,
} from '@yitang/shared';

/** The pages under /duty. */
export type DutyPage =
  | { page: 'mine'; year: number | null }
  | { page: 'member'; memberId: string; year: number | null }
  | { page: 'review' }
  | { page: 'bulletin'; quarter: Quarter | null }
  | { page: 'assessment'; year: number | null }
  | { page: 'import' }
  | { page: 'rubrics'; year: number | null }
  | { page: 'report'; year: number | null }
  | { page: 'myBulletin'; year: number | null; memberId: string | null }
  | { page: 'notFound' };

export const dutyPath = '/duty';
export const dutyReviewPath = '/duty/review';
export const dutyImportPath = '/duty/import';
export const dutyMemberPath = (memberId: string, year?: number) =>
  `/duty/members/${encodeURIComponent(memberId)}${year ? `?year=${year}` : ''}`;
export const dutyMinePath = (year?: number) => (year ? `${dutyPath}?year=${year}` : dutyPath);
export const dutyBulletinPath = (quarter?: Quarter) =>
  quarter ? `/duty/bulletin?quarter=${encodeURIComponent(quarter)}` : '/duty/bulletin';
export const dutyAssessmentPath = (year?: number) => (year ? `/duty/assessment?year=${year}` : '/duty/assessment');
export const dutyRubricsPath = (year?: number) => (year ? `/duty/rubrics?year=${year}` : '/duty/rubrics');
/** The yearly duty report (述职) of a year. */
export const dutyReportPath = (year?: number) => (year ? `/duty/report?year=${year}` : '/duty/report');
/** A member's own quarterly bulletin (staff name the member). */
export const dutyMyBulletinPath = (year?: number, memberId?: string) => {
  const q = new URLSearchParams();
  if (year) q.set('year', String(year));
  if (memberId) q.set('member', memberId);
  const s = q.toString();
  return s ? `/duty/bulletin/mine?${s}` : '/duty/bulletin/mine';
};

function yearParam(query: URLSearchParams): number | null {
  const raw = query.get('year');
  if (raw === null || !/^\d{4}$/.test(raw)) return null;
  const year = Number(raw);
  return year >= 2000 && year <= 2100 ? year : null;
}

/** Maps a path under /duty (and its query) to a page; a bad year or quarter falls back to the current one. */
export function matchDutyPage(path: string, search: string): DutyPage {
  const query = new URLSearchParams(search);
  const p = path.replace(/\/+$/, '');
  if (p === dutyPath) return { page: 'mine', year: yearParam(query) };
  if (p === dutyReviewPath) return { page: 'review' };
  if (p === dutyImportPath) return { page: 'import' };
  if (p === '/duty/bulletin') {
    const q = Quarter.safeParse(query.get('quarter'));
    return { page: 'bulletin', quarter: q.success ? q.data : null };
  }
  if (p === '/duty/assessment') return { page: 'assessment', year: yearParam(query) };
  if (p === '/duty/rubrics') return { page: 'rubrics', year: yearParam(query) };
  if (p === '/duty/report') return { page: 'report', year: yearParam(query) };
  if (p === '/duty/bulletin/mine') {
    const member = Id.safeParse(query.get('member'));
    return { page: 'myBulletin', year: yearParam(query), memberId: member.success ? member.data : null };
  }
  const member = /^\/duty\/members\/([^/]+)$/.exec(p);
  if (member?.[1] !== undefined) {
    let raw: string;
    try {
      raw = decodeURIComponent(member[1]);
    } catch {
      return { page: 'notFound' };
    }
    const id = Id.safeParse(raw);
    return id.success ? { page: 'member', memberId: id.data, year: yearParam(query) } : { page: 'notFound' };
  }
  return { page: 'notFound' };
}

/** Today in the committee's time zone (YYYY-MM-DD), whatever the device's zone. */
export function committeeToday(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

export const yearOfDate = (date: string) => Number(date.slice(0, 4));

/**
 * Whether a year's grade (优秀 … 不称职) may be shown: only once the year is over. Until then
 * its records are still coming in, and a member would read 不称职 in March for a year barely begun.
 */
export const gradeIsFinal = (year: number, today: string = committeeToday()) => year < yearOfDate(today);

export function quarterOfDate(date: string): Quarter {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarters to choose from, newest first: this year's so far and the previous `years` years'. */
export function quarterChoices(today: string, years = 2): Quarter[] {
  const current = quarterOfDate(today);
  const year = yearOfDate(today);
  const out: Quarter[] = [];
  for (let y = year; y >= year - years; y--) {
    for (let n = 4; n >= 1; n--) {
      const q = `${y}-Q${n}`;
      if (q <= current) out.push(q);
    }
  }
  return out;
}

/** Years to choose from, newest first. */
export const yearChoices = (today: string, back = 3): number[] =>
  Array.from({ length: back + 1 }, (_, i) => yearOfDate(today) - i);

/** Each ledger record's rule points (adjustments are yearly and belong to no one record). */
export function entryPoints(score: MemberScore | null): ReadonlyMap<string, number> {
  return score ? pointsByEntry(score) : new Map();
}

/** Records that a rule passed over because its cap was reached. */
export function overCapIds(score: MemberScore | null): ReadonlySet<string> {
  return new Set(score?.lines.flatMap((l) => l.overCap) ?? []);
}

/** The form a member fills in to submit a record. */
export interface EntryForm {
  kind: DutyKind | '';
  date: string;
  title: string;
  text: string;
  link: string;
  attachmentName: string;
}

export type EntryField = 'kind' | 'date' | 'title' | 'text' | 'link' | 'attachmentName';

export const emptyEntryForm = (today: string): EntryForm => ({
  kind: '',
  date: today,
  title: '',
  text: '',
  link: '',
  attachmentName: '',
});

/** The request body for a form, or the fields that are wrong (checked with the shared contract). */
export function entryBody(
  form: EntryForm,
  today: string,
  memberId?: string,
): { ok: true; body: SubmitDutyEntryBody } | { ok: false; fields: EntryField[] } {
  const body: SubmitDutyEntryBody = {
    ...(memberId ? { memberId } : {}),
    // An unchosen kind is reported below; the rest of the form is still checked.
    kind: form.kind === '' ? 'proposal' : form.kind,
    date: form.date,
    title: form.title,
    evidence: { text: form.text, link: form.link.trim() || null, attachmentName: form.attachmentName.trim() || null },
  };
  const fields = new Set<EntryField>();
  if (form.kind === '') fields.add('kind');
  const parsed = SubmitDutyEntryBody.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [head, sub] = issue.path;
      if (head === 'kind' || head === 'date' || head === 'title') fields.add(head);
      else if (head === 'evidence' && (sub === 'text' || sub === 'link' || sub === 'attachmentName')) fields.add(sub);
    }
  }
  // Nothing is recorded ahead of its day.
  if (!fields.has('date') && form.date > today) fields.add('date');
  if (fields.size > 0) return { ok: false, fields: [...fields] };
  return { ok: true, body };
}

/** Newest first, then by title, so a just-submitted record shows at the top. */
export function newestFirst<T extends Pick<DutyEntryView, 'date' | 'title'>>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) =>
    a.date === b.date ? a.title.localeCompare(b.title, 'zh-CN') : a.date < b.date ? 1 : -1,
  );
}
