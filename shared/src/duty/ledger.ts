import { z } from 'zod';
import { Id } from '../domain';
import type { Vocabulary } from '../vocabulary';

/**
 * What a duty record (履职记录) is about. The first five are derived from live sessions when the
 * session closes; the rest are entered by staff or by the member, with evidence, or imported.
 * `absence` is an absence without leave recorded by staff (a deduction in the rubric).
 */
export const DutyKind = z.enum([
  'attendedHall',
  'attendedOnline',
  'spoke',
  'suggested',
  'voted',
  'proposal',
  'socialReport',
  'research',
  'goodDeed',
  'investment',
  'training',
  'inspection',
  'absence',
  /** A social-conditions report adopted (采用) at city, province or national level; written by its workflow. */
  'socialReportCity',
  'socialReportProvince',
  'socialReportNational',
  /** Co-signed (联名) a proposal that was accepted (立案); written by the proposals workflow. */
  'cosigned',
  /** Took part in democratic supervision or appraisal, a government meeting or a sector activity; written by the activities module. */
  'activity',
  /** Presented the yearly duty report (述职), scored by a panel; written when staff publish the results. */
  'dutyReport',
]);
export type DutyKind = z.infer<typeof DutyKind>;

/** Kinds that only a closing session writes; nobody enters or imports them by hand. */
export const sessionKinds: readonly DutyKind[] = ['attendedHall', 'attendedOnline', 'spoke', 'suggested', 'voted'];

/**
 * Kinds the proposals (提案) and 社情民意 workflows record themselves, under natural keys, with the
 * source that writes them. Nobody enters them by hand for a year the workflows cover (the current
 * year on, and any year the workflow has written records in), so nothing is counted twice; staff
 * still enter or import them for earlier years.
 */
export const workflowKindSources: Readonly<Partial<Record<DutyKind, 'proposal' | 'socialReport'>>> = {
  proposal: 'proposal',
  socialReport: 'socialReport',
};

/** Kinds a member may submit for verification (an absence is recorded by staff only). */
export const memberKinds: readonly DutyKind[] = ['research', 'goodDeed', 'investment', 'training', 'inspection'];

/** Kinds staff may enter or import (the workflows' kinds only for years they do not cover). */
export const enteredKinds: readonly DutyKind[] = ['proposal', 'socialReport', ...memberKinds, 'absence'];

/** Sources whose records their workflow keeps: nobody changes them by hand. */
export const workflowSources: readonly DutySource[] = ['proposal', 'socialReport', 'activity', 'dutyReport'];

/** Each kind's name; the Chinese ones are the committee's own words, used in exports and accepted in imports. */
export const dutyKindNames: Vocabulary<DutyKind> = {
  'zh-CN': {
    attendedHall: '现场参加协商活动',
    attendedOnline: '线上参加协商活动',
    spoke: '发言',
    suggested: '提出意见建议',
    voted: '参加表决',
    proposal: '提案',
    socialReport: '社情民意信息',
    research: '专题调研',
    goodDeed: '实事好事',
    investment: '招商引资/招才引智',
    training: '学习培训',
    inspection: '视察',
    absence: '无故缺席',
    socialReportCity: '社情民意信息被市级采用',
    socialReportProvince: '社情民意信息被省级采用',
    socialReportNational: '社情民意信息被全国政协采用',
    cosigned: '联名提案',
    activity: '参加民主监督等履职活动',
    dutyReport: '年度述职',
  },
  en: {
    attendedHall: 'Attended a consultation in the hall',
    attendedOnline: 'Attended a consultation online',
    spoke: 'Spoke',
    suggested: 'Made a suggestion',
    voted: 'Voted',
    proposal: 'Proposal',
    socialReport: 'Social-conditions report',
    research: 'Research study',
    goodDeed: 'Good deed for citizens',
    investment: 'Project or talent introduced',
    training: 'Training',
    inspection: 'Inspection',
    absence: 'Absent without leave',
    socialReportCity: 'Social-conditions report adopted at city level',
    socialReportProvince: 'Social-conditions report adopted at province level',
    socialReportNational: 'Social-conditions report adopted nationally',
    cosigned: 'Co-signed a proposal',
    activity: 'Took part in supervision, appraisal or another activity',
    dutyReport: 'Yearly duty report',
  },
};
/** The committee's words for each kind (the Chinese names), as exports write and imports accept them. */
export const dutyKindLabels: Readonly<Record<DutyKind, string>> = dutyKindNames['zh-CN'];

