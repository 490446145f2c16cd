import { randomUUID } from 'node:crypto';
import mongoose, { type Model, Schema } from 'mongoose';
import { isDuplicateKey } from '../errors';

/**
 * A document of a window budget. A key's window is one anchor (`_id` `<budget>|<key>`, `window`
 * naming the window) and one document per point taken in it (`_id` `<window>|<n>`, n = 1…points,
 * `bucket` the window): a natural key each, so two nodes racing for the last point cannot both
 * have it, on MongoDB and on FerretDB alike.
 */
export interface WindowBudgetDoc {
  _id: string;
  /** The window a point belongs to; an anchor's own id for an anchor (it counts nothing). */
  bucket: string;
  /** When the window ends. Not a TTL index (FerretDB refuses expireAfterSeconds): pruned as windows begin. */
  expiresAt: Date;
  /** On an anchor: the window now open for its key. */
  window?: string | undefined;
}

/** The schema each module's model of window budgets is compiled from (the module owns the collection). */
export function windowBudgetSchema(): Schema<WindowBudgetDoc> {
  return new Schema<WindowBudgetDoc>(
    {
      _id: String,
      bucket: { type: String, required: true, index: true },
      expiresAt: { type: Date, required: true, index: true },
      window: { type: String, required: false },
    },
    { versionKey: false },
  );
}

/** A budget: `points` in a window of `windowMs` that opens with the first point taken. */
export interface Budget {
  name: string;
  points: number;
  windowMs: number;
}

/** How many tries to open a window when others open and close it at the same moment. */
const maxOpenTries = 5;

/**
 * Budgets of points per key kept in the database, so that they hold across every node of a
 * cluster (memory would give each node a budget of its own). As with an in-memory limiter, a
 * key's window opens with its first point and lasts `windowMs`; a key whose points are spent
 * waits for the window's end.
 */
export function createWindowBudgets(model: Model<WindowBudgetDoc>, now: () => number = Date.now) {
  const trusted = <T extends object>(s: T) => mongoose.trusted(s) as T;

  /** The key's open window, or null when none is open. */
  async function openWindow(anchorId: string): Promise<{ window: string; expiresAt: Date } | null> {
    const anchor = await model.findById(anchorId).lean<WindowBudgetDoc>();
    if (!anchor?.window || anchor.expiresAt.getTime() <= now()) return null;
    return { window: anchor.window, expiresAt: anchor.expiresAt };
  }

  /** The key's open window, opened now if there is none. */
  async function windowOf(budget: Budget, anchorId: string) {
    for (let attempt = 1; ; attempt++) {
      const open = await openWindow(anchorId);
      if (open) return open;
      const t = now();
      const expiresAt = new Date(t + budget.windowMs);
      // Ended windows go: their anchors and points (guarded, so a window opened meanwhile stays).
      await model.deleteMany({ expiresAt: trusted({ $lte: new Date(t) }) });
      try {
        await model.create({ _id: anchorId, bucket: anchorId, expiresAt, window: `${anchorId}|${randomUUID()}` });
      } catch (err) {
        // Opened meanwhile elsewhere: that one is read on the next turn.
        if (!isDuplicateKey(err) || attempt >= maxOpenTries) throw err;
      }
    }
  }

  return {
    /**
     * Takes a point of `key`'s budget: null when taken, else the milliseconds until the window
     * ends (the budget is spent; nothing is written).
     */
    async take(budget: Budget, key: string): Promise<number | null> {
      const { window, expiresAt } = await windowOf(budget, `${budget.name}|${key}`);
      const used = await model.countDocuments({ bucket: window });
      for (let n = used + 1; n <= budget.points; n++) {
        try {
          await model.create({ _id: `${window}|${n}`, bucket: window, expiresAt });
          return null;
        } catch (err) {
          // Taken meanwhile (on this node or another): the next point.
          if (!isDuplicateKey(err)) throw err;
        }
      }
      return Math.max(0, expiresAt.getTime() - now());
    },

    /** Whether `key`'s budget is spent: null if not, else the milliseconds until its window ends. */
    async spent(budget: Budget, key: string): Promise<number | null> {
      const open = await openWindow(`${budget.name}|${key}`);
      if (!open) return null;
      const used = await model.countDocuments({ bucket: open.window });
      return used >= budget.points ? Math.max(0, open.expiresAt.getTime() - now()) : null;
    },

    /** Closes `key`'s window: its budget is whole again (its points go when pruned). */
    async reset(budget: Budget, key: string): Promise<void> {
      await model.deleteOne({ _id: `${budget.name}|${key}` });
    },
  };
}

export type WindowBudgets = ReturnType<typeof createWindowBudgets>;
