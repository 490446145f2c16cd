import { z } from 'zod';
import { Id, Text } from '../domain';
import { limits } from '../limits';
import { ReportDate } from './period';

/** Most attendees, suggestions and outcomes one paper session records. */
export const paperLimits = {
  maxAttendees: 300,
  maxSuggestions: 300,
  maxOutcomes: 50,
  maxNoteLength: 1000,
  /** The scan of the sign-in sheet: as one proposal attachment (shared/proposals `proposalLimits`). */
  maxScanFiles: 1,
} as const;

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

/**
 * POST /api/sessions/paper (staff): a consultation held outside Yitang (协商议事活动 on paper, e.g.
 * in a village room), recorded afterwards. It becomes a closed session of origin `paper`: its
 * attendees are checked in as in the hall, its suggestions and outcomes are stored as a live
 * session's, and the steps after close (duty records, tracking items, the topic) follow.
 */
export const PaperSessionBody = z
  .object({
    title: Text(limits.maxAgendaTitleLength),
    /** The topic it deliberated, if any: the session takes its theme. */
    topicId: Id.nullable().default(null),
    /** Its own theme when it has no topic (ignored when the topic has one). */
    themeId: Id.nullable().default(null),
    roomId: Id,
    /** The day (committee time) and the hour it was held. */
    date: ReportDate,
    time: HHMM.default('09:00'),
    firstConvenerId: Id,
    secondConvenerId: Id.nullable().default(null),
    /** People on the sign-in sheet, by account (members, leaders, department people). */
    attendeeIds: z.array(Id).min(1).max(paperLimits.maxAttendees),
    suggestions: z
      .array(z.object({ authorId: Id, text: Text(limits.maxSuggestionLength) }).strict())
      .max(paperLimits.maxSuggestions)
      .default([]),
    outcomes: z
      .array(
        z
          .object({
            text: Text(limits.maxOutcomeLength),
            department: Text(limits.maxDepartmentLength),
            deadline: ReportDate.nullable().default(null),
          })
          .strict(),
      )
      .max(paperLimits.maxOutcomes)
      .default([]),
    note: z.string().trim().max(paperLimits.maxNoteLength).default(''),
  })
  .strict();
export type PaperSessionBody = z.input<typeof PaperSessionBody>;

export const PaperScanView = z.object({
  id: Id,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  uploadedAt: z.string(),
});
export type PaperScanView = z.infer<typeof PaperScanView>;

/** A recorded paper session as staff see it back. */
export const PaperSessionView = z.object({
  id: Id,
  title: z.string(),
  topicId: Id.nullable(),
  themeId: Id.nullable(),
  roomId: Id,
  scheduledAt: z.string(),
  attendees: z.number().int().nonnegative(),
  suggestions: z.number().int().nonnegative(),
  outcomes: z.number().int().nonnegative(),
  /** Steps after close that failed (retried on the next record of the same session by staff). */
  pendingSteps: z.array(z.string()),
  scans: z.array(PaperScanView),
  note: z.string(),
});
export type PaperSessionView = z.infer<typeof PaperSessionView>;

export const PaperSessionsResponse = z.object({ sessions: z.array(PaperSessionView) });
export type PaperSessionsResponse = z.infer<typeof PaperSessionsResponse>;