/** Where a record came from. */
/** `proposal`: written by the proposals workflow (提案) as the proposal moves, under natural keys. */
/** `socialReport`: written by the 社情民意 workflow when a report is adopted, under natural keys. */
/** `activity`: written by the activities module (履职活动) from sign-ins and, after close, absences. */
/** `dutyReport`: written by the 述职 process (server/src/duty-reports) when staff publish the panel's results. */
export const DutySource = z.enum([
  'session',
  'member',
  'staff',
  'import',
  'proposal',
  'socialReport',
  'activity',
  'dutyReport',
]);
export type DutySource = z.infer<typeof DutySource>;

/** Only verified records count. Session records are verified when written. */
export const DutyStatus = z.enum(['pending', 'verified', 'rejected']);
export type DutyStatus = z.infer<typeof DutyStatus>;

/** The member's feedback on a department's reply to their proposal (满意/基本满意/不满意). */
export const ProposalFeedback = z.enum(['satisfied', 'basicallySatisfied', 'dissatisfied']);
export type ProposalFeedback = z.infer<typeof ProposalFeedback>;

export const proposalFeedbackNames: Vocabulary<ProposalFeedback> = {
  'zh-CN': { satisfied: '满意', basicallySatisfied: '基本满意', dissatisfied: '不满意' },
  en: { satisfied: 'Satisfied', basicallySatisfied: 'Basically satisfied', dissatisfied: 'Dissatisfied' },
};
export const proposalFeedbackLabels: Readonly<Record<ProposalFeedback, string>> = proposalFeedbackNames['zh-CN'];

export const dutyLimits = {
  maxTitleLength: 200,
  maxEvidenceLength: 4000,
  maxLinkLength: 500,
  maxAttachmentNameLength: 200,
  maxReplyLength: 4000,
  maxReasonLength: 500,
  maxImportRows: 5000,
  maxImportBytes: 2 * 1024 * 1024,
} as const;

/** A calendar date in the committee's time zone. */
export const DutyDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');
export type DutyDate = z.infer<typeof DutyDate>;

const trimmed = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null));

export const Evidence = z.object({
  text: trimmed(dutyLimits.maxEvidenceLength),
  link: z
    .string()
    .trim()
    .max(dutyLimits.maxLinkLength)
    .refine((s) => s === '' || /^https?:\/\/\S+$/.test(s), 'expected an http(s) link')
    .nullish()
    .transform((s) => (s ? s : null)),
  attachmentName: optionalText(dutyLimits.maxAttachmentNameLength),
});
export type Evidence = z.infer<typeof Evidence>;

/** A proposal's department reply and the member's feedback on it; both come later than the proposal. */
export const ProposalDetail = z.object({
  department: optionalText(dutyLimits.maxTitleLength),
  reply: optionalText(dutyLimits.maxReplyLength),
  feedback: ProposalFeedback.nullish().transform((f) => f ?? null),
});
export type ProposalDetail = z.infer<typeof ProposalDetail>;

export const DutyAuditAction = z.enum([
  'recorded',
  'submitted',
  'entered',
  'imported',
  'changed',
  'verified',
  'rejected',
]);
export type DutyAuditAction = z.infer<typeof DutyAuditAction>;

/** One line of who did what to a record, kept forever. */
export const DutyAudit = z.object({
  at: z.string(),
  by: z.string(),
  byName: z.string(),
  action: DutyAuditAction,
  /** For a change: the fields changed; for a rejection: the reason. */
  note: z.string().nullable(),
});
export type DutyAudit = z.infer<typeof DutyAudit>;

/** A record of the ledger as the API shows it. */
export const DutyEntryView = z.object({
  id: z.string(),
  memberId: Id,
  memberName: z.string(),
  kind: DutyKind,
  date: DutyDate,
  title: z.string(),
  source: DutySource,
  status: DutyStatus,
  /** For session records: the session it came from. */
  sessionId: z.string().nullable(),
  /** For records a workflow keeps: the proposal or 社情民意 report they follow (changed there, not here). */
  sourceId: z.string().nullable().default(null),
  evidence: Evidence.nullable(),
  proposal: ProposalDetail.nullable(),
  rejectReason: z.string().nullable(),
  audit: z.array(DutyAudit),
});
export type DutyEntryView = z.infer<typeof DutyEntryView>;

/** What the scoring needs of a record: the pure rules read nothing else. */
export interface LedgerEntry {
  id: string;
  memberId: string;
  kind: DutyKind;
  date: string;
  status: DutyStatus;
  /** `key`: a key proposal (重点提案), which a rubric rule may weigh apart. */
  proposal?: { feedback: ProposalFeedback | null; key?: boolean } | null;
}

/** The year of a YYYY-MM-DD date. */
export const yearOf = (date: string): number => Number(date.slice(0, 4));
