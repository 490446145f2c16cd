import type { AccountKind, MemberView } from '@yitang/shared';
import { type Models, trusted } from '../db/models';
import type { MemberDoc } from './member.model';

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
    /** People with accounts (guests are not listed). */
    async list(): Promise<MemberView[]> {
      const [members, sectors] = await Promise.all([
        models.Member.find<MemberDoc>({ kind: trusted({ $in: accountKinds }) })
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
    /** As `get`, but null for a deactivated account: what signing in and every session check use. */
    async getActive(id: string): Promise<MemberView | null> {
      const m = await models.Member.findById(id).lean();
      if (!m || m.deactivatedAt) return null;
      const sector = m.sectorId ? await models.Sector.findById(m.sectorId, { name: 1 }).lean() : null;
      return present(m, new Map(sector ? [[sector._id, sector.name]] : []));
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
    /** Name search for hall check-in: members, officials and guests of this session. */
    async search(query: string, sessionId: string, limit = 20): Promise<MemberView[]> {
      const re = new RegExp(escapeRegExp(query));
      const [members, sectors] = await Promise.all([
        models.Member.find<MemberDoc>({
          name: re,
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
