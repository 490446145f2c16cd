import mongoose, { type Connection } from 'mongoose';

export class DatabaseUnreachableError extends Error {}

/** Hides credentials when a URI is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Opens one mongoose connection. Failure to reach the server becomes a single readable error;
 * callers print it and exit rather than dumping a driver stack.
 */
export async function connectDatabase(
  uri: string,
  dbName: string,
  timeoutMs = 5_000,
  /** `monitorCommands`: the driver emits every command it sends (tests record what the database sees). */
  opts: { monitorCommands?: boolean } = {},
): Promise<Connection> {
  mongoose.set('strictQuery', true);
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: timeoutMs,
    sanitizeFilter: true,
    autoIndex: true,
    ...(opts.monitorCommands ? { monitorCommands: true } : {}),
  });
  try {
    await conn.asPromise();
    return conn;
  } catch (err) {
    await conn.close().catch(() => undefined);
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new DatabaseUnreachableError(
      `Cannot reach the database at ${redactUri(uri)} (${reason}). ` +
        'Start MongoDB there, fix MONGODB_URI, or unset MONGODB_URI to use the embedded database.',
    );
  }
}

/** True when the database answers a ping. */
export async function databaseAnswers(conn: Connection): Promise<boolean> {
  try {
    const db = conn.db;
    if (!db) return false;
    await db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
