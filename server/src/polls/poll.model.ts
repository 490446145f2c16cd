import type { BallotContent, PollResult, PollSettings, PollStage, PollTally } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

export interface PollDoc {
  _id: string;
  sessionId: string;
  itemId: string | null;
  settings: PollSettings;
  stage: PollStage;
  createdBy: string;
  createdAt: Date;
  openedAt: Date | null;
  closedAt: Date | null;
  publishedAt: Date | null;
  /** Written once, by the close that counted the stored ballots. */
  presentElectorate: number | null;
  tally: PollTally | null;
  result: PollResult | null;
  /**
   * Secret polls: set once the close has counted the sealed ballots and removed them, so that
   * afterwards the store holds only who voted and the sums. A close that died in between leaves
   * it unset, and the next load removes them.
   */
  sealsRemoved?: boolean;
  /**
   * Secret polls: paper ballots entered so far as anonymous batches. Kept in the poll itself so
   * one update stores a batch, counts it and checks the cap (`paperCount` at most the allowance,
   * stated in the update's filter) together, with no transaction.
   */
  paperCount?: number;
  paperBatches?: PaperBatchDoc[];
}

/**
 * A batch of a secret poll's paper ballots: no voter, so the contents could not be tied to a
 * member; they are still sealed (like online ballots, removed at close) so that no partial sums
 * are readable while the poll is open. Who entered it and how many stay.
 */
export interface PaperBatchDoc {
  batchId: string;
  count: number;
  enteredBy: string;
  enteredAt: Date;
  sealed?: string;
}

/**
 * A named ballot. `_id` is `${pollId}:${voterId}`, so the database itself refuses a second ballot
 * from the same voter; `ballotId` (client-generated) is unique too, which makes a re-send
 * recognisable.
 */
export interface BallotDoc {
  _id: string;
  ballotId: string;
  pollId: string;
  voterId: string;
  content: BallotContent;
  paper: boolean;
  enteredBy: string | null;
  castAt: Date;
}

/**
 * A secret ballot, in one document so it is stored whole or not at all: *who voted* in the clear
 * (`_id` pollId:voterId keeps one ballot per voter; no time), *what* only `sealed` (see
 * ballot-seal.ts: encrypted with a key the database does not hold, of a length that does not
 * depend on the choice). The close counts the sealed contents and then removes them, leaving the
 * mark. `ballotId` lets a re-send be recognised; it appears nowhere else.
 */
export interface VoterMarkDoc {
  _id: string;
  pollId: string;
  ballotId: string;
  paper: boolean;
  /** A paper ballot: the staff member who entered it (who, like the mark; never what). */
  enteredBy?: string;
  sealed?: string;
}

/**
 * Before sealed ballots: a secret poll's sums, rewritten per batch of ballots. Only read now, so
 * that a poll left open by the previous version keeps the ballots it had counted.
 */
export interface SecretTallyDoc {
  _id: string;
  tally: PollTally;
  counted: string[];
}

export const ballotKey = (pollId: string, voterId: string) => `${pollId}:${voterId}`;

export function pollModels(conn: Connection) {
  const Poll = conn.model<PollDoc>(
    'Poll',
    new Schema<PollDoc>(
      {
        _id: String,
        sessionId: { type: String, required: true, index: true },
        itemId: { type: String, default: null },
        settings: { type: Schema.Types.Mixed, required: true },
        stage: { type: String, enum: ['draft', 'open', 'closed', 'published'], required: true },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
        openedAt: { type: Date, default: null },
        closedAt: { type: Date, default: null },
        publishedAt: { type: Date, default: null },
        presentElectorate: { type: Number, default: null },
        tally: { type: Schema.Types.Mixed, default: null },
        result: { type: Schema.Types.Mixed, default: null },
        sealsRemoved: { type: Boolean },
        paperCount: { type: Number },
        paperBatches: { type: [Schema.Types.Mixed], default: undefined },
      },
      { versionKey: false, minimize: false },
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
        content: { type: Schema.Types.Mixed, required: true },
        paper: { type: Boolean, default: false },
        enteredBy: { type: String, default: null },
        castAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
  );
  const VoterMark = conn.model<VoterMarkDoc>(
    'VoterMark',
    new Schema<VoterMarkDoc>(
      {
        _id: String,
        pollId: { type: String, required: true, index: true },
        ballotId: { type: String, required: true, unique: true },
        paper: { type: Boolean, default: false },
        enteredBy: { type: String },
        sealed: { type: String },
      },
      { versionKey: false },
    ),
    'voter_marks',
  );
  const SecretTally = conn.model<SecretTallyDoc>(
    'SecretTally',
    new Schema<SecretTallyDoc>(
      {
        _id: String,
        tally: { type: Schema.Types.Mixed, required: true },
        counted: { type: [String], default: [] },
      },
      { versionKey: false, minimize: false },
    ),
    'secret_tallies',
  );
  return { Poll, Ballot, VoterMark, SecretTally };
}
