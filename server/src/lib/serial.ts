/**
 * Runs async tasks one at a time, in call order. A failed task does not block the next one.
 * Used where a read-modify-write of one document must not interleave with another.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/** One `Serial` per key, dropped again when its queue runs empty (no growth with the key count). */
export class KeyedSerial {
  private readonly queues = new Map<string, { serial: Serial; pending: number }>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let q = this.queues.get(key);
    if (!q) {
      q = { serial: new Serial(), pending: 0 };
      this.queues.set(key, q);
    }
    const queue = q;
    queue.pending += 1;
    return queue.serial.run(task).finally(() => {
      queue.pending -= 1;
      if (queue.pending === 0) this.queues.delete(key);
    });
  }
}
