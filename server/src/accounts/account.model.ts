import type { AccountLinkPurpose } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

/**
 * A one-time link to set an account's password (activation or reset). `_id` is the SHA-256 of
 * the token, so whoever reads the database cannot use a link; using it deletes the record.
 */
export interface AccountTokenDoc {
  _id: string;
  memberId: string;
  purpose: AccountLinkPurpose;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
}

export function accountModels(conn: Connection) {
  const AccountToken = conn.model<AccountTokenDoc>(
    'AccountToken',
    new Schema<AccountTokenDoc>(
      {
        _id: String,
        memberId: { type: String, required: true, index: true },
        purpose: { type: String, required: true },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
  );
  return { AccountToken };
}
