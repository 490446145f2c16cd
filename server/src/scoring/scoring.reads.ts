import type { DutyKind } from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';

/**
 * The duty ledger's reads for other modules (the dashboard asks who has no proposal or no
 * social-conditions report in a period), so that none reads the duty records collection itself.
 */
export function scoringReads(models: Pick<Models, 'DutyEntry'>) {
  const entries = rawCollection(models.DutyEntry);
  return {
    /**
     * For each of `kinds`, the members with a verified record of it dated from `from` to `to`
     * (YYYY-MM-DD, both included). Read by year (an equality its index serves), filtered here.
     */
    async membersWith(q: {
      from: string;
      to: string;
      kinds: readonly DutyKind[];
    }): Promise<Map<DutyKind, Set<string>>> {
      const out = new Map<DutyKind, Set<string>>(q.kinds.map((k) => [k, new Set<string>()]));
      const years: number[] = [];
      for (let y = Number(q.from.slice(0, 4)); y <= Number(q.to.slice(0, 4)); y += 1) years.push(y);
      const found = await Promise.all(
        years.map((year) =>
          entries.find({ year, status: 'verified' }, { projection: { memberId: 1, kind: 1, date: 1 } }).toArray(),
        ),
      );
      for (const e of found.flat()) {
        if (e.date < q.from || e.date > q.to) continue;
        out.get(e.kind)?.add(e.memberId);
      }
      return out;
    },
  };
}

export type ScoringReads = ReturnType<typeof scoringReads>;
