import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Under `set -o pipefail` a pipeline fails when its writer dies of SIGPIPE, and a reader that
// stops early (`head`, `grep -q`, `awk '… exit'`) sends exactly that if the writer is still
// writing. Whether it is still writing depends on timing: CI once failed with exit 141 after
// `ferretdb --version | head -n 1`, on a run where the same line had passed many times before.
const earlyReader = /\|\s*(head\b|grep\s+-[a-zA-Z]*q|awk\b[^|]*\bexit\b|sed\s+-n\s+'?[0-9]+q)/;

const dir = import.meta.dirname;
const scripts = [
  ...readdirSync(dir)
    .filter((name) => name.endsWith('.sh'))
    .map((name) => join('scripts', name)),
  join('.ci', 'run'),
];

function offending(path: string): string[] {
  const text = readFileSync(join(dir, '..', path), 'utf8');
  if (!/set\s+-[a-z]*o\s+pipefail|set\s+-o\s+pipefail/.test(text)) return [];
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), at: `${path}:${i + 1}` }))
    .filter(({ line }) => !line.startsWith('#') && earlyReader.test(line))
    .map(({ line, at }) => `${at}: ${line}`);
}

describe('shell scripts under pipefail', () => {
  it('finds the scripts CI runs', () => {
    expect(scripts).toContain(join('scripts', 'setup.sh'));
    expect(scripts).toContain(join('scripts', 'test.sh'));
  });

  it.each(scripts)('%s pipes into no reader that stops early', (path) => {
    expect(offending(path)).toEqual([]);
  });

  it('recognises the pipelines that failed CI', () => {
    expect(earlyReader.test('"$ferretdb" --version | head -n 1')).toBe(true);
    expect(earlyReader.test("fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'")).toBe(true);
    expect(earlyReader.test('pnpm install --frozen-lockfile | tail -n 3')).toBe(false);
  });
});
