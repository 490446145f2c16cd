import type { GuestRole, LoginFailureReason } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';
import { countWrites } from '../db/write-epochs';

/** A sign-in session. `_id` is the SHA-256 of the cookie token, so a database leak is no login. */
export interface AuthSessionDoc {
  _id: string;
  memberId: string;
  createdAt: Date;
  /** The absolute end (`limits.sessionMaxAgeSeconds` after creation), however busy the session. */
  expiresAt: Date;
  /** Last use, written at most once a minute; a session idle past `limits.sessionIdleSeconds` ends. */
  lastSeenAt?: Date;
}

/** A refused password sign-in, kept for staff to review (who tried what name from where). */
export interface LoginFailureDoc {
  _id: string;
  at: Date;
  username: string;
  address: string;
  reason: LoginFailureReason;
}

/** A password login. `_id` is the login name, so login names are unique by key. Guests have none. */
export interface CredentialDoc {
  _id: string;
  memberId: string;
  /** argon2id */
  passwordHash: string;
}

/** An invitation link for a guest: one role in one session. `tokenHash` is what the link proves. */
export interface InvitationDoc {
  _id: string;
  tokenHash: string;
  sessionId: string;
  role: GuestRole;
  name: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  acceptedBy: string | null;
}

/** How long a refused sign-in is kept for staff to review, so the collection cannot grow without end. */
export const loginFailureKeepSeconds = 30 * 24 * 3600;

/** What `countWrites` counts the sign-ins' writes under (auth/sign-in-cache.ts). */
export const signInWrites = 'signIns';

export function authModels(conn: Connection) {
  const signInSchema = new Schema<AuthSessionDoc>(
    {
      _id: String,
      memberId: { type: String, required: true, index: true },
      createdAt: { type: Date, required: true },
      expiresAt: { type: Date, required: true },
      lastSeenAt: { type: Date },
    },
    { versionKey: false },
  );
  // The handshake's copy of the sign-ins is stale after any write it did not make itself.
  countWrites(signInSchema, signInWrites);
  const AuthSession = conn.model<AuthSessionDoc>('AuthSession', signInSchema);
  const LoginFailure = conn.model<LoginFailureDoc>(
    'LoginFailure',
    new Schema<LoginFailureDoc>(
      {
        _id: String,
        // Not a TTL index: FerretDB refuses expireAfterSeconds ("not implemented yet"), so
        // login-limits.ts prunes rows past `loginFailureKeepSeconds` as it writes new ones.
        at: { type: Date, required: true, index: true },
        username: { type: String, required: true },
        address: { type: String, required: true },
        reason: { type: String, required: true },
      },
      { versionKey: false },
    ),
  );
  const Invitation = conn.model<InvitationDoc>(
    'Invitation',
    new Schema<InvitationDoc>(
      {
        _id: String,
        tokenHash: { type: String, required: true, unique: true },
        sessionId: { type: String, required: true, index: true },
        role: { type: String, required: true },
        name: { type: String, required: true },
        createdBy: { type: String, required: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
        revokedAt: { type: Date, default: null },
        acceptedBy: { type: String, default: null },
      },
      { versionKey: false },
    ),
  );
  const Credential = conn.model<CredentialDoc>(
    'Credential',
    new Schema<CredentialDoc>(
      {
        _id: String,
        memberId: { type: String, required: true, index: true },
        passwordHash: { type: String, required: true },
      },
      { versionKey: false },
    ),
  );
  return { AuthSession, Invitation, Credential, LoginFailure };
}
