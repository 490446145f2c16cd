import type { SuggestionMark, SuggestionView } from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import type { SuggestionDoc } from './suggestion.model';

export function createSuggestionRepository(models: Models) {
  const { Suggestion } = models;
  const raw = rawCollection(Suggestion);
  const present = (s: SuggestionDoc): SuggestionView => ({
    id: s._id,
    sessionId: s.sessionId,
    itemId: s.itemId ?? null,
    authorId: s.authorId,
    authorName: s.authorName,
    text: s.text,
    mark: s.mark ?? 'none',
    createdAt: s.createdAt.toISOString(),
  });
  return {
    async insert(s: SuggestionView): Promise<void> {
      const { id, createdAt, ...rest } = s;
      await raw.insertOne({ _id: id, ...rest, createdAt: new Date(createdAt) });
    },
    async setMark(id: string, mark: SuggestionMark): Promise<void> {
      await Suggestion.updateOne({ _id: id }, { $set: { mark } });
    },
    async listForSession(sessionId: string): Promise<SuggestionView[]> {
      return (await Suggestion.find({ sessionId }).sort({ createdAt: 1 }).lean()).map(present);
    },
  };
}

export type SuggestionRepository = ReturnType<typeof createSuggestionRepository>;
