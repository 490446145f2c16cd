import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * A social-conditions report (社情民意) start to finish, each person in their own browser: 曹明
 * submits it on his phone; staff (周婷) find it in their queue, adopt it at city level, record the
 * mayor's instruction and what came of it; 曹明 sees every step on the report, hears of the
 * adoption, and his duty page counts it with its source. No other browser test uses 曹明.
 */
const member = { login: 'cao-ming', name: '曹明' };
const staff = { login: 'zhou-ting' };
const title = '关于城东农贸市场周边早高峰拥堵的情况反映';
const year = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
);

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

const state = (page: Page, s: string) => page.locator(`[data-testid="social-report"][data-state="${s}"]`).waitFor();

describe('social-conditions reports', () => {
  it('submitted, adopted at city level with a leader’s instruction, seen step by step and counted', async () => {
    // The member submits on his phone.
    const m = await signedIn(member.login, '/social-reports/new', true);
    const form = m.getByTestId('social-report-form');
    await form.waitFor();
    await form.locator('input[name="title"]').fill(title);
    await form
      .locator('textarea[name="content"]')
      .fill('每天早上七点到八点，农贸市场进货车辆占道停放，学生上学、居民出行受阻。建议划定临时装卸区并错峰进货。');
    await form.locator('button[type="submit"]').click();
    await state(m, 'submitted');
    const id = decodeURIComponent(m.url().split('/social-reports/')[1] ?? '');
    expect(id).toMatch(/^sr-/);
    expect(await m.getByTestId('social-report-state').textContent()).toBe('已报送，待处理');

    // Staff find it in their queue and adopt it at city level.
    const s = await signedIn(staff.login, '/social-reports?scope=queue');
    await s.getByTestId('social-reports-list').getByText(title).click();
    await state(s, 'submitted');
    await s.getByTestId('social-report-adopt-level').selectOption('city');
    await s.getByTestId('social-report-adopt').click();
    await state(s, 'adopted');
    expect(await s.getByTestId('social-report-state').textContent()).toBe('已采用（市级采用）');

    // The mayor's instruction, then what came of it.
    await s.getByTestId('social-report-leader').fill('王明（市长）');
    await s.getByTestId('social-report-leader-level').selectOption('city');
    await s.getByTestId('social-report-instruction').fill('请城管局、交警大队会同城东镇研究解决。');
    await s.getByTestId('social-report-instruct').click();
    await state(s, 'instructed');
    await s.getByTestId('social-report-result-text').fill('已划定临时装卸区两处，早高峰拥堵明显缓解。');
    await s.getByTestId('social-report-result-submit').click();
    await state(s, 'concluded');

    // The member hears of the adoption and sees each step.
    await m.reload();
    await state(m, 'concluded');
    const trail = await m
      .getByTestId('social-report-trail')
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
    expect(trail).toEqual(['submit', 'adopt', 'instruct', 'result']);
    const text = (await m.getByTestId('social-report-trail').textContent()) ?? '';
    expect(text).toContain('采用（市级）');
    expect(text).toContain('王明（市长）');
    expect(await m.getByTestId('social-report-instructions').textContent()).toContain(
      '请城管局、交警大队会同城东镇研究解决。',
    );
    expect(await m.getByTestId('social-report-result').textContent()).toBe(
      '已划定临时装卸区两处，早高峰拥堵明显缓解。',
    );
    await m.getByTestId('notifications-button').click();
    await m.getByTestId('notifications-list').getByText(`您的社情民意信息“${title}”：已采用`).waitFor();

    // His duty page counts it by itself, with its source: the report submitted, and the highest
    // level it was adopted at; each links to the report instead of offering a form.
    await m.goto(`${baseUrl}/duty?year=${year}`);
    const submitted = m.locator(`[data-testid="duty-entry-sr:${id}:submitted"]`);
    const level = m.locator(`[data-testid="duty-entry-sr:${id}:level"]`);
    await submitted.waitFor();
    await level.waitFor();
    expect(await submitted.getAttribute('data-kind')).toBe('socialReport');
    expect(await submitted.getAttribute('data-status')).toBe('verified');
    expect(await level.getAttribute('data-kind')).toBe('socialReportCity');
    expect(await level.textContent()).toContain('来源：社情民意报送和采用自动记录');
    expect(await level.textContent()).toContain('社情民意信息被市级采用');
    expect(await level.getByTestId('duty-entry-points').textContent()).toBe('计 2 分');
    expect(await level.getByTestId('duty-entry-source').getAttribute('href')).toBe(`/social-reports/${id}`);
    expect(await m.getByTestId('duty-minimum-socialReport').getAttribute('data-met')).toBe('true');
  });
});
