import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * A democratic-supervision finding followed like a consultation outcome (issue 15): staff (李娜)
 * create it from the tracking list; the department (刘建国, 市城市管理局) finds it on its desk with
 * its source and reports it done; staff verify and close it; the list filtered by source shows it.
 * Other tests use this desk only through rows of their own items.
 */
const staff = { login: 'li-na' };
const official = { login: 'liu-jianguo' };
const title = '城区六项环境问题民主监督';
const summary = '监督组现场查看发现：城东河道黑臭，沿岸垃圾堆放。';
const work = '三个月内完成城东河道清淤，清运沿岸垃圾';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(login: string, next: string, phone = false): Promise<Page> {
  const { page } = await person(browser, { phone });
  await signInAt(page, baseUrl, login, next);
  return page;
}

describe('tracking items from other sources', () => {
  it('a supervision finding is created by staff, handled on the department desk and closed', async () => {
    const s = await signedIn(staff.login, '/tracking', true);
    await s.getByTestId('tracking-create-open').click();
    const form = s.getByTestId('tracking-create-form');
    await form.getByLabel('来源').selectOption('supervision');
    await form.getByLabel('标题').fill(title);
    await form.getByLabel('情况说明（监督或视察发现的问题）').fill(summary);
    await form.getByLabel('办理要求').fill(work);
    await form.getByLabel('责任部门').fill('市城市管理局');
    await form.getByRole('button', { name: '交办' }).click();
    await s.getByTestId('tracking-item').waitFor();
    const id = decodeURIComponent(s.url().split('/tracking/')[1] ?? '');
    expect(id).toMatch(/^tr-supervision-/);
    const source = s.getByTestId('tracking-item').getByTestId('tracking-source');
    expect(await source.getAttribute('data-kind')).toBe('supervision');
    expect(await source.textContent()).toBe(`民主监督发现：${title}`);
    await s.getByText(summary).waitFor();

    // The department sees it on its desk, with its source, and reports it done.
    const o = await signedIn(official.login, '/department');
    const row = o.getByTestId(`department-row-${id}`);
    await row.waitFor();
    expect(await row.getByTestId('tracking-source').textContent()).toBe(`民主监督发现：${title}`);
    await o.getByTestId(`department-report-${id}`).click();
    await o.getByTestId('report-text').fill('河道清淤已完成，沿岸垃圾清运完毕。');
    await o.getByTestId('report-done').check();
    await o.getByTestId('report-submit').click();
    await row.locator('[data-testid="tracking-status"][data-status="reportedDone"]').waitFor();

    // Staff verify and close it: without a session, they take the conveners' part.
    await s.reload();
    await s.getByTestId('tracking-action-verify').click();
    await s.locator('[data-testid="tracking-status"][data-status="verified"]').first().waitFor();
    await s.getByTestId('tracking-action-close').click();
    await s.locator('[data-testid="tracking-status"][data-status="closed"]').first().waitFor();

    // The list filtered by source kind shows it, and only that kind.
    await s.goto(`${baseUrl}/tracking?kind=supervision`);
    await s.getByTestId(`tracking-row-${id}`).waitFor();
    const kinds = await s
      .locator('[data-testid^="tracking-row-"] [data-testid="tracking-source"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.every((k) => k === 'supervision')).toBe(true);
  });
});
