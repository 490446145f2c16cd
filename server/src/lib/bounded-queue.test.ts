import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('runs one task at a time, queues a bounded number, refuses the rest at once', async () => {
    const queue = new BoundedQueue(1, 2, 'busy');
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const task = () =>
      new Promise<number>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        gates.push(() => {
          running -= 1;
          resolve(peak);
        });
      });
    const first = queue.run(task);
    const second = queue.run(task);
    const third = queue.run(task);
    await expect(queue.run(task)).rejects.toEqual(new AppError('UNAVAILABLE', 'busy'));
    expect(queue.size).toEqual({ running: 1, waiting: 2 });
    // Each task starts only after the one before it ended.
    for (const p of [first, second, third]) {
      while (gates.length === 0) await Promise.resolve();
      gates.shift()?.();
      await p;
    }
    expect(peak).toBe(1);
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
  });

  it('frees its slot when a task fails', async () => {
    const queue = new BoundedQueue(1, 0, 'busy');
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
