import type { DiffLine } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { diffItems, diffSign, diffSummary } from './diffView';

const same = (text: string): DiffLine => ({ op: 'same', text });
const added = (text: string): DiffLine => ({ op: 'added', text });
const removed = (text: string): DiffLine => ({ op: 'removed', text });

describe('diff rendering model', () => {
  it('signs added and removed lines, not unchanged ones', () => {
    expect(diffSign).toEqual({ same: '', added: '+', removed: '−' });
    const items = diffItems([same('a'), removed('b'), added('c')]);
    expect(items).toEqual([
      { kind: 'line', op: 'same', text: 'a', sign: '', index: 0 },
      { kind: 'line', op: 'removed', text: 'b', sign: '−', index: 1 },
      { kind: 'line', op: 'added', text: 'c', sign: '+', index: 2 },
    ]);
  });

  it('counts the changes', () => {
    expect(diffSummary([same('a'), removed('b'), added('c'), added('d')])).toEqual({ added: 2, removed: 1, same: 1 });
  });

  it('folds long unchanged stretches, keeping context around each change', () => {
    const lines = [...'abcdefgh'.split('').map(same), added('新'), ...'ijklmnop'.split('').map(same)];
    const items = diffItems(lines, 2);
    expect(items[0]).toEqual({ kind: 'fold', start: 0, count: 6 });
    expect(items.slice(1, 6).map((i) => (i.kind === 'line' ? i.text : '?'))).toEqual(['g', 'h', '新', 'i', 'j']);
    expect(items[6]).toEqual({ kind: 'fold', start: 11, count: 6 });
    expect(items).toHaveLength(7);
  });

  it('shows a lone unchanged line instead of folding it', () => {
    const lines = [added('1'), same('a'), same('b'), same('c'), added('2')];
    const items = diffItems(lines, 1);
    expect(items.every((i) => i.kind === 'line')).toBe(true);
    expect(items).toHaveLength(5);
  });

  it('opens a fold on request', () => {
    const lines = [...'abcdef'.split('').map(same), removed('x')];
    expect(diffItems(lines, 1)[0]).toEqual({ kind: 'fold', start: 0, count: 5 });
    const opened = diffItems(lines, 1, new Set([0]));
    expect(opened).toHaveLength(7);
    expect(opened.every((i) => i.kind === 'line')).toBe(true);
  });

  it('folds everything when nothing changed, and handles an empty diff', () => {
    expect(diffItems([same('a'), same('b'), same('c')])).toEqual([{ kind: 'fold', start: 0, count: 3 }]);
    expect(diffItems([])).toEqual([]);
  });
});
