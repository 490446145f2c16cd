import { describe, expect, it } from 'vitest';
import { enLabels } from './labels';
import { toMarkdown } from './markdown';
import { sampleInput } from './test-fixtures';
import type { BlockNode, InlineNode, Mark } from './types';

const tx = (text: string, ...marks: Mark[]): InlineNode => ({ type: 'text', text, marks });
const para = (...content: InlineNode[]): BlockNode => ({ type: 'paragraph', content });

/** Only the minutes body of the Markdown. */
function body(...blocks: BlockNode[]): string {
  const md = toMarkdown(sampleInput({ body: blocks }));
  return md.slice(md.indexOf('## 会议纪要\n\n') + '## 会议纪要\n\n'.length).replace(/\n$/, '');
}

describe('toMarkdown', () => {
  it('writes the whole minutes exactly', () => {
    expect(toMarkdown(sampleInput())).toBe(`# 南门小吃一条街整治

- **议事室**：南门街道协商议事室
- **时间**：2026-05-12 14:30
- **形式**：线上线下结合
- **召集人**：王建国、李红梅
- **版本**：定稿 · 2026-05-13 09:00

## 出席人员

共 4 人：现场 2 人，线上 1 人，缺席 1 人。

| 姓名 | 身份 | 出席方式 |
| --- | --- | --- |
| 王建国 | 第一召集人 | 现场 |
| 李红梅 | 第二召集人 | 现场 |
| 陈晓东 | 委员 | 线上 |
| 赵敏 | 群众代表 | 缺席 |

## 表决结果

| 表决事项 | 方式 | 结果 |
| --- | --- | --- |
| 是否同意实施夜间限时经营方案 | 赞成/反对 | 通过:同意 12,反对 3,弃权 1 |

## 会议纪要

### 会议概况

本次会议围绕**南门小吃一条街**的油烟与占道问题进行协商，详见[通报](https://example.org/notice?id=1)。

### 一、现状通报

- 商户 *42* 家
- 投诉 17 件

> **发言**：王建国：建议设置夜间限时经营。

1. 统一油烟净化
2. 划定临时摊位
`);
  });

  it('uses English labels when given', () => {
    const md = toMarkdown(sampleInput({ labels: enLabels, votes: [], attendance: [], body: [] }));
    expect(md).toContain(
      '- **Room**: 南门街道协商议事室\n- **Time**: 2026-05-12 14:30\n- **Format**: In the room and online',
    );
    expect(md).toContain('## Attendance\n\nNo attendance recorded.\n\n## Votes\n\nNo votes were taken.');
    expect(md).toContain('## Minutes\n\n(The minutes are empty.)\n');
  });

  it('shows the time in the requested zone and unknown modes and poll kinds as given', () => {
    const md = toMarkdown(
      sampleInput({
        timeZone: 'UTC',
        sessionMeta: { roomName: 'R', scheduledAt: '2026-05-12T06:30:00Z', mode: 'walk', conveners: [] },
        votes: [{ question: 'Q', kind: 'approval', resultText: 'ok' }],
      }),
    );
    expect(md).toContain('- **时间**：2026-05-12 06:30\n- **形式**：walk\n- **版本**');
    expect(md).toContain('| Q | approval | ok |');
  });

  it('escapes Markdown syntax in text, in tables and at line starts', () => {
    expect(body(para(tx('*不是强调* [不是链接](x) <b> a_b `c` | ~d~')))).toBe(
      '\\*不是强调\\* \\[不是链接\\](x) \\<b\\> a\\_b \\`c\\` \\| \\~d\\~',
    );
    expect(body(para(tx('# 不是标题')), para(tx('- 不是列表')), para(tx('1. 不是编号')))).toBe(
      '\\# 不是标题\n\n\\- 不是列表\n\n1\\. 不是编号',
    );
    const md = toMarkdown(sampleInput({ votes: [{ question: 'A | B', kind: 'yesno', resultText: '多行\n结果' }] }));
    expect(md).toContain('| A \\| B | 赞成/反对 | 多行 结果 |');
  });

  it('shares delimiters between adjacent runs and keeps whitespace outside them', () => {
    const bold: Mark = { type: 'bold' };
    const italic: Mark = { type: 'italic' };
    expect(body(para(tx('甲'), tx('乙 ', bold), tx('丙', bold, italic), tx(' 丁')))).toBe('甲**乙 *丙*** 丁');
    expect(body(para(tx('删', { type: 'strike' }), tx('下', { type: 'underline' })))).toBe('~~删~~下');
  });

  it('writes code spans that survive backticks, and code blocks with a long enough fence', () => {
    expect(body(para(tx('a`b', { type: 'code' }), tx(' 和 '), tx('`x', { type: 'code' })))).toBe('``a`b`` 和 `` `x ``');
    expect(body({ type: 'codeBlock', language: 'sh', text: 'echo ```\nls' })).toBe('````sh\necho ```\nls\n````');
  });

  it('drops unsafe links but keeps their text', () => {
    expect(body(para(tx('点我', { type: 'link', href: 'javascript:alert(1)' })))).toBe('点我');
    expect(body(para(tx('空格', { type: 'link', href: 'https://example.org/a b' })))).toBe(
      '[空格](<https://example.org/a b>)',
    );
  });

  it('writes hard breaks, nested lists, an ordered start, quotes and rules', () => {
    expect(
      body(
        para(tx('上'), { type: 'hardBreak' }, tx('下')),
        {
          type: 'orderedList',
          start: 3,
          content: [
            {
              type: 'listItem',
              content: [
                para(tx('三')),
                { type: 'bulletList', content: [{ type: 'listItem', content: [para(tx('三之一'))] }] },
              ],
            },
            { type: 'listItem', content: [para(tx('四'))] },
          ],
        },
        { type: 'blockquote', content: [para(tx('引一')), para(tx('引二'))] },
        { type: 'horizontalRule' },
      ),
    ).toBe('上\\\n下\n\n3. 三\n   - 三之一\n4. 四\n\n> 引一\n>\n> 引二\n\n---');
  });

  it('shifts headings under the section heading and nests agenda sections', () => {
    expect(
      body(
        { type: 'heading', level: 1, content: [tx('总')] },
        {
          type: 'agendaSection',
          itemId: 'a',
          title: '',
          content: [{ type: 'heading', level: 2, content: [tx('细')] }],
        },
        { type: 'heading', level: 6, content: [tx('深')] },
      ),
    ).toBe('### 总\n\n### 议程\n\n##### 细\n\n###### 深');
  });

  it('keeps unknown nodes as their text and skips empty paragraphs', () => {
    expect(
      body(
        para(),
        { type: 'unknown', name: 'callout', text: '# 一\n二' },
        para(tx('前'), { type: 'unknown', name: 'm', text: '@王' }),
      ),
    ).toBe('\\# 一\\\n二\n\n前@王');
  });

  it('writes every room event kind with its label', () => {
    const kinds = ['speech', 'suggestion', 'poll', 'outcome'] as const;
    expect(body(...kinds.map((kind) => ({ type: 'roomEvent' as const, kind, refId: 'r', text: '文' })))).toBe(
      '> **发言**：文\n\n> **意见建议**：文\n\n> **表决**：文\n\n> **协商成果**：文',
    );
  });
});
