import type { DutyReportCriterion, DutyReportState } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * A year's 述职 round: `_id` `dr-<year>`, so a year has one. `version` grows with every change
 * and each update's filter names the version it read.
 */
export interface DutyReportRoundDoc {
  _id: string;
  year: number;
  /** YYYY-MM-DD, committee time: the last day a report may be handed in or replaced. */
  deadline: string;
  criteria: DutyReportCriterion[];
  panel: Array<{ id: string; name: string }>;
  meeting: { date: string; sessionId: string | null } | null;
  state: DutyReportState;
  publishedAt: Date | null;
  version: number;
  createdBy: string;
  createdAt: Date;
}

/** A member's report for a year: `_id` `<year>:<memberId>`; replacing it overwrites this one. */
export interface DutyReportDoc {
  _id: string;
  year: number;
  memberId: string;
  name: string;
  text: string | null;
  file: { fileName: string; contentType: string; size: number } | null;
  submittedAt: Date;
  versions: number;
}

/** The bytes of a report's file, under the report's own `_id`. */
export interface DutyReportFileDoc {
  _id: string;
  year: number;
  data: Buffer;
}

/**
 * One panel member's scores of one report: `_id` `<year>:<memberId>:<scorerId>`, so scoring
 * again replaces them. Only the scorer ever reads them back; everyone else sees aggregates.
 */
export interface DutyReportScoreDoc {
  _id: string;
  year: number;
  memberId: string;
  scorerId: string;
  scores: Record<string, number>;
  at: Date;
}

export const roundKey = (year: number) => `dr-${year}`;
export const reportKey = (year: number, memberId: string) => `${year}:${memberId}`;
export const scoreKey = (year: number, memberId: string, scorerId: string) => `${year}:${memberId}:${scorerId}`;

export function dutyReportModels(conn: Connection) {
  const DutyReportRound = conn.model<DutyReportRoundDoc>(
    'DutyReportRound',
    new Schema<DutyReportRoundDoc>(
      {
        _id: String,
        year: { type: Number, required: true },
        deadline: { type: String, required: true },
        criteria: { type: Schema.Types.Mixed, required: true },
        panel: { type: Schema.Types.Mixed, default: [] },
        meeting: { type: Schema.Types.Mixed, default: null },
        state: { type: String, required: true },
        publishedAt: { type: Date, default: null },
        version: { type: Number, required: true },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'duty_report_rounds',
  );
  const DutyReport = conn.model<DutyReportDoc>(
    'DutyReport',
    new Schema<DutyReportDoc>(
      {
        _id: String,
        year: { type: Number, required: true, index: true },
        memberId: { type: String, required: true },
        name: { type: String, required: true },
        text: { type: String, default: null },
        file: { type: Schema.Types.Mixed, default: null },
        submittedAt: { type: Date, required: true },
        versions: { type: Number, required: true },
      },
      { versionKey: false },
    ),
    'duty_reports',
  );
  const DutyReportFile = conn.model<DutyReportFileDoc>(
    'DutyReportFile',
    new Schema<DutyReportFileDoc>(
      {
        _id: String,
        year: { type: Number, required: true },
        data: { type: Buffer, required: true },
      },
      { versionKey: false },
    ),
    'duty_report_files',
  );
  const DutyReportScore = conn.model<DutyReportScoreDoc>(
    'DutyReportScore',
    new Schema<DutyReportScoreDoc>(
      {
        _id: String,
        year: { type: Number, required: true, index: true },
        memberId: { type: String, required: true },
        scorerId: { type: String, required: true },
        scores: { type: Schema.Types.Mixed, required: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'duty_report_scores',
  );
  return { DutyReportRound, DutyReport, DutyReportFile, DutyReportScore };
}
