import type { ChaseLevel, TrackingEvent, TrackingStatus } from '@yitang/shared';
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

/**
 * 督办事项. `_id` is `tr-<outcomeId>`: one item per recorded outcome, so creating the items of a
 * session twice (a retry, a restart) creates nothing new. Reports and chases are kept inside the
 * item, so a report and the status move it causes are one single-document update.
 */
export interface TrackingItemDoc {
  _id: string;
  outcomeId: string;
  sessionId: string;
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
export const ratingKey = (itemId: string, memberId: string) => `${itemId}:${memberId}`;
export const attachmentKey = (reportId: string, n: number) => `${reportId}.${n}`;

export function trackingModels(conn: Connection) {
  const TrackingItem = conn.model<TrackingItemDoc>(
    'TrackingItem',
    new Schema<TrackingItemDoc>(
      {
        _id: String,
        outcomeId: { type: String, required: true },
        sessionId: { type: String, required: true, index: true },
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
