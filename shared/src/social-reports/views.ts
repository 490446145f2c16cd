import { z } from 'zod';
import { Id } from '../domain';
import {
  AdoptionLevel,
  LeaderInstruction,
  SocialReportAction,
  SocialReportActionType,
  SocialReportState,
  socialReportLimits,
} from './machine';

/** One step on the report's trail, as the member and staff see it. */
export const SocialReportEvent = z.object({
  at: z.string(),
  by: Id,
  byName: z.string(),
  action: z.enum(['submit', ...SocialReportActionType.options]),
  state: SocialReportState,
  level: AdoptionLevel.nullable(),
  /** The decline reason, the leader's instruction text, the result, or null. */
  note: z.string().nullable(),
});
export type SocialReportEvent = z.infer<typeof SocialReportEvent>;

export const SocialReportAttachmentView = z.object({
  id: Id,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
});
export type SocialReportAttachmentView = z.infer<typeof SocialReportAttachmentView>;

/** 社情民意信息: the member's original and, once staff edit it, the edited text beside it. */
export const SocialReportView = z.object({
  id: Id,
  authorId: Id,
  authorName: z.string(),
  state: SocialReportState,
  /** The member's own words, never changed. */
  original: z.object({ title: z.string(), content: z.string() }),
  /** Staff's edited version; null until edited. */
  edited: z.object({ title: z.string(), content: z.string(), byName: z.string(), at: z.string() }).nullable(),
  /** The highest level it was adopted or forwarded at. */
  level: AdoptionLevel.nullable(),
  declineReason: z.string().nullable(),
  instructions: z.array(LeaderInstruction),
  result: z.string().nullable(),
  attachments: z.array(SocialReportAttachmentView),
  submittedAt: z.string(),
  trail: z.array(SocialReportEvent),
});
export type SocialReportView = z.infer<typeof SocialReportView>;

/** What the viewer may do with the report. */
export const SocialReportViewer = z.object({ actions: z.array(SocialReportActionType) });
export type SocialReportViewer = z.infer<typeof SocialReportViewer>;

export const SocialReportResponse = z.object({ report: SocialReportView, viewer: SocialReportViewer });
export type SocialReportResponse = z.infer<typeof SocialReportResponse>;

/** A report in a list: no texts beyond the title (the body, instructions and result are read one report at a time). */
export const SocialReportListItem = z.object({
  id: Id,
  authorId: Id,
  authorName: z.string(),
  state: SocialReportState,
  /** The edited title once staff edited it, else the member's. */
  title: z.string(),
  level: AdoptionLevel.nullable(),
  submittedAt: z.string(),
});
export type SocialReportListItem = z.infer<typeof SocialReportListItem>;

/** A page of reports, newest first; `next` is the cursor of the following page, null at the end. */
export const SocialReportListResponse = z.object({
  reports: z.array(SocialReportListItem),
  next: z.string().nullable(),
});
export type SocialReportListResponse = z.infer<typeof SocialReportListResponse>;

/** POST /api/social-reports — JSON, or multipart with files under `files`. */
export const SocialReportSubmitBody = z
  .object({
    title: z.string().trim().min(1).max(socialReportLimits.maxTitleLength),
    content: z.string().trim().min(1).max(socialReportLimits.maxContentLength),
    /**
     * Made by the client once per report it is writing: the same key sent again (a retry after a
     * lost answer) gives back the report the first one stored instead of a second report.
     */
    submitKey: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8–64 letters, digits, - or _')
      .optional(),
  })
  .strict();
export type SocialReportSubmitBody = z.infer<typeof SocialReportSubmitBody>;

/** POST /api/social-reports/:id/actions */
export const SocialReportActionBody = z.object({ action: SocialReportAction }).strict();
export type SocialReportActionBody = z.infer<typeof SocialReportActionBody>;

/** GET /api/social-reports?scope=mine|queue|all&state= — `queue`: undecided (staff); `all`: staff. */
export const SocialReportListQuery = z.object({
  scope: z.enum(['mine', 'queue', 'all']).optional(),
  state: SocialReportState.optional(),
  /** At most this many reports (default 50). */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** The `next` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type SocialReportListQuery = z.infer<typeof SocialReportListQuery>;
