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
  it('is a zip holding word/document.xml with the Chinese title, sections, attendance, votes and body', async () => {
    const buffer = await toDocx(sampleInput());
    expect(buffer.subarray(0, 2).toString('latin1')).toBe('PK');
    const { zip, xml } = await documentXml(buffer);
    for (const text of [
      '南门小吃一条街整治',
      '出席人员',
      '表决结果',
      '会议纪要',
      '第一召集人',
      '陈晓东',
      '通过:同意 12,反对 3,弃权 1',
      '一、现状通报',
      '王建国：建议设置夜间限时经营。',
      '划定临时摊位',
    ]) {
      expect(xml, text).toContain(text);
    }
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(xml).toContain('<w:tblHeader/>');
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
    expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</w:t>');
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
    expect(xml).toContain('Attendance');
    expect(xml).toContain('Minutes');
    expect(xml).toContain('Speech: ');
  });
});
