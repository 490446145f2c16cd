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
  const from = md.indexOf('## 主要内容\n\n') + '## 主要内容\n\n'.length;
  return md.slice(from, md.indexOf('\n\n## 议定事项\n\n'));
}

describe('toMarkdown', () => {
  it('writes the whole minutes exactly, laid out as a 协商议事活动纪要', () => {
    expect(toMarkdown(sampleInput())).toBe(`# 关于南门小吃一条街整治的协商议事活动纪要

〔2026〕第3号

- **时间**：2026-05-12 14:30
- **地点**：南门街道协商议事室
- **形式**：线上线下同步
- **主持**：王建国、李红梅
- **出席**：周敏、陈晓东（线上）
- **列席**：刘洋（部门代表）
- **记录**：孙丽
- **缺席**：赵敏

共6人：现场5人，线上1人；另缺席1人。

版本：定稿 · 2026-05-13 09:00

## 主要内容

### 会议概况

本次会议围绕**南门小吃一条街**的油烟与占道问题进行协商，详见[通报](https://example.org/notice?id=1)。

### 一、现状通报

- 商户 *42* 家
- 投诉 17 件

> **发言**：王建国：建议设置夜间限时经营。

1. 统一油烟净化
2. 划定临时摊位

## 议定事项

1. 七月底前划定夜间临时摊位区（责任部门：市市场监督管理局，完成时限：2026-07-31）
2. 是否同意实施夜间限时经营方案——通过：同意 12，反对 3，弃权 1

召集人（王建国）签字：\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_　日期：\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_

召集人（李红梅）签字：\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_　日期：\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_
`);
  });

  it('uses English labels when given', () => {
    const md = toMarkdown(
      sampleInput({ labels: enLabels, votes: [], attendance: [], outcomes: [], documentNumber: null, body: [] }),
    );
    expect(md).toContain('# Minutes of the consultation on 南门小吃一条街整治\n\n- **Time**: 2026-05-12 14:30\n');
    expect(md).toContain('- **Place**: 南门街道协商议事室\n- **Format**: Hybrid\n- **Presiding**: 王建国, 李红梅');
    expect(md).toContain('## Proceedings\n\n(The minutes are empty.)\n\n## Decisions\n\nNo decisions were recorded.');
  });

  it('shows the time in the requested zone and unknown modes as given', () => {
    const md = toMarkdown(
      sampleInput({
        timeZone: 'UTC',
        sessionMeta: { roomName: 'R', scheduledAt: '2026-05-12T06:30:00Z', mode: 'walk', conveners: [] },
      }),
    );
    expect(md).toContain('- **时间**：2026-05-12 06:30\n- **地点**：R\n- **形式**：walk\n- **主持**：无');
    expect(md).toContain('\n\n召集人签字：');
  });

  it('escapes Markdown syntax in text, in decided items and at line starts', () => {
    expect(body(para(tx('*不是强调* [不是链接](x) <b> a_b `c` | ~d~')))).toBe(
      '\\*不是强调\\* \\[不是链接\\](x) \\<b\\> a\\_b \\`c\\` \\| \\~d\\~',
    );
    expect(body(para(tx('# 不是标题')), para(tx('- 不是列表')), para(tx('1. 不是编号')))).toBe(
      '\\# 不是标题\n\n\\- 不是列表\n\n1\\. 不是编号',
    );
    const md = toMarkdown(
      sampleInput({ outcomes: [], votes: [{ question: 'A | B', kind: 'yesno', resultText: '多行\n结果' }] }),
    );
    expect(md).toContain('1. A \\| B——多行\\\n   结果');
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
