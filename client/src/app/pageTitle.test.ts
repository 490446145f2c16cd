import { describe, expect, it } from 'vitest';
import { titleFor } from './pageTitle';

describe('page titles', () => {
  it('put the page heading before the product name', () => {
    expect(titleFor('提案', '议堂')).toBe('提案 · 议堂');
    expect(titleFor('  会议纪要：\n 南门小吃街 ', '议堂')).toBe('会议纪要： 南门小吃街 · 议堂');
  });
  it('fall back to the product name alone', () => {
    expect(titleFor(null, '议堂')).toBe('议堂');
    expect(titleFor('  ', 'Yitang')).toBe('Yitang');
    expect(titleFor('议堂', '议堂')).toBe('议堂');
  });
});
