import { type RubricPreviewRow, standardRubric } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { newRuleId, rubricProblems, sortPreview } from './rubric-model';

const row = (id: string, name: string, current: number | null, draft: number): RubricPreviewRow => ({
  member: { id, name, sectorName: null },
  current: current === null ? null : { rubricPoints: current, total: current, grade: 'incompetent' },
  draft: { rubricPoints: draft, total: draft, grade: 'incompetent' },
  difference: draft - (current ?? 0),
  gradeChanged: false,
});

describe('sortPreview', () => {
  const rows = [row('a', '王芳', 10, 12), row('b', '李强', 8, 8), row('c', '张伟', 20, 15), row('d', '陈静', null, 3)];

  it('sorts by the difference, the draft or the current score, ties by name', () => {
    expect(sortPreview(rows, 'difference', 'descending').map((r) => r.member.id)).toEqual(['d', 'a', 'b', 'c']);
    expect(sortPreview(rows, 'difference', 'ascending').map((r) => r.member.id)).toEqual(['c', 'b', 'a', 'd']);
    expect(sortPreview(rows, 'draft', 'descending').map((r) => r.member.id)).toEqual(['c', 'a', 'b', 'd']);
    // No version in force counts as 0.
    expect(sortPreview(rows, 'current', 'ascending').map((r) => r.member.id)).toEqual(['d', 'b', 'a', 'c']);
  });

  it('sorts names in Chinese order and leaves the input as it was', () => {
    const before = rows.map((r) => r.member.id);
    expect(sortPreview(rows, 'name', 'ascending').map((r) => r.member.name)).toEqual(
      [...rows.map((r) => r.member.name)].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    );
    expect(rows.map((r) => r.member.id)).toEqual(before);
  });
});

describe('rubricProblems', () => {
  const base = standardRubric(2026);

  it('finds none in the standard rubric', () => {
    expect(rubricProblems(base)).toEqual([]);
  });

  it('ties each problem to its field', () => {
    const bad = structuredClone(base);
    const [first, second] = bad.rules;
    if (!first || !second) throw new Error('the standard rubric has rules');
    first.points = 500;
    first.label = '';
    second.kinds = [];
    second.cap = Number.NaN;
    bad.panelMax = 30;
    bad.thresholds.competent = 90;
    expect(rubricProblems(bad).map((p) => [p.path, p.key])).toEqual(
      expect.arrayContaining([
        ['rules.0.points', 'max'],
        ['rules.0.label', 'required'],
        ['rules.1.kinds', 'kindsEmpty'],
        ['rules.1.cap', 'number'],
      ]),
    );
    // Whole-rubric checks run once the fields are sound.
    const sums = structuredClone(base);
    sums.panelMax = 30;
    sums.thresholds.competent = 90;
    const copied = sums.rules[0];
    if (!copied) throw new Error('the standard rubric has rules');
    sums.rules.push({ ...copied });
    expect(rubricProblems(sums).map((p) => p.key)).toEqual(['sum', 'thresholdOrder', 'duplicateRule']);
  });
});

describe('newRuleId', () => {
  it('is not the id of any rule', () => {
    const rules = standardRubric(2026).rules;
    const first = rules[0];
    if (!first) throw new Error('the standard rubric has rules');
    const id = newRuleId([...rules, { ...first, id: `rule${rules.length + 1}` }]);
    expect(rules.map((r) => r.id)).not.toContain(id);
    expect(id).toBe(`rule${rules.length + 2}`);
  });
});
