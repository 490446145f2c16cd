import type { Collection, Document, OptionalUnlessRequiredId } from 'mongodb';

interface Pending<T> {
  doc: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** The per-document errors of an unordered insertMany, by index in the batch; null if none. */
function writeErrorsByIndex(err: unknown): Map<number, unknown> | null {
  if (typeof err !== 'object' || err === null || !('writeErrors' in err)) return null;
  if ('writeConcernError' in err && err.writeConcernError) return null;
  const raw = err.writeErrors;
  const list = Array.isArray(raw) ? raw : [raw];
  const out = new Map<number, unknown>();
  for (const w of list) {
    if (typeof w === 'object' && w !== null && 'index' in w && typeof w.index === 'number') out.set(w.index, w);
    else return null;
  }
  return out;
}

/**
 * Group commit for single-document inserts on a hot path (ballots). One write at a time, and
 * at most one write starting per `intervalMs`: an insert arriving after a quiet spell is written
 * at once; inserts arriving while a write is in flight, or within the interval after one began,
 * wait and then go together as one unordered `insertMany`. So a burst costs a few database round
 * trips instead of one each (each costs the server far more CPU than a document in it), and no
 * insert waits longer than the interval plus the write before it. Each caller still learns its
 * own document's fate: resolved when stored, rejected with its own write error (a duplicate key
 * keeps code 11000), or with the batch's error when the whole write failed.
 */
export class InsertBatcher<T extends Document> {
  private queue: Pending<T>[] = [];
  private writing = false;
  private timer: NodeJS.Timeout | null = null;
  /** When the last write began (`performance.now()`). */
  private lastStart = Number.NEGATIVE_INFINITY;

  /**
   * `intervalMs`: the least time from the start of one write to the start of the next (0: the
   * next write starts as soon as the one in flight is answered). `maxBatch`: documents per write.
   */
  constructor(
    private readonly collection: Collection<T>,
    private readonly opts: { maxBatch?: number; intervalMs?: number } = {},
  ) {}

  insert(doc: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      this.schedule();
    });
  }

  /** Starts the next write now, or sets a timer for when the interval allows it. */
  private schedule(): void {
    if (this.writing || this.timer || this.queue.length === 0) return;
    const wait = this.lastStart + (this.opts.intervalMs ?? 0) - performance.now();
    if (wait <= 0) {
      void this.writeNext();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.schedule();
    }, wait);
  }

  private async writeNext(): Promise<void> {
    this.writing = true;
    this.lastStart = performance.now();
    try {
      // A second document with the same _id waits for the next batch: a batch the database
      // refuses in part is written one document at a time by FerretDB, far slower.
      const batch: Pending<T>[] = [];
      const later: Pending<T>[] = [];
      const ids = new Set<unknown>();
      for (const p of this.queue.splice(0, this.opts.maxBatch ?? 1000)) {
        if (ids.has(p.doc._id)) later.push(p);
        else {
          ids.add(p.doc._id);
          batch.push(p);
        }
      }
      this.queue.unshift(...later);
      await this.write(batch);
    } finally {
      this.writing = false;
      this.schedule();
    }
  }

  private async write(batch: Pending<T>[]): Promise<void> {
    const docs = batch.map((p) => p.doc as OptionalUnlessRequiredId<T>);
    try {
      if (docs.length === 1 && docs[0]) await this.collection.insertOne(docs[0]);
      else await this.collection.insertMany(docs, { ordered: false });
      for (const p of batch) p.resolve();
    } catch (err) {
      // A lone insert's error is its own; for a batch, only the listed documents failed.
      const failed = batch.length === 1 ? new Map([[0, err]]) : writeErrorsByIndex(err);
      batch.forEach((p, i) => {
        const own = failed ? failed.get(i) : err;
        if (own === undefined) p.resolve();
        else p.reject(own);
      });
    }
  }
}
