import { z } from 'zod';
import { Id, Text } from '../domain';
import type { DutyKind } from '../duty/ledger';
import type { Vocabulary } from '../vocabulary';

/**
 * Activities (履职活动) beyond consultations: research, inspections, training, democratic
 * supervision and appraisal, attending government meetings, staff visits to members, sector
 * activities. Invitees answer 参加 or 请假 (as for sessions), sign in on site by a rotating code or
 * at a staff desk, and their attendance reaches the duty ledger by itself.
 */
export const ActivityKind = z.enum([
  'research',
  'inspection',
  'training',
  'supervision',
  'appraisal',
  'attendMeeting',
  'visit',
  'sector',
]);
export type ActivityKind = z.infer<typeof ActivityKind>;

/** Each kind's name; the Chinese ones are the committee's words. */
export const activityKindNames: Vocabulary<ActivityKind> = {
  'zh-CN': {
    research: '调研',
    inspection: '视察',
    training: '学习培训',
    supervision: '民主监督',
    appraisal: '民主评议',
    attendMeeting: '列席政府会议',
    visit: '走访委员',
    sector: '界别活动',
  },
  en: {
    research: 'Research',
    inspection: 'Inspection',
    training: 'Training',
    supervision: 'Democratic supervision',
    appraisal: 'Democratic appraisal',
    attendMeeting: 'Government meeting',
    visit: 'Visit to members',
    sector: 'Sector activity',
  },
};
/** The committee's words for each kind (the Chinese names), as titles and notices write them. */
export const activityKindLabels: Readonly<Record<ActivityKind, string>> = activityKindNames['zh-CN'];

/**
 * The duty record one attendance earns. Research, inspections and training have kinds of their
 * own (the rubric weighs them, and research is a yearly minimum); supervision, appraisal,
 * attending government meetings and sector activities are `activity`. A staff visit to a member
 * is staff's work, not the member's duty: it earns no record.
 */
export const activityDutyKind: Record<ActivityKind, DutyKind | null> = {
  research: 'research',
  inspection: 'inspection',
  training: 'training',
  supervision: 'activity',
  appraisal: 'activity',
  attendMeeting: 'activity',
  visit: null,
  sector: 'activity',
};

/** Kinds whose findings become tracking items, and the tracking source kind they take. */
export const findingSourceKind: Partial<Record<ActivityKind, 'inspection' | 'supervision'>> = {
  inspection: 'inspection',
  supervision: 'supervision',
};

export const activityLimits = {
  maxTitleLength: 200,
  maxPlaceLength: 200,
  maxDescriptionLength: 4000,
  maxInvitees: 500,
  maxReasonLength: 200,
  maxFindingLength: 2000,
  maxFindings: 50,
  maxDepartmentLength: 100,
  /** Departments one appraisal rates, and criteria each is rated on. */
  maxAppraisedDepartments: 30,
  maxCriteria: 10,
  maxCriterionLength: 60,
  /** Materials: the same bounds as a proposal's attachments. */
  maxMaterialBytes: 5 * 1024 * 1024,
  maxMaterialsPerUpload: 5,
  maxMaterials: 20,
  maxFileNameLength: 200,
  /** Fewer ratings than this show no figure, so nobody can work out who gave what. */
  minRatingsShown: 3,
} as const;

/** The criteria an appraisal rates departments on, unless its organiser sets others. */
export const defaultAppraisalCriteria = ['工作作风', '办事效率', '服务质量', '依法履职', '廉洁自律'] as const;

export const ActivityState = z.enum(['scheduled', 'closed', 'cancelled']);
export type ActivityState = z.infer<typeof ActivityState>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');

/** POST /api/activities */
export const CreateActivityBody = z
  .object({
    kind: ActivityKind,
    title: Text(activityLimits.maxTitleLength),
    date: Day,
    place: Text(activityLimits.maxPlaceLength),
    description: z.string().trim().max(activityLimits.maxDescriptionLength).default(''),
    invitees: z.array(Id).max(activityLimits.maxInvitees).default([]),
    /** For an appraisal: the departments rated, by name, and the criteria (the defaults if none). */
    departments: z
      .array(Text(activityLimits.maxDepartmentLength))
      .max(activityLimits.maxAppraisedDepartments)
      .default([]),
    criteria: z.array(Text(activityLimits.maxCriterionLength)).max(activityLimits.maxCriteria).default([]),
  })
  .strict();
export type CreateActivityBody = z.infer<typeof CreateActivityBody>;

/** POST /api/activities/:id/invitees */
export const ActivityInviteesBody = z
  .object({ memberIds: z.array(Id).min(1).max(activityLimits.maxInvitees) })
  .strict();
export type ActivityInviteesBody = z.infer<typeof ActivityInviteesBody>;

/** POST /api/activities/:id/rsvp — 参加, or 请假 with a reason. */
export const ActivityRsvpBody = z.discriminatedUnion('answer', [
  z.object({ answer: z.literal('attend') }).strict(),
  z.object({ answer: z.literal('leave'), reason: Text(activityLimits.maxReasonLength) }).strict(),
]);
export type ActivityRsvpBody = z.infer<typeof ActivityRsvpBody>;

/** POST /api/activities/:id/leave/:memberId — staff approve or refuse. */
export const ActivityLeaveBody = z.object({ decision: z.enum(['approved', 'refused']) }).strict();
export type ActivityLeaveBody = z.infer<typeof ActivityLeaveBody>;

