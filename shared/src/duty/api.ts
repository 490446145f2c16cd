import { z } from 'zod';
import { Id } from '../domain';
import { Assessment, MinimumStatement } from './assessment';
import { Bulletin, Quarter } from './bulletin';
import { ImportProblem } from './import';
import {
  DutyDate,
  DutyEntryView,
  DutyKind,
  DutyStatus,
  dutyLimits,
  Evidence,
  enteredKinds,
  ProposalDetail,
} from './ledger';
import { Grade, RubricBody } from './rubric';
import { MemberScore } from './score';

const Title = z.string().trim().min(1).max(dutyLimits.maxTitleLength);
const EnteredKind = DutyKind.refine((k) => enteredKinds.includes(k), 'this kind is recorded by sessions only');

/**
 * POST /api/duty/entries. A member submits for themselves (pending until staff verify); staff may
 * name any member (`memberId`) and their entry counts at once.
 */
export const SubmitDutyEntryBody = z.object({
  memberId: Id.optional(),
  kind: EnteredKind,
  date: DutyDate,
  title: Title,
  evidence: Evidence,
  proposal: ProposalDetail.optional(),
});
export type SubmitDutyEntryBody = z.input<typeof SubmitDutyEntryBody>;

/** PATCH /api/duty/entries/:id. Only the fields given change; each change is kept in the audit list. */
export const ChangeDutyEntryBody = z
  .object({
    date: DutyDate.optional(),
    title: Title.optional(),
    evidence: Evidence.optional(),
    proposal: ProposalDetail.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change');
export type ChangeDutyEntryBody = z.input<typeof ChangeDutyEntryBody>;

/** POST /api/duty/entries/:id/review (staff). */
export const ReviewDutyEntryBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('verify') }),
  z.object({ decision: z.literal('reject'), reason: z.string().trim().min(1).max(dutyLimits.maxReasonLength) }),
]);
export type ReviewDutyEntryBody = z.infer<typeof ReviewDutyEntryBody>;

export const DutyRatingKind = z.enum(['evaluation', 'panel']);
export type DutyRatingKind = z.infer<typeof DutyRatingKind>;

/**
 * POST /api/duty/ratings. `evaluation`: democratic evaluation, by any member or staff, of another
 * member. `panel`: the duty-report panel's score, by staff. One score per rater, member and year;
 * scoring again replaces it.
 */
export const DutyRatingBody = z.object({
  kind: DutyRatingKind,
  year: z.number().int().min(2000).max(2100),
  memberId: Id,
  score: z.number().min(0).max(100),
});
export type DutyRatingBody = z.infer<typeof DutyRatingBody>;

export const DutySettings = z.object({ rankingsVisibleToMembers: z.boolean() });
export type DutySettings = z.infer<typeof DutySettings>;

export const DutyMemberRef = z.object({
  id: z.string(),
  name: z.string(),
  sectorId: z.string().nullable(),
  sectorName: z.string().nullable(),
});
export type DutyMemberRef = z.infer<typeof DutyMemberRef>;

/** GET /api/duty/me and GET /api/duty/members/:id: one member's year. */
export const MemberDutyResponse = z.object({
  member: DutyMemberRef,
  year: z.number(),
  /** Null when the year has no rubric: then there is no score. */
  rubric: RubricBody.and(z.object({ version: z.number() })).nullable(),
  entries: z.array(DutyEntryView),
  score: MemberScore.nullable(),
  assessment: Assessment.nullable(),
});
export type MemberDutyResponse = z.infer<typeof MemberDutyResponse>;

export const DutyEntryResponse = z.object({ entry: DutyEntryView });
export type DutyEntryResponse = z.infer<typeof DutyEntryResponse>;

/** GET /api/duty/entries?status=&year=&memberId= — staff: everyone's; a member: their own. */
export const DutyEntriesQuery = z.object({
  status: DutyStatus.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  memberId: Id.optional(),
});
export const DutyEntriesResponse = z.object({ entries: z.array(DutyEntryView) });
export type DutyEntriesResponse = z.infer<typeof DutyEntriesResponse>;

export const RubricResponse = z.object({ rubric: RubricBody.and(z.object({ version: z.number() })) });
export type RubricResponse = z.infer<typeof RubricResponse>;

/** GET /api/duty/assessment?year= — staff: everyone; a member: their own row only. */
export const AssessmentRow = z.object({
  member: DutyMemberRef,
  score: MemberScore,
  assessment: Assessment,
  /** 1 = highest total; null when rankings are hidden from the caller. */
  rank: z.number().nullable(),
});
export type AssessmentRow = z.infer<typeof AssessmentRow>;

export const AssessmentResponse = z.object({
  year: z.number(),
  rubricVersion: z.number(),
  rows: z.array(AssessmentRow),
  /** "Members without a proposal this year: none" — staff only (empty for members). */
  statements: z.array(MinimumStatement),
  /** Verified records this year by kind, and distinct sessions held with members present. */
  totals: z.object({ counts: z.record(DutyKind, z.number()), sessions: z.number() }),
  rankingsVisible: z.boolean(),
  /** Everyone's rank, total and grade, highest first: staff always, members when the committee shows rankings. */
  ranking: z.array(z.object({ rank: z.number(), member: DutyMemberRef, total: z.number(), grade: Grade })),
});
export type AssessmentResponse = z.infer<typeof AssessmentResponse>;

/** GET /api/duty/bulletin?quarter=2026-Q3 (and /export.xlsx, /export.pdf): staff get every member and sector; a member, their own row and no sectors. */
export const BulletinQuery = z.object({ quarter: Quarter });
export const BulletinResponse = z.object({ bulletin: Bulletin });
export type BulletinResponse = z.infer<typeof BulletinResponse>;

/** POST /api/duty/import (body: the CSV or XLSX file itself). `?dryRun=1` validates only. */
export const DutyImportResponse = z.object({
  imported: z.number(),
  /** Rows already imported by this same file before (a retry): written once, not twice. */
  alreadyPresent: z.number(),
  dryRun: z.boolean(),
});
export type DutyImportResponse = z.infer<typeof DutyImportResponse>;

/** The 400 answer to a file with problems: nothing was written. */
export const DutyImportRejected = z.object({
  error: z.object({ code: z.literal('BAD_REQUEST'), message: z.string() }),
  problems: z.array(ImportProblem),
});
export type DutyImportRejected = z.infer<typeof DutyImportRejected>;
