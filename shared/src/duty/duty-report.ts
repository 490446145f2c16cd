import { z } from 'zod';
import { Id } from '../domain';
import { DutyDate } from './ledger';
import { round2 } from './score';

/**
 * The yearly duty report (述职): staff open a year's round with criteria, members hand in their
 * written report until the deadline, a panel scores each report on each criterion, and staff
 * publish the aggregates, which reach the duty ledger (`duty-report:<year>:<member>`).
 */
export const dutyReportLimits = {
  maxCriteria: 8,
  maxCriterionLength: 40,
  maxText: 20000,
  maxFileBytes: 5 * 1024 * 1024,
  maxPanel: 50,
  /** From this many scorers on, each criterion drops its highest and its lowest score. */
  trimFrom: 5,
} as const;

/** Types a written report may be uploaded as: PDF, Word (DOCX) and plain text. */
export const dutyReportContentTypes = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'text/plain',
] as const;

export const DutyReportCriterion = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - or _')
    .max(20),
  label: z.string().trim().min(1).max(dutyReportLimits.maxCriterionLength),
  /** Its share of the 100-point weighted total. */
  weight: z.number().min(0).max(100),
  /** The highest score a panel member may give on it. */
  max: z.number().int().min(1).max(100),
});
export type DutyReportCriterion = z.infer<typeof DutyReportCriterion>;

export const DutyReportCriteria = z
  .array(DutyReportCriterion)
  .min(1)
  .max(dutyReportLimits.maxCriteria)
  .refine((cs) => new Set(cs.map((c) => c.id)).size === cs.length, 'criteria: ids must differ')
  .refine((cs) => Math.abs(cs.reduce((s, c) => s + c.weight, 0) - 100) < 1e-9, 'criteria: weights must add up to 100');

/** The committee's usual criteria; staff change them when they open the round. */
export const defaultDutyReportCriteria: DutyReportCriterion[] = [
  { id: 'attitude', label: '履职态度', weight: 30, max: 100 },
  { id: 'results', label: '履职实绩', weight: 50, max: 100 },
  { id: 'conduct', label: '作风纪律', weight: 20, max: 100 },
];

export const DutyReportState = z.enum(['open', 'published']);
export type DutyReportState = z.infer<typeof DutyReportState>;

const Year = z.number().int().min(2000).max(2100);

/** POST /api/duty-reports — staff open a year's round (one per year). */
export const OpenDutyReportRoundBody = z
  .object({
    year: Year,
    /** The last day (committee time) a member may hand in or replace their report. */
    deadline: DutyDate,
    criteria: DutyReportCriteria.optional(),
  })
  .strict();
export type OpenDutyReportRoundBody = z.infer<typeof OpenDutyReportRoundBody>;

