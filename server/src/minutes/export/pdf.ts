import { chromium } from 'playwright-core';
import { toHtml } from './html';
import type { ExportInput } from './types';

export interface PdfOptions {
  /** A Chromium binary, e.g. /usr/bin/chromium (Debian's package). */
  chromiumPath: string;
  /** Limit for launching the browser and for each step of rendering; 30 s by default. */
  timeoutMs?: number;
}

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The minutes as an A4 PDF: `toHtml` printed by headless Chromium. The Chinese glyphs come from the
 * system's Noto CJK fonts, which Chromium embeds (subset) into the PDF. The page runs without
 * JavaScript and offline. One browser per call, always closed.
 */
export async function toPdf(input: ExportInput, opts: PdfOptions): Promise<Buffer> {
  const html = toHtml(input);
  const timeout = opts.timeoutMs ?? 30_000;
  const browser = await chromium.launch({
    executablePath: opts.chromiumPath,
    headless: true,
    args: chromiumArgs,
    timeout,
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      tagged: true,
      outline: true,
    });
  } finally {
    await browser.close();
  }
}
