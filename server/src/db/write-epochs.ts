import type { Connection, Schema } from 'mongoose';

/**
 * Counts the writes made through mongoose to a model's documents, per connection: what a copy kept
 * in memory compares to know it may be stale (auth/sign-in-cache.ts). Inserts are not counted (a
 * new document makes no copy stale). Writes through the raw driver are not seen; code that writes
 * so keeps its copies itself.
 */
const epochs = new WeakMap<Connection, Map<string, number>>();
const watchers = new WeakMap<Connection, Map<string, Set<() => void>>>();

/** Counts a write; `done`: it has been made (watchers are told then, not before). */
const bump = (conn: Connection | undefined, key: string, done = false) => {
  if (!conn) return;
  let m = epochs.get(conn);
  if (!m) {
    m = new Map();
    epochs.set(conn, m);
  }
  m.set(key, (m.get(key) ?? 0) + 1);
  if (!done) return;
  for (const fn of watchers.get(conn)?.get(key) ?? []) fn();
};

/** Calls `fn` after each counted write to `key`'s documents on this connection; returns what stops it. */
export function onWrites(conn: Connection, key: string, fn: () => void): () => void {
  let m = watchers.get(conn);
  if (!m) {
    m = new Map();
    watchers.set(conn, m);
  }
  let set = m.get(key);
  if (!set) {
    set = new Set();
    m.set(key, set);
  }
  set.add(fn);
  return () => set.delete(fn);
}

/** The number of counted writes to `key`'s documents on this connection so far. */
export function writeEpoch(conn: Connection, key: string): number {
  return epochs.get(conn)?.get(key) ?? 0;
}

const queryWrites = [
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
] as const;

/** Makes every update, replace and delete of this schema's documents count under `key`. */
export function countWrites<T>(schema: Schema<T>, key: string): void {
  // Counted before the write as well as after: a copy read while the write is under way is
  // compared after it, and a failed write leaves a bump that only costs a read.
  for (const op of queryWrites) {
    schema.pre(op, { document: false, query: true }, function () {
      bump(this.model?.db, key);
    });
    schema.post(op, { document: false, query: true }, function () {
      bump(this.model?.db, key, true);
    });
  }
  schema.pre('bulkWrite', function () {
    bump(this.db, key);
  });
  schema.post('bulkWrite', function () {
    bump(this.db, key, true);
  });
  // A document saved again, and a document's own deleteOne / updateOne (doc.deleteOne()).
  schema.pre('save', function () {
    this.$locals.savedAgain = !this.isNew;
    if (!this.isNew) bump(this.db, key);
  });
  schema.post('save', function () {
    if (this.$locals.savedAgain === true) bump(this.db, key, true);
  });
  schema.post(['deleteOne', 'updateOne'], { document: true, query: false }, function () {
    bump((this as unknown as { db?: Connection }).db, key, true);
  });
}
