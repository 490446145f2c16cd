import type { AccountKind, MemberView } from '@yitang/shared';
import { type Models, trusted } from '../db/models';
import { createOrderedRecords } from '../lib/ordered-records';
import type { MemberDoc, SectorDoc } from './member.model';

/** Escapes a user's text for use inside a regular expression. */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Kinds that have accounts of their own (guests come and go with invitations). */
const accountKinds: AccountKind[] = ['member', 'official', 'staff'];

export function createMemberService(models: Models) {
  async function sectorNames(): Promise<Map<string, string>> {
    const sectors = await models.Sector.find({}, { name: 1 }).lean();
    return new Map(sectors.map((s) => [s._id, s.name]));
  }

  // A stored null may come back absent (FerretDB drops nulls written by $setOnInsert).
  const present = (m: MemberDoc, sectors: Map<string, string>): MemberView => ({
    id: m._id,
    name: m.name,
    kind: m.kind,
    sectorId: m.sectorId ?? null,
    sectorName: m.sectorId ? (sectors.get(m.sectorId) ?? null) : null,
    title: m.title ?? '',
    guestSessionId: m.guestSessionId ?? null,
    guestRole: m.guestRole ?? null,
    canConvene: m.kind === 'member' && m.canConvene === true,
    departmentId: m.kind === 'official' ? (m.departmentId ?? null) : null,
    workingGroupId: m.workingGroupId ?? null,
    districtId: m.districtId ?? null,
    status: m.status ?? 'serving',
  });

  return {
    /** People with accounts (guests are not listed, nor accounts of an unfinished import). */
    async list(): Promise<MemberView[]> {
      const [members, sectors] = await Promise.all([
        models.Member.find<MemberDoc>({ kind: trusted({ $in: accountKinds }), pendingImport: null })
          .sort({ _id: 1 })
          .lean<MemberDoc[]>(),
        sectorNames(),
      ]);
      return members.map((m) => present(m, sectors));
    },
    /** One member by key: two point reads (the member, then their sector), on every handshake. */
    async get(id: string): Promise<MemberView | null> {
      const m = await models.Member.findById(id).lean();
      if (!m) return null;
      const sector = m.sectorId ? await models.Sector.findById(m.sectorId, { name: 1 }).lean() : null;
      return present(m, new Map(sector ? [[sector._id, sector.name]] : []));
    },
    /**
     * As `get`, but null for a deactivated account or one of an unfinished import: what signing
     * in and every session check use.
     */
    async getActive(id: string): Promise<MemberView | null> {
      const m = await models.Member.findById(id).lean();
      if (!m || m.deactivatedAt || m.pendingImport) return null;
      const sector = m.sectorId ? await models.Sector.findById(m.sectorId, { name: 1 }).lean() : null;
      return present(m, new Map(sector ? [[sector._id, sector.name]] : []));
    },
    /** As `getMany`, leaving out deactivated accounts and those of an unfinished import. */
    async getManyActive(ids: string[]): Promise<MemberView[]> {
      if (ids.length === 0) return [];
      const [members, sectors] = await Promise.all([
        models.Member.find({ _id: trusted({ $in: ids }) }).lean(),
        sectorNames(),
      ]);
      return members.filter((m) => !m.deactivatedAt && !m.pendingImport).map((m) => present(m, sectors));
    },
    async getMany(ids: string[]): Promise<MemberView[]> {
      const [members, sectors] = await Promise.all([
        models.Member.find({ _id: trusted({ $in: ids }) }).lean(),
        sectorNames(),
      ]);
      return members.map((m) => present(m, sectors));
    },
    /** The members appointed to convene (委员召集人), by id: they are told of each new topic. */
    async convenerIds(): Promise<string[]> {
      const docs = await models.Member.find({ kind: 'member', canConvene: true }, { _id: 1 }).lean();
      return docs.map((m) => m._id);
    },
    /** Every member's expertise tags (专长), by id: what 专业对口 matching reads. */
    async expertise(): Promise<Array<{ id: string; tags: string[] }>> {
      const docs = await models.Member.find({ kind: 'member' }, { expertise: 1 }).lean();
      return docs.map((m) => ({ id: m._id, tags: m.expertise ?? [] }));
    },
    /** Names by id, in one read (ids with no member are left out). */
    async names(ids: string[]): Promise<Array<{ id: string; name: string }>> {
      if (ids.length === 0) return [];
      const rows = await models.Member.find({ _id: trusted({ $in: ids }) }, { name: 1 }).lean();
      return rows.map((r) => ({ id: r._id, name: r.name }));
    },
    /** The ids of every member (kind member), for checks of imported duty rows. */
    async memberIds(): Promise<Set<string>> {
      return new Set((await models.Member.find({ kind: 'member' }, { _id: 1 }).lean()).map((m) => m._id));
    },
    /** Name search for hall check-in: members, officials and guests of this session. */
    async search(query: string, sessionId: string, limit = 20): Promise<MemberView[]> {
      const re = new RegExp(escapeRegExp(query));
      const [members, sectors] = await Promise.all([
        models.Member.find<MemberDoc>({
          name: re,
          pendingImport: null,
          $or: [{ kind: trusted({ $in: accountKinds }) }, { guestSessionId: sessionId }],
        })
          .limit(limit)
          .lean<MemberDoc[]>(),
        sectorNames(),
      ]);
      return members.map((m) => present(m, sectors));
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;

/**
 * Member documents as stored, for the modules that keep accounts and the organisation's records
 * (accounts/, auth/, org/): every read and write of the members' collections they need, each
 * with the filter and projection it had where it was written before.
 */
export function createMemberRecords(models: Models) {
  const { Member, Sector, Committee } = models;
  return {
    /** A member's whole document. */
    get(id: string): Promise<MemberDoc | null> {
      return Member.findById(id).lean<MemberDoc | null>();
    },
    /** Which of these ids are committee members (kind member), in one read. */
    async membersAmong(ids: string[]): Promise<Set<string>> {
      const docs = await Member.find({ _id: trusted({ $in: ids }), kind: 'member' }, { _id: 1 }).lean();
      return new Set(docs.map((m) => m._id));
    },
    /** Whole documents by id, in one read. */
    many(ids: string[]): Promise<MemberDoc[]> {
      return Member.find({ _id: trusted({ $in: ids }) }).lean<MemberDoc[]>();
    },
    /** Whether any account of these kinds exists. */
    async anyOfKind(kinds: AccountKind[]): Promise<boolean> {
      return (await Member.exists({ kind: trusted({ $in: kinds }) })) !== null;
    },
    /** Whether this id is an account of one of these kinds. */
    async isOfKind(id: string, kinds: AccountKind[]): Promise<boolean> {
      return (await Member.exists({ _id: id, kind: trusted({ $in: kinds }) })) !== null;
    },
    /** Ids of the accounts of these kinds, in id order (none of an unfinished import). */
    async idsOfKind(kinds: AccountKind[]): Promise<string[]> {
      return (
        await Member.find({ kind: trusted({ $in: kinds }), pendingImport: null }, { _id: 1 })
          .sort({ _id: 1 })
          .lean()
      ).map((d) => d._id);
    },
    /** Accounts of these kinds, whole, in id order (none of an unfinished import). */
    ofKind(kinds: AccountKind[]): Promise<MemberDoc[]> {
      return Member.find({ kind: trusted({ $in: kinds }), pendingImport: null })
        .sort({ _id: 1 })
        .lean<MemberDoc[]>();
    },
    /** The account's kind and whether it is cut off, or null when there is none. */
    async standing(id: string): Promise<{ kind: AccountKind; deactivated: boolean } | null> {
      const doc = await Member.findById(id, { kind: 1, deactivatedAt: 1 }).lean();
      return doc ? { kind: doc.kind, deactivated: Boolean(doc.deactivatedAt) } : null;
    },
    /** The account's kind, or null when there is none. */
    async kindOf(id: string): Promise<AccountKind | null> {
      return (await Member.findById(id, { kind: 1 }).lean())?.kind ?? null;
    },
    /** Whether the account is the administrator. */
    async isAdmin(id: string): Promise<boolean> {
      return (await Member.findById(id, { admin: 1 }).lean())?.admin === true;
    },
    /** Whether the demo seed created the account. */
    async isDemo(id: string): Promise<boolean> {
      return (await Member.findById(id, { demo: 1 }).lean())?.demo === true;
    },
    /** Whether any demo account is left. */
    async anyDemo(): Promise<boolean> {
      return (await Member.exists({ demo: true })) !== null;
    },
    /** The demo seed's accounts not cut off, in id order. */
    async activeDemoIds(): Promise<string[]> {
      const docs = await Member.find({ demo: true }, { _id: 1, deactivatedAt: 1 }).sort({ _id: 1 }).lean();
      return docs.filter((d) => !d.deactivatedAt).map((d) => d._id);
    },
    /** The committee the account belongs to, or null. */
    async committeeOf(id: string): Promise<string | null> {
      return (await Member.findById(id, { committeeId: 1 }).lean())?.committeeId ?? null;
    },
    /** The account's email address as stored, if any. */
    async emailOf(id: string): Promise<string | undefined> {
      return (await Member.findById(id, { email: 1 }).lean())?.email;
    },
    /** An official's department record id, or null. */
    async departmentOf(id: string): Promise<string | null> {
      return (await Member.findById(id, { departmentId: 1 }).lean())?.departmentId ?? null;
    },
    /** The officials of a department record, whole, in id order. */
    officialsOf(departmentId: string): Promise<MemberDoc[]> {
      return Member.find({ kind: 'official', departmentId }).sort({ _id: 1 }).lean<MemberDoc[]>();
    },
    /** Every official with a department: name, title and department, in id order. */
    officialsWithDepartment(): Promise<Array<Pick<MemberDoc, '_id' | 'name' | 'title' | 'departmentId'>>> {
      return Member.find(
        { kind: 'official', departmentId: trusted({ $ne: null }) },
        { name: 1, title: 1, departmentId: 1 },
      )
        .sort({ _id: 1 })
        .lean();
    },
    /** An account's kind and department record, or null when there is none. */
    async kindAndDepartment(id: string): Promise<{ kind: AccountKind; departmentId: string | null } | null> {
      const doc = await Member.findById(id, { kind: 1, departmentId: 1 }).lean();
      return doc ? { kind: doc.kind, departmentId: doc.departmentId ?? null } : null;
    },
    /** How many accounts name this sector, working group, district or department. */
    countWith(field: 'sectorId' | 'workingGroupId' | 'districtId' | 'departmentId', id: string): Promise<number> {
      return Member.countDocuments({ [field]: id });
    },
    /** Those of `ids` (sectors, working groups or districts) that some account names. */
    async referenced(field: 'sectorId' | 'workingGroupId' | 'districtId', ids: string[]): Promise<Set<string>> {
      const used = await Member.find({ [field]: trusted({ $in: ids }) }, { [field]: 1 }).lean<MemberDoc[]>();
      return new Set(used.map((m) => m[field]).filter((id): id is string => typeof id === 'string'));
    },
    /** Up to `limit` people whose email or phone is one of `values`: id and kind. */
    async byContact(field: 'email' | 'phone', values: string[], limit: number) {
      const found = await Member.find({ [field]: trusted({ $in: values }) }, { _id: 1, kind: 1 })
        .limit(limit)
        .lean();
      return found.map((m) => ({ id: m._id, kind: m.kind }));
    },
    /** Names by id, in one read: `_id` and `name` only. */
    namesOf(ids: string[]): Promise<Array<Pick<MemberDoc, '_id' | 'name'>>> {
      return Member.find({ _id: trusted({ $in: ids }) }, { name: 1 }).lean();
    },
    /** Accounts (not guests) with one of these names: id, name and phone. */
    namesakes(names: string[]): Promise<Array<Pick<MemberDoc, '_id' | 'name' | 'phone'>>> {
      return Member.find(
        { name: trusted({ $in: names }), kind: trusted({ $ne: 'guest' as const }) },
        { name: 1, phone: 1 },
      ).lean();
    },
    /** Creates a member document; a taken id throws the duplicate-key error. */
    async create(doc: MemberDoc): Promise<void> {
      await Member.create(doc);
    },
    /** Sets fields of one member. */
    async update(id: string, set: Partial<Omit<MemberDoc, '_id'>>): Promise<void> {
      await Member.updateOne({ _id: id }, { $set: set });
    },
    /** Sets fields of one member, creating it with `onInsert` when missing. */
    async upsert(
      id: string,
      set: Partial<Omit<MemberDoc, '_id'>>,
      onInsert: Partial<Omit<MemberDoc, '_id'>>,
    ): Promise<void> {
      await Member.updateOne({ _id: id }, { $set: set, $setOnInsert: onInsert }, { upsert: true });
    },
    /** Cuts the account off (a date) or lets it back in (null). */
    async setDeactivated(id: string, at: Date | null): Promise<void> {
      if (at) await Member.updateOne({ _id: id }, { $set: { deactivatedAt: at } });
      else await Member.updateOne({ _id: id }, { $unset: { deactivatedAt: 1 } });
    },
    /** Makes the accounts an import wrote live, all in one write, once its last row is written. */
    async clearPendingImport(importId: string): Promise<void> {
      await Member.updateMany({ pendingImport: importId }, { $unset: { pendingImport: 1 } });
    },
    /** Deletes these sectors (ones a member import created and then took back). */
    async removeSectors(ids: string[]): Promise<void> {
      await Sector.deleteMany({ _id: trusted({ $in: ids }) });
    },
    /** Deletes these members' documents. */
    async remove(ids: string[]): Promise<void> {
      await Member.deleteMany({ _id: trusted({ $in: ids }) });
    },

    /** The sectors (界别) as ordered records, for the org console. */
    sectors: createOrderedRecords(Sector),
    /** A committee's sectors: name and order. */
    sectorsOf(committeeId: string): Promise<Array<Pick<SectorDoc, '_id' | 'name' | 'order'>>> {
      return Sector.find({ committeeId }, { name: 1, order: 1 }).lean();
    },
    /** Creates a sector under this id unless it exists. */
    async ensureSector(id: string, fields: Omit<SectorDoc, '_id'>): Promise<void> {
      await Sector.updateOne({ _id: id }, { $setOnInsert: fields }, { upsert: true });
    },

    /** The committee record, or null. */
    committee(id: string) {
      return Committee.findById(id).lean();
    },
    /** Writes the committee record, creating it when missing. */
    async setCommittee(id: string, fields: { name: string; term: number; year: number }): Promise<void> {
      await Committee.updateOne({ _id: id }, { $set: fields }, { upsert: true });
    },
  };
}

export type MemberRecords = ReturnType<typeof createMemberRecords>;
