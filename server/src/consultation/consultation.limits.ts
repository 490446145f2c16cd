import { consultationLimits } from '@yitang/shared';
import { type Models, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';

/** A budget of the public link: its name, how many points a window holds. */
interface Budget {
  name: string;
  points: number;
}

const windowMs = consultationLimits.publicWindowSeconds * 1000;
/** Posts per address, posts per link, and +1s per address (a +1 writes one small document). */
const budgets = {
  address: { name: 'addr', points: consultationLimits.publicPostsPerAddress },
  link: { name: 'link', points: consultationLimits.publicPostsPerLink },
  support: { name: 'plus', points: consultationLimits.publicSupportsPerAddress },
} satisfies Record<string, Budget>;

/**
 * The public link's rate limits, kept in the database so that they hold across every node (an
 * address spreading its posts over two nodes gets one budget, not two) without Redis. A window is
 * fixed (`publicWindowSeconds`, by the server's clock); each point taken is a document under a
 * natural key, so two nodes racing for the last point cannot both have it, on MongoDB or FerretDB.
 */
export function createConsultationLimits(deps: { models: Models; clock?: () => number }) {
  const { ConsultationQuota } = deps.models;
  const now = deps.clock ?? Date.now;

  async function take(budget: Budget, key: string): Promise<void> {
    const t = now();
    const start = Math.floor(t / windowMs) * windowMs;
    const expiresAt = new Date(start + windowMs);
    const bucket = `${budget.name}|${key}|${start}`;
    const used = await ConsultationQuota.countDocuments({ bucket });
    for (let n = used + 1; n <= budget.points; n++) {
      try {
        await ConsultationQuota.create({ _id: `${bucket}|${n}`, bucket, expiresAt });
        // The first point of a window: windows that have ended go.
        if (n === 1) await ConsultationQuota.deleteMany({ expiresAt: trusted({ $lte: new Date(t) }) });
        return;
      } catch (err) {
        // Taken meanwhile (by this node or another): try the next point.
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new AppError(
      'RATE_LIMITED',
      `Too many from here; try again in ${Math.ceil((start + windowMs - t) / 1000)} s.`,
    );
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
