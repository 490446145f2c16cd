import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toPdf } from './pdf';
import { sampleInput } from './test-fixtures';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(`[minutes export] PDF test skipped: no Chromium at ${chromiumPath} (Debian package 'chromium').`);
}

describe.skipIf(!hasChromium)('toPdf (headless Chromium at /usr/bin/chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minutes-pdf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the minutes to an A4 PDF laid out as a 协商议事活动纪要, read back in order', async () => {
    const pdf = await toPdf(sampleInput(), { chromiumPath });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(dir, 'minutes.pdf');
    writeFileSync(file, pdf);

    let text: string;
    try {
      text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    } catch (err) {
      throw new Error(`pdftotext failed; install Debian's poppler-utils (apt-get install -y poppler-utils): ${err}`);
    }
    const flat = text.replace(/\s+/g, '');
    let at = -1;
    for (const piece of [
      '关于南门小吃一条街整治的协商议事活动纪要',
      '〔2026〕第3号',
      '时间：2026-05-1214:30',
      '地点：南门街道协商议事室',
      '主持：王建国、李红梅',
      '出席：周敏、陈晓东（线上）',
      '列席：刘洋（部门代表）',
      '共6人：现场5人，线上1人；另缺席1人。',
      '主要内容',
      '一、现状通报',
      '议定事项',
      '通过：同意12，反对3，弃权1',
      '召集人（王建国）签字：',
      '召集人（李红梅）签字：',
    ]) {
      const next = flat.indexOf(piece, at + 1);
      expect(next, piece).toBeGreaterThan(at);
      at = next;
    }

    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:.*\(A4\)/);
  }, 60_000);
});
