import {
  type RubricBody,
  RubricBody as RubricBodySchema,
  type RubricPreviewRow,
  type RubricRule,
} from '@yitang/shared';

/** A problem with a draft, found by the shared contract, worded by the page (`rubrics.problem.<key>`). */
export interface RubricProblem {
  /** Where: `rules.2.points`, `thresholds`, `rubricMax`… (also the field's `data-path`). */
  path: string;
  key:
    | 'max'
    | 'min'
    | 'number'
    | 'required'
    | 'kindsEmpty'
    | 'ruleId'
    | 'sum'
    | 'thresholdOrder'
    | 'duplicateRule'
    | 'duplicateMinimum'
    | 'invalid';
  params: Record<string, number>;
}

/** The draft's problems, as the server would refuse it (the same schema), each tied to its field. */
export function rubricProblems(body: RubricBody): RubricProblem[] {
  const parsed = RubricBodySchema.safeParse(body);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue): RubricProblem => {
    const path = issue.path.map(String).join('.');
    const last = issue.path.at(-1);
    switch (issue.code) {
      case 'too_big':
        return { path, key: 'max', params: { max: Number(issue.maximum) } };
      case 'too_small':
        if (last === 'kinds') return { path, key: 'kindsEmpty', params: {} };
        if (last === 'label') return { path, key: 'required', params: {} };
        return { path, key: 'min', params: { min: Number(issue.minimum) } };
      case 'invalid_type':
        return { path, key: 'number', params: {} };
      case 'invalid_format':
        return { path, key: 'ruleId', params: {} };
      case 'custom': {
        const head = issue.path[0];
        if (head === 'rubricMax') return { path, key: 'sum', params: {} };
        if (head === 'thresholds') return { path, key: 'thresholdOrder', params: {} };
        if (head === 'rules') return { path, key: 'duplicateRule', params: {} };
        if (head === 'minimums') return { path, key: 'duplicateMinimum', params: {} };
        return { path, key: 'invalid', params: {} };
      }
      default:
        return { path, key: 'invalid', params: {} };
    }
  });
}

/** An id for a new rule that no rule of the draft has. */
export function newRuleId(rules: readonly RubricRule[]): string {
  const ids = new Set(rules.map((r) => r.id));
  let n = rules.length + 1;
  while (ids.has(`rule${n}`)) n += 1;
  return `rule${n}`;
}

export type PreviewSortKey = 'name' | 'current' | 'draft' | 'difference';

/** The preview's rows sorted by a column; ties keep the name order (Chinese collation). */
export function sortPreview(
  rows: readonly RubricPreviewRow[],
  key: PreviewSortKey,
  direction: 'ascending' | 'descending',
): RubricPreviewRow[] {
  const byName = (a: RubricPreviewRow, b: RubricPreviewRow) => a.member.name.localeCompare(b.member.name, 'zh-CN');
  const value = (r: RubricPreviewRow): number =>
    key === 'current' ? (r.current?.total ?? 0) : key === 'draft' ? r.draft.total : r.difference;
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const order = key === 'name' ? byName(a, b) : value(a) - value(b);
    return order !== 0 ? sign * order : byName(a, b);
  });
}
