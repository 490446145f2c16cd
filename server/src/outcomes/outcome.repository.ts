import type { OutcomeView } from '@yitang/shared';
import type { Models } from '../db/models';
import type { OutcomeDoc } from './outcome.model';

export function createOutcomeRepository(models: Models) {
  const { Outcome } = models;
  const present = (o: OutcomeDoc): OutcomeView => ({
    id: o._id,
    sessionId: o.sessionId,
    status: o.status,
    text: o.text,
    department: o.department ?? '',
    deadline: o.deadline ?? null,
    pollId: o.pollId ?? null,
    suggestionIds: o.suggestionIds ?? [],
    createdBy: o.createdBy,
    createdAt: o.createdAt.toISOString(),
  });
  return {
    /** Inserts or replaces one outcome (one document, keyed by its id). */
    async save(o: OutcomeView): Promise<void> {
      const { id, createdAt, ...rest } = o;
      await Outcome.updateOne(
        { _id: id },
        { $set: { ...rest, updatedAt: new Date() }, $setOnInsert: { createdAt: new Date(createdAt) } },
        { upsert: true },
      );
    },
    async listForSession(sessionId: string): Promise<OutcomeView[]> {
      return (await Outcome.find({ sessionId }).sort({ createdAt: 1 }).lean()).map(present);
    },
  };
}

export type OutcomeRepository = ReturnType<typeof createOutcomeRepository>;
