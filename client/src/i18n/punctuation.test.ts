import { describe, expect, it } from 'vitest';
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
