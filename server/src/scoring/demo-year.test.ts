import { assess, type Grade, type MinimumId, minimumStatements, type Rubric, scoreMember } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { demoYear, demoYearDocs } from './demo-year';
import { toLedgerEntry } from './ledger';

/**
 * The demo year worked out by hand, before the code ran. Standard rubric: attendance 2 (cap 10),
 * speech 1 (5), suggestion 1 (5), vote 1 (3), proposal 4 (12), feedback on a reply 1 (3), social
 * report 3 (9), research 5 (10), good deed 3 (6), project/talent 5 (10), training 1 (3), inspection
 * 2 (4), absence −3 (−9); all five required minimums +5, each one missing −2; rubric part clamped
 * to 0…60. Total = rubric + evaluation average × 20 % + panel average × 20 %.
 * Grades: ≥ 85 优秀, ≥ 70 称职, ≥ 60 基本称职, below 不称职.
 *
 * | member       | rubric lines (by hand)                                   | raw | pts | eval avg→pts | panel avg→pts | total | grade    |
 * | 陈立群        | 10+5+4+3+8+2(fb)+6+5+6+5+2 = 56, +5                         |  61 |  60 | 91 → 18.2    | 93 → 18.6     | 96.8  | 优秀      |
 * | 周敏          | 6+2+3+2+4+3+5+3+1 = 29, +5                                 |  34 |  34 | 85 → 17      | 82 → 16.4     | 67.4  | 基本称职  |
 * | 孙建华        | 4+1+4+1(fb)+3+5+3+10(3rd over cap)+2 = 33, +5              |  38 |  38 | 89 → 17.8    | 89 → 17.8     | 73.6  | 称职      |
 * | 李晓燕        | 8+3+5+3+12+1(fb)+9(4th over cap)+3 = 44, research pending −2 |  42 |  42 | 90 → 18      | 90 → 18       | 78    | 称职      |
 * | 吴国强        | 2+1−6+4 = 1, no research/social/good deed −6               |  −5 |   0 | 65 → 13      | 65 → 13       | 26    | 不称职    |
 * | 徐静          | 10+5(6th over)+2+8+2(fb)+9+10+6+3(4th over)+4 = 59, +5     |  64 |  60 | 88 → 17.6    | 86 → 17.2     | 94.8  | 优秀      |
 * | 朱文斌        | 6+2+2+6+5+6(3rd over)+2+1 = 30, proposal rejected −2       |  28 |  28 | 82 → 16.4    | 80 → 16       | 60.4  | 基本称职  |
 * | 马丽          | 8+4+5(6th over)+3(4th over)+4+1(fb)+3+5+3 = 36, +5         |  41 |  41 | 90 → 18      | 88 → 17.6     | 76.6  | 称职      |
 * | 胡志勇        | 4+4+3+5+3+10−3 = 26, +5                                    |  31 |  31 | 85 → 17      | 85 → 17       | 65    | 基本称职  |
 * | 高雅          | 8+6+5+3+2 = 24, no session −2                              |  22 |  22 | none → 0     | 85 → 17       | 39    | 不称职    |
 * | 林峰          | 2+1+1+1+4+1(fb)+3+5+3+5+4(3rd over) = 30, +5               |  35 |  35 | 90 → 18      | 95 → 19       | 72    | 称职      |
 * | 何军          | 4+2+4+3+3−9(4th over) = 7, research of last year −2        |   5 |   5 | 75 → 15      | 75 → 15       | 35    | 不称职    |
 */
const byHand: Array<[string, number, number, number, number, Grade, MinimumId[]]> = [
  ['m-chen-liqun', 61, 60, 18.2, 18.6, 'excellent', []],
  ['m-zhou-min', 34, 34, 17, 16.4, 'basicallyCompetent', []],
  ['m-sun-jianhua', 38, 38, 17.8, 17.8, 'competent', []],
  ['m-li-xiaoyan', 42, 42, 18, 18, 'competent', ['research']],
  ['m-wu-guoqiang', -5, 0, 13, 13, 'incompetent', ['research', 'socialReport', 'goodDeed']],
  ['m-xu-jing', 64, 60, 17.6, 17.2, 'excellent', []],
  ['m-zhu-wenbin', 28, 28, 16.4, 16, 'basicallyCompetent', ['proposal']],
  ['m-ma-li', 41, 41, 18, 17.6, 'competent', []],
  ['m-hu-zhiyong', 31, 31, 17, 17, 'basicallyCompetent', []],
  ['m-gao-ya', 22, 22, 0, 17, 'incompetent', ['consultation']],
  ['m-lin-feng', 35, 35, 18, 19, 'competent', []],
  ['m-he-jun', 5, 5, 15, 15, 'incompetent', ['research']],
];
const totals: Record<string, number> = {
  'm-chen-liqun': 96.8,
  'm-zhou-min': 67.4,
  'm-sun-jianhua': 73.6,
  'm-li-xiaoyan': 78,
  'm-wu-guoqiang': 26,
  'm-xu-jing': 94.8,
  'm-zhu-wenbin': 60.4,
  'm-ma-li': 76.6,
  'm-hu-zhiyong': 65,
  'm-gao-ya': 39,
  'm-lin-feng': 72,
  'm-he-jun': 35,
};

const { entries, ratings, rubric: doc } = demoYearDocs();
const rubric: Rubric = { ...doc.body, version: doc.version };
const ledger = entries.map(toLedgerEntry);
const scoresOf = (memberId: string, kind: 'evaluation' | 'panel') =>
  ratings.filter((r) => r.memberId === memberId && r.kind === kind).map((r) => r.score);

describe(`the demo year ${demoYear}, computed by hand`, () => {
  it.each(byHand)(
    '%s: raw %s, rubric %s, evaluation %s, panel %s, %s',
    (memberId, raw, points, ev, panel, grade, missing) => {
      const score = scoreMember(rubric, memberId, ledger);
      expect(score.rawTotal).toBe(raw);
      expect(score.points).toBe(points);
      expect(score.missing).toEqual(missing);
      const a = assess(rubric, score, scoresOf(memberId, 'evaluation'), scoresOf(memberId, 'panel'));
      expect(a.evaluation.points).toBe(ev);
      expect(a.panel.points).toBe(panel);
      expect(a.total).toBe(totals[memberId]);
      expect(a.grade).toBe(grade);
    },
  );

  it('says who has not met each minimum', () => {
    const scores = byHand.map(([id]) => scoreMember(rubric, id, ledger));
    const st = minimumStatements(rubric, scores, new Map());
    const who = (id: MinimumId) => st.find((s) => s.minimumId === id)?.members.map((m) => m.id);
    expect(who('proposal')).toEqual(['m-zhu-wenbin']);
    expect(who('socialReport')).toEqual(['m-wu-guoqiang']);
    expect(who('research')).toEqual(['m-li-xiaoyan', 'm-wu-guoqiang', 'm-he-jun']);
    expect(who('consultation')).toEqual(['m-gao-ya']);
    expect(who('goodDeed')).toEqual(['m-wu-guoqiang']);
  });

  it('has records for a dozen members on dates of the year (one of the year before)', () => {
    expect(new Set(entries.map((e) => e.memberId)).size).toBe(12);
    expect(entries.filter((e) => !e.date.startsWith(String(demoYear))).map((e) => e.memberId)).toEqual(['m-he-jun']);
  });
});
