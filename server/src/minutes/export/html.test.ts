import { describe, expect, it } from 'vitest';
import { toHtml } from './html';
import { enLabels } from './labels';
import { sampleInput } from './test-fixtures';
import type { BlockNode } from './types';

const evil = '<script>alert("x")</script>';

describe('toHtml', () => {
  it('is a complete A4 page with Chinese typography', () => {
    const html = toHtml(sampleInput());
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('size: A4;');
    expect(html).toContain('font-family: "Noto Serif CJK SC","Noto Sans CJK SC","Source Han Serif SC",serif;');
    expect(html).toContain('<title>关于南门小吃一条街整治的协商议事活动纪要</title>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('is laid out as a 协商议事活动纪要: title, number, time and place, 主持, 出席, 列席, content by item, 议定事项, signatures', () => {
    const html = toHtml(sampleInput());
    const order = [
      '<h1>关于南门小吃一条街整治的协商议事活动纪要</h1>',
      '<p class="doc-number">〔2026〕第3号</p>',
      '<dt>时间：</dt><dd>2026-05-12 14:30</dd>',
      '<dt>地点：</dt><dd>南门街道协商议事室</dd>',
      '<dt>形式：</dt><dd>线上线下同步</dd>',
      '<dt>主持：</dt><dd>王建国、李红梅</dd>',
      '<dt>出席：</dt><dd>周敏、陈晓东（线上）</dd>',
      '<dt>列席：</dt><dd>刘洋（部门代表）</dd>',
      '<p class="summary">共6人：现场5人，线上1人；另缺席1人。</p>',
      '<h2>主要内容</h2>',
      '<h3>会议概况</h3>',
      '<strong>南门小吃一条街</strong>',
      '<a href="https://example.org/notice?id=1">通报</a>',
      '<section class="agenda-item" data-item-id="item-1">\n<h3>一、现状通报</h3>',
      '<li><p>商户 <em>42</em> 家</p></li>',
      '<div class="room-event room-event-speech" data-ref-id="sp-1"><span class="kind">发言</span>：王建国：建议设置夜间限时经营。</div>',
      '<ol>\n<li><p>统一油烟净化</p></li>',
      '<h2>议定事项</h2>',
      '<li>七月底前划定夜间临时摊位区（责任部门：市市场监督管理局，完成时限：2026-07-31）</li>',
      '<li>是否同意实施夜间限时经营方案——通过：同意 12，反对 3，弃权 1</li>',
      '<p>召集人（王建国）签字：__________　日期：__________</p>',
      '<p>召集人（李红梅）签字：__________　日期：__________</p>',
    ];
    // A result not yet published is no decided item.
    expect(html).not.toContain('摊位区选址');
    let at = -1;
    for (const piece of order) {
      const next = html.indexOf(piece);
      expect(next, piece).toBeGreaterThan(at);
      at = next;
    }
  });

  it('escapes <script> and quotes everywhere text goes', () => {
    const body: BlockNode[] = [
      {
        type: 'paragraph',
        content: [{ type: 'text', text: evil, marks: [{ type: 'link', href: `x" onclick="${evil}` }] }],
      },
      { type: 'codeBlock', language: `"><script>`, text: evil },
      { type: 'agendaSection', itemId: `"${evil}`, title: evil, content: [] },
      { type: 'roomEvent', kind: 'suggestion', refId: `"${evil}`, text: evil },
      { type: 'unknown', name: `"${evil}`, text: evil },
    ];
    const html = toHtml(
      sampleInput({
        title: evil,
        sessionMeta: { roomName: evil, scheduledAt: evil, mode: evil, conveners: [evil] },
        version: { label: evil, createdAt: evil },
        attendance: [{ name: evil, role: evil, inHall: true, online: true }],
        votes: [{ question: evil, kind: evil, resultText: evil }],
        labels: { content: evil },
        body,
      }),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/" on\w+="/);
    expect(html).toContain('<title>关于&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;的协商议事活动纪要</title>');
    expect(html).toContain('href="x&quot; onclick=&quot;&lt;script&gt;');
  });

  it('drops javascript: links but keeps their text', () => {
    const html = toHtml(
      sampleInput({
        body: [
          {
            type: 'paragraph',
            content: [{ type: 'text', text: '点我', marks: [{ type: 'link', href: ' JavaScript:alert(1)' }] }],
          },
        ],
      }),
    );
    expect(html).toContain('<p>点我</p>');
    expect(html).not.toContain('alert(1)');
  });

  it('forbids scripts and fetches with a Content-Security-Policy', () => {
    expect(toHtml(sampleInput())).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('renders English labels, without the Chinese first-line indent', () => {
    const html = toHtml(sampleInput({ labels: enLabels }));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<h1>Minutes of the consultation on 南门小吃一条街整治</h1>');
    expect(html).toContain('<h2>Proceedings</h2>');
    expect(html).toContain('<h2>Decisions</h2>');
    expect(html).toContain('<span class="kind">Speech</span>: ');
    expect(html).not.toContain('text-indent: 2em');
  });

  it('renders the remaining node kinds', () => {
    const html = toHtml(
      sampleInput({
        body: [
          { type: 'orderedList', start: 4, content: [{ type: 'listItem', content: [] }] },
          { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: '引', marks: [] }] }] },
          { type: 'codeBlock', language: 'ts', text: 'a < b' },
          { type: 'horizontalRule' },
          {
            type: 'paragraph',
            content: [
              {
                type: 'text',
                text: '甲',
                marks: [
                  { type: 'bold' },
                  { type: 'italic' },
                  { type: 'underline' },
                  { type: 'strike' },
                  { type: 'code' },
                ],
              },
              { type: 'hardBreak' },
              { type: 'unknown', name: 'mention', text: '@王' },
            ],
          },
        ],
      }),
    );
    expect(html).toContain('<ol start="4">\n<li></li>\n</ol>');
    expect(html).toContain('<blockquote>\n<p>引</p>\n</blockquote>');
    expect(html).toContain('<pre><code class="language-ts">a &lt; b</code></pre>');
    expect(html).toContain('<hr>');
    expect(html).toContain(
      '<p><strong><em><u><s><code>甲</code></s></u></em></strong><br><span class="unknown-node" data-node="mention">@王</span></p>',
    );
  });
});
