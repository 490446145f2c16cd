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

  it('prints the minutes to an A4 PDF whose text has the Chinese title, an attendee and the vote result', async () => {
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
    expect(text).toContain('南门小吃一条街整治');
    expect(text).toContain('陈晓东');
    expect(text).toContain('通过:同意 12,反对 3,弃权 1');
    expect(text).toContain('会议纪要');

    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:.*\(A4\)/);
  }, 60_000);
});
