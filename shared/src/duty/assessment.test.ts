import { describe, expect, it } from 'vitest';
import { aggregate, assess, gradeFor, minimumStatements } from './assessment';
import type { LedgerEntry } from './ledger';
import { type Rubric, standardRubric } from './rubric';
import { scoreMember } from './score';

const rubric: Rubric = { ...standardRubric(2026), version: 1 };
const thresholds = rubric.thresholds;

describe('grades (thresholds 85 / 70 / 60)', () => {
  it.each([
    [100, 'excellent'],
    [85, 'excellent'],
    [84.9, 'competent'],
    [70, 'competent'],
    [69.9, 'basicallyCompetent'],
    [60, 'basicallyCompetent'],
    [59.9, 'incompetent'],
    [0, 'incompetent'],
  ])('%s → %s', (total, grade) => {
    expect(gradeFor(total, thresholds)).toBe(grade);
  });

  it('follows other thresholds when the rubric sets them', () => {
    expect(gradeFor(80, { excellent: 80, competent: 60, basicallyCompetent: 50 })).toBe('excellent');
  });
});

describe('the assessment out of 100', () => {
  it.each([
    // scores, max → average, points
    [[], 20, null, 0],
    [[90, 80, 70], 20, 80, 16],
    [[95, 90], 20, 92.5, 18.5],
    [[100], 20, 100, 20],
  ])('aggregate %j of %s', (scores, max, average, points) => {
    expect(aggregate(scores, max)).toEqual({ count: scores.length, average, points });
  });

  it('adds rubric points, evaluation and panel, then grades', () => {
    const ledger: LedgerEntry[] = (['research', 'proposal', 'socialReport', 'attendedHall', 'goodDeed'] as const).map(
      (kind, i) => ({ id: `e${i}`, memberId: 'm1', kind, date: '2026-05-01', status: 'verified' }),
    );
    const score = scoreMember(rubric, 'm1', ledger); // 22
    const a = assess(rubric, score, [90, 80, 70], [95, 90]); // 22 + 16 + 18.5
    expect(a.total).toBe(56.5);
    expect(a.grade).toBe('incompetent');
    expect(a.evaluation.count).toBe(3);
  });
});

describe('statements on the minimums', () => {
  it('names who has not met each minimum, or nobody', () => {
    const entries: LedgerEntry[] = [
      { id: 'a', memberId: 'm1', kind: 'proposal', date: '2026-01-01', status: 'verified' },
      { id: 'b', memberId: 'm2', kind: 'proposal', date: '2026-01-01', status: 'verified' },
      { id: 'c', memberId: 'm2', kind: 'research', date: '2026-01-01', status: 'verified' },
    ];
    const scores = ['m1', 'm2'].map((m) => scoreMember(rubric, m, entries));
    const st = minimumStatements(
      rubric,
      scores,
      new Map([
        ['m1', '甲'],
        ['m2', '乙'],
      ]),
    );
    expect(st.find((s) => s.minimumId === 'proposal')?.members).toEqual([]);
    expect(st.find((s) => s.minimumId === 'research')?.members).toEqual([{ id: 'm1', name: '甲' }]);
    expect(st.find((s) => s.minimumId === 'investment')?.required).toBe(false);
  });
});
