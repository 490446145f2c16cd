import type { Models } from '../db/models';
import type { MemberDoc } from '../members/member.model';
import { createMemberRecords } from '../members/member.service';

/** Who is asked about: an account with its kind and, when known, its department record. */
export interface DepartmentPerson {
  id: string;
  kind: string;
  departmentId?: string | null;
}

/**
 * Department membership by record (replaces "the post names the department"): an official
 * belongs to a department when Member.departmentId names its record. Items and topics name a
 * department by its name, so the questions here take the name; a name with no record has no
 * officials (an old free-text department: staff, the assignee and the conveners still act).
 */
export function createDepartmentMembership(models: Models) {
  const { Department } = models;
  const members = createMemberRecords(models);
  /** A department by its name, or by a name it had before a rename. */
  const named = (name: string) => ({ $or: [{ name }, { formerNames: name }] });

  async function departmentIdOf(person: DepartmentPerson): Promise<string | null> {
    if (person.kind !== 'official') return null;
    if (person.departmentId !== undefined) return person.departmentId;
    return members.departmentOf(person.id);
  }

  return {
    /** The department record of this name, if there is one. */
    async byName(name: string): Promise<{ id: string; name: string; headId: string | null } | null> {
      const trimmed = name.trim();
      if (trimmed === '') return null;
      const doc =
        (await Department.findOne({ name: trimmed }).lean()) ?? (await Department.findOne(named(trimmed)).lean());
      return doc ? { id: doc._id, name: doc.name, headId: doc.headId ?? null } : null;
    },

    /** Whether `person` is an official of the department named `name`, by record. */
    async isOfficialOf(person: DepartmentPerson, name: string): Promise<boolean> {
      const departmentId = await departmentIdOf(person);
      if (!departmentId || name.trim() === '') return false;
      const dep = await Department.findById(departmentId, { name: 1, formerNames: 1 }).lean();
      return dep !== null && (dep.name === name.trim() || (dep.formerNames ?? []).includes(name.trim()));
    },

    /** The name of `person`'s department, or null. */
    async departmentNameOf(person: DepartmentPerson): Promise<string | null> {
      const departmentId = await departmentIdOf(person);
      if (!departmentId) return null;
      return (await Department.findById(departmentId, { name: 1 }).lean())?.name ?? null;
    },

    /** The officials of the department named `name`, by id. */
    async officialsOf(name: string): Promise<MemberDoc[]> {
      if (name.trim() === '') return [];
      const dep =
        (await Department.findOne({ name: name.trim() }, { _id: 1 }).lean()) ??
        (await Department.findOne(named(name.trim()), { _id: 1 }).lean());
      if (!dep) return [];
      return members.officialsOf(dep._id);
    },
  };
}

export type DepartmentMembership = ReturnType<typeof createDepartmentMembership>;
