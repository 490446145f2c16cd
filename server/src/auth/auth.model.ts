import { type Connection, Schema } from 'mongoose';

/** A sign-in session. `_id` is the SHA-256 of the cookie token, so a database leak is no login. */
export interface AuthSessionDoc {
  _id: string;
  memberId: string;
  createdAt: Date;
  expiresAt: Date;
}

export function authModels(conn: Connection) {
  const AuthSession = conn.model<AuthSessionDoc>(
    'AuthSession',
    new Schema<AuthSessionDoc>(
      {
        _id: String,
        memberId: { type: String, required: true, index: true },
        createdAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
  );
  return { AuthSession };
}
