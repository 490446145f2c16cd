import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/**
 * Where the README's pictures go when a run asks for them (`YITANG_SCREENSHOTS=1`); without it the
 * browser tests write none.
 */
export const screenshotDir = process.env.YITANG_SCREENSHOTS
  ? fileURLToPath(new URL('../docs/screenshots/', import.meta.url))
  : null;

/** The tallest picture kept: a longer page is cut there, the README shows its top. */
const maxHeight = 2400;

/**
 * Writes docs/screenshots/<name>.png when pictures are asked for: in CSS pixels (390 wide from a
 * phone, 1280 from a desk, whatever the device's pixel ratio), the screen as it is, or with
 * `fullPage` the page from its top down to its end or `maxHeight`.
 */
export async function docShot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  if (!screenshotDir) return;
  mkdirSync(screenshotDir, { recursive: true });
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('the page has no viewport');
  const height = opts.fullPage
    ? Math.min(maxHeight, await page.evaluate(() => document.documentElement.scrollHeight))
    : viewport.height;
  await page.screenshot({
    path: path.join(screenshotDir, `${name}.png`),
    scale: 'css',
    fullPage: opts.fullPage ?? false,
    clip: { x: 0, y: 0, width: viewport.width, height },
  });
}
