import type { OutcomeStatus } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/** 协商成果: what a session decided, who must do it and by when. The tracking work picks these up. */
export interface OutcomeDoc {
  _id: string;
  sessionId: string;
  status: OutcomeStatus;
  text: string;
  department: string;
  deadline: string | null;
  pollId: string | null;
  suggestionIds: string[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export function outcomeModels(conn: Connection) {
  const Outcome = conn.model<OutcomeDoc>(
    'Outcome',
    new Schema<OutcomeDoc>(
      {
        _id: String,
        sessionId: { type: String, required: true, index: true },
        status: { type: String, enum: ['draft', 'recorded'], required: true },
        text: { type: String, required: true },
        department: { type: String, default: '' },
        deadline: { type: String, default: null },
        pollId: { type: String, default: null },
        suggestionIds: { type: [String], default: [] },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
  );
  return { Outcome };
}
