import { type Connection, Schema } from 'mongoose';

export interface CommitteeDoc {
  _id: string;
  name: string;
}

export interface SectorDoc {
  _id: string;
  committeeId: string;
  name: string;
  order: number;
}

export type MemberKind = 'member' | 'official' | 'staff';

export interface MemberDoc {
  _id: string;
  committeeId: string;
  name: string;
  kind: MemberKind;
  sectorId: string | null;
  /** Post and organisation, e.g. "市市场监督管理局局长". */
  title: string;
  expertise: string[];
}

export function memberModels(conn: Connection) {
  const Committee = conn.model<CommitteeDoc>(
    'Committee',
    new Schema<CommitteeDoc>({ _id: String, name: { type: String, required: true } }, { versionKey: false }),
  );
  const Sector = conn.model<SectorDoc>(
    'Sector',
    new Schema<SectorDoc>(
      {
        _id: String,
        committeeId: { type: String, required: true },
        name: { type: String, required: true },
        order: { type: Number, required: true },
      },
      { versionKey: false },
    ),
  );
  const Member = conn.model<MemberDoc>(
    'Member',
    new Schema<MemberDoc>(
      {
        _id: String,
        committeeId: { type: String, required: true },
        name: { type: String, required: true },
        kind: { type: String, enum: ['member', 'official', 'staff'], required: true },
        sectorId: { type: String, default: null },
        title: { type: String, default: '' },
        expertise: { type: [String], default: [] },
      },
      { versionKey: false },
    ),
  );
  return { Committee, Sector, Member };
}
