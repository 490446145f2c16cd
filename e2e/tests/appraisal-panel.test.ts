import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * A democratic appraisal (民主评议) seen by its organiser who also rates: 何军, convener of the
 * grassroots working group, organises one and invites himself. His own rating must show in the
 * results' count at once, and a failed load of the results must say so rather than show nothing.
 * No other browser test uses 何军.
 */
const organiser = { login: 'he-jun', id: 'm-he-jun' };
const department = '市科学技术局';
const title = '科技服务窗口民主评议';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('appraisal panel', () => {
  it("counts the organiser's own rating at once, and says when the results cannot be loaded", async () => {
    const { page } = await person(browser, { phone: true });
    await signInAt(page, baseUrl, organiser.login, '/activities/new');
    const form = page.getByTestId('activity-form');
    await form.waitFor();
    await form.getByLabel('活动类别').selectOption('appraisal');
    await form.getByLabel('活动名称').fill(title);
    await form.getByLabel('日期').fill(today);
    await form.getByLabel('地点').fill('市民服务中心');
    await form.locator('textarea[name="departments"]').fill(department);
    await form.locator('textarea[name="criteria"]').fill('服务态度\n办事效率');
    await form.getByTestId(`invite-${organiser.id}`).check();
    await form.getByTestId('activity-create').click();

    // Before rating: the results name the department with no rating yet.
    const panel = page.getByRole('region', { name: '民主评议' });
    const heading = panel.getByRole('heading', { level: 4, name: /市科学技术局/ });
    await heading.waitFor();
    expect(await heading.textContent()).toBe('市科学技术局（0 份评议）');

    await panel.getByLabel('服务态度（1–5 分）').selectOption('4');
    await panel.getByRole('button', { name: '提交评议' }).click();
    await panel.getByText('市科学技术局：已评议').waitFor();
    // The count follows his rating without a reload of the page (it stayed at 0 before).
    await panel.getByRole('heading', { level: 4, name: '市科学技术局（1 份评议）' }).waitFor();
    // Fewer than three ratings: no scores, never one person's.
    await panel.getByText('不足 3 份评议，暂不显示分数。').waitFor();

    // The results' request fails: the panel says so (it showed nothing before).
    await page.route('**/api/activities/*/appraisal', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"UNAVAILABLE"}' }),
    );
    await page.reload();
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('服务暂时不可用，请稍后再试。');
    expect(await panel.getByRole('heading', { level: 4 }).count()).toBe(0);
  });
});
