import { z } from 'zod';
import {
  ChaseLevel,
  StaffTrackingSourceKind,
  TrackingAction,
  TrackingActionType,
  TrackingSourceKind,
  TrackingStatus,
  trackingLimits,
  trackingSourceLimits,
} from './tracking';

const Id = z.string().min(1).max(64);

/** One step in a tracking item's history: who did what, when (and why, for a return). */
export const TrackingEvent = z.object({
  at: z.string(),
  by: Id,
  byName: z.string(),
  /** `assign`: the responsible person was named or changed (the note names them). */
  action: z.enum(['create', 'start', 'report', 'verify', 'return', 'close', 'assign']),
  status: TrackingStatus,
  note: z.string().nullable(),
});
export type TrackingEvent = z.infer<typeof TrackingEvent>;

/** A file attached to a progress report; `url` serves it to people who may see the item. */
export const AttachmentView = z.object({
  id: Id,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
});
export type AttachmentView = z.infer<typeof AttachmentView>;

/** The department's progress report (进展报告). */
export const ProgressReportView = z.object({
  id: Id,
  at: z.string(),
  by: Id,
  byName: z.string(),
  text: z.string(),
  percent: z.number().int().min(0).max(100).nullable(),
  nextStep: z.string().nullable(),
  /** The department reported the work done with this report. */
  done: z.boolean(),
  attachments: z.array(AttachmentView),
});
export type ProgressReportView = z.infer<typeof ProgressReportView>;

/** One chase (催办) with its escalation level, kept for good. */
export const ChaseView = z.object({
  at: z.string(),
  by: Id,
  byName: z.string(),
  level: ChaseLevel,
  note: z.string().nullable(),
  /** Whether the item was overdue when chased. */
  overdue: z.boolean(),
});
export type ChaseView = z.infer<typeof ChaseView>;

/** Participants' satisfaction: average (null before the first rating), count, and the comments. */
export const RatingSummary = z.object({
  average: z.number().nullable(),
  count: z.number().int().nonnegative(),
  /** Anonymous: the score, the comment and when, not who. */
  entries: z.array(z.object({ score: z.number().int().min(1).max(5), comment: z.string().nullable(), at: z.string() })),
});
export type RatingSummary = z.infer<typeof RatingSummary>;

export const TrackingPerson = z.object({ id: Id, name: z.string() });
export type TrackingPerson = z.infer<typeof TrackingPerson>;

/**
 * What an item follows up: its kind, the record it came from (`id`: the outcome, the proposal;
 * null for work staff set by hand), a title and, for a finding, its description.
 */
export const TrackingSource = z.object({
  kind: TrackingSourceKind,
  id: Id.nullable(),
  title: z.string(),
  summary: z.string().nullable(),
});
export type TrackingSource = z.infer<typeof TrackingSource>;

/** 督办事项: one piece of follow-up (an outcome, a proposal, a finding…) until it is done and verified. */
export const TrackingItemView = z.object({
  id: Id,
  source: TrackingSource,
  /** The outcome and its session, for items of kind `outcome`; null for other kinds. */
  outcomeId: Id.nullable(),
  sessionId: Id.nullable(),
  /** The heading: the session's topic for an outcome, the source's title otherwise. */
  topic: z.string(),
  text: z.string(),
  department: z.string(),
  deadline: z.string().nullable(),
  status: TrackingStatus,
  /** Derived from the deadline and the status, for today in the committee's time zone. */
  overdue: z.boolean(),
  history: z.array(TrackingEvent),
  /** The responsible person: an official of the department. */
  assignee: TrackingPerson.nullable(),
  reports: z.array(ProgressReportView),
  chases: z.array(ChaseView),
  /** The highest chase level reached so far (0: never chased). */
  chaseLevel: z.union([z.literal(0), ChaseLevel]),
  rating: RatingSummary,
});
export type TrackingItemView = z.infer<typeof TrackingItemView>;

export const TrackingListResponse = z.object({ items: z.array(TrackingItemView) });
export type TrackingListResponse = z.infer<typeof TrackingListResponse>;

/** POST /api/tracking/:id/actions — the action, with a reason for a return; an optional note. */
export const TrackingActionBody = z
  .object({ action: TrackingAction, note: z.string().trim().max(2000).optional() })
  .strict();
export type TrackingActionBody = z.infer<typeof TrackingActionBody>;

