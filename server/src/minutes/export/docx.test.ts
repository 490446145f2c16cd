import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { toDocx } from './docx';
import { enLabels } from './labels';
import { sampleInput } from './test-fixtures';

async function documentXml(buffer: Buffer): Promise<{ zip: JSZip; xml: string }> {
  const zip = await JSZip.loadAsync(buffer);
  const file = zip.file('word/document.xml');
  if (!file) throw new Error('word/document.xml is missing');
  return { zip, xml: await file.async('string') };
}

describe('toDocx', () => {
  it('is a zip holding word/document.xml laid out as a 协商议事活动纪要, in order', async () => {
    const buffer = await toDocx(sampleInput());
    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
    const { zip, xml } = await documentXml(buffer);
    // The document's text, run by run, read back from the XML.
    const text = Array.from(xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g), (m) => m[1]).join('');
    let at = -1;
    for (const piece of [
      '关于南门小吃一条街整治的协商议事活动纪要',
      '〔2026〕第3号',
      '时间：2026-05-12 14:30',
      '地点：南门街道协商议事室',
      '形式：线上线下同步',
      '主持：王建国、李红梅',
      '出席：周敏、陈晓东（线上）',
      '列席：刘洋（部门代表）',
      '共6人：现场5人，线上1人；另缺席1人。',
      '主要内容',
      '一、现状通报',
      '发言：王建国：建议设置夜间限时经营。',
      '划定临时摊位',
      '议定事项',
      '七月底前划定夜间临时摊位区（责任部门：市市场监督管理局，完成时限：2026-07-31）',
      '是否同意实施夜间限时经营方案——通过：同意 12，反对 3，弃权 1',
      '召集人（王建国）签字：__________　日期：__________',
      '召集人（李红梅）签字：__________　日期：__________',
    ]) {
      const next = text.indexOf(piece, at + 1);
      expect(next, piece).toBeGreaterThan(at);
      at = next;
    }
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(zip.file('word/numbering.xml')).not.toBeNull();
    const rels = await zip.file('word/_rels/document.xml.rels')?.async('string');
    expect(rels).toContain('https://example.org/notice?id=1');
  });

  it('escapes markup and drops characters XML cannot carry', async () => {
    const { xml } = await documentXml(
      await toDocx(
        sampleInput({
          title: '<script>alert(1)</script>\u0007\uD800',
          body: [{ type: 'paragraph', content: [{ type: 'text', text: 'a & b\u0000', marks: [] }] }],
        }),
      ),
    );
    expect(xml).toContain('关于&lt;script&gt;alert(1)&lt;/script&gt;的协商议事活动纪要</w:t>');
    expect(xml).toContain('a &amp; b</w:t>');
    expect(Array.from(xml).filter((c) => c < '\t')).toEqual([]);
  });

  it('restarts numbering for each ordered list and honours its start', async () => {
    const item = (text: string) => ({
      type: 'listItem' as const,
      content: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text, marks: [] }] }],
    });
    const buffer = await toDocx(
      sampleInput({
        outcomes: [],
        votes: [],
        body: [
          { type: 'orderedList', start: 1, content: [item('一')] },
          { type: 'orderedList', start: 5, content: [item('五')] },
        ],
      }),
    );
    const zip = await JSZip.loadAsync(buffer);
    const numbering = (await zip.file('word/numbering.xml')?.async('string')) ?? '';
    expect(numbering).toContain('<w:start w:val="5"/>');
    const { xml } = await documentXml(buffer);
    const numIds = Array.from(xml.matchAll(/<w:numId w:val="(\d+)"\/>/g), (m) => m[1]);
    expect(new Set(numIds).size).toBe(2);
  });

  it('uses English labels when given', async () => {
    const { xml } = await documentXml(await toDocx(sampleInput({ labels: enLabels })));
    expect(xml).toContain('Proceedings');
    expect(xml).toContain('Decisions');
    expect(xml).toContain('Speech: ');
  });
});
