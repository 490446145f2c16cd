import { type Models, trusted } from '../db/models';
import type { LeaderDoc } from './org.model';

/**
 * The org module's reads for other modules (the dashboard), so that none of them reads the
 * leaders collection itself.
 */
export function orgReads(models: Pick<Models, 'Leader'>) {
  const { Leader } = models;
  return {
    /**
     * The level of each of these members who has a leader record (领导), by member id; members
     * without one are absent. A member with records at both levels counts as a city leader.
     */
    async leaderLevels(memberIds: readonly string[]): Promise<Map<string, LeaderDoc['level']>> {
      const levels = new Map<string, LeaderDoc['level']>();
      if (memberIds.length === 0) return levels;
      const docs = await Leader.find(
        { memberId: trusted({ $in: [...new Set(memberIds)] }) },
        { memberId: 1, level: 1 },
      ).lean<Array<Pick<LeaderDoc, 'memberId' | 'level'>>>();
      for (const d of docs) {
        if (d.memberId && levels.get(d.memberId) !== 'city') levels.set(d.memberId, d.level);
      }
      return levels;
    },
  };
}

export type OrgReads = ReturnType<typeof orgReads>;
