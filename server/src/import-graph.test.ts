import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.dirname(fileURLToPath(import.meta.url));
const seedDir = path.join(src, 'seed') + path.sep;

/** Every relative module specifier in a file: static imports and re-exports (type-only too), and dynamic `import('./…')`. */
function relativeImports(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1]) found.push(m[1]);
  return found;
}

/** The file a relative specifier names, as TypeScript would find it (`./x` → x.ts or x/index.ts; `./x.js` → x.ts). */
function resolve(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), base.replace(/\.js$/, '.ts')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!hit) throw new Error(`${path.relative(src, from)} imports ${spec}, which is no file`);
  return hit;
}

/** Each file reachable from `entry` through relative imports, with the chain that reaches it. */
function reachable(entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const todo = [entry];
  for (let file = todo.pop(); file; file = todo.pop()) {
    const chain = chains.get(file) ?? [file];
    for (const spec of relativeImports(readFileSync(file, 'utf8'))) {
      const next = resolve(file, spec);
      if (chains.has(next)) continue;
      chains.set(next, [...chain, next]);
      todo.push(next);
    }
  }
  return chains;
}

const show = (chain: string[]) => chain.map((f) => path.relative(src, f)).join(' → ');

describe('the production entry', () => {
  it('reaches no file under src/seed/ (the demo has its own entry, demo-main.ts)', () => {
    const files = reachable(path.join(src, 'main.ts'));
    // The walk reaches the server itself, not just the entry's own file.
    expect(files.has(path.join(src, 'app.ts'))).toBe(true);
    expect(files.has(path.join(src, 'rooms', 'live-room.ts'))).toBe(true);
    const seeded = [...files].filter(([file]) => file.startsWith(seedDir)).map(([, chain]) => show(chain));
    expect(seeded).toEqual([]);
  });

  it('is told apart from the demo entry, which does reach the seed', () => {
    const files = reachable(path.join(src, 'demo-main.ts'));
    expect([...files.keys()].some((file) => file.startsWith(seedDir))).toBe(true);
  });
});

describe('relativeImports', () => {
  it('finds static, type-only, re-exported, side-effect and dynamic imports, and skips packages', () => {
    const code = [
      "import { a } from './a';",
      "import type { B } from '../b/b';",
      "import {\n  c,\n  type C,\n} from './c';",
      "export { d } from './d';",
      "export * from './e';",
      "import './f';",
      "const { g } = await import('./g');",
      "import { z } from 'zod';",
      "import { hostname } from 'node:os';",
    ].join('\n');
    expect(relativeImports(code)).toEqual(['./a', '../b/b', './c', './d', './e', './f', './g']);
  });
});
