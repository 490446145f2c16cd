import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** The screens' code without its comments: what the code itself writes onto a page. */
  function codeOf(path: string): string {
    return readFileSync(path, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/\s\/\/ .*$/gm, '');
  }
  const fullWidth = /[（）：；，。、]/;

  it('leaves full-width brackets, colons and commas to the zh-CN texts (common.aside, withAside, afterColon)', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const offending = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.tsx') && !f.endsWith('.test.tsx'))
      .flatMap((f) =>
        codeOf(join(root, f))
          .split('\n')
          .filter((line) => fullWidth.test(line))
          .map((line) => `${f}: ${line.trim()}`),
      );
    expect(offending).toEqual([]);
  });

  it('has English texts for them', () => {
    expect(en.common.aside.replace('{{text}}', 'x')).toBe(' (x)');
    expect(zhCN.common.aside.replace('{{text}}', 'x')).toBe('（x）');
  });
});
