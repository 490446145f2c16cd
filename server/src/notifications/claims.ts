import type { Models } from '../db/models';
import { rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import { chinaDay } from './scheduler';

/** How many times one piece of work is taken over after its holder's lease ran out. */
const MAX_GENERATIONS = 20;

/**
 * Leases on work by key, claimed by inserting `<work>~<generation>` into `notify_claims`. FerretDB
 * does not apply a guarded update atomically (docs/architecture.md), but it refuses a second insert
 * of a key, as MongoDB does: so of two nodes claiming the same work, one wins, on either. A lease
 * that ran out (its holder stopped mid-work) is taken over by inserting the next generation.
 */
export function createClaims(models: Models, owner: string, now: () => number) {
  const { NotifyClaim } = models;
  const claims = rawCollection(NotifyClaim);
  return {
    /** True when this node now holds `work` for `leaseMs`; false when another holds it. */
    async claim(work: string, leaseMs: number): Promise<boolean> {
      for (let generation = 0; generation < MAX_GENERATIONS; generation += 1) {
        const id = `${work}~${generation}`;
        const at = new Date(now());
        try {
          await claims.insertOne({
            _id: id,
            owner,
            at,
            leaseUntil: new Date(at.getTime() + leaseMs),
            day: chinaDay(at),
          });
          return true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        const held = await NotifyClaim.findById(id).lean();
        // A lease still running: someone is on it. One that ran out: try the next generation.
        if (held && new Date(held.leaseUntil).getTime() > now()) return false;
      }
      return false;
    },

    /**
     * Deletes the claims of the `days` days before yesterday. Leases last minutes, and the work a
     * claim named is done or recorded by then (a job's state, a delivery's attempts), so an old
     * claim guards nothing.
     */
    async sweep(days = 30): Promise<void> {
      const today = Date.parse(`${chinaDay(new Date(now()))}T00:00:00Z`);
      for (let n = 2; n < days + 2; n += 1) {
        await NotifyClaim.deleteMany({ day: new Date(today - n * 86_400_000).toISOString().slice(0, 10) });
      }
    },
  };
}

export type Claims = ReturnType<typeof createClaims>;
