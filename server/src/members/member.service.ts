import type { MemberView } from '@yitang/shared';
import type { Models } from '../db/models';
import type { MemberDoc } from './member.model';

export function createMemberService(models: Models) {
  async function sectorNames(): Promise<Map<string, string>> {
    const sectors = await models.Sector.find({}, { name: 1 }).lean();
    return new Map(sectors.map((s) => [s._id, s.name]));
  }

  // A stored null may come back absent (FerretDB drops nulls written by $setOnInsert).
  const present = (m: MemberDoc, sectors: Map<string, string>): MemberView => ({
    id: m._id,
    name: m.name,
    sectorId: m.sectorId ?? null,
    sectorName: m.sectorId ? (sectors.get(m.sectorId) ?? null) : null,
    title: m.title,
  });

  return {
    async list(): Promise<MemberView[]> {
      const [members, sectors] = await Promise.all([models.Member.find({}).sort({ _id: 1 }).lean(), sectorNames()]);
      return members.map((m) => present(m, sectors));
    },
    async get(id: string): Promise<MemberView | null> {
      const m = await models.Member.findById(id).lean();
      return m ? present(m, await sectorNames()) : null;
    },
  };
}

export type MemberService = ReturnType<typeof createMemberService>;
