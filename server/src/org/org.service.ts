import { randomUUID } from 'node:crypto';
import {
  type CommitteeView,
  type CreateDepartmentBody,
  type CreateLeaderBody,
  type CreateRoomBody,
  type CreateWorkingGroupBody,
  type DepartmentView,
  type LeaderView,
  type MemberOrgFields,
  type MemberRightsBody,
  type MemberView,
  mayManageAccount,
  type NamedView,
  type OrgMemberView,
  type OrgOverview,
  type OrgRoomView,
  type RoomLevel,
  roomLevelRank,
  type StaffCreatedKind,
  type UpdateCommitteeBody,
  type UpdateDepartmentBody,
  type UpdateLeaderBody,
  type UpdateMemberBody,
  type UpdateRoomBody,
  type UpdateWorkingGroupBody,
  type WorkingGroupView,
} from '@yitang/shared';
import { type Models, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { createOrderedRecords, type OrderedDoc, type OrderedRecords } from '../lib/ordered-records';
import { Serial } from '../lib/serial';
import type { MemberDoc } from '../members/member.model';
import { createMemberRecords } from '../members/member.service';
import type { RoomDoc } from '../rooms/room.model';
import type { RoomRepository } from '../rooms/room.repository';
import type { SessionService } from '../sessions';
import type { DepartmentDoc } from './org.model';

/** The committee used when an account names none (the first administrator's, from setup). */
const DEFAULT_COMMITTEE = 'committee';

const newId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

const accountKinds: StaffCreatedKind[] = ['member', 'official', 'staff'];

/** The lists kept in order within a committee: sectors, working groups, district committees. */
export type OrderedKind = 'sectors' | 'workingGroups' | 'districts';

const kindWords: Record<OrderedKind, { one: string; field: 'sectorId' | 'workingGroupId' | 'districtId' }> = {
  sectors: { one: 'sector', field: 'sectorId' },
  workingGroups: { one: 'working group', field: 'workingGroupId' },
  districts: { one: 'district committee', field: 'districtId' },
};

const idPrefix: Record<OrderedKind, string> = { sectors: 'sec', workingGroups: 'wg', districts: 'dist' };

const named = (d: OrderedDoc): NamedView => ({ id: d._id, name: d.name, order: d.order });

const presentRoom = (r: RoomDoc): OrgRoomView => ({
  id: r._id,
  name: r.name,
  level: r.level,
  parentId: r.parentId ?? null,
  ownerUnit: r.ownerUnit ?? '',
});

const presentMember = (m: MemberDoc): OrgMemberView => ({
  id: m._id,
  name: m.name,
  kind: m.kind as StaffCreatedKind,
  title: m.title ?? '',
  sectorId: m.sectorId ?? null,
  workingGroupId: m.workingGroupId ?? null,
  districtId: m.districtId ?? null,
  departmentId: m.kind === 'official' ? (m.departmentId ?? null) : null,
  phone: m.phone ?? '',
  email: m.email ?? '',
  expertise: m.expertise ?? [],
  status: m.status ?? 'serving',
  canConvene: m.kind === 'member' && m.canConvene === true,
  admin: m.admin === true,
  deactivated: Boolean(m.deactivatedAt),
});

const taken = (what: string, name: string) => new AppError('ILLEGAL_TRANSITION', `A ${what} named ${name} exists.`);
const missing = (what: string) => new AppError('NOT_FOUND', `No such ${what}.`);

/**
 * The organisation as records: the committee, its sectors, working groups and district
 * committees, government departments with their officials, leaders, rooms, and the members'
 * organisation fields. Writes run one at a time (names unique per kind, references checked before
 * a delete): FerretDB gives no transactions, and these are rare, small, staff-made changes.
 */
export function createOrgService(deps: {
  models: Models;
  sessions: Pick<SessionService, 'roomUsed'>;
  rooms: RoomRepository;
}) {
  const { models, sessions, rooms: roomRecords } = deps;
  const { WorkingGroup, District, Department, Leader } = models;
  /** Members, sectors and the committee are the members module's records. */
  const members = createMemberRecords(models);
  const serial = new Serial();

  const ordered: Record<OrderedKind, OrderedRecords> = {
    sectors: members.sectors,
    workingGroups: createOrderedRecords(WorkingGroup),
    districts: createOrderedRecords(District),
  };

  async function committeeOf(by: { id: string }): Promise<string> {
    return (await members.committeeOf(by.id)) ?? DEFAULT_COMMITTEE;
  }

  async function ensureNameFree(
    records: OrderedRecords,
    committeeId: string,
    name: string,
    what: string,
    self?: string,
  ) {
    const other = await records.idNamed(committeeId, name);
    if (other && other !== self) throw taken(what, name);
  }

  async function departmentsView(): Promise<DepartmentView[]> {
    const [deps_, officials] = await Promise.all([
      Department.find({}).sort({ name: 1 }).lean(),
      members.officialsWithDepartment(),
    ]);
    return deps_.map((d) => ({
      id: d._id,
      name: d.name,
      headId: d.headId ?? null,
      officials: officials
        .filter((o) => o.departmentId === d._id)
        .map((o) => ({ id: o._id, name: o.name, title: o.title ?? '' })),
    }));
  }

  async function oneDepartment(id: string): Promise<DepartmentView> {
    const found = (await departmentsView()).find((d) => d.id === id);
    if (!found) throw missing('department');
    return found;
  }

  /** An official who may head `departmentId`: in it already, or in none (then moved into it). */
  async function takeHead(departmentId: string, headId: string): Promise<void> {
    const head = await members.kindAndDepartment(headId);
    if (head?.kind !== 'official') {
      throw new AppError('BAD_REQUEST', 'headId: the head of a department is an official.');
    }
    if (head.departmentId && head.departmentId !== departmentId) {
      throw new AppError('BAD_REQUEST', 'headId: this official belongs to another department.');
    }
    if (!head.departmentId) await members.update(headId, { departmentId });
  }

  /** Refuses organisation fields that name no record, or a department for someone not an official. */
  async function checkMemberFields(kind: StaffCreatedKind, fields: MemberOrgFields): Promise<void> {
    const departmentExists = async (id: string) => (await Department.exists({ _id: id })) !== null;
    const refs: Array<[string | null | undefined, (id: string) => Promise<boolean>, string]> = [
      [fields.sectorId, (id) => ordered.sectors.exists(id), 'sectorId'],
      [fields.workingGroupId, (id) => ordered.workingGroups.exists(id), 'workingGroupId'],
      [fields.districtId, (id) => ordered.districts.exists(id), 'districtId'],
      [fields.departmentId, departmentExists, 'departmentId'],
    ];
    for (const [id, exists, field] of refs) {
      if (id && !(await exists(id))) throw new AppError('BAD_REQUEST', `${field}: no such record.`);
    }
    if (fields.departmentId && kind !== 'official') {
      throw new AppError('BAD_REQUEST', 'departmentId: only an official belongs to a department.');
    }
  }

  /** The rooms above `parentId`, refusing a parent that is missing, not above, or the room itself below. */
  async function checkParent(roomId: string | null, level: RoomLevel, parentId: string | null): Promise<void> {
    if (parentId === null) return;
    if (parentId === roomId) throw new AppError('BAD_REQUEST', 'parentId: a room cannot be its own parent.');
    const parent = await roomRecords.room(parentId);
    if (!parent) throw new AppError('BAD_REQUEST', 'parentId: no such room.');
    if (roomLevelRank[parent.level] <= roomLevelRank[level]) {
      throw new AppError('BAD_REQUEST', 'parentId: the parent room must be at a higher level (village → town → city).');
    }
    // Walk up: a room may not end up above itself (the levels forbid it; old data may not).
    const seen = new Set<string>([parentId]);
    let up = parent.parentId ?? null;
    while (up) {
      if (up === roomId || seen.has(up))
        throw new AppError('BAD_REQUEST', 'parentId: this would make a cycle of rooms.');
      seen.add(up);
      up = await roomRecords.parentRoomOf(up);
    }
  }

  const orderedWrites = (kind: OrderedKind) => {
    const records = ordered[kind];
    const { one, field } = kindWords[kind];
    return {
      async list(by: { id: string }): Promise<OrderedDoc[]> {
        return records.list(await committeeOf(by));
      },
      create(by: MemberView, name: string, extra: Record<string, unknown> = {}): Promise<OrderedDoc> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          await ensureNameFree(records, committeeId, name, one);
          const last = await records.lastOrder(committeeId);
          const doc = { _id: newId(idPrefix[kind]), committeeId, name, order: (last ?? -1) + 1, ...extra };
          await records.create(doc);
          return doc;
        });
      },
      update(by: MemberView, id: string, set: { name?: string } & Record<string, unknown>): Promise<OrderedDoc> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          const doc = await records.get(id, committeeId);
          if (!doc) throw missing(one);
          if (set.name !== undefined) await ensureNameFree(records, committeeId, set.name, one, id);
          const changes = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
          if (Object.keys(changes).length > 0) await records.update(id, changes);
          return { ...doc, ...changes };
        });
      },
      reorder(by: MemberView, ids: string[]): Promise<OrderedDoc[]> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          const have = new Set(await records.ids(committeeId));
          if (ids.length !== have.size || ids.some((id) => !have.has(id))) {
            throw new AppError('BAD_REQUEST', `ids: name every ${one} of the committee exactly once.`);
          }
          await records.setOrder(ids);
          return records.list(committeeId);
        });
      },
      remove(by: MemberView, id: string): Promise<void> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          if (!(await records.exists(id, committeeId))) throw missing(one);
          const used = await members.countWith(field, id);
          if (used > 0) {
            throw new AppError('ILLEGAL_TRANSITION', `This ${one} still has ${used} member(s); move them first.`);
          }
          await records.remove(id);
        });
      },
    };
  };

  async function committee(by: { id: string }): Promise<CommitteeView> {
    const id = await committeeOf(by);
    const doc = await members.committee(id);
    return { id, name: doc?.name ?? '', term: doc?.term ?? 1, year: doc?.year ?? new Date().getFullYear() };
  }

  async function leaders(): Promise<LeaderView[]> {
    const docs = await Leader.find({}).sort({ level: 1, _id: 1 }).lean();
    return docs.map((l) => ({
      id: l._id,
      name: l.name,
      post: l.post ?? '',
      level: l.level,
      memberId: l.memberId ?? null,
    }));
  }

  async function rooms(): Promise<OrgRoomView[]> {
    return (await roomRecords.allRooms()).map(presentRoom);
  }

  const sectors = orderedWrites('sectors');
  const workingGroups = orderedWrites('workingGroups');
  const districts = orderedWrites('districts');

  return {
    checkMemberFields,
    sectors,
    workingGroups,
    districts,

    committee,
    leaders,
    rooms,

    async updateCommittee(by: MemberView, body: UpdateCommitteeBody): Promise<CommitteeView> {
      const id = await committeeOf(by);
      const current = await committee(by);
      const next = {
        name: body.name ?? current.name,
        term: body.term ?? current.term,
        year: body.year ?? current.year,
      };
      if (next.name === '') throw new AppError('BAD_REQUEST', 'name: the committee needs a name.');
      await members.setCommittee(id, next);
      return { id, ...next };
    },

    async overview(by: { id: string }): Promise<OrgOverview> {
      const [c, s, w, d, departments, l, r] = await Promise.all([
        committee(by),
        sectors.list(by),
        workingGroups.list(by),
        districts.list(by),
        departmentsView(),
        leaders(),
        rooms(),
      ]);
      return {
        committee: c,
        sectors: s.map(named),
        workingGroups: w.map((g) => ({ ...named(g), kind: (g as unknown as WorkingGroupView).kind })),
        districts: d.map(named),
        departments,
        leaders: l,
        rooms: r,
      };
    },

    createWorkingGroup: (by: MemberView, body: CreateWorkingGroupBody) =>
      workingGroups.create(by, body.name, { kind: body.kind }),
    updateWorkingGroup: (by: MemberView, id: string, body: UpdateWorkingGroupBody) =>
      workingGroups.update(by, id, { name: body.name, kind: body.kind }),

    departments: departmentsView,
    department: oneDepartment,

    createDepartment(body: CreateDepartmentBody): Promise<DepartmentView> {
      return serial.run(async () => {
        if (await Department.exists({ $or: [{ name: body.name }, { formerNames: body.name }] })) {
          throw taken('department', body.name);
        }
        const id = newId('dep');
        if (body.headId) await takeHead(id, body.headId);
        try {
          await Department.create({ _id: id, name: body.name, headId: body.headId ?? null });
        } catch (err) {
          if (isDuplicateKey(err)) throw taken('department', body.name);
          throw err;
        }
        return oneDepartment(id);
      });
    },

    updateDepartment(id: string, body: UpdateDepartmentBody): Promise<DepartmentView> {
      return serial.run(async () => {
        const doc = await Department.findById(id).lean();
        if (!doc) throw missing('department');
        const set: Partial<DepartmentDoc> = {};
        if (body.name !== undefined && body.name !== doc.name) {
          const other = await Department.findOne(
            { _id: trusted({ $ne: id }), $or: [{ name: body.name }, { formerNames: body.name }] },
            { _id: 1 },
          ).lean();
          if (other) throw taken('department', body.name);
          set.name = body.name;
          // The old name stays the department's: topics and items that name it still reach it.
          set.formerNames = [...new Set([...(doc.formerNames ?? []), doc.name])].filter((n) => n !== body.name);
        }
        if (body.headId !== undefined) {
          if (body.headId) await takeHead(id, body.headId);
          set.headId = body.headId;
        }
        if (Object.keys(set).length > 0) {
          try {
            await Department.updateOne({ _id: id }, { $set: set });
          } catch (err) {
            if (isDuplicateKey(err)) throw taken('department', body.name ?? '');
            throw err;
          }
        }
        return oneDepartment(id);
      });
    },

    removeDepartment(id: string): Promise<void> {
      return serial.run(async () => {
        if (!(await Department.exists({ _id: id }))) throw missing('department');
        const used = await members.countWith('departmentId', id);
        if (used > 0) {
          throw new AppError('ILLEGAL_TRANSITION', `This department still has ${used} official(s); move them first.`);
        }
        await Department.deleteOne({ _id: id });
      });
    },

    async createLeader(body: CreateLeaderBody): Promise<LeaderView> {
      const memberId = body.memberId ?? null;
      if (memberId && !(await members.isOfKind(memberId, accountKinds))) {
        throw new AppError('BAD_REQUEST', 'memberId: no such account.');
      }
      const doc = { _id: newId('ldr'), name: body.name, post: body.post ?? '', level: body.level, memberId };
      await Leader.create(doc);
      return { id: doc._id, name: doc.name, post: doc.post, level: doc.level, memberId };
    },

    async updateLeader(id: string, body: UpdateLeaderBody): Promise<LeaderView> {
      const doc = await Leader.findById(id).lean();
      if (!doc) throw missing('leader');
      if (body.memberId && !(await members.isOfKind(body.memberId, accountKinds))) {
        throw new AppError('BAD_REQUEST', 'memberId: no such account.');
      }
      const set = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
      if (Object.keys(set).length > 0) await Leader.updateOne({ _id: id }, { $set: set });
      const next = { ...doc, ...set };
      return { id, name: next.name, post: next.post ?? '', level: next.level, memberId: next.memberId ?? null };
    },

    async removeLeader(id: string): Promise<void> {
      const gone = await Leader.deleteOne({ _id: id });
      if (gone.deletedCount !== 1) throw missing('leader');
    },

    createRoom(body: CreateRoomBody): Promise<OrgRoomView> {
      return serial.run(async () => {
        if (await roomRecords.roomNamed(body.name)) throw taken('room', body.name);
        const parentId = body.parentId ?? null;
        await checkParent(null, body.level, parentId);
        const doc: RoomDoc = {
          _id: newId('room'),
          name: body.name,
          level: body.level,
          parentId,
          ownerUnit: body.ownerUnit ?? '',
        };
        await roomRecords.createRoom(doc);
        return presentRoom(doc);
      });
    },

    updateRoom(id: string, body: UpdateRoomBody): Promise<OrgRoomView> {
      return serial.run(async () => {
        const doc = await roomRecords.room(id);
        if (!doc) throw missing('room');
        if (body.name !== undefined && body.name !== doc.name && (await roomRecords.roomNamed(body.name))) {
          throw taken('room', body.name);
        }
        const level = body.level ?? doc.level;
        const parentId = body.parentId === undefined ? (doc.parentId ?? null) : body.parentId;
        if (body.level !== undefined || body.parentId !== undefined) await checkParent(id, level, parentId);
        if (body.level !== undefined && body.level !== doc.level) {
          const under = await roomRecords.levelsUnder(id);
          if (under.some((l) => roomLevelRank[l] >= roomLevelRank[level])) {
            throw new AppError('BAD_REQUEST', 'level: a room must stay above the rooms under it.');
          }
        }
        const set = Object.fromEntries(Object.entries({ ...body, parentId }).filter(([, v]) => v !== undefined));
        await roomRecords.updateRoom(id, set);
        return presentRoom({ ...doc, ...set } as RoomDoc);
      });
    },

    removeRoom(id: string): Promise<void> {
      return serial.run(async () => {
        if (!(await roomRecords.roomExists(id))) throw missing('room');
        if (await roomRecords.hasRoomsUnder(id)) {
          throw new AppError('ILLEGAL_TRANSITION', 'Rooms are under this room; move or delete them first.');
        }
        if (await sessions.roomUsed(id)) {
          throw new AppError('ILLEGAL_TRANSITION', 'Sessions are held in this room; it cannot be deleted.');
        }
        await roomRecords.deleteRoom(id);
      });
    },

    /** Accounts with their organisation fields (staff's records page). */
    async members(): Promise<OrgMemberView[]> {
      return (await members.ofKind(accountKinds)).map(presentMember);
    },

    async member(id: string): Promise<OrgMemberView> {
      const doc = await members.get(id);
      if (!doc || doc.kind === 'guest') throw missing('member');
      return presentMember(doc);
    },

    /** Staff edit a member's organisation fields; a staff account's are the administrator's. */
    updateMember(by: MemberView, id: string, body: UpdateMemberBody): Promise<OrgMemberView> {
      return serial.run(async () => {
        const doc = await members.get(id);
        if (!doc || doc.kind === 'guest') throw missing('member');
        const byAdmin = await members.isAdmin(by.id);
        if (!mayManageAccount(doc.kind as StaffCreatedKind, byAdmin)) {
          throw new AppError('FORBIDDEN', 'Only the administrator edits a staff account.');
        }
        if (body.kind && doc.kind === 'staff') {
          throw new AppError('BAD_REQUEST', 'kind: a staff account changes kind through its rights.');
        }
        const kind = (body.kind ?? doc.kind) as StaffCreatedKind;
        await checkMemberFields(kind, body);
        if (body.canConvene && kind !== 'member') {
          throw new AppError('BAD_REQUEST', 'canConvene: only a member is appointed to convene.');
        }
        const set: Partial<MemberDoc> = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
        // A member who becomes an official stops convening, as with a change of rights.
        if (kind !== 'member') set.canConvene = false;
        const leaving = (doc.departmentId ?? null) !== null && (kind !== 'official' || body.departmentId !== undefined);
        if (kind !== 'official') set.departmentId = null;
        const nextDepartment = set.departmentId === undefined ? (doc.departmentId ?? null) : set.departmentId;
        if (leaving && nextDepartment !== doc.departmentId) {
          const heads = await Department.exists({ _id: doc.departmentId ?? '', headId: id });
          if (heads)
            throw new AppError('ILLEGAL_TRANSITION', 'This official heads the department; name another head first.');
        }
        if (Object.keys(set).length > 0) await members.update(id, set);
        return presentMember({ ...doc, ...set } as MemberDoc);
      });
    },

    /** Staff and administrator rights: the administrator's alone, never their own. */
    setRights(by: MemberView, id: string, body: MemberRightsBody): Promise<OrgMemberView> {
      return serial.run(async () => {
        const byAdmin = await members.isAdmin(by.id);
        if (!byAdmin) throw new AppError('FORBIDDEN', 'Only the administrator grants or removes rights.');
        if (id === by.id) throw new AppError('ILLEGAL_TRANSITION', 'You cannot change your own rights.');
        const doc = await members.get(id);
        if (!doc || doc.kind === 'guest') throw missing('member');
        if (body.admin && body.kind !== 'staff') throw new AppError('BAD_REQUEST', 'admin: an administrator is staff.');
        if (doc.kind === 'official' && body.kind !== 'official' && doc.departmentId) {
          if (await Department.exists({ _id: doc.departmentId, headId: id })) {
            throw new AppError('ILLEGAL_TRANSITION', 'This official heads the department; name another head first.');
          }
        }
        const set: Partial<MemberDoc> = { kind: body.kind, admin: body.admin };
        if (body.kind !== 'official') set.departmentId = null;
        if (body.kind !== 'member') set.canConvene = false;
        await members.update(id, set);
        return presentMember({ ...doc, ...set } as MemberDoc);
      });
    },
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
