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
import type { Model } from 'mongoose';
import { type Models, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { Serial } from '../lib/serial';
import type { MemberDoc } from '../members/member.model';
import type { RoomDoc } from '../rooms/room.model';
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

interface OrderedDoc {
  _id: string;
  committeeId: string;
  name: string;
  order: number;
}

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
export function createOrgService(deps: { models: Models; sessions: Pick<SessionService, 'roomUsed'> }) {
  const { models, sessions } = deps;
  const { Committee, Sector, WorkingGroup, District, Department, Leader, Room, Member } = models;
  const serial = new Serial();

  const orderedModel = (kind: OrderedKind) =>
    (kind === 'sectors' ? Sector : kind === 'workingGroups' ? WorkingGroup : District) as unknown as Model<OrderedDoc>;

  async function committeeOf(by: { id: string }): Promise<string> {
    const doc = await Member.findById(by.id, { committeeId: 1 }).lean();
    return doc?.committeeId ?? DEFAULT_COMMITTEE;
  }

  async function ensureNameFree(
    model: Model<OrderedDoc>,
    committeeId: string,
    name: string,
    what: string,
    self?: string,
  ) {
    const other = await model.findOne({ committeeId, name }, { _id: 1 }).lean();
    if (other && other._id !== self) throw taken(what, name);
  }

  async function departmentsView(): Promise<DepartmentView[]> {
    const [deps_, officials] = await Promise.all([
      Department.find({}).sort({ name: 1 }).lean(),
      Member.find({ kind: 'official', departmentId: trusted({ $ne: null }) }, { name: 1, title: 1, departmentId: 1 })
        .sort({ _id: 1 })
        .lean(),
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
    const head = await Member.findById(headId, { kind: 1, departmentId: 1 }).lean();
    if (head?.kind !== 'official') {
      throw new AppError('BAD_REQUEST', 'headId: the head of a department is an official.');
    }
    if (head.departmentId && head.departmentId !== departmentId) {
      throw new AppError('BAD_REQUEST', 'headId: this official belongs to another department.');
    }
    if (!head.departmentId) await Member.updateOne({ _id: headId }, { $set: { departmentId } });
  }

  /** Refuses organisation fields that name no record, or a department for someone not an official. */
  async function checkMemberFields(kind: StaffCreatedKind, fields: MemberOrgFields): Promise<void> {
    const refs: Array<[string | null | undefined, Model<{ _id: string }>, string]> = [
      [fields.sectorId, Sector as unknown as Model<{ _id: string }>, 'sectorId'],
      [fields.workingGroupId, WorkingGroup as unknown as Model<{ _id: string }>, 'workingGroupId'],
      [fields.districtId, District as unknown as Model<{ _id: string }>, 'districtId'],
      [fields.departmentId, Department as unknown as Model<{ _id: string }>, 'departmentId'],
    ];
    for (const [id, model, field] of refs) {
      if (id && !(await model.exists({ _id: id }))) throw new AppError('BAD_REQUEST', `${field}: no such record.`);
    }
    if (fields.departmentId && kind !== 'official') {
      throw new AppError('BAD_REQUEST', 'departmentId: only an official belongs to a department.');
    }
  }

  /** The rooms above `parentId`, refusing a parent that is missing, not above, or the room itself below. */
  async function checkParent(roomId: string | null, level: RoomLevel, parentId: string | null): Promise<void> {
    if (parentId === null) return;
    if (parentId === roomId) throw new AppError('BAD_REQUEST', 'parentId: a room cannot be its own parent.');
    const parent = await Room.findById(parentId).lean();
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
      up = (await Room.findById(up, { parentId: 1 }).lean())?.parentId ?? null;
    }
  }

  const orderedWrites = (kind: OrderedKind) => {
    const model = orderedModel(kind);
    const { one, field } = kindWords[kind];
    return {
      async list(by: { id: string }): Promise<OrderedDoc[]> {
        return model
          .find({ committeeId: await committeeOf(by) })
          .sort({ order: 1, _id: 1 })
          .lean<OrderedDoc[]>();
      },
      create(by: MemberView, name: string, extra: Record<string, unknown> = {}): Promise<OrderedDoc> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          await ensureNameFree(model, committeeId, name, one);
          const last = await model.findOne({ committeeId }, { order: 1 }).sort({ order: -1 }).lean();
          const doc = { _id: newId(idPrefix[kind]), committeeId, name, order: (last?.order ?? -1) + 1, ...extra };
          await model.create(doc);
          return doc;
        });
      },
      update(by: MemberView, id: string, set: { name?: string } & Record<string, unknown>): Promise<OrderedDoc> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          const doc = await model.findOne({ _id: id, committeeId }).lean<OrderedDoc>();
          if (!doc) throw missing(one);
          if (set.name !== undefined) await ensureNameFree(model, committeeId, set.name, one, id);
          const changes = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
          if (Object.keys(changes).length > 0) await model.updateOne({ _id: id }, { $set: changes });
          return { ...doc, ...changes };
        });
      },
      reorder(by: MemberView, ids: string[]): Promise<OrderedDoc[]> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          const all = await model.find({ committeeId }, { _id: 1 }).lean();
          const have = new Set(all.map((d) => d._id));
          if (ids.length !== have.size || ids.some((id) => !have.has(id))) {
            throw new AppError('BAD_REQUEST', `ids: name every ${one} of the committee exactly once.`);
          }
          await model.bulkWrite(
            ids.map((id, order) => ({ updateOne: { filter: { _id: id }, update: { $set: { order } } } })),
          );
          return model.find({ committeeId }).sort({ order: 1, _id: 1 }).lean<OrderedDoc[]>();
        });
      },
      remove(by: MemberView, id: string): Promise<void> {
        return serial.run(async () => {
          const committeeId = await committeeOf(by);
          if (!(await model.exists({ _id: id, committeeId }))) throw missing(one);
          const used = await Member.countDocuments({ [field]: id });
          if (used > 0) {
            throw new AppError('ILLEGAL_TRANSITION', `This ${one} still has ${used} member(s); move them first.`);
          }
          await model.deleteOne({ _id: id });
        });
      },
    };
  };

  async function committee(by: { id: string }): Promise<CommitteeView> {
    const id = await committeeOf(by);
    const doc = await Committee.findById(id).lean();
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
    return (await Room.find({}).sort({ _id: 1 }).lean()).map(presentRoom);
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
      await Committee.updateOne({ _id: id }, { $set: next }, { upsert: true });
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
        const used = await Member.countDocuments({ departmentId: id });
        if (used > 0) {
          throw new AppError('ILLEGAL_TRANSITION', `This department still has ${used} official(s); move them first.`);
        }
        await Department.deleteOne({ _id: id });
      });
    },

    async createLeader(body: CreateLeaderBody): Promise<LeaderView> {
      const memberId = body.memberId ?? null;
      if (memberId && !(await Member.exists({ _id: memberId, kind: trusted({ $in: accountKinds }) }))) {
        throw new AppError('BAD_REQUEST', 'memberId: no such account.');
      }
      const doc = { _id: newId('ldr'), name: body.name, post: body.post ?? '', level: body.level, memberId };
      await Leader.create(doc);
      return { id: doc._id, name: doc.name, post: doc.post, level: doc.level, memberId };
    },

    async updateLeader(id: string, body: UpdateLeaderBody): Promise<LeaderView> {
      const doc = await Leader.findById(id).lean();
      if (!doc) throw missing('leader');
      if (body.memberId && !(await Member.exists({ _id: body.memberId, kind: trusted({ $in: accountKinds }) }))) {
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
        if (await Room.exists({ name: body.name })) throw taken('room', body.name);
        const parentId = body.parentId ?? null;
        await checkParent(null, body.level, parentId);
        const doc: RoomDoc = {
          _id: newId('room'),
          name: body.name,
          level: body.level,
          parentId,
          ownerUnit: body.ownerUnit ?? '',
        };
        await Room.create(doc);
        return presentRoom(doc);
      });
    },

    updateRoom(id: string, body: UpdateRoomBody): Promise<OrgRoomView> {
      return serial.run(async () => {
        const doc = await Room.findById(id).lean();
        if (!doc) throw missing('room');
        if (body.name !== undefined && body.name !== doc.name && (await Room.exists({ name: body.name }))) {
          throw taken('room', body.name);
        }
        const level = body.level ?? doc.level;
        const parentId = body.parentId === undefined ? (doc.parentId ?? null) : body.parentId;
        if (body.level !== undefined || body.parentId !== undefined) await checkParent(id, level, parentId);
        if (body.level !== undefined && body.level !== doc.level) {
          const children = await Room.find({ parentId: id }, { level: 1 }).lean();
          if (children.some((c) => roomLevelRank[c.level] >= roomLevelRank[level])) {
            throw new AppError('BAD_REQUEST', 'level: a room must stay above the rooms under it.');
          }
        }
        const set = Object.fromEntries(Object.entries({ ...body, parentId }).filter(([, v]) => v !== undefined));
        await Room.updateOne({ _id: id }, { $set: set });
        return presentRoom({ ...doc, ...set } as RoomDoc);
      });
    },

    removeRoom(id: string): Promise<void> {
      return serial.run(async () => {
        if (!(await Room.exists({ _id: id }))) throw missing('room');
        if (await Room.exists({ parentId: id })) {
          throw new AppError('ILLEGAL_TRANSITION', 'Rooms are under this room; move or delete them first.');
        }
        if (await sessions.roomUsed(id)) {
          throw new AppError('ILLEGAL_TRANSITION', 'Sessions are held in this room; it cannot be deleted.');
        }
        await Room.deleteOne({ _id: id });
      });
    },

    /** Accounts with their organisation fields (staff's records page). */
    async members(): Promise<OrgMemberView[]> {
      const docs = await Member.find({ kind: trusted({ $in: accountKinds }) })
        .sort({ _id: 1 })
        .lean<MemberDoc[]>();
      return docs.map(presentMember);
    },

    async member(id: string): Promise<OrgMemberView> {
      const doc = await Member.findById(id).lean();
      if (!doc || doc.kind === 'guest') throw missing('member');
      return presentMember(doc);
    },

    /** Staff edit a member's organisation fields; a staff account's are the administrator's. */
    updateMember(by: MemberView, id: string, body: UpdateMemberBody): Promise<OrgMemberView> {
      return serial.run(async () => {
        const doc = await Member.findById(id).lean();
        if (!doc || doc.kind === 'guest') throw missing('member');
        const byAdmin = (await Member.findById(by.id, { admin: 1 }).lean())?.admin === true;
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
        if (Object.keys(set).length > 0) await Member.updateOne({ _id: id }, { $set: set });
        return presentMember({ ...doc, ...set } as MemberDoc);
      });
    },

    /** Staff and administrator rights: the administrator's alone, never their own. */
    setRights(by: MemberView, id: string, body: MemberRightsBody): Promise<OrgMemberView> {
      return serial.run(async () => {
        const byAdmin = (await Member.findById(by.id, { admin: 1 }).lean())?.admin === true;
        if (!byAdmin) throw new AppError('FORBIDDEN', 'Only the administrator grants or removes rights.');
        if (id === by.id) throw new AppError('ILLEGAL_TRANSITION', 'You cannot change your own rights.');
        const doc = await Member.findById(id).lean();
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
        await Member.updateOne({ _id: id }, { $set: set });
        return presentMember({ ...doc, ...set } as MemberDoc);
      });
    },
  };
}

export type OrgService = ReturnType<typeof createOrgService>;
