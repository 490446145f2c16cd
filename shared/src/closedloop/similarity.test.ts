import { describe, expect, it } from 'vitest';
import { expertiseFit, likelyDuplicates, textGrams, textSimilarity } from './similarity';

describe('textGrams', () => {
  it('takes bigrams of Chinese and whole words of Latin text, ignoring punctuation', () => {
    expect([...textGrams('南门小吃，整治')].sort()).toEqual(['南门', '门小', '小吃', '整治'].sort());
    expect([...textGrams('Wi-Fi 覆盖')].sort()).toEqual(['fi', 'wi', '覆盖'].sort());
    expect(textGrams('  ，。 ').size).toBe(0);
  });
  it('keeps a lone Chinese character as a gram', () => {
    expect([...textGrams('桥')]).toEqual(['桥']);
  });
});

describe('textSimilarity', () => {
  it('is 1 for the same text, 0 for unrelated or empty text, symmetric in between', () => {
    expect(textSimilarity('南门小吃一条街整治', '南门小吃一条街整治')).toBe(1);
    expect(textSimilarity('南门小吃一条街整治', '产业创新资源共享')).toBe(0);
    expect(textSimilarity('', '南门')).toBe(0);
    const a = '南门小吃街油烟扰民';
    const b = '整治南门小吃一条街';
    expect(textSimilarity(a, b)).toBeCloseTo(textSimilarity(b, a));
    expect(textSimilarity(a, b)).toBeGreaterThan(0);
    expect(textSimilarity(a, b)).toBeLessThan(1);
  });
});

describe('likelyDuplicates', () => {
  const open = [
    { id: 't1', title: '南通理工学院海安校区南门小吃一条街整治' },
    { id: 't2', title: '建立产业创新资源共享机制' },
    { id: 't3', title: '老城区停车难问题' },
  ];
  it('points out the topic a new title repeats, best first, and nothing unrelated', () => {
    const hits = likelyDuplicates('南门小吃一条街油烟整治', open);
    expect(hits.map((h) => h.id)).toEqual(['t1']);
    expect(hits[0]?.similarity).toBeGreaterThanOrEqual(0.35);
    expect(likelyDuplicates('农村生活污水治理', open)).toEqual([]);
  });
  it('caps the list', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ id: `d${i}`, title: `老城区停车难问题${i}` }));
    expect(likelyDuplicates('老城区停车难', many, 3)).toHaveLength(3);
  });
});

describe('expertiseFit', () => {
  it('names the tags a topic touches and scores more tags higher', () => {
    const text = '南门小吃一条街整治：食品安全与城市管理';
    expect(expertiseFit(text, ['食品安全', '城市管理', '教育'])).toEqual({ score: 2, tags: ['食品安全', '城市管理'] });
    expect(expertiseFit(text, ['医疗卫生'])).toEqual({ score: 0, tags: [] });
  });
});
