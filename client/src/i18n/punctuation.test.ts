import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';

/** Every text of a language file, with its key. */
function* texts(node: unknown, key = ''): Generator<[string, string]> {
  if (typeof node === 'string') yield [key, node];
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) yield* texts(v, key ? `${key}.${k}` : k);
  }
}

const han = '[\\u4e00-\\u9fff]';
/** An ASCII colon, comma, semicolon, question or exclamation mark or bracket touching a Chinese character. */
const asciiBesideHan = new RegExp(`${han}\\s*[:,;?!()]|[:,;?!()]\\s*${han}`);

describe('Chinese texts use Chinese punctuation', () => {
  it('has no ASCII punctuation beside a Chinese character in any zh-CN text (web addresses and $t() nesting aside)', () => {
    const offending = [...texts(zhCN)]
      .filter(([, text]) => asciiBesideHan.test(text.replace(/https?:\/\/\S*/g, '').replace(/\$t\([^()]*\)/g, '')))
      .map(([key, text]) => `${key}: ${text}`);
    expect(offending).toEqual([]);
  });

  it('would notice one', () => {
    expect(asciiBesideHan.test('停用: 张三')).toBe(true);
    expect(asciiBesideHan.test('停用：张三')).toBe(false);
  });
});

describe('English screens show no Chinese punctuation', () => {
  /**
   * The texts a file's code writes: its string and template literals and its JSX text, read with
   * the TypeScript parser (comments, regular expressions and `image/*` in a string are not text
   * and do not hide any).
   */
  function textsOf(path: string): string[] {
    const source = ts.createSourceFile(
      path,
      readFileSync(path, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (
        ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateHead(node) ||
        ts.isTemplateMiddle(node) ||
        ts.isTemplateTail(node) ||
        ts.isJsxText(node)
      ) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push(`${line}: ${node.text.trim()}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  }
  const fullWidth = /[（）：；，。、？！《》【】]/;
  /** Chinese data, not words around a translation: the import's example row is a Chinese member. */
  const chineseData = new Set(['features/org/importMembers.ts']);

  // It parses every source file of the client: about 2 s alone, over vitest's default 5 s on a
  // loaded machine (a soak beside it), which is the work's size, not a fault.
  it('leaves full-width brackets, colons and commas to the zh-CN texts (common.aside, withAside, afterColon)', {
    timeout: 60_000,
  }, () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const code = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (f) =>
        /\.tsx?$/.test(f) &&
        !/\.test\.tsx?$/.test(f) &&
        !/(^|\/)i18n/.test(f) &&
        !f.includes('zh-CN') &&
        !chineseData.has(f),
    );
    expect(code.length).toBeGreaterThan(100);
    const offending = code.flatMap((f) =>
      textsOf(join(root, f))
        .filter((text) => fullWidth.test(text))
        .map((text) => `${f}:${text}`),
    );
    expect(offending).toEqual([]);
  });

  it('finds such a text in code, and not in a comment or past a string that looks like one', () => {
    const path = join(tmpdir(), `punctuation-${process.pid}.tsx`);
    writeFileSync(
      path,
      [
        '// 注释（不算）',
        'const a = <input accept="image/*,application/pdf" />;',
        "const b = names.join('、');",
        '/* 也不算：*/',
      ].join('\n'),
    );
    try {
      expect(textsOf(path).filter((text) => fullWidth.test(text))).toEqual(['3: 、']);
    } finally {
      rmSync(path);
    }
  });

  it('has English texts for them', () => {
    expect(en.common.aside.replace('{{text}}', 'x')).toBe(' (x)');
    expect(zhCN.common.aside.replace('{{text}}', 'x')).toBe('（x）');
  });
});
