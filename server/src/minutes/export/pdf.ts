import { limits } from '@yitang/shared';
import { chromium, type Page } from 'playwright-core';
import { BoundedQueue } from '../../lib/bounded-queue';
import { toHtml } from './html';
import type { ExportInput } from './types';

export interface PdfOptions {
  /** A Chromium binary, e.g. /usr/bin/chromium (Debian's package). */
  chromiumPath: string;
  /** Limit for launching the browser and for each step of rendering; `limits.pdfTimeoutMs` by default. */
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
 * Every PDF this process prints (minutes, bulletins) goes through this one queue: one Chromium at
 * a time, `limits.pdfQueueWaiting` waiting behind it, and anyone beyond told the printer is busy.
 * Each render is a browser process of a few hundred MB; before, every request started its own.
 * Per process, not per server: the processes are what the machine runs out of.
 */
export const pdfQueue = new BoundedQueue(
  1,
  limits.pdfQueueWaiting,
  'PDF export is busy; please try again in a minute.',
);

/** Prints one self-contained HTML page with headless Chromium, through `pdfQueue`. */
export function printHtml(
  html: string,
  opts: PdfOptions,
  pdf: NonNullable<Parameters<Page['pdf']>[0]>,
): Promise<Buffer> {
  return pdfQueue.run(() => print(html, opts, pdf));
}

/**
 * The minutes as an A4 PDF: `toHtml` printed by headless Chromium. The Chinese glyphs come from the
 * system's Noto CJK fonts, which Chromium embeds (subset) into the PDF. The page runs without
 * JavaScript and offline. One browser per call, always closed.
 */
export function toPdf(input: ExportInput, opts: PdfOptions): Promise<Buffer> {
  return printHtml(toHtml(input), opts, {
    format: 'A4',
    printBackground: true,
    preferCSSPageSize: true,
    tagged: true,
    outline: true,
  });
}

async function print(html: string, opts: PdfOptions, pdf: NonNullable<Parameters<Page['pdf']>[0]>): Promise<Buffer> {
  const timeout = opts.timeoutMs ?? limits.pdfTimeoutMs;
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
    return await page.pdf(pdf);
  } finally {
    await browser.close();
  }
}
