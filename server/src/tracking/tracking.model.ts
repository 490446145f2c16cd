import type { ChaseLevel, TrackingEvent, TrackingSourceKind, TrackingStatus } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/** A stored progress report; its files live in `attachments` (only their metadata is here). */
export interface ProgressReportDoc {
  id: string;
  at: Date;
  by: string;
  byName: string;
  text: string;
  percent: number | null;
  nextStep: string | null;
  done: boolean;
  attachments: Array<{ id: string; fileName: string; contentType: string; size: number }>;
}

export interface ChaseDoc {
  at: Date;
  by: string;
  byName: string;
  level: ChaseLevel;
  note: string | null;
  overdue: boolean;
}

/** What an item follows up. Items stored before sources existed have none: they are outcomes. */
export interface TrackingSourceDoc {
  kind: TrackingSourceKind;
  id: string | null;
  title: string;
  summary: string | null;
}

/**
 * 督办事项. `_id` is `tr-<outcomeId>` for an outcome: one item per recorded outcome, so creating
 * the items of a session twice (a retry, a restart) creates nothing new; `tr-<kind>-<sourceId>`
 * (see `sourceTrackingKey`) for other sources. Reports and chases are kept inside the item, so a
 * report and the status move it causes are one single-document update.
 */
export interface TrackingItemDoc {
  _id: string;
  /** Absent on items stored before other sources: read as `{kind: 'outcome', id: outcomeId}`. */
  source?: TrackingSourceDoc;
  /** Set for outcomes only. */
  outcomeId?: string | null;
  sessionId?: string | null;
  /** Besides staff, who verifies, returns and closes an item without a session (e.g. a supervising leader). */
  overseers?: string[];
  /** Who follows an item without a session: may read and rate it (e.g. a proposal's proposer). */
  followers?: string[];
  topic: string;
  text: string;
  department: string;
  deadline: string | null;
  status: TrackingStatus;
  history: Array<Omit<TrackingEvent, 'at'> & { at: Date }>;
  assigneeId?: string | null;
  assigneeName?: string | null;
  reports?: ProgressReportDoc[];
  chases?: ChaseDoc[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The bytes of one file attached to a progress report. `_id` is `<reportId>.<n>`: the report's
 * id (made once per report) and the file's place in it.
 */
export interface AttachmentDoc {
  _id: string;
  itemId: string;
  reportId: string;
  fileName: string;
  contentType: string;
  size: number;
  data: Buffer;
  uploadedBy: string;
  at: Date;
}

/** A participant's satisfaction rating. `_id` is `<itemId>:<memberId>`: one per person per item. */
export interface RatingDoc {
  _id: string;
  itemId: string;
  memberId: string;
  score: number;
  comment: string | null;
  at: Date;
}

export const trackingKey = (outcomeId: string) => `tr-${outcomeId}`;
/** The key of an item from another source: one per source record (and part, e.g. a co-handling department). */
export const sourceTrackingKey = (kind: TrackingSourceKind, sourceId: string, part?: string) =>
  `tr-${kind}-${sourceId}${part ? `-${part}` : ''}`;
export const ratingKey = (itemId: string, memberId: string) => `${itemId}:${memberId}`;
export const attachmentKey = (reportId: string, n: number) => `${reportId}.${n}`;

export function trackingModels(conn: Connection) {
  const TrackingItem = conn.model<TrackingItemDoc>(
    'TrackingItem',
    new Schema<TrackingItemDoc>(
      {
        _id: String,
        source: {
          type: new Schema({ kind: String, id: String, title: String, summary: String }, { _id: false }),
          default: undefined,
        },
        outcomeId: { type: String, default: null },
        sessionId: { type: String, default: null, index: true },
        overseers: { type: [String], default: undefined },
        followers: { type: [String], default: undefined, index: true },
        topic: { type: String, required: true },
        text: { type: String, required: true },
        department: { type: String, default: '', index: true },
        deadline: { type: String, default: null },
        status: { type: String, required: true },
        history: {
          type: [
            new Schema(
              { at: Date, by: String, byName: String, action: String, status: String, note: String },
              { _id: false },
            ),
          ],
          default: [],
        },
        assigneeId: { type: String, default: null },
        assigneeName: { type: String, default: null },
        reports: {
          type: [
            new Schema(
              {
                id: String,
                at: Date,
                by: String,
                byName: String,
                text: String,
                percent: Number,
                nextStep: String,
                done: Boolean,
                attachments: {
                  type: [
                    new Schema({ id: String, fileName: String, contentType: String, size: Number }, { _id: false }),
                  ],
                  default: [],
                },
              },
              { _id: false },
            ),
          ],
          default: [],
        },
        chases: {
          type: [
            new Schema(
              { at: Date, by: String, byName: String, level: Number, note: String, overdue: Boolean },
              { _id: false },
            ),
          ],
          default: [],
        },
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'tracking_items',
  );
  const Attachment = conn.model<AttachmentDoc>(
    'Attachment',
    new Schema<AttachmentDoc>(
      {
        _id: String,
        itemId: { type: String, required: true, index: true },
        reportId: { type: String, required: true, index: true },
        fileName: { type: String, required: true },
        contentType: { type: String, required: true },
        size: { type: Number, required: true },
        data: { type: Buffer, required: true },
        uploadedBy: { type: String, required: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'attachments',
  );
  const TrackingRating = conn.model<RatingDoc>(
    'TrackingRating',
    new Schema<RatingDoc>(
      {
        _id: String,
        itemId: { type: String, required: true, index: true },
        memberId: { type: String, required: true },
        score: { type: Number, required: true },
        comment: { type: String, default: null },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'tracking_ratings',
  );
  return { TrackingItem, Attachment, TrackingRating };
}
