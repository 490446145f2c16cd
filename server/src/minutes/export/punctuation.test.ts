import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { resultText } from '../review/labels';
import { outcomeText, pollText, speechText, suggestionText } from '../texts';
import { chinesePunctuation } from './common';
import { toDocx } from './docx';
import { toHtml } from './html';
import { toMarkdown } from './markdown';
import { sampleInput } from './test-fixtures';
import type { BlockNode, RoomEventNode } from './types';

/** ASCII : , ; ( ) ? ! touching a Chinese character, with some context, for the failure message. */
function asciiNextToChinese(text: string): string[] {
  return Array.from(text.matchAll(/.{0,6}(?:\p{Script=Han}[:,;()?!]|[:,;()?!]\p{Script=Han}).{0,6}/gu), (m) => m[0]);
}

const event = (kind: RoomEventNode['kind'], text: string, refId = text): RoomEventNode => ({
  type: 'roomEvent',
  kind,
  refId,
  text,
});

/** Room events as the writer writes them now, and as it wrote them before (ASCII, label in the text). */
const body: BlockNode[] = [
  {
    type: 'agendaSection',
    itemId: 'a1',
    title: '现状通报',
    content: [
      event('speech', speechText('周敏', 180)),
      event('speech', '发言:周敏(3秒)'),
      event('suggestion', suggestionText('孙建华', '建议先摸清摊位数量')),
      event('suggestion', '意见建议(孙建华):建议先摸清摊位数量'),
      event('poll', '表决:是否同意划定夜间临时摊位区?——通过:同意 2,反对 1,弃权 0'),
      event('outcome', outcomeText({ text: '划定摊位区', department: '市场监管局', deadline: '2026-07-31' })),
      event('outcome', '协商成果:划定摊位区(责任部门:市场监管局,完成时限:2026-07-31)'),
    ],
  },
];

const input = sampleInput({
  body,
  votes: [
    {
      question: '是否同意划定夜间临时摊位区？',
      kind: 'yesno',
      resultText: resultText(
        {
          kind: 'yesno',
          question: '是否同意划定夜间临时摊位区？',
          secret: false,
          electorate: 'members',
          quorum: { type: 'none' },
          majority: { rule: 'simple', base: 'cast' },
        },
        {
          kind: 'yesno',
          quorum: { required: 0, reached: true },
          ballots: 3,
          base: 3,
          votesNeeded: null,
          outcome: 'adopted',
        },
        { kind: 'yesno', ballots: 3, yes: 2, no: 1, abstain: 0 },
      ),
    },
  ],
});

async function docxText(): Promise<string> {
  const zip = await JSZip.loadAsync(await toDocx(input));
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  return Array.from(xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g), (m) => m[1]).join('\n');
}

const htmlText = () =>
  toHtml(input)
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<[^>]+>/g, '\n');

describe('generated Chinese text uses Chinese punctuation', () => {
  it('in the blocks the room writes into the minutes', () => {
    const poll = pollText({
      settings: {
        kind: 'single',
        question: '摊位区选址',
        secret: false,
        electorate: 'members',
        quorum: { type: 'none' },
        majority: { rule: 'simple', base: 'cast' },
        options: [
          { id: 'a', label: '东侧' },
          { id: 'b', label: '西侧' },
        ],
      },
      result: {
        kind: 'single',
        quorum: { required: 0, reached: true },
        ballots: 8,
        base: 8,
        votesNeeded: null,
        standings: [
          { optionId: 'a', votes: 5 },
          { optionId: 'b', votes: 3 },
        ],
        outcome: { type: 'elected', winner: 'a' },
      },
      tally: null,
    });
    for (const text of [
      speechText('周敏', 3),
      suggestionText('孙建华', '建议'),
      poll,
      outcomeText({ text: '甲', department: '乙', deadline: '2026-07-31' }),
    ]) {
      expect(asciiNextToChinese(text), text).toEqual([]);
    }
  });

  it('in the Markdown, HTML (PDF) and Word exports, old ASCII blocks included, each label once', async () => {
    for (const [format, text] of [
      ['md', toMarkdown(input)],
      ['html', htmlText()],
      ['docx', await docxText()],
    ] as const) {
      expect(asciiNextToChinese(text), format).toEqual([]);
      expect(text, format).not.toMatch(/发言\s*[：:]\s*[*\n]*发言/);
      expect(text, format).not.toMatch(/表决\s*[：:]\s*[*\n]*表决/);
    }
    const md = toMarkdown(input);
    expect(md).toContain('> **发言**：周敏（3分钟）');
    expect(md).toContain('> **发言**：周敏（3秒）');
    expect(md).toContain('> **意见建议（孙建华）**：建议先摸清摊位数量');
    expect(md).toContain('> **表决**：是否同意划定夜间临时摊位区？——通过：同意 2，反对 1，弃权 0');
    expect(md).toContain('> **协商成果**：划定摊位区（责任部门：市场监管局，完成时限：2026-07-31）');
  });

  it('leaves times, dates and English alone', () => {
    expect(chinesePunctuation('14:30 开始, a (b) c')).toBe('14:30 开始，a (b) c');
    expect(chinesePunctuation('Time: 2026-07-31 (Fri)')).toBe('Time: 2026-07-31 (Fri)');
    expect(chinesePunctuation('结果(A 5 票,B 3 票)')).toBe('结果（A 5 票，B 3 票）');
  });
});
