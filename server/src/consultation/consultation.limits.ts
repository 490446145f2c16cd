import { consultationLimits } from '@yitang/shared';
import type { Models } from '../db/models';
import { AppError } from '../errors';
import { type Budget, createWindowBudgets } from '../lib/window-budget';

const windowMs = consultationLimits.publicWindowSeconds * 1000;
/** Posts per address, posts per link, and +1s per address (a +1 writes one small document). */
const budgets = {
  address: { name: 'addr', points: consultationLimits.publicPostsPerAddress, windowMs },
  link: { name: 'link', points: consultationLimits.publicPostsPerLink, windowMs },
  support: { name: 'plus', points: consultationLimits.publicSupportsPerAddress, windowMs },
} satisfies Record<string, Budget>;

/**
 * The public link's rate limits, kept in the database (lib/window-budget.ts) so that they hold
 * across every node: an address spreading its posts over two nodes gets one budget, not two.
 */
export function createConsultationLimits(deps: { models: Models; clock?: () => number }) {
  const store = createWindowBudgets(deps.models.ConsultationQuota, deps.clock);

  async function take(budget: Budget, key: string): Promise<void> {
    const wait = await store.take(budget, key);
    if (wait !== null) {
      throw new AppError('RATE_LIMITED', `Too many from here; try again in ${Math.ceil(wait / 1000)} s.`);
    }
  }

  return {
    /** A citizen's post: a point of the address's budget, then of the link's. */
    async post(address: string, code: string): Promise<void> {
      await take(budgets.address, address);
      await take(budgets.link, code);
    },
    /** A citizen's +1: a point of the address's +1 budget. */
    support: (address: string) => take(budgets.support, address),
  };
}

export type ConsultationLimits = ReturnType<typeof createConsultationLimits>;
