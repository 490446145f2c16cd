interface Waiting<I, R> {
  item: I;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * One batch at a time per key: items added while a key's batch runs wait and then go together as
 * the next batch. Every item of a batch gets that batch's result (or its error). Keys with nothing
 * waiting or running hold no memory.
 *
 * For a read-modify-write of one document fed by many callers (a secret poll's sums): the
 * document is read and written once per batch instead of once per item, and batches of one key
 * never interleave.
 */
export class KeyedBatcher<I, R> {
  private readonly keys = new Map<string, Waiting<I, R>[]>();

  constructor(private readonly runBatch: (key: string, items: I[]) => Promise<R>) {}

  add(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const waiting = this.keys.get(key);
      if (waiting) {
        waiting.push({ item, resolve, reject });
        return;
      }
      this.keys.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    // Items added during this microtask still join the first batch.
    await Promise.resolve();
    for (;;) {
      const batch = this.keys.get(key) ?? [];
      if (batch.length === 0) {
        this.keys.delete(key);
        return;
      }
      // A fresh list collects what arrives while this batch runs.
      this.keys.set(key, []);
      try {
        const result = await this.runBatch(
          key,
          batch.map((w) => w.item),
        );
        for (const w of batch) w.resolve(result);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  }
}
