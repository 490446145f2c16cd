/**
 * Text likeness for duplicate hints (查重) and expertise matching (专业对口). Chinese has no spaces,
 * so text is compared as sets of character bigrams; Latin words count as whole tokens. Pure and
 * cheap: run over every open topic on each keystroke pause.
 */

const punctuation = /[\s\p{P}\p{S}]+/u;

/** Bigrams of each CJK run, whole lower-cased words of other scripts. */
export function textGrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const chunk of text.toLowerCase().split(punctuation)) {
    if (!chunk) continue;
    for (const run of chunk.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? []) {
      if (/\p{Script=Han}/u.test(run)) {
        if (run.length === 1) grams.add(run);
        for (let i = 0; i + 1 < run.length; i++) grams.add(run.slice(i, i + 2));
      } else {
        grams.add(run);
      }
    }
  }
  return grams;
}

/**
 * Likeness in [0, 1]: the mean of the Dice coefficient of the two texts' grams and their overlap
 * (shared grams over the smaller set). Dice alone under-rates a short title restated at length
 * ("城东大桥路灯不亮" inside a long description of the same bridge); overlap alone over-rates a
 * short title that shares one common word.
 */
export function textSimilarity(a: string, b: string): number {
  const ga = textGrams(a);
  const gb = textGrams(b);
  if (ga.size === 0 || gb.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared += 1;
  const dice = (2 * shared) / (ga.size + gb.size);
  const overlap = shared / Math.min(ga.size, gb.size);
  return (dice + overlap) / 2;
}

/** Topics at or above this likeness to a new title are pointed out as likely duplicates. */
export const duplicateThreshold = 0.35;

export interface SimilarCandidate {
  id: string;
  title: string;
}

/** Candidates most like `title`, best first, at most `limit`, none below the threshold. */
export function likelyDuplicates<T extends SimilarCandidate>(
  title: string,
  candidates: readonly T[],
  limit = 5,
): Array<T & { similarity: number }> {
  return candidates
    .map((c) => ({ ...c, similarity: Math.round(textSimilarity(title, c.title) * 100) / 100 }))
    .filter((c) => c.similarity >= duplicateThreshold)
    .sort((x, y) => y.similarity - x.similarity || x.id.localeCompare(y.id))
    .slice(0, limit);
}

/**
 * How well a member's expertise tags fit a topic: the tags found in the text (a tag counts when
 * it, or most of its bigrams, appear), best first. A member with no fitting tag is left out.
 */
export function expertiseFit(topicText: string, expertise: readonly string[]): { score: number; tags: string[] } {
  const topicGrams = textGrams(topicText);
  const tags: Array<{ tag: string; fit: number }> = [];
  for (const tag of expertise) {
    const grams = textGrams(tag);
    if (grams.size === 0) continue;
    let hit = 0;
    for (const g of grams) if (topicGrams.has(g)) hit += 1;
    const fit = hit / grams.size;
    if (fit >= 0.5) tags.push({ tag, fit });
  }
  tags.sort((a, b) => b.fit - a.fit);
  return { score: Math.round(tags.reduce((s, t) => s + t.fit, 0) * 100) / 100, tags: tags.map((t) => t.tag) };
}
