import { z } from 'zod';
import type { Vocabulary } from '../vocabulary';
import { DutyKind } from './ledger';

/** The six yearly minimums (“六个一”). */
export const MinimumId = z.enum(['research', 'proposal', 'socialReport', 'consultation', 'goodDeed', 'investment']);
export type MinimumId = z.infer<typeof MinimumId>;

export const minimumNames: Vocabulary<MinimumId> = {
  'zh-CN': {
    research: '一次专题调研',
    proposal: '一件提案',
    socialReport: '一篇社情民意信息',
    consultation: '一次“有事好商量”协商活动',
    goodDeed: '一件实事好事',
    investment: '一个招商引资或招才引智项目',
  },
  en: {
    research: 'One research study',
    proposal: 'One proposal',
    socialReport: 'One social-conditions report',
    consultation: 'One “Let’s talk it over” consultation',
    goodDeed: 'One good deed',
    investment: 'One project or talent introduced',
  },
};
export const minimumLabels: Readonly<Record<MinimumId, string>> = minimumNames['zh-CN'];

export const Grade = z.enum(['excellent', 'competent', 'basicallyCompetent', 'incompetent']);
export type Grade = z.infer<typeof Grade>;

export const gradeNames: Vocabulary<Grade> = {
  'zh-CN': { excellent: '优秀', competent: '称职', basicallyCompetent: '基本称职', incompetent: '不称职' },
  en: {
    excellent: 'Excellent',
    competent: 'Competent',
    basicallyCompetent: 'Basically competent',
    incompetent: 'Not competent',
  },
};
export const gradeLabels: Readonly<Record<Grade, string>> = gradeNames['zh-CN'];

const Points = z.number().min(-100).max(100);

/**
 * Points for verified records of the given kinds: `points` each, in date order, until the rule's
 * total reaches `cap` (a cap on the absolute value, so a deduction can be capped too).
 * `onlyWithFeedback` counts only proposals whose reply the member has given feedback on;
 * `onlyKeyProposals` only key proposals (重点提案).
 */
export const RubricRule = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(40),
  label: z.string().min(1).max(100),
  kinds: z.array(DutyKind).min(1),
  points: Points,
  cap: z.number().positive().max(100).nullable(),
  onlyWithFeedback: z.boolean().default(false),
  onlyKeyProposals: z.boolean().optional(),
});
export type RubricRule = z.infer<typeof RubricRule>;

export const RubricMinimum = z.object({
  id: MinimumId,
  kinds: z.array(DutyKind).min(1),
  count: z.number().int().min(1).max(50),
  /** False for the one that is only striven for (a project or talent introduced). */
  required: z.boolean(),
});
export type RubricMinimum = z.infer<typeof RubricMinimum>;

/**
 * A year's rubric. The assessment out of 100 is the rubric points (clamped to 0…rubricMax) plus
 * the democratic evaluation's average (0…100) scaled to `evaluationMax`, plus the duty-report
 * panel's average scaled to `panelMax`; the three maxima sum to 100.
 */
export const RubricBody = z
  .object({
    year: z.number().int().min(2000).max(2100),
    rules: z.array(RubricRule).min(1).max(50),
    minimums: z.array(RubricMinimum).max(6),
    /** Added once when every required minimum is met. */
    allMinimumsBonus: z.number().min(0).max(50),
    /** Deducted for each required minimum not met (a positive number). */
    missingMinimumDeduction: z.number().min(0).max(50),
    rubricMax: z.number().min(0).max(100),
    evaluationMax: z.number().min(0).max(100),
    panelMax: z.number().min(0).max(100),
    /** Lowest total for each grade; anything below `basicallyCompetent` is `incompetent`. */
    thresholds: z.object({
      excellent: z.number().min(0).max(100),
      competent: z.number().min(0).max(100),
      basicallyCompetent: z.number().min(0).max(100),
    }),
  })
  .superRefine((r, ctx) => {
    if (r.rubricMax + r.evaluationMax + r.panelMax !== 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['rubricMax'],
        message: 'rubricMax + evaluationMax + panelMax must be 100',
      });
    }
    const t = r.thresholds;
    if (!(t.excellent > t.competent && t.competent > t.basicallyCompetent)) {
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds'],
        message: 'thresholds must fall: excellent > competent > basicallyCompetent',
      });
    }
    const ids = r.rules.map((x) => x.id);
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: ['rules'], message: 'rule ids must be unique' });
    const mins = r.minimums.map((m) => m.id);
    if (new Set(mins).size !== mins.length) {
      ctx.addIssue({ code: 'custom', path: ['minimums'], message: 'each minimum at most once' });
    }
  });
