import mongoose, { type Connection, type Query, type Schema } from 'mongoose';
import { AppError } from '../errors';

export class DatabaseUnreachableError extends Error {}

/** Hides credentials when a URI is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

/** Whether `value` holds a string (or a key) with a NUL character, however deep. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  // Plain objects only: Buffers, Dates, ObjectIds and Binary hold no text.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v, depth + 1));
}

const nulRefused = () =>
  new AppError(
    'BAD_REQUEST',
    '含有空字符（U+0000）的文字不能保存或查询。Text containing a NUL character (U+0000) cannot be stored or searched.',
  );

/**
 * Text with a NUL character is refused before it reaches the database, on every backend alike:
 * PostgreSQL's jsonb cannot hold one, so FerretDB on the embedded PostgreSQL fails such a filter
 * or document with an internal error (a 500 for hostile input); MongoDB would take it.
 */
function refuseNul(schema: Schema): void {
  const ops = [
    'find',
    'findOne',
    'findOneAndUpdate',
    'findOneAndDelete',
    'findOneAndReplace',
    'countDocuments',
    'distinct',
    'updateOne',
    'updateMany',
    'replaceOne',
    'deleteOne',
    'deleteMany',
  ] as const;
  for (const op of ops) {
    schema.pre(op, function (this: Query<unknown, unknown>) {
      if (holdsNul(this.getFilter()) || holdsNul(this.getUpdate())) throw nulRefused();
    });
  }
  // Documents, saved or inserted with insertMany (which validates each).
  schema.pre('validate', function () {
    if (holdsNul(this.toObject({ depopulate: true }))) throw nulRefused();
  });
}
let nulPluginAdded = false;

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
  if (!nulPluginAdded) {
    nulPluginAdded = true;
    mongoose.plugin(refuseNul);
  }
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
