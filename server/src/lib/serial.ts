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