/** POST /api/activities/:id/sign-in — the code shown on site. */
export const ActivitySignInBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'six digits'),
  })
  .strict();
export type ActivitySignInBody = z.infer<typeof ActivitySignInBody>;

/** POST /api/activities/:id/findings — a problem found, for a department to fix. */
export const ActivityFindingBody = z
  .object({
    text: Text(activityLimits.maxFindingLength),
    department: Text(activityLimits.maxDepartmentLength),
    deadline: Day.nullable().default(null),
  })
  .strict();
export type ActivityFindingBody = z.infer<typeof ActivityFindingBody>;

/** POST /api/activities/:id/ratings — one member's rating of one department, 1–5 per criterion. */
export const ActivityRatingBody = z
  .object({
    department: Text(activityLimits.maxDepartmentLength),
    scores: z.array(z.number().int().min(1).max(5)).min(1).max(activityLimits.maxCriteria),
  })
  .strict();
export type ActivityRatingBody = z.infer<typeof ActivityRatingBody>;

/** GET /api/activities?year= */
export const ActivityListQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }).strict();
export type ActivityListQuery = z.infer<typeof ActivityListQuery>;

export const ActivityInviteeView = z.object({
  memberId: Id,
  name: z.string(),
  answer: z.enum(['pending', 'attend', 'leave']),
  leaveReason: z.string().nullable(),
  leave: z.enum(['requested', 'approved', 'refused']).nullable(),
  signedIn: z.boolean(),
});
export type ActivityInviteeView = z.infer<typeof ActivityInviteeView>;

export const ActivitySignInView = z.object({
  memberId: Id,
  name: z.string(),
  at: z.string(),
  via: z.enum(['code', 'desk']),
});
export type ActivitySignInView = z.infer<typeof ActivitySignInView>;

export const ActivityFindingView = z.object({
  id: z.string(),
  text: z.string(),
  department: z.string(),
  deadline: z.string().nullable(),
  trackingId: z.string(),
});
export type ActivityFindingView = z.infer<typeof ActivityFindingView>;

export const ActivityMaterialView = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  url: z.string(),
});
export type ActivityMaterialView = z.infer<typeof ActivityMaterialView>;

export const ActivityListItem = z.object({
  id: Id,
  kind: ActivityKind,
  title: z.string(),
  date: z.string(),
  place: z.string(),
  state: ActivityState,
  invited: z.number(),
  signedIn: z.number(),
});
export type ActivityListItem = z.infer<typeof ActivityListItem>;

/** GET /api/activities/:id — the activity as its organisers and invitees see it. */
export const ActivityView = ActivityListItem.extend({
  description: z.string(),
  organiserName: z.string(),
  groupId: Id.nullable(),
  /** Invitees with their answers (everyone's for managers; only the caller's own for an invitee). */
  invitees: z.array(ActivityInviteeView),
  signIns: z.array(ActivitySignInView),
  materials: z.array(ActivityMaterialView),
  findings: z.array(ActivityFindingView),
  departments: z.array(z.string()),
  criteria: z.array(z.string()),
  viewer: z.object({
    manages: z.boolean(),
    decidesLeave: z.boolean(),
    invited: z.boolean(),
    signedIn: z.boolean(),
    /** For an appraisal: the departments the caller has rated. */
    rated: z.array(z.string()),
  }),
});
export type ActivityView = z.infer<typeof ActivityView>;

/** One department's appraisal: how many rated, and per criterion the average (null below the minimum). */
export const DepartmentAppraisal = z.object({
  department: z.string(),
  ratings: z.number(),
  averages: z.array(z.object({ criterion: z.string(), average: z.number().nullable() })),
  /** The average over every criterion, one decimal; null below the minimum. */
  overall: z.number().nullable(),
});
export type DepartmentAppraisal = z.infer<typeof DepartmentAppraisal>;

/** GET /api/activities */
export const ActivityListResponse = z.object({ activities: z.array(ActivityListItem) });
export type ActivityListResponse = z.infer<typeof ActivityListResponse>;

/** GET /api/activities/:id/appraisal */
export const ActivityAppraisalResponse = z.object({ departments: z.array(DepartmentAppraisal) });
export type ActivityAppraisalResponse = z.infer<typeof ActivityAppraisalResponse>;

/** GET /api/org/departments, as the activity pages read it: the names to pick from. */
export const DepartmentNamesResponse = z.object({ departments: z.array(z.object({ name: z.string() })) });

/**
 * GET /api/reports/departments?from=&to= — the dashboard's department table: per department the
 * democratic appraisals of the period (activities dated in it). `appraisal` is the mean of the
 * overall figures of the appraisals with enough ratings (null when none had), one decimal.
 */
export const DashboardDepartmentRow = z.object({
  department: z.string(),
  appraisalRatings: z.number().int().nonnegative(),
  appraisal: z.number().nullable(),
});
export type DashboardDepartmentRow = z.infer<typeof DashboardDepartmentRow>;
export const DashboardDepartmentsResponse = z.object({
  from: z.string(),
  to: z.string(),
  departments: z.array(DashboardDepartmentRow),
});
export type DashboardDepartmentsResponse = z.infer<typeof DashboardDepartmentsResponse>;
