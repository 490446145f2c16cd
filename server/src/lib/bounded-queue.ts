import { AppError } from '../errors';

/**
 * Runs heavy tasks `concurrency` at a time with at most `maxWaiting` queued behind them; a task
 * that finds the queue full is refused at once (UNAVAILABLE, "busy, try again") rather than
 * queued without end or run beside the others. For work whose cost is a process each (Chromium).
 */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
    private readonly busyMessage: string,
  ) {}

  /** Tasks running now and waiting, for tests and diagnostics. */
  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new AppError('UNAVAILABLE', this.busyMessage);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiting task, so `running` never dips in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
