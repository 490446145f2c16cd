import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('dashboards in the browser', () => {
  it('show the figures the server counted, as cards, a described chart, a table and the same CSV', async () => {
    const { page } = await person(browser, { phone: true });
    const answered = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/reports/dashboard' && r.request().method() === 'GET',
    );
    await signInAt(page, baseUrl, 'zhou-ting', '/reports');
    const data = (await (await answered).json()) as { totals: Record<string, number> };
    await page.getByTestId('dashboard-figures').waitFor();

    // Each card shows the server's count.
    for (const key of [
      'sessions',
      'withSecondConvener',
      'suggestions',
      'outcomesResolved',
      'leadersDistinct',
      'hotlineClosed',
    ]) {
      const value = await page.getByTestId(`figure-${key}`).locator('.dashboard-figure__value').textContent();
      expect([key, Number(value)]).toEqual([key, data.totals[key]]);
    }
    // The table's total row carries the same number of sessions.
    const total = await page.getByTestId('dashboard-row-total').textContent();
    expect(total).toContain(String(data.totals.sessions));
    // The chart is described to screen readers (ECharts' aria option), once it has loaded.
    const chart = page.getByTestId('dashboard-chart-sessions');
    await chart.locator('canvas, svg').first().waitFor();
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toBeTruthy();
    // On a phone nothing scrolls the page sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The CSV: UTF-8 with a byte-order mark, the same total.
    const href = await page.getByTestId('dashboard-csv').getAttribute('href');
    const csv = await page.request.get(`${baseUrl}${href}`);
    const bytes = await csv.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const totalLine = bytes
      .toString('utf8')
      .split(/\r?\n/)
      .find((line) => line.startsWith('合计'));
    expect(totalLine?.split(',').map(Number).slice(1, 2)).toEqual([data.totals.sessions]);
  });
});
