import { z } from 'zod';
import { quarterFigures, quarterRange } from './bulletin';
import { DutyKind, DutySource, type LedgerEntry } from './ledger';
import { MinimumId, type Rubric } from './rubric';
import { pointsByEntry, round2, scoreMember } from './score';

/** A record behind a member's bulletin line, with where it came from (to link to it). */
export const BulletinSource = z.object({
  id: z.string(),
  kind: DutyKind,
  date: z.string(),
  title: z.string(),
  source: DutySource,
  /** The session a session record came from. */
  sessionId: z.string().nullable(),
  /** The proposal, report, activity or 述职 year a workflow record follows. */
  sourceId: z.string().nullable(),
  /** Rubric points it earned (the year scored up to the quarter's end); null without a rubric. */
  points: z.number().nullable(),
});
export type BulletinSource = z.infer<typeof BulletinSource>;

/** One quarter of a member's own bulletin: what the staff bulletin shows for them, and why. */
export const MemberBulletinQuarter = z.object({
  quarter: z.string(),
  counts: z.record(DutyKind, z.number()),
  /** Points the quarter's records earned; null without a rubric. */
  points: z.number().nullable(),
  /** The rubric score of the year up to the quarter's end; null without a rubric. */
  scoreToDate: z.number().nullable(),
  /** Each of the six minimums, met or not by the quarter's end. */
  minimums: z.array(
    z.object({ id: MinimumId, required: z.boolean(), needed: z.number(), have: z.number(), met: z.boolean() }),
  ),
  sources: z.array(BulletinSource),
});
export type MemberBulletinQuarter = z.infer<typeof MemberBulletinQuarter>;

/** GET /api/duty/bulletin/mine?year= (staff: &memberId=) — a member's own quarterly bulletin lines. */
export const MemberBulletinResponse = z.object({
  member: z.object({ id: z.string(), name: z.string() }),
  year: z.number(),
  rubricVersion: z.number().nullable(),
  /** The year's quarters up to today's, newest first. */
  quarters: z.array(MemberBulletinQuarter),
});
export type MemberBulletinResponse = z.infer<typeof MemberBulletinResponse>;

export const MemberBulletinQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  memberId: z.string().min(1).max(100).optional(),
});

/** A verified record with what a reader needs to find its source. */
export type BulletinLedgerEntry = LedgerEntry & Omit<BulletinSource, 'points' | 'kind' | 'date' | 'id'>;

/**
 * A member's bulletin lines for each quarter of a year up to `today` (YYYY-MM-DD): the records of
 * the quarter, the points they earned and the score so far under the year's rubric, and each
 * minimum met or missed by the quarter's end — the figures the staff bulletin shows for them.
 */
export function memberBulletin(input: {
  year: number;
  memberId: string;
  ledger: readonly BulletinLedgerEntry[];
  rubric: Rubric | null;
  today: string;
}): MemberBulletinQuarter[] {
  const { year, memberId, rubric } = input;
  const own = input.ledger.filter((e) => e.memberId === memberId && e.status === 'verified');
  const last = input.today.startsWith(`${year}-`) ? Number(input.today.slice(5, 7)) : 12;
  const quarters: MemberBulletinQuarter[] = [];
  for (let n = 1; n <= Math.ceil(last / 3); n++) {
    const quarter = `${year}-Q${n}`;
    const { from, to } = quarterRange(quarter);
    const figures = quarterFigures(quarter, memberId, own, rubric);
    const score = rubric
      ? scoreMember(
          rubric,
          memberId,
          own.filter((e) => e.date.startsWith(`${year}-`) && e.date <= to),
        )
      : null;
    const earned = score ? pointsByEntry(score) : null;
    quarters.push({
      quarter,
      counts: figures.counts,
      points: figures.points,
      scoreToDate: score ? round2(score.points) : null,
      minimums: (score?.minimums ?? []).map(({ id, required, needed, have, met }) => ({
        id,
        required,
        needed,
        have,
        met,
      })),
      sources: own
        .filter((e) => e.date >= from && e.date <= to)
        .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))
        .map((e) => ({
          id: e.id,
          kind: e.kind,
          date: e.date,
          title: e.title,
          source: e.source,
          sessionId: e.sessionId,
          sourceId: e.sourceId,
          points: earned ? (earned.get(e.id) ?? 0) : null,
        })),
    });
  }
  return quarters.reverse();
}
