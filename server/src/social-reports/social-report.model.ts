import type { AdoptionLevel, SocialReportEvent, SocialReportState } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

export interface SocialReportFileMeta {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}

/**
 * 社情民意信息. `_id` is `sr-<uuid>`. The member's `original` is never changed; staff's edit goes
 * to `edited`. `version` grows with every step, and every update's filter names the version it
 * read; since FerretDB 1.x does not make that guarded update atomic, each step also first inserts
 * the key `<report>:<version>` into `social_report_steps`, so two steps taken at once on two nodes
 * cannot both land.
 */
export interface SocialReportDoc {
  _id: string;
  authorId: string;
  authorName: string;
  state: SocialReportState;
  level: AdoptionLevel | null;
  original: { title: string; content: string };
  edited: { title: string; content: string; by: string; byName: string; at: Date } | null;
  declineReason: string | null;
  instructions: Array<{ leader: string; level: AdoptionLevel; text: string; date: string }>;
  result: string | null;
  attachments: SocialReportFileMeta[];
  trail: Array<Omit<SocialReportEvent, 'at'> & { at: Date }>;
  version: number;
  submittedAt: Date;
  updatedAt: Date;
}

/** The bytes of one file submitted with a report: `_id` `<reportId>-f<n>`. */
export interface SocialReportFileDoc {
  _id: string;
  reportId: string;
  fileName: string;
  contentType: string;
  size: number;
  data: Buffer;
  at: Date;
}

export const socialReportFileKey = (reportId: string, n: number) => `${reportId}-f${n}`;

export function socialReportModels(conn: Connection) {
  const SocialReport = conn.model<SocialReportDoc>(
    'SocialReport',
    new Schema<SocialReportDoc>(
      {
        _id: String,
        authorId: { type: String, required: true, index: true },
        authorName: { type: String, required: true },
        state: { type: String, required: true, index: true },
        level: { type: String, default: null },
        original: { type: Schema.Types.Mixed, required: true },
        edited: { type: Schema.Types.Mixed, default: null },
        declineReason: { type: String, default: null },
        instructions: { type: Schema.Types.Mixed, default: [] },
        result: { type: String, default: null },
        attachments: { type: Schema.Types.Mixed, default: [] },
        trail: { type: Schema.Types.Mixed, default: [] },
        version: { type: Number, required: true },
        submittedAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'social_reports',
  );
  const SocialReportFile = conn.model<SocialReportFileDoc>(
    'SocialReportFile',
    new Schema<SocialReportFileDoc>(
      {
        _id: String,
        reportId: { type: String, required: true, index: true },
        fileName: { type: String, required: true },
        contentType: { type: String, required: true },
        size: { type: Number, required: true },
        data: { type: Buffer, required: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'social_report_files',
  );
  return { SocialReport, SocialReportFile };
}
