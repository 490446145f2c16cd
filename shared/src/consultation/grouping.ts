import { textGrams } from '../closedloop/similarity';
import { type Concept, conceptLexicon as lexicon } from './lexicon';

/**
 * Grouping of consultation suggestions that say the same thing, as each arrives, without any AI
 * service. Two signals: the concepts of the hand-written lexicon each text names (lexicon.ts) and
 * the bigram likeness of the texts (closedloop/similarity.ts). Bigrams alone group paraphrases
 * poorly (people say the same thing in other words); concepts alone merge different requests on
 * one subject; the score below mixes both. Pure: the server stores what it returns.
 */

/** What a suggestion is compared by: its concepts (id → keywords matched) and its bigrams. */
export interface SuggestionFeatures {
  concepts: Record<string, number>;
  grams: Set<string>;
}

/** The concept ids a text names, each with how many of its keywords appear (a keyword inside a longer matched one counts once). */
export function conceptsOf(text: string, table: readonly Concept[] = lexicon): Record<string, number> {
  const lower = text.toLowerCase();
  const found: Record<string, number> = {};
  for (const concept of table) {
    const hits = concept.keywords.filter((k) => lower.includes(k));
    // 停车位 matched, 车位 inside it adds nothing.
    const distinct = hits.filter((k) => !hits.some((other) => other !== k && other.includes(k)));
    if (distinct.length > 0) found[concept.id] = distinct.length;
  }
  return found;
}

export function featuresOf(text: string): SuggestionFeatures {
  return { concepts: conceptsOf(text), grams: textGrams(text) };
}

function bigramLikeness(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const g of a) if (b.has(g)) shared += 1;
  return ((2 * shared) / (a.size + b.size) + shared / Math.min(a.size, b.size)) / 2;
}

/** Cosine of the two concept vectors (keyword counts): 0 when either names none. */
function conceptLikeness(a: Record<string, number>, b: Record<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of Object.entries(a)) {
    na += v * v;
    dot += v * (b[k] ?? 0);
  }
  for (const v of Object.values(b)) nb += v * v;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** How much weight the concepts carry against the bigrams, and the score that joins a group. */
export const groupingWeights = { concepts: 0.8, bigrams: 0.2, join: 0.5 } as const;

/** Likeness of two suggestions in [0, 1]. */
export function suggestionLikeness(a: SuggestionFeatures, b: SuggestionFeatures): number {
  const bigrams = bigramLikeness(a.grams, b.grams);
  const mixed = groupingWeights.concepts * conceptLikeness(a.concepts, b.concepts) + groupingWeights.bigrams * bigrams;
  // Two texts nearly word for word the same belong together whatever the lexicon knows.
  return Math.max(mixed, bigrams);
}

/** Bigram likeness only: the baseline the concepts are measured against. */
export function bigramOnlyLikeness(a: SuggestionFeatures, b: SuggestionFeatures): number {
  return bigramLikeness(a.grams, b.grams);
}

export interface GroupCandidate {
  id: string;
  members: readonly SuggestionFeatures[];
}

/**
 * The group a new suggestion joins: the one whose members it is most like on average, if that
 * reaches `join`; otherwise null (it starts a group of its own). Incremental: run once per
 * arriving suggestion against the groups so far.
 */
export function chooseGroup(
  item: SuggestionFeatures,
  groups: readonly GroupCandidate[],
  likeness: (a: SuggestionFeatures, b: SuggestionFeatures) => number = suggestionLikeness,
  join: number = groupingWeights.join,
): { id: string; score: number } | null {
  let best: { id: string; score: number } | null = null;
  for (const g of groups) {
    if (g.members.length === 0) continue;
    const score = g.members.reduce((s, m) => s + likeness(item, m), 0) / g.members.length;
    if (score >= join && (!best || score > best.score)) best = { id: g.id, score };
  }
  return best;
}

/** Groups texts in order, as they would arrive: each text's group id (`g1`, `g2`…). */
export function groupInOrder(
  texts: readonly string[],
  likeness: (a: SuggestionFeatures, b: SuggestionFeatures) => number = suggestionLikeness,
  join: number = groupingWeights.join,
): string[] {
  const groups: Array<{ id: string; members: SuggestionFeatures[] }> = [];
  return texts.map((text) => {
    const f = featuresOf(text);
    const chosen = chooseGroup(f, groups, likeness, join);
    const group = chosen ? groups.find((g) => g.id === chosen.id) : undefined;
    if (group) {
      group.members.push(f);
      return group.id;
    }
    const id = `g${groups.length + 1}`;
    groups.push({ id, members: [f] });
    return id;
  });
}

/** The concepts a group's members name most, best first: its label. */
export function groupConcepts(members: readonly SuggestionFeatures[], max = 3): string[] {
  const total = new Map<string, number>();
  for (const m of members) for (const id of Object.keys(m.concepts)) total.set(id, (total.get(id) ?? 0) + 1);
  return [...total]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([id]) => id);
}

/**
 * Pairwise precision, recall and F1 of a grouping against hand labels: over every pair of items,
 * a pair put together is right when the labels also put it together.
 */
export function pairwiseScores(
  predicted: readonly string[],
  gold: readonly string[],
): { precision: number; recall: number; f1: number } {
  let together = 0;
  let right = 0;
  let truePairs = 0;
  for (let i = 0; i < gold.length; i++) {
    for (let j = i + 1; j < gold.length; j++) {
      const p = predicted[i] === predicted[j];
      const g = gold[i] === gold[j];
      if (p) together += 1;
      if (g) truePairs += 1;
      if (p && g) right += 1;
    }
  }
  const precision = together === 0 ? 0 : right / together;
  const recall = truePairs === 0 ? 0 : right / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
