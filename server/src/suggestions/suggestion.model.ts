import type { SuggestionMark } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

export interface SuggestionDoc {
  _id: string;
  sessionId: string;
  itemId: string | null;
  authorId: string;
  authorName: string;
  text: string;
  mark: SuggestionMark;
  createdAt: Date;
}

export function suggestionModels(conn: Connection) {
  const Suggestion = conn.model<SuggestionDoc>(
    'Suggestion',
    new Schema<SuggestionDoc>(
      {
        _id: String,
        sessionId: { type: String, required: true, index: true },
        itemId: { type: String, default: null },
        authorId: { type: String, required: true },
        authorName: { type: String, required: true },
        text: { type: String, required: true },
        mark: { type: String, enum: ['none', 'highlighted', 'adopted'], default: 'none' },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
  );
  return { Suggestion };
}
