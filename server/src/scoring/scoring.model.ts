import {
  type DutyAuditAction,
  type DutyKind,
  type DutySource,
  type DutyStatus,
  type ProposalFeedback,
  type RubricBody,
  type RubricChange,
  yearOf,
} from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * One duty record (履职记录). Natural-key `_id`s make every writer idempotent:
 * session records `ses:<sessionId>:<memberId>:attended`, `spk:<speaking record>`, `sug:<suggestion>`,
 * `vote:<pollId>:<memberId>`; imported records `imp:<hash of member, kind, date, title>`; entered
 * records `ent:<random>`.
 */
export interface DutyEntryDoc {
  _id: string;
  memberId: string;
  kind: DutyKind;
  date: string;
  /**
   * The year of `date` (`yearOf(date)`), kept beside it by every writer: a member's year is read by
   * the equality `{memberId, year}`, which the embedded database serves from its indexes (a range
   * on `date` reads every record the member ever had). Older records get it at start
   * (duty-years.ts).
   */
  year: number;
  title: string;
  source: DutySource;
  status: DutyStatus;
  sessionId: string | null;
  evidence: { text: string; link: string | null; attachmentName: string | null } | null;
  proposal: {
    department: string | null;
    reply: string | null;
    feedback: ProposalFeedback | null;
    /** A key proposal (重点提案); only records the proposals workflow writes carry it. */
    key?: boolean;
  } | null;
  rejectReason: string | null;
  /** The import that wrote it: its records count only once that import is done. */
  batchId: string | null;
  audit: Array<{ at: Date; by: string; byName: string; action: DutyAuditAction; note: string | null }>;
  createdAt: Date;
}

/**
 * A year's rubric, one document per version: `_id` `<year>:v<version>`. Versions published from
 * the editor carry the day they take force, who published and drafted them, what they changed and
 * the draft they came from (so a publish retried after a crash finds its own version).
 */
export interface RubricDoc {
  _id: string;
  year: number;
  version: number;
  body: RubricBody;
  createdBy: string;
  createdAt: Date;
  /** Absent: in force since stored (versions stored before the editor, or by POST /duty/rubrics). */
  effectiveFrom?: string;
  createdByName?: string;
  draftedBy?: { id: string; name: string };
  draftId?: string;
  changes?: RubricChange[];
}

/**
 * The year's one draft (`_id` the year): started from the latest version, saved under a growing
 * `revision` (each save names the revision it saw), published or discarded. Nobody's score reads it.
 */
export interface RubricDraftDoc {
  _id: string;
  /** Random, carried into the version it becomes. */
  draftId: string;
  year: number;
  baseVersion: number;
  revision: number;
  body: RubricBody;
  history: Array<{ at: Date; by: { id: string; name: string }; action: 'start' | 'save'; changes: RubricChange[] }>;
  updatedAt: Date;
}

/** One rater's score of one member for a year: `_id` `<kind>:<year>:<raterId>:<memberId>`. */
export interface DutyRatingDoc {
  _id: string;
  kind: 'evaluation' | 'panel';
  year: number;
  raterId: string;
  memberId: string;
  score: number;
  at: Date;
}

/** The committee's settings for duty performance: one document, `_id` 'committee'. */
export interface DutySettingsDoc {
  _id: string;
  rankingsVisibleToMembers: boolean;
  changedBy: string;
  changedAt: Date;
}

/**
 * An import, keyed by the SHA-256 of the file. Its records are written while it is `writing` and
 * become visible together when it turns `done` (one single-document update).
 */
export interface DutyImportDoc {
  _id: string;
  state: 'writing' | 'done';
  rows: number;
  by: string;
  startedAt: Date;
  doneAt: Date | null;
}

export function scoringModels(conn: Connection) {
  const audit = new Schema(
    { at: Date, by: String, byName: String, action: String, note: { type: String, default: null } },
    { _id: false },
  );
  const dutyEntrySchema = new Schema<DutyEntryDoc>(
    {
      _id: String,
      memberId: { type: String, required: true, index: true },
      kind: { type: String, required: true },
      date: { type: String, required: true, index: true },
      year: { type: Number, required: true, index: true },
      title: { type: String, required: true },
      source: { type: String, required: true },
      status: { type: String, required: true, index: true },
      sessionId: { type: String, default: null },
      evidence: { type: Schema.Types.Mixed, default: null },
      proposal: { type: Schema.Types.Mixed, default: null },
      rejectReason: { type: String, default: null },
      batchId: { type: String, default: null, index: true },
      audit: { type: [audit], default: [] },
      createdAt: { type: Date, required: true },
    },
    { versionKey: false },
  );
  // A member's year: one equality on each, which MongoDB serves from this index and the embedded
  // database from the GIN index of each field (pg-indexes.ts).
  dutyEntrySchema.index({ memberId: 1, year: 1 });
  // Documents made through the model (tests, fixtures) get their year like the writers' inserts.
  dutyEntrySchema.pre('validate', function () {
    if (this.date) this.year = yearOf(this.date);
  });
  const DutyEntry = conn.model<DutyEntryDoc>('DutyEntry', dutyEntrySchema, 'duty_entries');
  const Rubric = conn.model<RubricDoc>(
    'Rubric',
    new Schema<RubricDoc>(
      {
        _id: String,
        year: { type: Number, required: true, index: true },
        version: { type: Number, required: true },
        body: { type: Schema.Types.Mixed, required: true },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
        effectiveFrom: { type: String },
        createdByName: { type: String },
        draftedBy: { type: Schema.Types.Mixed },
        draftId: { type: String },
        changes: { type: Schema.Types.Mixed },
      },
      { versionKey: false },
    ),
    'duty_rubrics',
  );
  const DutyRating = conn.model<DutyRatingDoc>(
    'DutyRating',
    new Schema<DutyRatingDoc>(
      {
        _id: String,
        kind: { type: String, enum: ['evaluation', 'panel'], required: true },
        year: { type: Number, required: true, index: true },
        raterId: { type: String, required: true },
        memberId: { type: String, required: true },
        score: { type: Number, required: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'duty_ratings',
  );
  const DutySettings = conn.model<DutySettingsDoc>(
    'DutySettings',
    new Schema<DutySettingsDoc>(
      {
        _id: String,
        rankingsVisibleToMembers: { type: Boolean, required: true },
        changedBy: { type: String, required: true },
        changedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'duty_settings',
  );
  const DutyImport = conn.model<DutyImportDoc>(
    'DutyImport',
    new Schema<DutyImportDoc>(
      {
        _id: String,
        state: { type: String, enum: ['writing', 'done'], required: true },
        rows: { type: Number, required: true },
        by: { type: String, required: true },
        startedAt: { type: Date, required: true },
        doneAt: { type: Date, default: null },
      },
      { versionKey: false },
    ),
    'duty_imports',
  );
  const RubricDraft = conn.model<RubricDraftDoc>(
    'RubricDraft',
    new Schema<RubricDraftDoc>(
      {
        _id: String,
        draftId: { type: String, required: true },
        year: { type: Number, required: true },
        baseVersion: { type: Number, required: true },
        revision: { type: Number, required: true },
        body: { type: Schema.Types.Mixed, required: true },
        history: { type: Schema.Types.Mixed, default: [] },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'duty_rubric_drafts',
  );
  return { DutyEntry, Rubric, RubricDraft, DutyRating, DutySettings, DutyImport };
}

export const rubricKey = (year: number, version: number) => `${year}:v${version}`;
export const ratingKey = (kind: string, year: number, raterId: string, memberId: string) =>
  `${kind}:${year}:${raterId}:${memberId}`;
