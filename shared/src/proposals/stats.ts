import type { ProposalFeedback } from '../duty/ledger';
import { type ProposalState, repliedOnTime } from './machine';
import type { ProposalStatsRow } from './views';

/** What the statistics read of one proposal. */
export interface ProposalStatsInput {
  state: ProposalState;
  /** The lead department's name; null before 交办. */
  department: string | null;
  /** The proposer's sector name (for a member's proposal), else null. */
  sector: string | null;
  deadline: string | null;
  /** The day of the department's first reply, YYYY-MM-DD. */
  firstReplyOn: string | null;
  /** The proposer's latest feedback. */
  feedback: ProposalFeedback | null;
}

const rate = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 1000) / 1000);

/**
 * One row of figures for a group of proposals. A proposal is due once its deadline has passed or
 * the department has replied; it was on time if the first reply came by the deadline.
 */
export function statsRow(
  key: string,
  label: string,
  rows: readonly ProposalStatsInput[],
  today: string,
): ProposalStatsRow {
  const due = rows.filter((r) => r.deadline !== null && (r.firstReplyOn !== null || r.deadline < today));
  const onTime = due.filter((r) => repliedOnTime(r.deadline, r.firstReplyOn)).length;
  const count = (f: ProposalFeedback) => rows.filter((r) => r.feedback === f).length;
  const satisfied = count('satisfied');
  const basicallySatisfied = count('basicallySatisfied');
  const dissatisfied = count('dissatisfied');
  return {
    key,
    label,
    total: rows.length,
    due: due.length,
    onTime,
    onTimeRate: rate(onTime, due.length),
    satisfied,
    basicallySatisfied,
    dissatisfied,
    satisfactionRate: rate(satisfied + basicallySatisfied, satisfied + basicallySatisfied + dissatisfied),
  };
}

/** Rows grouped by `keyOf`, in order of the key; proposals whose key is null are left out. */
export function groupedStats(
  rows: readonly ProposalStatsInput[],
  keyOf: (r: ProposalStatsInput) => string | null,
  today: string,
): ProposalStatsRow[] {
  const groups = new Map<string, ProposalStatsInput[]>();
  for (const r of rows) {
    const k = keyOf(r);
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, list]) => statsRow(k, k, list, today));
}
