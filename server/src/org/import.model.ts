import { type Connection, type Model, Schema } from 'mongoose';

/**
 * One member import, by its content: the logins it has begun to create (written before each
 * account is), and whether it has finished. Lets the same file, sent again after a failure
 * halfway, finish what it began instead of finding its own accounts in the way.
 */
export interface MemberImportDoc {
  _id: string;
  committeeId: string;
  state: 'writing' | 'done';
  /** Login names this import reserved, each before its account was created. */
  logins: string[];
  rows: number;
  by: string;
  startedAt: Date;
  doneAt: Date | null;
}

const schema = new Schema<MemberImportDoc>(
  {
    _id: String,
    committeeId: { type: String, required: true },
    state: { type: String, enum: ['writing', 'done'], required: true },
    logins: { type: [String], default: [] },
    rows: { type: Number, required: true },
    by: { type: String, required: true },
    startedAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false },
);

/** The import records' model on the connection the other models use (compiled once). */
export function memberImportModel(conn: Connection): Model<MemberImportDoc> {
  const known = conn.models.MemberImport as Model<MemberImportDoc> | undefined;
  return known ?? conn.model<MemberImportDoc>('MemberImport', schema, 'member_imports');
}
