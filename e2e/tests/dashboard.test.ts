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

  it('staff record a consultation held on paper, and the figures by theme and level take it', async () => {
    const { page } = await person(browser);
    type Row = Record<string, number | string | null>;
    type Figures = {
      byTheme: Row[];
      byLevel: Row[];
      totals: Record<string, number>;
      members: { committee: number; withoutProposal: number; withoutSocialReport: number };
    };
    const dashboard = () =>
      page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/api/reports/dashboard' && r.request().method() === 'GET',
      );
    const first = dashboard();
    await signInAt(page, baseUrl, 'zhou-ting', '/reports');
    const before = (await (await first).json()) as Figures;
    const fraudBefore = before.byTheme.find((t) => t.themeId === 'th-anti-fraud');
    const villageBefore = before.byLevel.find((l) => l.level === 'village');
    expect(fraudBefore).toBeTruthy();
    await page.getByTestId('annual-figures').waitFor();
    // The tables show what the server counted, row by row.
    for (const row of before.byTheme) {
      const cells = page.getByTestId(`annual-by-theme-${row.themeId ?? 'none'}`);
      expect(await cells.locator('[data-figure="sessions"]').textContent()).toBe(String(row.sessions));
      expect(await cells.locator('[data-figure="problemsSolved"]').textContent()).toBe(String(row.problemsSolved));
    }
    const levelRow = page.getByTestId('annual-by-level-village');
    expect(await levelRow.locator('[data-figure="paper"]').textContent()).toBe(String(villageBefore?.paper));
    expect(await page.getByTestId('annual-leaders').textContent()).toContain(String(before.totals.cityLeaders));
    expect(await page.getByTestId('annual-members').textContent()).toContain(
      `委员 ${before.members.committee} 名，未提交提案的 ${before.members.withoutProposal} 名`,
    );

    // Record one held yesterday (committee time) in the village room, on 防诈骗.
    await page.getByTestId('record-paper-session').click();
    const form = page.getByTestId('paper-form');
    await form.waitFor();
    const yesterday = await page.evaluate(() => {
      const d = new Date(Date.now() + 8 * 3_600_000 - 24 * 3_600_000);
      return d.toISOString().slice(0, 10);
    });
    await form.getByLabel('协商主题').fill('留守老人防诈骗宣传（纸质记录）');
    await form.getByLabel('议事室').selectOption('room-daqiao');
    await form.getByLabel('日期').fill(yesterday);
    await form.getByLabel('专题').selectOption({ label: '防诈骗' });
    await form.getByLabel('第一召集人').selectOption({ label: '陈立群' });
    await form.getByLabel('按姓名筛选').fill('潘勇');
    await form.getByLabel('潘勇').check();
    await form.getByLabel('按姓名筛选').fill('张伟');
    await form.getByLabel('张伟').check();
    await form.getByRole('button', { name: '添加一条建议' }).click();
    await form.getByLabel('提出人 1').selectOption({ label: '潘勇' });
    await form.getByLabel('建议内容').fill('每月在村广场开展一次防诈骗宣讲。');
    await form.getByRole('button', { name: '添加一项议定事项' }).click();
    await form.getByLabel('事项内容 1').fill('村委会每月组织防诈骗宣讲');
    await form.getByLabel('责任部门').fill('城东镇人民政府');
    await form.getByLabel('签到表扫描件（图片或 PDF）').setInputFiles({
      name: '签到表.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    });
    await form.getByTestId('paper-submit').click();
    const recorded = page.getByTestId('paper-recorded');
    await recorded.waitFor();
    expect(await recorded.textContent()).toContain('签到 2 人，意见建议 1 条，议定事项 1 项，扫描件 1 份');

    // Back on the dashboard, the theme and the village level count one more session, from paper.
    const again = dashboard();
    await page.goto(`${baseUrl}/reports`);
    const after = (await (await again).json()) as Figures;
    const fraudAfter = after.byTheme.find((t) => t.themeId === 'th-anti-fraud');
    const inYear = yesterday.slice(0, 4) === new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const grown = inYear ? 1 : 0;
    expect(fraudAfter?.sessions).toBe(Number(fraudBefore?.sessions) + grown);
    expect(fraudAfter?.paper).toBe(Number(fraudBefore?.paper) + grown);
    const row = page.getByTestId('annual-by-theme-th-anti-fraud');
    await row.waitFor();
    expect(await row.locator('[data-figure="paper"]').textContent()).toBe(String(fraudAfter?.paper));
    expect(await page.getByTestId('annual-by-level-village').locator('[data-figure="paper"]').textContent()).toBe(
      String(Number(villageBefore?.paper) + grown),
    );

    // A topic's page shows its theme, which staff may change.
    await page.goto(`${baseUrl}/topics/tp-year-weddings`);
    const theme = page.getByTestId('topic-theme').getByLabel('专题');
    await expect.poll(() => theme.inputValue()).toBe('th-customs');
    await theme.selectOption({ label: '和美乡村' });
    await page.getByTestId('topic-theme').getByRole('button', { name: '保存专题' }).click();
    await page.getByTestId('topic-theme').getByRole('status').waitFor();
    const stored = await page.request.get(`${baseUrl}/api/topics/tp-year-weddings/theme`);
    expect(await stored.json()).toEqual({ themeId: 'th-harmony' });

    // Going straight on to another topic (as a notice's link does, without leaving the page) shows
    // that topic's theme, not the one just saved on the first.
    const other = 'tp-year-elder-fraud';
    const otherTheme = (
      (await (await page.request.get(`${baseUrl}/api/topics/${other}/theme`)).json()) as {
        themeId: string | null;
      }
    ).themeId;
    expect(otherTheme).not.toBe('th-harmony');
    await page.evaluate((path) => {
      history.pushState(null, '', path);
      dispatchEvent(new PopStateEvent('popstate'));
    }, `/topics/${other}`);
    await page.waitForURL(`**/topics/${other}`);
    await expect.poll(() => theme.inputValue()).toBe(otherTheme ?? '');
  });
});
