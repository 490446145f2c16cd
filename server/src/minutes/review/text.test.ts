import { limits } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildDoc, el, p, sampleDoc, t } from '../export/test-fixtures';
import { blocksOf, bodyMarkdown, contentDisposition, excerpt, fileStem, lineDiff, plainText } from './text';

const state = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc);

describe('minutes text', () => {
  it('reads plain text: one block a line, agenda titles and room events included', () => {
    const text = plainText(blocksOf(state(sampleDoc())));
    expect(text.split('\n')).toEqual([
      '会议概况',
      '本次会议围绕南门小吃一条街的油烟与占道问题进行协商，详见通报。',
      '一、现状通报',
      '商户 42 家',
      '投诉 17 件',
      '王建国：建议设置夜间限时经营。',
      '统一油烟净化',
      '划定临时摊位',
    ]);
  });

  it('reads an empty or missing state as no blocks', () => {
    expect(blocksOf(null)).toEqual([]);
    expect(plainText(blocksOf(state(new Y.Doc())))).toBe('');
  });

  it('renders the body as the export does, without the title and the tables', () => {
    const md = bodyMarkdown(blocksOf(state(buildDoc([p(t('第一段')), el('heading', { level: 2 }, t('小标题'))]))));
    expect(md).toBe('第一段\n\n#### 小标题\n');
  });

  it('diffs line by line', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'removed', text: 'b' },
      { op: 'added', text: 'B' },
      { op: 'same', text: 'c' },
      { op: 'added', text: 'd' },
    ]);
    expect(lineDiff('', '')).toEqual([]);
  });

  it('gives up on texts too long or too different to diff within bounds', () => {
    const many = Array.from({ length: limits.maxMinutesDiffLines + 1 }, (_, i) => `行${i}`).join('\n');
    expect(lineDiff('', many)).toBeNull();
    const a = Array.from({ length: limits.maxMinutesDiffEditLines + 1 }, (_, i) => `甲${i}`).join('\n');
    const b = Array.from({ length: limits.maxMinutesDiffEditLines + 1 }, (_, i) => `乙${i}`).join('\n');
    expect(lineDiff(a, b)).toBeNull();
  });

  it('cuts an excerpt around the first hit, in code points, on one line', () => {
    const text = `${'前'.repeat(40)}设置临时摊位区\n集中经营${'后'.repeat(40)}`;
    const e = excerpt(text, '临时摊位区', 5);
    expect(e).toBe('…前前前设置临时摊位区 集中经营…');
    expect(excerpt(text, '不存在的词')).toBeNull();
    expect(excerpt('Hello (World)', 'world)')).toBe('Hello (World)');
    expect(excerpt('𠀋𠀋目标𠀋', '目标', 1)).toBe('…𠀋目标𠀋');
  });

  it('names the download in RFC 5987 form with an ASCII fallback', () => {
    const d = contentDisposition("南门(小吃)街's 纪要.md", 'minutes-s1.md');
    expect(d).toBe(
      `attachment; filename="minutes-s1.md"; filename*=UTF-8''%E5%8D%97%E9%97%A8%28%E5%B0%8F%E5%90%83%29%E8%A1%97%27s%20%E7%BA%AA%E8%A6%81.md`,
    );
    expect(decodeURIComponent(d.split("''")[1] ?? '')).toBe("南门(小吃)街's 纪要.md");
    expect(fileStem('a/b\\c:\u0007 "d"  ')).toBe('a b c d');
    expect(fileStem('///')).toBe('minutes');
  });
});
