import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * The organisation console's ordered lists (sectors, working groups, district committees share one
 * list component). Staff add a district committee of their own, rename it, move it up past the
 * demo's last one and back, and delete it, so the demo's list ends as it began. Every box is
 * reached by its label, as a screen reader reaches it.
 */
const baseUrl = inject('baseUrl');
const first = '测试工委甲';
const renamed = '测试工委乙';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The names in the list, in order. */
const names = (section: Locator) => section.locator('.org-list > li .org-row__name').allTextContents();

const said = (page: Page, text: string) => page.locator(`[data-testid="org-status"]:has-text("${text}")`).waitFor();

describe('the organisation console', () => {
  it('adds, renames, reorders and deletes a district committee in its ordered list', async () => {
    const page = (await person(browser)).page;
    await signInAt(page, baseUrl, 'zhou-ting', '/org/districts');
    const section = page.locator('section[aria-labelledby="org-districts"]');
    await section.waitFor();
    const before = await names(section);
    expect(before.length).toBeGreaterThan(0);

    // Added from the form under the list, which empties after.
    const add = section.locator('form.org-form');
    await add.getByLabel('名称').fill(first);
    await add.getByRole('button', { name: '添加' }).click();
    await said(page, '已添加。');
    expect(await names(section)).toEqual([...before, first]);
    expect(await add.getByLabel('名称').inputValue()).toBe('');

    // Renamed in place: the rename box opens with the name, focused.
    await section.getByRole('button', { name: `改名：${first}` }).click();
    const box = section.getByLabel('改名', { exact: true });
    expect(await box.inputValue()).toBe(first);
    expect(await box.evaluate((e) => e === document.activeElement)).toBe(true);
    await box.fill(renamed);
    await section.getByRole('button', { name: '保存' }).click();
    await said(page, '已保存。');
    expect(await names(section)).toEqual([...before, renamed]);

    // Up past the demo's last one, then back down.
    await section.getByRole('button', { name: `上移 ${renamed}` }).click();
    await said(page, '已保存。');
    await expect.poll(() => names(section)).toEqual([...before.slice(0, -1), renamed, ...before.slice(-1)]);
    await section.getByRole('button', { name: `下移 ${renamed}` }).click();
    await expect.poll(() => names(section)).toEqual([...before, renamed]);
    expect(await section.getByRole('button', { name: `下移 ${renamed}` }).isDisabled()).toBe(true);

    // Deleted after the question is answered.
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toBe(`确定删除“${renamed}”？`);
      void dialog.accept();
    });
    await section.getByRole('button', { name: `删除：${renamed}` }).click();
    await said(page, '已删除。');
    await expect.poll(() => names(section)).toEqual(before);
  });

  it('keeps the committee’s term and year when their boxes are cleared and saved', async () => {
    const page = (await person(browser)).page;
    await signInAt(page, baseUrl, 'zhou-ting', '/org');
    const committee = page.locator('details.org-committee');
    await committee.locator('summary').click();
    const summaryBefore = await committee.locator('summary').textContent();
    // An empty box went out as 0 before: the browser now asks for a number at the box.
    for (const label of ['届次', '年度']) {
      const box = committee.getByLabel(label);
      const before = await box.inputValue();
      await box.fill('');
      await committee.getByRole('button', { name: '保存' }).click();
      expect(await box.evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
      await box.fill(before);
    }
    await page.reload();
    expect(await committee.locator('summary').textContent()).toBe(summaryBefore);
  });

  it('opens 编辑 on another member with that member’s own fields, never the first one’s', async () => {
    const page = (await person(browser)).page;
    await signInAt(page, baseUrl, 'zhou-ting', '/org');
    const list = page.getByTestId('org-members');
    await list.waitFor();
    await page.getByRole('button', { name: '编辑 曹明', exact: true }).click();
    const form = page.getByTestId('org-member-form');
    expect(await form.getByLabel('姓名').inputValue()).toBe('曹明');

    // Straight to another member's 编辑, the first form still open: saving it would have written
    // 曹明's name, title, sector and contacts over 陈立群's.
    await page.getByRole('button', { name: '编辑 陈立群', exact: true }).click();
    await form.getByRole('heading', { name: '编辑：陈立群' }).waitFor();
    expect(await form.getByLabel('姓名').inputValue()).toBe('陈立群');
    await form.getByRole('button', { name: '取消' }).click();
    await form.waitFor({ state: 'detached' });
  });
});