/** PATCH /api/duty-reports/:year — staff change the round; criteria only before anyone scores. */
export const ChangeDutyReportRoundBody = z
  .object({
    deadline: DutyDate.optional(),
    criteria: DutyReportCriteria.optional(),
    /** The panel: members or staff, by id. */
    panel: z.array(Id).max(dutyReportLimits.maxPanel).optional(),
    /** The panel meeting: its date and, optionally, the session it is held as. */
    meeting: z
      .object({ date: DutyDate, sessionId: Id.nullish().transform((s) => s ?? null) })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type ChangeDutyReportRoundBody = z.infer<typeof ChangeDutyReportRoundBody>;

/** POST /api/duty-reports/:year/report as JSON: the report written inline (or a file as multipart). */
export const DutyReportTextBody = z.object({ text: z.string().trim().min(1).max(dutyReportLimits.maxText) }).strict();
export type DutyReportTextBody = z.infer<typeof DutyReportTextBody>;

/** POST /api/duty-reports/:year/scores/:memberId — a panel member's scores by criterion id. */
export const DutyReportScoreBody = z.object({ scores: z.record(z.string(), z.number().min(0).max(100)) }).strict();
export type DutyReportScoreBody = z.infer<typeof DutyReportScoreBody>;

/** The aggregate of the panel's scores for one report: nothing in it says who gave what. */
export const DutyReportAggregate = z.object({
  /** How many panel members scored the report. */
  scorers: z.number(),
  /** Whether each criterion dropped its highest and lowest score (from `trimFrom` scorers on). */
  trimmed: z.boolean(),
  criteria: z.array(z.object({ id: z.string(), label: z.string(), mean: z.number().nullable() })),
  /** Σ mean ÷ max × weight, out of 100; null before anyone scored. */
  total: z.number().nullable(),
});
export type DutyReportAggregate = z.infer<typeof DutyReportAggregate>;

/**
 * Aggregates one report's scores (each scorer's score per criterion id). With `trimFrom` scorers
 * or more, each criterion drops one highest and one lowest score before the mean.
 */
export function aggregateDutyReport(
  criteria: readonly DutyReportCriterion[],
  sheets: ReadonlyArray<Readonly<Record<string, number>>>,
): DutyReportAggregate {
  const trimmed = sheets.length >= dutyReportLimits.trimFrom;
  const rows = criteria.map((c) => {
    const given = sheets.map((s) => s[c.id]).filter((x): x is number => typeof x === 'number');
    const kept = trimmed ? [...given].sort((a, b) => a - b).slice(1, -1) : given;
    const mean = kept.length === 0 ? null : round2(kept.reduce((s, x) => s + x, 0) / kept.length);
    return { id: c.id, label: c.label, mean, share: mean === null ? null : (mean / c.max) * c.weight };
  });
  const total = sheets.length === 0 ? null : round2(rows.reduce((s, r) => s + (r.share ?? 0), 0));
  return {
    scorers: sheets.length,
    trimmed,
    criteria: rows.map(({ id, label, mean }) => ({ id, label, mean })),
    total,
  };
}

export const DutyReportFileView = z.object({ fileName: z.string(), contentType: z.string(), size: z.number() });

/** A member's report as its readers see it (the member, staff and the panel). */
export const DutyReportView = z.object({
  memberId: z.string(),
  name: z.string(),
  text: z.string().nullable(),
  file: DutyReportFileView.nullable(),
  submittedAt: z.string(),
  /** How many times it was handed in (1: never replaced). */
  versions: z.number(),
});
export type DutyReportView = z.infer<typeof DutyReportView>;

export const DutyReportRoundView = z.object({
  year: z.number(),
  deadline: DutyDate,
  criteria: z.array(DutyReportCriterion),
  panel: z.array(z.object({ id: z.string(), name: z.string() })),
  meeting: z.object({ date: DutyDate, sessionId: z.string().nullable() }).nullable(),
  state: DutyReportState,
  publishedAt: z.string().nullable(),
  /** Whether the deadline has passed (committee time). */
  closed: z.boolean(),
});
export type DutyReportRoundView = z.infer<typeof DutyReportRoundView>;

/**
 * GET /api/duty-reports/:year. `mine`: the caller's report and, once published, its aggregate;
 * `toScore`: for a panel member, the others' reports with the scores the caller gave (their own
 * only); `results`: for staff, every report's aggregate.
 */
export const DutyReportResponse = z.object({
  round: DutyReportRoundView,
  mine: z.object({ report: DutyReportView.nullable(), result: DutyReportAggregate.nullable() }).nullable(),
  toScore: z.array(z.object({ report: DutyReportView, myScores: z.record(z.string(), z.number()).nullable() })),
  results: z.array(z.object({ report: DutyReportView, result: DutyReportAggregate })),
  viewer: z.object({ staff: z.boolean(), panel: z.boolean() }),
});
export type DutyReportResponse = z.infer<typeof DutyReportResponse>;

/** POST /api/duty-reports/:year/publish: the round, and how many ledger records were new. */
export const DutyReportPublishResponse = z.object({ round: DutyReportRoundView, recorded: z.number() });
export type DutyReportPublishResponse = z.infer<typeof DutyReportPublishResponse>;
