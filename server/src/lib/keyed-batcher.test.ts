import { describe, expect, it } from 'vitest';
import { KeyedBatcher } from './keyed-batcher';

/** A batch runner whose batches finish when the test says so. */
function controlled() {
  const batches: Array<{ key: string; items: number[]; finish: (r: string) => void; fail: (e: Error) => void }> = [];
  let started: (() => void) | null = null;
  const batcher = new KeyedBatcher<number, string>(
    (key, items) =>
      new Promise<string>((resolve, reject) => {
        batches.push({ key, items, finish: resolve, fail: reject });
        started?.();
      }),
  );
  const nextBatch = (count: number) =>
    new Promise<void>((resolve) => {
      if (batches.length >= count) resolve();
      else
        started = () => {
          if (batches.length >= count) resolve();
        };
    });
  return { batcher, batches, nextBatch };
}

describe('KeyedBatcher', () => {
  it('puts items added together in one batch, and those added meanwhile in the next', async () => {
    const { batcher, batches, nextBatch } = controlled();
    const first = [batcher.add('p', 1), batcher.add('p', 2), batcher.add('p', 3)];
    await nextBatch(1);
    expect(batches[0]?.items).toEqual([1, 2, 3]);
    const second = [batcher.add('p', 4), batcher.add('p', 5)];
    // The second batch waits for the first.
    expect(batches).toHaveLength(1);
    batches[0]?.finish('after 3');
    expect(await Promise.all(first)).toEqual(['after 3', 'after 3', 'after 3']);
    await nextBatch(2);
    expect(batches[1]?.items).toEqual([4, 5]);
    batches[1]?.finish('after 5');
    expect(await Promise.all(second)).toEqual(['after 5', 'after 5']);
  });

  it('runs different keys side by side', async () => {
    const { batcher, batches, nextBatch } = controlled();
    const a = batcher.add('a', 1);
    const b = batcher.add('b', 2);
    await nextBatch(2);
    expect(batches.map((x) => [x.key, x.items])).toEqual([
      ['a', [1]],
      ['b', [2]],
    ]);
    batches[1]?.finish('b done');
    batches[0]?.finish('a done');
    expect(await Promise.all([a, b])).toEqual(['a done', 'b done']);
  });

  it("gives a failed batch's error to its own items only, and goes on with the next", async () => {
    const { batcher, batches, nextBatch } = controlled();
    const failing = batcher.add('p', 1);
    await nextBatch(1);
    const later = batcher.add('p', 2);
    batches[0]?.fail(new Error('write refused'));
    await expect(failing).rejects.toThrow('write refused');
    await nextBatch(2);
    batches[1]?.finish('ok');
    expect(await later).toBe('ok');
  });
});