/** What the signed-in viewer may do with one item, and their own rating. */
export const TrackingViewer = z.object({
  actions: z.array(TrackingActionType),
  mayReport: z.boolean(),
  mayChase: z.boolean(),
  mayAssign: z.boolean(),
  mayRate: z.boolean(),
  myRating: z.object({ score: z.number().int().min(1).max(5), comment: z.string().nullable() }).nullable(),
});
export type TrackingViewer = z.infer<typeof TrackingViewer>;

/** GET /api/tracking/:id and the answer of every change to one item. */
export const TrackingItemResponse = z.object({ item: TrackingItemView, viewer: TrackingViewer });
export type TrackingItemResponse = z.infer<typeof TrackingItemResponse>;

/** GET /api/tracking query: all optional; `overdue=true` keeps overdue items only. */
export const TrackingListQuery = z.object({
  sessionId: Id.optional(),
  kind: TrackingSourceKind.optional(),
  department: z.string().max(80).optional(),
  status: TrackingStatus.optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type TrackingListQuery = z.infer<typeof TrackingListQuery>;

/**
 * POST /api/tracking/:id/reports — multipart/form-data (files under `files`) or JSON. Form fields
 * arrive as text, so `percent` and `done` accept their text forms.
 */
export const ProgressReportBody = z
  .object({
    text: z.string().trim().min(1).max(trackingLimits.maxReportLength),
    percent: z
      .union([z.number(), z.string().trim()])
      .optional()
      .transform((v) => (v === undefined || v === '' ? null : Number(v)))
      .pipe(z.number().int().min(0).max(100).nullable()),
    nextStep: z
      .string()
      .trim()
      .max(trackingLimits.maxNextStepLength)
      .optional()
      .transform((v) => (v ? v : null)),
    done: z
      .union([z.boolean(), z.enum(['true', 'false', 'on', ''])])
      .optional()
      .transform((v) => v === true || v === 'true' || v === 'on'),
  })
  .strict();
export type ProgressReportBody = z.input<typeof ProgressReportBody>;
export type ProgressReportInput = z.output<typeof ProgressReportBody>;

/** POST /api/tracking/:id/chase */
export const TrackingChaseBody = z
  .object({ note: z.string().trim().max(trackingLimits.maxChaseNoteLength).optional() })
  .strict();
export type TrackingChaseBody = z.infer<typeof TrackingChaseBody>;

/** POST /api/tracking/:id/assignee — the official who answers for the item. */
export const TrackingAssignBody = z.object({ assigneeId: Id }).strict();
export type TrackingAssignBody = z.infer<typeof TrackingAssignBody>;

/** GET /api/tracking/:id/candidates — officials of the item's department. */
export const AssigneeCandidatesResponse = z.object({
  candidates: z.array(z.object({ id: Id, name: z.string(), title: z.string() })),
});
export type AssigneeCandidatesResponse = z.infer<typeof AssigneeCandidatesResponse>;

/** PUT /api/tracking/:id/rating — one per participant, changeable until the item is closed. */
export const TrackingRatingBody = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().trim().max(trackingLimits.maxRatingCommentLength).optional(),
  })
  .strict();
export type TrackingRatingBody = z.infer<typeof TrackingRatingBody>;

/** GET /api/tracking/departments — departments whose view the caller may open. */
export const TrackingDepartmentsResponse = z.object({ departments: z.array(z.string()) });
export type TrackingDepartmentsResponse = z.infer<typeof TrackingDepartmentsResponse>;

/**
 * GET /api/tracking/department?name= — the department's open items (not yet verified or
 * closed): overdue first, then by deadline (none last).
 */
export const DepartmentViewResponse = z.object({ department: z.string(), items: z.array(TrackingItemView) });
export type DepartmentViewResponse = z.infer<typeof DepartmentViewResponse>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

/**
 * POST /api/tracking — staff set follow-up work directly: their own (`staff`) or a finding of
 * democratic supervision or an inspection, with its description (`summary`).
 */
export const TrackingCreateBody = z
  .object({
    kind: StaffTrackingSourceKind,
    title: z.string().trim().min(1).max(trackingSourceLimits.maxTitleLength),
    summary: z.string().trim().max(trackingSourceLimits.maxSummaryLength).optional(),
    /** What the department must do. */
    text: z.string().trim().min(1).max(trackingSourceLimits.maxTextLength),
    department: z.string().trim().min(1).max(80),
    deadline: Day.nullable().optional(),
  })
  .strict();
export type TrackingCreateBody = z.infer<typeof TrackingCreateBody>;
