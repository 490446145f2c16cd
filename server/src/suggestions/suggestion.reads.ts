import { type Models, rawCollection } from '../db/models';
import type { SuggestionDoc } from './suggestion.model';

/**
 * The suggestions module's reads for other modules (the duty ledger, the dashboard), so that
 * none of them reads the suggestions collection itself. Same filters and shapes as the callers had.
 */
export function suggestionReads(models: Pick<Models, 'Suggestion'>) {
  const { Suggestion } = models;
  const suggestions = rawCollection(Suggestion);
  return {
    /** Every suggestion made in a session. */
    ofSession(sessionId: string): Promise<SuggestionDoc[]> {
      return Suggestion.find({ sessionId }).lean<SuggestionDoc[]>();
    },

    /** How many suggestions each of these sessions received (sessions with none are left out). */
    countsBySession(sessionIds: readonly string[]): Promise<Array<{ _id: string; n: number }>> {
      if (sessionIds.length === 0) return Promise.resolve([]);
      return suggestions
        .aggregate<{ _id: string; n: number }>([
          { $match: { sessionId: { $in: [...sessionIds] } } },
          { $group: { _id: '$sessionId', n: { $sum: 1 } } },
        ])
        .toArray();
    },
  };
}

export type SuggestionReads = ReturnType<typeof suggestionReads>;