export type RubricBody = z.infer<typeof RubricBody>;

/** A stored rubric: a year's body with its version (1, 2, …; the highest is in force). */
export type Rubric = RubricBody & { version: number };

/**
 * The committee's standard rubric, stored for the demo year and the starting point for others.
 * Points are whole numbers so a member can add them up by hand.
 */
export function standardRubric(year: number): RubricBody {
  return {
    year,
    rules: [
      {
        id: 'attendance',
        label: '参加协商活动',
        kinds: ['attendedHall', 'attendedOnline'],
        points: 2,
        cap: 10,
        onlyWithFeedback: false,
      },
      { id: 'spoke', label: '会上发言', kinds: ['spoke'], points: 1, cap: 5, onlyWithFeedback: false },
      { id: 'suggested', label: '提出意见建议', kinds: ['suggested'], points: 1, cap: 5, onlyWithFeedback: false },
      { id: 'voted', label: '参加表决', kinds: ['voted'], points: 1, cap: 3, onlyWithFeedback: false },
      { id: 'proposal', label: '提交提案', kinds: ['proposal'], points: 4, cap: 12, onlyWithFeedback: false },
      {
        id: 'proposalFeedback',
        label: '对提案办理答复作出评价',
        kinds: ['proposal'],
        points: 1,
        cap: 3,
        onlyWithFeedback: true,
      },
      // A key proposal (重点提案) earns this on top of the proposal's own points.
      {
        id: 'keyProposal',
        label: '提案被列为重点提案',
        kinds: ['proposal'],
        points: 2,
        cap: 4,
        onlyWithFeedback: false,
        onlyKeyProposals: true,
      },
      // A co-signature (联名) counts once the proposal is accepted (立案).
      { id: 'cosigned', label: '联名提案被立案', kinds: ['cosigned'], points: 1, cap: 3, onlyWithFeedback: false },
      {
        id: 'socialReport',
        label: '报送社情民意信息',
        kinds: ['socialReport'],
        points: 3,
        cap: 9,
        onlyWithFeedback: false,
      },
      // An adopted report is weighed by the level that adopted it: national > province > city.
      {
        id: 'socialReportCity',
        label: '社情民意信息被市级采用',
        kinds: ['socialReportCity'],
        points: 2,
        cap: 6,
        onlyWithFeedback: false,
      },
      {
        id: 'socialReportProvince',
        label: '社情民意信息被省级采用',
        kinds: ['socialReportProvince'],
        points: 4,
        cap: 8,
        onlyWithFeedback: false,
      },
      {
        id: 'socialReportNational',
        label: '社情民意信息被全国政协采用',
        kinds: ['socialReportNational'],
        points: 6,
        cap: 12,
        onlyWithFeedback: false,
      },
      { id: 'research', label: '参加专题调研', kinds: ['research'], points: 5, cap: 10, onlyWithFeedback: false },
      { id: 'goodDeed', label: '为民办实事好事', kinds: ['goodDeed'], points: 3, cap: 6, onlyWithFeedback: false },
      {
        id: 'investment',
        label: '招商引资/招才引智',
        kinds: ['investment'],
        points: 5,
        cap: 10,
        onlyWithFeedback: false,
      },
      { id: 'training', label: '参加学习培训', kinds: ['training'], points: 1, cap: 3, onlyWithFeedback: false },
      { id: 'inspection', label: '参加视察', kinds: ['inspection'], points: 2, cap: 4, onlyWithFeedback: false },
      { id: 'absence', label: '无故缺席', kinds: ['absence'], points: -3, cap: 9, onlyWithFeedback: false },
    ],
    minimums: [
      { id: 'research', kinds: ['research'], count: 1, required: true },
      { id: 'proposal', kinds: ['proposal'], count: 1, required: true },
      { id: 'socialReport', kinds: ['socialReport'], count: 1, required: true },
      { id: 'consultation', kinds: ['attendedHall', 'attendedOnline'], count: 1, required: true },
      { id: 'goodDeed', kinds: ['goodDeed'], count: 1, required: true },
      { id: 'investment', kinds: ['investment'], count: 1, required: false },
    ],
    allMinimumsBonus: 5,
    missingMinimumDeduction: 2,
    rubricMax: 60,
    evaluationMax: 20,
    panelMax: 20,
    thresholds: { excellent: 85, competent: 70, basicallyCompetent: 60 },
  };
}
