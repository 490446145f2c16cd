import { type BallotContent, mayVote, type PollSettings, type PollView, type PresenceEntry } from '@yitang/shared';

/** One line of a secret poll's paper batch: a content and how many ballots carry it. */
export interface BatchEntry {
  content: BallotContent;
  count: number;
}

/**
 * How many more paper ballots the poll takes: the voters of its electorate checked in at the
 * hall, less those of them who voted online, less the paper ballots already entered. The server
 * checks the same bound when the batch arrives; this is what the desk is shown beforehand.
 */
export function paperAllowance(poll: PollView, presence: readonly PresenceEntry[]): number {
  const voted = new Set(poll.voters);
  const hall = presence.filter((p) => p.inHall && mayVote(poll.settings, p.role) && !voted.has(p.memberId)).length;
  return Math.max(0, hall - poll.paperBallots);
}

/** Kinds whose ballots a desk enters as counts per choice (each ballot holds one choice). */
export type CountedSettings = Extract<PollSettings, { kind: 'yesno' | 'single' }>;
export const isCounted = (settings: PollSettings): settings is CountedSettings =>
  settings.kind === 'yesno' || settings.kind === 'single';

/**
 * The choices of a counted poll, each with a key for the form and the ballot it stands for:
 * yes/no/abstain, or each option and the blank ballot.
 */
export function countedChoices(settings: CountedSettings): Array<{ key: string; content: BallotContent }> {
  if (settings.kind === 'yesno') {
    return (['yes', 'no', 'abstain'] as const).map((choice) => ({ key: choice, content: { kind: 'yesno', choice } }));
  }
  return [
    ...settings.options.map((o) => ({ key: o.id, content: { kind: 'single' as const, optionId: o.id } })),
    { key: '', content: { kind: 'single', optionId: null } },
  ];
}

/** The batch entries of counts typed per choice key (zero and unknown keys are left out). */
export function entriesFromCounts(settings: CountedSettings, counts: Record<string, number>): BatchEntry[] {
  return countedChoices(settings).flatMap(({ key, content }) => {
    const count = counts[key] ?? 0;
    return count > 0 ? [{ content, count }] : [];
  });
}

/** Ballots entered one by one (multiple, ranking, score), as entries: equal contents counted together. */
export function entriesFromBallots(ballots: readonly BallotContent[]): BatchEntry[] {
  const byKey = new Map<string, BatchEntry>();
  for (const content of ballots) {
    const key = JSON.stringify(content);
    const entry = byKey.get(key);
    if (entry) entry.count += 1;
    else byKey.set(key, { content, count: 1 });
  }
  return [...byKey.values()];
}

export const batchSize = (entries: readonly BatchEntry[]) => entries.reduce((n, e) => n + e.count, 0);

/** A count as typed: a whole number from 0, else null (the field shows why). */
export function parseCount(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : null;
}
