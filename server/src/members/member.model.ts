import type { AccountKind, GuestRole, MemberStatus } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';
import { countWrites } from '../db/write-epochs';

export interface CommitteeDoc {
  _id: string;
  name: string;
  /** The term (届) of the committee, e.g. 15 for 十五届. */
  term: number;
  /** The year of the term's current session (年度). */
  year: number;
}

export interface SectorDoc {
  _id: string;
  committeeId: string;
  name: string;
  order: number;
}

/**
 * A person who can sign in: a committee member, a government official, staff, or a guest admitted
 * by an invitation (who can only ever enter that one session, in the invited role).
 */
export interface MemberDoc {
  _id: string;
  committeeId: string;
  name: string;
  kind: AccountKind;
  sectorId: string | null;
  /** Post and organisation, e.g. "市市场监督管理局局长". */
  title: string;
  expertise: string[];
  /** Appointed to convene consultations (委员召集人): may accept topics as first convener. */
  canConvene?: boolean;
  guestSessionId?: string | null;
  guestRole?: GuestRole | null;
  /** Created by the demo seed: the only accounts demo sign-in (no password) may enter. */
  demo?: boolean;
  /** The first administrator (from the setup link); a staff account. */
  admin?: boolean;
  /** Set while the account is cut off: it cannot sign in and has no sessions. */
  deactivatedAt?: Date | null;
  /** The working group or special committee (工作组/专委会) the member belongs to. */
  workingGroupId?: string | null;
  /** The district working committee (政协工委) the member belongs to. */
  districtId?: string | null;
  phone?: string;
  email?: string;
  status?: MemberStatus;
  /** An official's department (部门): the official belongs to it by this record, not by title. */
  departmentId?: string | null;
  /**
   * Set while the member import that wrote this account has not finished (the import's id): the
   * account is in no list or search, cannot sign in and its link does not work until it completes.
   */
  pendingImport?: string | null;
}

/** What `countWrites` counts member and sector writes under (auth/sign-in-cache.ts). */
export const memberWrites = 'members';

export function memberModels(conn: Connection) {
  const Committee = conn.model<CommitteeDoc>(
    'Committee',
    new Schema<CommitteeDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        term: { type: Number, default: 1 },
        year: { type: Number, default: () => new Date().getFullYear() },
      },
      { versionKey: false },
    ),
  );
  const sectorSchema = new Schema<SectorDoc>(
    {
      _id: String,
      committeeId: { type: String, required: true },
      name: { type: String, required: true },
      order: { type: Number, required: true },
    },
    { versionKey: false },
  );
  // A member's view names their sector: the handshake's copies go stale with either.
  countWrites(sectorSchema, memberWrites);
  const Sector = conn.model<SectorDoc>('Sector', sectorSchema);
  const memberSchema = new Schema<MemberDoc>(
    {
      _id: String,
      committeeId: { type: String, required: true },
      name: { type: String, required: true },
      kind: { type: String, enum: ['member', 'official', 'staff', 'guest'], required: true },
      sectorId: { type: String, default: null },
      title: { type: String, default: '' },
      expertise: { type: [String], default: [] },
      canConvene: { type: Boolean, default: false },
      guestSessionId: { type: String },
      guestRole: { type: String },
      demo: { type: Boolean },
      admin: { type: Boolean },
      deactivatedAt: { type: Date },
      workingGroupId: { type: String, default: null, index: true },
      districtId: { type: String, default: null, index: true },
      phone: { type: String, default: '' },
      email: { type: String, default: '' },
      status: { type: String, enum: ['serving', 'suspended', 'left'], default: 'serving' },
      departmentId: { type: String, default: null, index: true },
      pendingImport: { type: String },
    },
    { versionKey: false },
  );
  memberSchema.index({ sectorId: 1 });
  countWrites(memberSchema, memberWrites);
  const Member = conn.model<MemberDoc>('Member', memberSchema);
  return { Committee, Sector, Member };
}
