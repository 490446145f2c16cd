import { z } from 'zod';
import { Grade, MinimumId, type Rubric } from './rubric';
import { type MemberScore, round2 } from './score';

/** Scores given by evaluators or panellists, shown only as an aggregate. */
export const RatingAggregate = z.object({
  count: z.number(),
  /** Null when nobody has scored yet. Individual scores are never shown, only this average. */
  average: z.number().nullable(),
  /** The average scaled to this part's share of the 100. */
  points: z.number(),
});
export type RatingAggregate = z.infer<typeof RatingAggregate>;

export const Assessment = z.object({
  memberId: z.string(),
  year: z.number(),
  rubricVersion: z.number(),
  rubricPoints: z.number(),
  evaluation: RatingAggregate,
  panel: RatingAggregate,
  /** Out of 100, one decimal. */
  total: z.number(),
  grade: Grade,
});
export type Assessment = z.infer<typeof Assessment>;

const round1 = (x: number): number => Math.round((x + Number.EPSILON) * 10) / 10;

/** The average of 0…100 scores scaled to `max` points; no scores give no points. */
export function aggregate(scores: readonly number[], max: number): RatingAggregate {
  if (scores.length === 0) return { count: 0, average: null, points: 0 };
  const average = round2(scores.reduce((s, x) => s + x, 0) / scores.length);
  return { count: scores.length, average, points: round2((average * max) / 100) };
}

/** The grade a total earns under the rubric's thresholds. */
export function gradeFor(total: number, thresholds: Rubric['thresholds']): Grade {
  if (total >= thresholds.excellent) return 'excellent';
  if (total >= thresholds.competent) return 'competent';
  if (total >= thresholds.basicallyCompetent) return 'basicallyCompetent';
  return 'incompetent';
}

/** A member's published 述职 result: the panel's weighted total out of 100 and how many scored. */
export interface PanelResult {
  scorers: number;
  total: number | null;
}

/** The panel's part: a published 述职 result scaled to `max`, or recorded scores averaged. */
function panelPart(panel: readonly number[] | PanelResult, max: number): RatingAggregate {
  if (!('total' in panel)) return aggregate(panel, max);
  if (panel.total === null || panel.scorers === 0) return { count: 0, average: null, points: 0 };
  return { count: panel.scorers, average: panel.total, points: round2((panel.total * max) / 100) };
}

/**
 * The annual assessment out of 100: rubric points (already clamped to rubricMax), plus the
 * democratic evaluation and the duty-report panel, each 0…100 scaled to its share. The panel's
 * part is the year's published 述职 result when the 述职 round is published, else the panel
 * scores staff recorded (a year whose panel met on paper).
 */
export function assess(
  rubric: Rubric,
  score: MemberScore,
  evaluationScores: readonly number[],
  panelScores: readonly number[] | PanelResult,
): Assessment {
  const evaluation = aggregate(evaluationScores, rubric.evaluationMax);
  const panel = panelPart(panelScores, rubric.panelMax);
  const total = round1(score.points + evaluation.points + panel.points);
  return {
    memberId: score.memberId,
    year: rubric.year,
    rubricVersion: rubric.version,
    rubricPoints: score.points,
    evaluation,
    panel,
    total,
    grade: gradeFor(total, rubric.thresholds),
  };
}

/** "Members without a proposal this year: none" — for each minimum, who has not met it. */
export const MinimumStatement = z.object({
  minimumId: MinimumId,
  required: z.boolean(),
  members: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type MinimumStatement = z.infer<typeof MinimumStatement>;

export function minimumStatements(
  rubric: Rubric,
  scores: readonly MemberScore[],
  names: ReadonlyMap<string, string>,
): MinimumStatement[] {
  return rubric.minimums.map((m) => ({
    minimumId: m.id,
    required: m.required,
    members: scores
      .filter((s) => !s.minimums.some((p) => p.id === m.id && p.met))
      .map((s) => ({ id: s.memberId, name: names.get(s.memberId) ?? s.memberId })),
  }));
}
