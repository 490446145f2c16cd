import { z } from 'zod';
import { Id, MemberStatus, Text } from './domain';
import { limits } from './limits';
import { RoomLevel } from './reports/dashboard';

/**
 * The organisation as records (GET/POST/PATCH/DELETE /api/org/...): the committee, its sectors
 * (界别), working groups and special committees (工作组/专委会), district committees (政协工委),
 * government departments (部门) with their head and officials, leaders (领导), consultation rooms
 * (议事室) and the members' organisation fields. Staff write them; rights are the administrator's.
 */

const Name = Text(limits.maxDepartmentLength);
/** The kinds of account staff create (as accounts.ts; repeated here so neither imports the other). */
const AccountKindOfOrg = z.enum(['member', 'official', 'staff']);

export const CommitteeView = z.object({
  id: z.string(),
  name: z.string(),
  /** The term (届), e.g. 15 for 十五届. */
  term: z.number().int(),
  year: z.number().int(),
});
export type CommitteeView = z.infer<typeof CommitteeView>;

export const UpdateCommitteeBody = z
  .object({
    name: Name.optional(),
    term: z.number().int().min(1).max(99).optional(),
    year: z.number().int().min(1949).max(2100).optional(),
  })
  .strict();
export type UpdateCommitteeBody = z.infer<typeof UpdateCommitteeBody>;

/** A sector or a district committee: a name and its place in the list. */
export const NamedView = z.object({ id: z.string(), name: z.string(), order: z.number().int() });
export type NamedView = z.infer<typeof NamedView>;

export const CreateNamedBody = z.object({ name: Name }).strict();
export type CreateNamedBody = z.infer<typeof CreateNamedBody>;

export const RenameBody = z.object({ name: Name }).strict();
export type RenameBody = z.infer<typeof RenameBody>;

/** The new order of a whole list: every id once, first to last. */
export const ReorderBody = z
  .object({ ids: z.array(Id).min(1).max(500) })
  .strict()
  .refine((b) => new Set(b.ids).size === b.ids.length, { message: 'ids: each id once', path: ['ids'] });
export type ReorderBody = z.infer<typeof ReorderBody>;

export const WorkingGroupKind = z.enum(['workingGroup', 'specialCommittee']);
export type WorkingGroupKind = z.infer<typeof WorkingGroupKind>;

export const WorkingGroupView = NamedView.extend({ kind: WorkingGroupKind });
export type WorkingGroupView = z.infer<typeof WorkingGroupView>;

export const CreateWorkingGroupBody = z.object({ name: Name, kind: WorkingGroupKind }).strict();
export type CreateWorkingGroupBody = z.infer<typeof CreateWorkingGroupBody>;

export const UpdateWorkingGroupBody = z.object({ name: Name.optional(), kind: WorkingGroupKind.optional() }).strict();
export type UpdateWorkingGroupBody = z.infer<typeof UpdateWorkingGroupBody>;

