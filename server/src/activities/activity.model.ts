import type { ActivityKind, ActivityState } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';
import { type WindowBudgetDoc, windowBudgetSchema } from '../lib/window-budget';

export interface ActivityInvitation {
  memberId: string;
  name: string;
  answer: 'pending' | 'attend' | 'leave';
  leaveReason: string | null;
  leave: 'requested' | 'approved' | 'refused' | null;
  answeredAt: Date | null;
}

export interface ActivityFinding {
  id: string;
  text: string;
  department: string;
  deadline: string | null;
  trackingId: string;
}

export interface ActivityMaterialMeta {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}

/**
 * One activity (履职活动). `_id` is `act-<uuid>` (no colon: duty keys `act:<id>:<member>` split
 * on it). `version` grows with every change and each update's filter names the version it read.
 */
export interface ActivityDoc {
  _id: string;
  kind: ActivityKind;
  title: string;
  /** YYYY-MM-DD, committee time. */
  date: string;
  place: string;
  description: string;
  /** The working group that organises it (its convener manages it beside staff); null: staff's. */
  groupId: string | null;
  organiserId: string;
  organiserName: string;
  invitations: ActivityInvitation[];
  /** Only invitees read it: their ids, for the list query. */
  inviteeIds: string[];
  materials: ActivityMaterialMeta[];
  findings: ActivityFinding[];
  /** An appraisal's departments (by name) and criteria. */
  departments: string[];
  criteria: string[];
  state: ActivityState;
  closedAt: Date | null;
  version: number;
  createdAt: Date;
}

/** One sign-in: `_id` `<activityId>:<memberId>`, so signing in twice stores one. */
export interface ActivitySignInDoc {
  _id: string;
  activityId: string;
  memberId: string;
  name: string;
  at: Date;
  via: 'code' | 'desk';
  by: string;
}

/**
 * That a member rated a department in an appraisal: `_id` `<activityId>:<department>:<memberId>`
 * (one rating each). It holds no scores, and the scores hold no rater, no time and a random id,
 * so nothing stored links a rater to what they gave.
 */
export interface AppraisalMarkDoc {
  _id: string;
  activityId: string;
  memberId: string;
}

export interface AppraisalRatingDoc {
  _id: string;
  activityId: string;
  department: string;
  scores: number[];
}

/** The bytes of one material: `_id` `<activityId>-m<n>`. */
export interface ActivityFileDoc {
  _id: string;
  activityId: string;
  fileName: string;
  contentType: string;
  size: number;
  data: Buffer;
  at: Date;
}

export const signInKey = (activityId: string, memberId: string) => `${activityId}:${memberId}`;
export const appraisalMarkKey = (activityId: string, department: string, memberId: string) =>
  `${activityId}:${department}:${memberId}`;

export function activityModels(conn: Connection) {
  const Activity = conn.model<ActivityDoc>(
    'Activity',
    new Schema<ActivityDoc>(
      {
        _id: String,
        kind: { type: String, required: true, index: true },
        title: { type: String, required: true },
        date: { type: String, required: true, index: true },
        place: { type: String, required: true },
        description: { type: String, default: '' },
        groupId: { type: String, default: null, index: true },
        organiserId: { type: String, required: true },
        organiserName: { type: String, required: true },
        invitations: { type: Schema.Types.Mixed, default: [] },
        inviteeIds: { type: [String], default: [], index: true },
        materials: { type: Schema.Types.Mixed, default: [] },
        findings: { type: Schema.Types.Mixed, default: [] },
        departments: { type: [String], default: [], index: true },
        criteria: { type: [String], default: [] },
        state: { type: String, required: true },
        closedAt: { type: Date, default: null },
        version: { type: Number, required: true },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'activities',
  );
  const ActivitySignIn = conn.model<ActivitySignInDoc>(
    'ActivitySignIn',
    new Schema<ActivitySignInDoc>(
      {
        _id: String,
        activityId: { type: String, required: true, index: true },
        memberId: { type: String, required: true },
        name: { type: String, required: true },
        at: { type: Date, required: true },
        via: { type: String, required: true },
        by: { type: String, required: true },
      },
      { versionKey: false },
    ),
    'activity_sign_ins',
  );
  const AppraisalMark = conn.model<AppraisalMarkDoc>(
    'AppraisalMark',
    new Schema<AppraisalMarkDoc>(
      {
        _id: String,
        activityId: { type: String, required: true, index: true },
        memberId: { type: String, required: true },
      },
      { versionKey: false },
    ),
    'appraisal_marks',
  );
  const AppraisalRating = conn.model<AppraisalRatingDoc>(
    'AppraisalRating',
    new Schema<AppraisalRatingDoc>(
      {
        _id: String,
        activityId: { type: String, required: true, index: true },
        department: { type: String, required: true },
        scores: { type: [Number], required: true },
      },
      { versionKey: false },
    ),
    'appraisal_ratings',
  );
  const ActivityFile = conn.model<ActivityFileDoc>(
    'ActivityFile',
    new Schema<ActivityFileDoc>(
      {
        _id: String,
        activityId: { type: String, required: true, index: true },
        fileName: { type: String, required: true },
        contentType: { type: String, required: true },
        size: { type: Number, required: true },
        data: { type: Buffer, required: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'activity_files',
  );
  // Wrong sign-in codes per person and activity, counted across nodes (activity.service.ts).
  const ActivityWrongCode = conn.model<WindowBudgetDoc>(
    'ActivityWrongCode',
    windowBudgetSchema(),
    'activity_wrong_codes',
  );
  return { Activity, ActivitySignIn, AppraisalMark, AppraisalRating, ActivityFile, ActivityWrongCode };
}
