import type { Choice, PollOutcome, PollState, Tally } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

export interface PollDoc {
  _id: string;
  sessionId: string;
  question: string;
  state: PollState;
  openedBy: string;
  openedAt: Date;
  closedBy: string | null;
  closedAt: Date | null;
  /** Written once, by the close that counted the stored ballots. */
  result: { tally: Tally; outcome: PollOutcome } | null;
}

/**
 * One ballot. `_id` is `${pollId}:${voterId}`, so the database itself refuses a second ballot
 * from the same voter in the same poll; `ballotId` (client-generated) is unique too, which makes
 * a re-sent ballot recognisable.
 */
export interface BallotDoc {
  _id: string;
  ballotId: string;
  pollId: string;
  voterId: string;
  choice: Choice;
  castAt: Date;
}

export const ballotKey = (pollId: string, voterId: string) => `${pollId}:${voterId}`;

export function pollModels(conn: Connection) {
  const tallySchema = new Schema<Tally>({ yes: Number, no: Number, abstain: Number }, { _id: false });
  const Poll = conn.model<PollDoc>(
    'Poll',
    new Schema<PollDoc>(
      {
        _id: String,
        sessionId: { type: String, required: true, index: true },
        question: { type: String, required: true },
        state: { type: String, enum: ['open', 'closed'], required: true },
        openedBy: { type: String, required: true },
        openedAt: { type: Date, required: true },
        closedBy: { type: String, default: null },
        closedAt: { type: Date, default: null },
        result: {
          type: new Schema(
            { tally: tallySchema, outcome: { type: String, enum: ['adopted', 'rejected'] } },
            { _id: false },
          ),
          default: null,
        },
      },
      { versionKey: false },
    ),
  );
  const Ballot = conn.model<BallotDoc>(
    'Ballot',
    new Schema<BallotDoc>(
      {
        _id: String,
        ballotId: { type: String, required: true, unique: true },
        pollId: { type: String, required: true, index: true },
        voterId: { type: String, required: true },
        choice: { type: String, enum: ['yes', 'no', 'abstain'], required: true },
        castAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
  );
  return { Poll, Ballot };
}
