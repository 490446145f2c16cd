import { describe, expect, it } from 'vitest';
import {
  bigramOnlyLikeness,
  chooseGroup,
  conceptsOf,
  featuresOf,
  groupInOrder,
  pairwiseScores,
  suggestionLikeness,
} from './grouping';
import { labelledSuggestions, writtenAfterLexicon } from './labelled-suggestions';
import { conceptLexicon as concepts } from './lexicon';
import { splitConsultationLinks } from './views';

const texts = labelledSuggestions.map((s) => s.text);
const gold = labelledSuggestions.map((s) => s.group);
const fmt = (s: { precision: number; recall: number; f1: number }) =>
  `P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}`;

describe('the concept lexicon', () => {
  it('holds a few hundred keywords, none listed twice within a concept, ids unique', () => {
    const total = concepts.reduce((n, c) => n + c.keywords.length, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    expect(new Set(concepts.map((c) => c.id)).size).toBe(concepts.length);
    for (const c of concepts) expect(new Set(c.keywords).size, c.id).toBe(c.keywords.length);
  });

  it('finds a text’s concepts, counting a keyword inside a longer matched one once', () => {
    expect(conceptsOf('小区停车场太小')).toEqual({ parking: 1 });
    expect(conceptsOf('电瓶车在楼道里充电')).toEqual({ charging: 2 });
    expect(conceptsOf('南门小吃一条街')).toEqual({});
  });
});

describe('pairwiseScores', () => {
  it('counts pairs put together against pairs labelled together', () => {
    expect(pairwiseScores(['a', 'a', 'b'], ['x', 'x', 'y'])).toEqual({ precision: 1, recall: 1, f1: 1 });
    // One group for all: 1 right pair of 3 put together; the 1 labelled pair found.
    const all = pairwiseScores(['a', 'a', 'a'], ['x', 'x', 'y']);
    expect(all.precision).toBeCloseTo(1 / 3);
    expect(all.recall).toBe(1);
    expect(pairwiseScores(['a', 'b', 'c'], ['x', 'x', 'y'])).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});

describe('grouping the hand-labelled suggestions as they arrive', () => {
  it('has at least 60 suggestions, several per request', () => {
    expect(labelledSuggestions.length).toBeGreaterThanOrEqual(60);
    const sizes = new Map<string, number>();
    for (const g of gold) sizes.set(g, (sizes.get(g) ?? 0) + 1);
    for (const [group, n] of sizes) expect(n, group).toBeGreaterThanOrEqual(4);
  });

  it('groups paraphrases far better with the concepts than with bigrams alone (figures printed)', () => {
    const mixed = pairwiseScores(groupInOrder(texts), gold);
    // The bigram baseline at its best join threshold over a sweep.
    const bigram = [0.15, 0.2, 0.25, 0.3, 0.35, 0.5]
      .map((join) => ({ join, s: pairwiseScores(groupInOrder(texts, bigramOnlyLikeness, join), gold) }))
      .sort((a, b) => b.s.f1 - a.s.f1)[0];
    console.log(`concepts + bigrams (${texts.length} suggestions): ${fmt(mixed)}`);
    console.log(`bigrams alone, best join ${bigram?.join}: ${bigram ? fmt(bigram.s) : ''}`);
    // Measured 2026-12-06: P 0.934, R 0.780, F1 0.850; bigrams alone at best F1 0.041 (join 0.15).
    expect(mixed.precision).toBeGreaterThanOrEqual(0.9);
    expect(mixed.recall).toBeGreaterThanOrEqual(0.75);
    expect(mixed.f1).toBeGreaterThanOrEqual(0.82);
    expect(bigram?.s.f1 ?? 1).toBeLessThan(0.1);
  });

  it('places most of those written after the lexicon with their request (figure printed)', () => {
    const predicted = groupInOrder(texts);
    const early = labelledSuggestions.length - writtenAfterLexicon.length;
    let placed = 0;
    writtenAfterLexicon.forEach((s, i) => {
      const group = predicted[early + i];
      const firstOfRequest = gold.indexOf(s.group);
      if (predicted[firstOfRequest] === group) placed += 1;
    });
    console.log(`written after the lexicon: ${placed} of ${writtenAfterLexicon.length} placed with their request`);
    // Measured: 11 of 18. The misses name no concept, or only a side one (老人, 上学).
    expect(placed).toBeGreaterThanOrEqual(10);
  });

  it('joins the best group above the threshold, or none', () => {
    const park = featuresOf('小区停车难，车位太少');
    const bus = featuresOf('公交班次太少');
    const groups = [
      { id: 'p', members: [park] },
      { id: 'b', members: [bus] },
    ];
    expect(chooseGroup(featuresOf('晚上回家找不到停车位'), groups)?.id).toBe('p');
    expect(chooseGroup(featuresOf('末班车太早'), groups)?.id).toBe('b');
    expect(chooseGroup(featuresOf('南门小吃一条街整治'), groups)).toBeNull();
    expect(suggestionLikeness(park, park)).toBe(1);
  });
});

describe('splitConsultationLinks', () => {
  it('cuts a text around the links back to a consultation, and leaves other text whole', () => {
    expect(splitConsultationLinks('【意见征集·第1组】油烟太大。详见：/topics/tp-a#consultation')).toEqual([
      { text: '【意见征集·第1组】油烟太大。详见：', link: null },
      { text: '/topics/tp-a#consultation', link: '/topics/tp-a#consultation' },
    ]);
    expect(splitConsultationLinks('没有链接')).toEqual([{ text: '没有链接', link: null }]);
    expect(splitConsultationLinks('')).toEqual([]);
  });
});
