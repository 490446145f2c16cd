import { type Connection, Schema } from 'mongoose';

/**
 * One entry of the append-only audit log. `_id` is the sequence number, so two writers (two
 * nodes, no transactions) cannot both append entry n: the second insert is a duplicate key and
 * that writer re-reads the head and tries n + 1. Each entry hashes its content and the previous
 * entry's hash, so an edited, removed or reordered entry breaks the chain (audit/chain.ts).
 */
export interface AuditEntryDoc {
  _id: number;
  /** How `hash` was made (audit/chain.ts `CHAIN_VERSION`): 2 is HMAC-SHA256 under the audit key. */
  v: number;
  at: Date;
  actor: { id: string; name: string } | null;
  action: string;
  target: string | null;
  /** JSON only (AuditJson when written); typed loosely here, as mongoose's types cannot recurse. */
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export function auditModels(conn: Connection) {
  const AuditEntry = conn.model<AuditEntryDoc>(
    'AuditEntry',
    new Schema(
      {
        _id: Number,
        v: { type: Number, required: true },
        at: { type: Date, required: true },
        actor: { type: new Schema({ id: String, name: String }, { _id: false }), default: null },
        action: { type: String, required: true, index: true },
        target: { type: String, default: null },
        details: { type: Schema.Types.Mixed, default: {} },
        prevHash: { type: String, required: true },
        hash: { type: String, required: true },
      },
      // Empty details stay `{}` as hashed; no version key is part of an entry.
      { versionKey: false, minimize: false, collection: 'auditlog' },
    ),
  );
  return { AuditEntry };
}