export const PersonRef = z.object({ id: z.string(), name: z.string(), title: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;

export const DepartmentView = z.object({
  id: z.string(),
  name: z.string(),
  headId: z.string().nullable(),
  /** Every official whose record says they belong here, the head among them. */
  officials: z.array(PersonRef),
});
export type DepartmentView = z.infer<typeof DepartmentView>;

export const CreateDepartmentBody = z.object({ name: Name, headId: Id.nullable().default(null) }).strict();
export type CreateDepartmentBody = z.input<typeof CreateDepartmentBody>;

export const UpdateDepartmentBody = z.object({ name: Name.optional(), headId: Id.nullable().optional() }).strict();
export type UpdateDepartmentBody = z.infer<typeof UpdateDepartmentBody>;

export const LeaderLevel = z.enum(['city', 'town']);
export type LeaderLevel = z.infer<typeof LeaderLevel>;

export const LeaderView = z.object({
  id: z.string(),
  name: z.string(),
  post: z.string(),
  level: LeaderLevel,
  memberId: z.string().nullable(),
});
export type LeaderView = z.infer<typeof LeaderView>;

export const CreateLeaderBody = z
  .object({
    name: Text(limits.maxNameLength),
    post: z.string().trim().max(limits.maxDepartmentLength).default(''),
    level: LeaderLevel,
    memberId: Id.nullable().default(null),
  })
  .strict();
export type CreateLeaderBody = z.input<typeof CreateLeaderBody>;

export const UpdateLeaderBody = z
  .object({
    name: Text(limits.maxNameLength).optional(),
    post: z.string().trim().max(limits.maxDepartmentLength).optional(),
    level: LeaderLevel.optional(),
    memberId: Id.nullable().optional(),
  })
  .strict();
export type UpdateLeaderBody = z.infer<typeof UpdateLeaderBody>;

/** city above town above village: a room's parent is at a higher level than the room. */
export const roomLevelRank: Record<RoomLevel, number> = { city: 3, town: 2, village: 1 };

export const OrgRoomView = z.object({
  id: z.string(),
  name: z.string(),
  level: RoomLevel,
  parentId: z.string().nullable(),
  ownerUnit: z.string(),
});
export type OrgRoomView = z.infer<typeof OrgRoomView>;

export const CreateRoomBody = z
  .object({
    name: Name,
    level: RoomLevel,
    parentId: Id.nullable().default(null),
    ownerUnit: z.string().trim().max(limits.maxDepartmentLength).default(''),
  })
  .strict();
export type CreateRoomBody = z.input<typeof CreateRoomBody>;

export const UpdateRoomBody = z
  .object({
    name: Name.optional(),
    level: RoomLevel.optional(),
    parentId: Id.nullable().optional(),
    ownerUnit: z.string().trim().max(limits.maxDepartmentLength).optional(),
  })
  .strict();
export type UpdateRoomBody = z.infer<typeof UpdateRoomBody>;

const Phone = z
  .string()
  .trim()
  .max(30)
  .regex(/^[0-9+()\- ]*$/, 'digits, spaces, + ( ) and - only');
const Email = z.union([z.literal(''), z.email().max(120)]);
const Tags = z.array(Text(limits.maxNameLength)).max(20);

/** A member's organisation fields, as staff edit them (all optional: only those sent change). */
export const MemberOrgFields = z
  .object({
    sectorId: Id.nullable().optional(),
    workingGroupId: Id.nullable().optional(),
    districtId: Id.nullable().optional(),
    departmentId: Id.nullable().optional(),
    phone: Phone.optional(),
    email: Email.optional(),
    expertise: Tags.optional(),
    status: MemberStatus.optional(),
  })
  .strict();
export type MemberOrgFields = z.infer<typeof MemberOrgFields>;

/** PATCH /api/org/members/:id — kind only between member and official (rights are separate). */
export const UpdateMemberBody = MemberOrgFields.extend({
  name: Text(limits.maxNameLength).optional(),
  kind: z.enum(['member', 'official']).optional(),
  title: z.string().trim().max(limits.maxDepartmentLength).optional(),
  /** 委员召集人: a member appointed to convene takes the first seat of a topic (members only). */
  canConvene: z.boolean().optional(),
}).strict();
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

/** PUT /api/org/members/:id/rights — the administrator's alone: staff or not, administrator or not. */
export const MemberRightsBody = z.object({ kind: AccountKindOfOrg, admin: z.boolean() }).strict();
export type MemberRightsBody = z.infer<typeof MemberRightsBody>;

export const OrgMemberView = z.object({
  id: z.string(),
  name: z.string(),
  kind: AccountKindOfOrg,
  title: z.string(),
  sectorId: z.string().nullable(),
  workingGroupId: z.string().nullable(),
  districtId: z.string().nullable(),
  departmentId: z.string().nullable(),
  phone: z.string(),
  email: z.string(),
  expertise: z.array(z.string()),
  status: MemberStatus,
  /** Appointed to convene (委员召集人); only ever true for a member. */
  canConvene: z.boolean(),
  admin: z.boolean(),
  deactivated: z.boolean(),
});
export type OrgMemberView = z.infer<typeof OrgMemberView>;

export const OrgMembersResponse = z.object({ members: z.array(OrgMemberView) });
export type OrgMembersResponse = z.infer<typeof OrgMembersResponse>;

/** GET /api/org — everything but the members, for the console's lists and pickers. */
export const OrgOverview = z.object({
  committee: CommitteeView,
  sectors: z.array(NamedView),
  workingGroups: z.array(WorkingGroupView),
  districts: z.array(NamedView),
  departments: z.array(DepartmentView),
  leaders: z.array(LeaderView),
  rooms: z.array(OrgRoomView),
});
export type OrgOverview = z.infer<typeof OrgOverview>;
