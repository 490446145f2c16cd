import { MongoBulkWriteError } from 'mongodb';
import * as Y from 'yjs';
import { type Models, rawCollection, trusted } from '../db/models';
import { isDuplicateKey } from '../errors';

/** Stored binary comes back as a Buffer or as the driver's Binary, depending on the read path. */
function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'object' && v !== null && 'buffer' in v && v.buffer instanceof Uint8Array) return v.buffer;
  throw new Error('stored minutes data is not binary');
}

/**
 * Which records of an unordered `insertMany` failed: their indexes, or null when the error does
 * not say record by record (then every record of the batch counts as failed).
 */
function failedRecords(err: unknown, count: number): Set<number> | null {
  if (!(err instanceof MongoBulkWriteError) || err.writeConcernError) return null;
  const list = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
  const failed = new Set(list.map((w) => w.index));
  // Only when every record is accounted for (inserted or failed by index) is the rest stored.
  return err.result.insertedCount + failed.size === count ? failed : null;
}

export interface LoadedMinutes {
  /** The snapshot, then each later update, in order; apply them in one transaction. */
  parts: Uint8Array[];
  /** The merged stored state (snapshot + later updates), or null for a document never written. */
  readonly state: Uint8Array | null;
  lastSeq: number;
  /** Updates stored after the last snapshot: how much a compaction would fold. */
  pending: number;
}

/**
 * The minutes update log: every Yjs update appended under a unique `{doc, seq}`, folded into a
 * snapshot by `compact`. Reads never invent an empty document: a failed read throws.
 */
export function createMinutesStore(models: Models) {
  const { MinutesUpdate, MinutesSnapshot } = models;
  const updateLog = rawCollection(MinutesUpdate);
  const snapshots = rawCollection(MinutesSnapshot);

  interface Pending {
    record: { doc: string; seq: number; update: Buffer; at: Date };
    resolve: () => void;
    reject: (err: unknown) => void;
  }
  let gathering: Pending[] = [];
  let writing = false;
  let scheduled = false;
  const writeGathered = async () => {
    scheduled = false;
    const batch = gathering;
    gathering = [];
    if (batch.length === 0) return;
    writing = true;
    try {
      await updateLog.insertMany(
        batch.map((p) => p.record),
        { ordered: false },
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      const failed = failedRecords(err, batch.length);
      batch.forEach((p, i) => {
        if (failed === null || failed.has(i)) p.reject(err);
        else p.resolve();
      });
    } finally {
      writing = false;
      if (gathering.length > 0) void writeGathered();
    }
  };

  return {
    async load(doc: string): Promise<LoadedMinutes> {
      // Both reads at once: the log after a compaction is short, so reading all of it and
      // keeping what the snapshot does not cover costs less than a second round trip.
      const [snap, log] = await Promise.all([
        snapshots.findOne({ _id: doc }),
        updateLog.find({ doc }, { sort: { seq: 1 } }).toArray(),
      ]);
      const upTo = snap?.upToSeq ?? 0;
      const updates = log.filter((u) => u.seq > upTo);
      const parts = [...(snap ? [toBytes(snap.state)] : []), ...updates.map((u) => toBytes(u.update))];
      return {
        parts,
        // Merged only when asked: the live document applies the parts instead (cheaper).
        get state() {
          if (parts.length === 0) return null;
          return parts.length === 1 ? (parts[0] ?? null) : Y.mergeUpdates(parts);
        },
        lastSeq: updates.at(-1)?.seq ?? upTo,
        pending: updates.length,
      };
    },

    /**
     * Appends one record to the log. Resolves once it is stored; rejects if it was not. Records
     * of all documents handed in during one turn of the event loop, or while the write before
     * them runs, go to the database together as one unordered `insertMany`.
     */
    append(doc: string, seq: number, update: Uint8Array): Promise<void> {
      return new Promise((resolve, reject) => {
        gathering.push({ record: { doc, seq, update: Buffer.from(update), at: new Date() }, resolve, reject });
        if (!writing && !scheduled) {
          scheduled = true;
          setImmediate(writeGathered);
        }
      });
    },

    /**
     * Stores `state` as the snapshot covering every update up to `upToSeq`, then drops those
     * updates. The snapshot is written first, so a crash in between leaves redundant updates,
     * never missing ones.
     */
    async compact(doc: string, state: Uint8Array, upToSeq: number): Promise<void> {
      try {
        await MinutesSnapshot.updateOne(
          { _id: doc, upToSeq: trusted({ $lt: upToSeq }) },
          { $set: { state: Buffer.from(state), upToSeq, updatedAt: new Date() } },
          { upsert: true },
        );
      } catch (err) {
        // A newer snapshot already exists (the filter failed, the upsert hit the _id): keep it.
        if (!isDuplicateKey(err)) throw err;
      }
      await MinutesUpdate.deleteMany({ doc, seq: trusted({ $lte: upToSeq }) });
    },

    /**
     * Adds counted edits per author (one upsert each; `first` is kept from the first time). The
     * field is still called `updates`, from when every Yjs update counted.
     */
    async addAuthors(doc: string, counts: Map<string, { edits: number; first: Date; last: Date }>): Promise<void> {
      if (counts.size === 0) return;
      await models.MinutesAuthor.bulkWrite(
        [...counts].map(([memberId, c]) => ({
          updateOne: {
            filter: { _id: `${doc}:${memberId}` },
            update: {
              $inc: { updates: c.edits },
              $set: { last: c.last },
              $setOnInsert: { doc, memberId, first: c.first },
            },
            upsert: true,
          },
        })),
      );
    },

    async authors(doc: string): Promise<Array<{ memberId: string; edits: number; first: Date; last: Date }>> {
      const rows = await models.MinutesAuthor.find({ doc }).lean();
      return rows.map((r) => ({ memberId: r.memberId, edits: r.updates, first: r.first, last: r.last }));
    },

    /** Total bytes stored for one document (snapshot + log), for benchmarks and diagnostics. */
    async storedBytes(doc: string): Promise<number> {
      const snap = await MinutesSnapshot.findById(doc).lean();
      const updates = await MinutesUpdate.find({ doc }).lean();
      return (
        (snap ? toBytes(snap.state).byteLength : 0) + updates.reduce((n, u) => n + toBytes(u.update).byteLength, 0)
      );
    },
  };
}

export type MinutesStore = ReturnType<typeof createMinutesStore>;
