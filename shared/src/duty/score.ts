import { z } from 'zod';
import { DutyKind, type LedgerEntry, yearOf } from './ledger';
import { MinimumId, type Rubric } from './rubric';

/** One record's share of a rule's points. */
export const CountedEntry = z.object({ entryId: z.string(), points: z.number() });
export type CountedEntry = z.infer<typeof CountedEntry>;

/** A rule applied to a member's year: which records earned what, and which fell beyond the cap. */
export const ScoreLine = z.object({
  ruleId: z.string(),
  label: z.string(),
  kinds: z.array(DutyKind),
  each: z.number(),
  cap: z.number().nullable(),
  points: z.number(),
  counted: z.array(CountedEntry),
  overCap: z.array(z.string()),
});
export type ScoreLine = z.infer<typeof ScoreLine>;

export const MinimumProgress = z.object({
  id: MinimumId,
  required: z.boolean(),
  needed: z.number(),
  have: z.number(),
  met: z.boolean(),
  /** The verified records that meet it. */
  entryIds: z.array(z.string()),
});
export type MinimumProgress = z.infer<typeof MinimumProgress>;

/** The bonus for meeting every required minimum, or the deduction for one that is missing. */
export const ScoreAdjustment = z.object({
  type: z.enum(['allMinimumsMet', 'minimumMissing']),
  minimumId: MinimumId.nullable(),
  points: z.number(),
  /** The records that earned a bonus; empty for a deduction (nothing was recorded). */
  entryIds: z.array(z.string()),
});
export type ScoreAdjustment = z.infer<typeof ScoreAdjustment>;

export const MemberScore = z.object({
  memberId: z.string(),
  year: z.number(),
  rubricVersion: z.number(),
  lines: z.array(ScoreLine),
  minimums: z.array(MinimumProgress),
  adjustments: z.array(ScoreAdjustment),
  /** Sum of lines and adjustments before clamping. */
  rawTotal: z.number(),
  /** rawTotal clamped to 0…rubricMax: the rubric's part of the 100. */
  points: z.number(),
  /** Required minimums not met yet. */
  missing: z.array(MinimumId),
  /** Striven-for minimums not met yet. */
  strivenFor: z.array(MinimumId),
});
export type MemberScore = z.infer<typeof MemberScore>;

/** Rounds to two decimals, so that 0.1 + 0.2 reads as 0.3. */
export const round2 = (x: number): number => Math.round((x + Number.EPSILON) * 100) / 100;

const byDateThenId = (a: LedgerEntry, b: LedgerEntry) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * A member's rubric points for the rubric's year, from their ledger. Only verified records of that
 * year count. Each rule gives its points record by record in date order until its cap; the last
 * record under the cap may earn part of its points. Every point is listed with its record.
 */
export function scoreMember(rubric: Rubric, memberId: string, ledger: readonly LedgerEntry[]): MemberScore {
  const entries = ledger
    .filter((e) => e.memberId === memberId && e.status === 'verified' && yearOf(e.date) === rubric.year)
    .sort(byDateThenId);

  const lines: ScoreLine[] = rubric.rules.map((rule) => {
    const kinds = new Set(rule.kinds);
    const matching = entries.filter(
      (e) =>
        kinds.has(e.kind) &&
        (!rule.onlyWithFeedback || (e.proposal?.feedback ?? null) !== null) &&
        (rule.onlyKeyProposals !== true || e.proposal?.key === true),
    );
    const counted: CountedEntry[] = [];
    const overCap: string[] = [];
    let total = 0;
    for (const e of matching) {
      const room = rule.cap === null ? Math.abs(rule.points) : round2(rule.cap - Math.abs(total));
      const share = Math.min(Math.abs(rule.points), room);
      if (share <= 0) {
        overCap.push(e.id);
        continue;
      }
      const signed = rule.points < 0 ? -share : share;
      total = round2(total + signed);
      counted.push({ entryId: e.id, points: signed });
    }
    return {
      ruleId: rule.id,
      label: rule.label,
      kinds: rule.kinds,
      each: rule.points,
      cap: rule.cap,
      points: total,
      counted,
      overCap,
    };
  });

  const minimums: MinimumProgress[] = rubric.minimums.map((m) => {
    const kinds = new Set(m.kinds);
    const ids = entries.filter((e) => kinds.has(e.kind)).map((e) => e.id);
    return {
      id: m.id,
      required: m.required,
      needed: m.count,
      have: ids.length,
      met: ids.length >= m.count,
      entryIds: ids,
    };
  });

  const required = minimums.filter((m) => m.required);
  const missing = required.filter((m) => !m.met).map((m) => m.id);
  const strivenFor = minimums.filter((m) => !m.required && !m.met).map((m) => m.id);
  const adjustments: ScoreAdjustment[] = [];
  if (required.length > 0 && missing.length === 0 && rubric.allMinimumsBonus > 0) {
    adjustments.push({
      type: 'allMinimumsMet',
      minimumId: null,
      points: rubric.allMinimumsBonus,
      entryIds: [...new Set(required.flatMap((m) => m.entryIds.slice(0, m.needed)))],
    });
  }
  if (rubric.missingMinimumDeduction > 0) {
    for (const id of missing) {
      adjustments.push({
        type: 'minimumMissing',
        minimumId: id,
        points: -rubric.missingMinimumDeduction,
        entryIds: [],
      });
    }
  }

  const rawTotal = round2(lines.reduce((s, l) => s + l.points, 0) + adjustments.reduce((s, a) => s + a.points, 0));
  return {
    memberId,
    year: rubric.year,
    rubricVersion: rubric.version,
    lines,
    minimums,
    adjustments,
    rawTotal,
    points: Math.min(rubric.rubricMax, Math.max(0, rawTotal)),
    missing,
    strivenFor,
  };
}

/** Points each record earned through the rules (adjustments are yearly and belong to no one record). */
export function pointsByEntry(score: MemberScore): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of score.lines) {
    for (const c of line.counted) out.set(c.entryId, round2((out.get(c.entryId) ?? 0) + c.points));
  }
  return out;
}
