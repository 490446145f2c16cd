import type { MinutesStatus, VersionReason } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * The review state of one session's minutes. `_id` is the session id. A session without this
 * document is a `draft` (it is created on first need, with `$setOnInsert`).
 */
export interface MinutesMetaDoc {
  _id: string;
  status: MinutesStatus;
  /** Conveners who approved while `inReview`; approval lands when both are here. */
  approvals: string[];
  publishedVersionId: string | null;
  updatedAt: Date;
}

/**
 * A frozen snapshot of the minutes. `_id` is `${sessionId}:${number}`, so two writers cannot both
 * take the same number: the second insert fails with a duplicate key and tries the next one.
 */
export interface MinutesVersionDoc {
  _id: string;
  sessionId: string;
  number: number;
  reason: VersionReason;
  label: string;
  /** The Yjs state (an update from an empty document). */
  state: Buffer;
  /** Plain text of the minutes at that moment: archive search and excerpts. */
  text: string;
  createdBy: string;
  createdAt: Date;
}

/** A reviewer's comment on a passage, made while the minutes are in review. */
export interface MinutesCommentDoc {
  _id: string;
  sessionId: string;
  /** The latest version when the comment was made (the one under review), if any. */
  versionId: string | null;
  authorId: string;
  authorName: string;
  quote: string;
  text: string;
  createdAt: Date;
  resolved: boolean;
}

export const versionKey = (sessionId: string, number: number) => `${sessionId}:${number}`;

export function minutesReviewModels(conn: Connection) {
  const MinutesMeta = conn.model<MinutesMetaDoc>(
    'MinutesMeta',
    new Schema<MinutesMetaDoc>(
      {
        _id: String,
        status: { type: String, enum: ['draft', 'inReview', 'approved', 'published'], required: true },
        approvals: { type: [String], default: [] },
        publishedVersionId: { type: String, default: null },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'minutes_meta',
  );
  const versionSchema = new Schema<MinutesVersionDoc>(
    {
      _id: String,
      sessionId: { type: String, required: true },
      number: { type: Number, required: true },
      reason: {
        type: String,
        enum: ['sessionClosed', 'review', 'approval', 'published', 'manual'],
        required: true,
      },
      label: { type: String, default: '' },
      state: { type: Buffer, required: true },
      text: { type: String, default: '' },
      createdBy: { type: String, required: true },
      createdAt: { type: Date, required: true },
    },
    { versionKey: false },
  );
  versionSchema.index({ sessionId: 1, number: 1 }, { unique: true });
  // The printed minutes' number: a year's published versions by the time they were taken.
  versionSchema.index({ reason: 1, createdAt: 1 });
  const MinutesVersion = conn.model<MinutesVersionDoc>('MinutesVersion', versionSchema, 'minutes_versions');
  const commentSchema = new Schema<MinutesCommentDoc>(
    {
      _id: String,
      sessionId: { type: String, required: true },
      versionId: { type: String, default: null },
      authorId: { type: String, required: true },
      authorName: { type: String, required: true },
      quote: { type: String, default: '' },
      text: { type: String, required: true },
      createdAt: { type: Date, required: true },
      resolved: { type: Boolean, default: false },
    },
    { versionKey: false },
  );
  commentSchema.index({ sessionId: 1, createdAt: 1 });
  const MinutesComment = conn.model<MinutesCommentDoc>('MinutesComment', commentSchema, 'minutes_comments');
  return { MinutesMeta, MinutesVersion, MinutesComment };
}

export type MinutesReviewModels = ReturnType<typeof minutesReviewModels>;
