import { type Connection, Schema } from 'mongoose';

/** A working group (工作组) or special committee (专委会) of the committee. */
export interface WorkingGroupDoc {
  _id: string;
  committeeId: string;
  name: string;
  kind: 'workingGroup' | 'specialCommittee';
  order: number;
}

/** A district working committee (政协工委). */
export interface DistrictDoc {
  _id: string;
  committeeId: string;
  name: string;
  order: number;
}

/**
 * A government department (部门). Officials belong to it through Member.departmentId; the head is
 * one of them.
 */
export interface DepartmentDoc {
  _id: string;
  name: string;
  headId: string | null;
  /**
   * Names the department had before a rename: topics and tracking items keep the name they were
   * given, and still find the department (and its officials) by it.
   */
  formerNames?: string[];
}

/** A city or town leader (领导) who may attend and answer at consultations. */
export interface LeaderDoc {
  _id: string;
  name: string;
  post: string;
  level: 'city' | 'town';
  /** The leader's own account, when they have one. */
  memberId: string | null;
}

export function orgModels(conn: Connection) {
  const WorkingGroup = conn.model<WorkingGroupDoc>(
    'WorkingGroup',
    new Schema<WorkingGroupDoc>(
      {
        _id: String,
        committeeId: { type: String, required: true },
        name: { type: String, required: true },
        kind: { type: String, enum: ['workingGroup', 'specialCommittee'], required: true },
        order: { type: Number, required: true },
      },
      { versionKey: false },
    ).index({ committeeId: 1, order: 1 }),
    'working_groups',
  );
  const District = conn.model<DistrictDoc>(
    'District',
    new Schema<DistrictDoc>(
      {
        _id: String,
        committeeId: { type: String, required: true },
        name: { type: String, required: true },
        order: { type: Number, required: true },
      },
      { versionKey: false },
    ).index({ committeeId: 1, order: 1 }),
    'districts',
  );
  const Department = conn.model<DepartmentDoc>(
    'Department',
    new Schema<DepartmentDoc>(
      {
        _id: String,
        name: { type: String, required: true, unique: true },
        headId: { type: String, default: null },
        formerNames: { type: [String], default: [], index: true },
      },
      { versionKey: false },
    ),
    'departments',
  );
  const Leader = conn.model<LeaderDoc>(
    'Leader',
    new Schema<LeaderDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        post: { type: String, default: '' },
        level: { type: String, enum: ['city', 'town'], required: true },
        memberId: { type: String, default: null },
      },
      { versionKey: false },
    ),
    'leaders',
  );
  return { WorkingGroup, District, Department, Leader };
}
