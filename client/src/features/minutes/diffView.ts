import type { DiffLine } from '@yitang/shared';

export type DiffOp = DiffLine['op'];

/** The sign shown before a line: + added, − (minus sign) removed, nothing for unchanged. */
export const diffSign: Record<DiffOp, string> = { same: '', added: '+', removed: '−' };

/** One row of the rendered diff: a line, or a fold of unchanged lines that can be opened. */
export type DiffItem =
  | { kind: 'line'; op: DiffOp; text: string; sign: string; index: number }
  | { kind: 'fold'; start: number; count: number };

export interface DiffSummary {
  added: number;
  removed: number;
  same: number;
}

export function diffSummary(lines: readonly DiffLine[]): DiffSummary {
  const summary: DiffSummary = { added: 0, removed: 0, same: 0 };
  for (const line of lines) summary[line.op] += 1;
  return summary;
}

/**
 * Lays a diff out for reading: every changed line, `context` unchanged lines around each change, and
 * the longer unchanged stretches folded into one row each (a fold of a single line is not worth it,
 * so that line is shown). Folds whose start index is in `opened` are shown in full.
 */
export function diffItems(
  lines: readonly DiffLine[],
  context = 2,
  opened: ReadonlySet<number> = new Set(),
): DiffItem[] {
  const keep = lines.map((l) => l.op !== 'same');
  lines.forEach((line, i) => {
    if (line.op === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j += 1) keep[j] = true;
  });

  const items: DiffItem[] = [];
  const lineItem = (i: number): DiffItem => {
    const line = lines[i] as DiffLine;
    return { kind: 'line', op: line.op, text: line.text, sign: diffSign[line.op], index: i };
  };
  let i = 0;
  while (i < lines.length) {
    if (keep[i]) {
      items.push(lineItem(i));
      i += 1;
      continue;
    }
    let end = i;
    while (end < lines.length && !keep[end]) end += 1;
    const count = end - i;
    if (count === 1 || opened.has(i)) {
      for (let j = i; j < end; j += 1) items.push(lineItem(j));
    } else {
      items.push({ kind: 'fold', start: i, count });
    }
    i = end;
  }
  return items;
}
