import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * An inspection (视察) with sign-in by code whose finding is tracked to closure (issue 16): staff
 * (周婷) organise it, inviting 彭辉 and then 邓云; the screen on site shows the rotating code and its QR
 * code. 彭辉, on his phone, answers 参加 and types the code he reads off staff's screen; 邓云 opens
 * the link the QR code holds. Staff see both signed in, record a finding for 市城市管理局 and close
 * the activity; the department (刘建国) reports the work done on its desk and staff verify and
 * close the item. 彭辉's duty page lists the inspection; the dashboard's department table shows the
 * demo's appraisal of 市城市管理局. No other browser test uses 彭辉 or 邓云.
 */
const staff = { login: 'zhou-ting' };
const reader = { login: 'peng-hui', id: 'm-peng-hui', name: '彭辉' };
const scanner = { login: 'deng-yun', id: 'm-deng-yun', name: '邓云' };
const official = { login: 'liu-jianguo' };
const department = '市城市管理局';
const title = '城东老旧小区改造工程视察';
const finding = '幸福里小区新装路灯三处不亮，雨水管道接口渗漏。';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

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

describe('activities', () => {
  it('an inspection with sign-in by code, whose finding is tracked to closure', async () => {
    // Staff organise the inspection and invite two members.
    const s = await signedIn(staff.login, '/activities/new');
    const form = s.getByTestId('activity-form');
    await form.waitFor();
    await form.getByLabel('活动类别').selectOption('inspection');
    await form.getByLabel('活动名称').fill(title);
    await form.getByLabel('日期').fill(today);
    await form.getByLabel('地点').fill('城东街道幸福里小区');
    await form.getByTestId(`invite-${reader.id}`).check();
    await form.getByTestId('activity-create').click();
    await s.getByTestId('activity-code').waitFor();
    const id = decodeURIComponent(s.url().split('/activities/')[1] ?? '');
    expect(id).toMatch(/^act-/);
    expect(await s.getByTestId('activity-title').textContent()).toBe(title);
    // 邓云 is invited afterwards.
    await s.getByTestId('invite-more').click();
    await s.getByTestId(`invite-${scanner.id}`).check();
    await s.getByRole('button', { name: '发出邀请' }).click();
    await s.getByTestId(`invitee-${scanner.id}`).waitFor();

    // 彭辉 answers on his phone and types the code shown on staff's screen.
    const m = await signedIn(reader.login, `/activities/${id}`, true);
    await m.getByTestId('rsvp-attend').click();
    await m.getByTestId('activity-my-answer').getByText('参加').waitFor();
    const code = ((await s.getByTestId('activity-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^\d{6}$/);
    await m.getByTestId('sign-in-code').fill(code);
    await m.getByTestId('sign-in-submit').click();
    await m.getByTestId('activity-signed-in').waitFor();

    // 邓云 opens the link the QR code on the screen holds.
    const link = (await s.getByTestId('activity-qr').getAttribute('data-text')) ?? '';
    expect(link).toMatch(new RegExp(`/activities/${id}/sign-in\\?code=\\d{6}$`));
    const { page: d } = await person(browser, { phone: true });
    await signInAt(d, baseUrl, scanner.login, new URL(link).pathname + new URL(link).search);
    await d.getByTestId('activity-signed-in').waitFor();

    // Staff see both signed in, record the finding and close the activity.
    await s.reload();
    await s.locator(`[data-testid="invitee-${reader.id}"][data-signed-in="true"]`).waitFor();
    await s.locator(`[data-testid="invitee-${scanner.id}"][data-signed-in="true"]`).waitFor();
    const add = s.getByTestId('finding-form');
    await add.getByLabel('问题描述').fill(finding);
    await add.getByLabel('责任部门').fill(department);
    await add.getByTestId('finding-add').click();
    const tracked = s.getByTestId('activity-findings').getByTestId('finding-tracking');
    await tracked.waitFor();
    const itemId = decodeURIComponent((await tracked.getAttribute('href'))?.split('/tracking/')[1] ?? '');
    expect(itemId).toMatch(/^tr-inspection-/);
    await s.getByTestId('activity-close').click();
    await s.locator('[data-testid="activity-state"][data-state="closed"]').waitFor();

    // The department finds it on its desk and reports the work done.
    const o = await signedIn(official.login, '/department');
    const row = o.getByTestId(`department-row-${itemId}`);
    await row.waitFor();
    expect(await row.getByTestId('tracking-source').textContent()).toContain(title);
    await o.getByTestId(`department-report-${itemId}`).click();
    await o.getByTestId('report-text').fill('三处路灯已更换，渗漏接口已重新密封。');
    await o.getByTestId('report-done').check();
    await o.getByTestId('report-submit').click();
    await row.locator('[data-testid="tracking-status"][data-status="reportedDone"]').waitFor();

    // Staff verify and close it.
    await tracked.click();
    await s.getByTestId('tracking-action-verify').click();
    await s.locator('[data-testid="tracking-status"][data-status="verified"]').first().waitFor();
    await s.getByTestId('tracking-action-close').click();
    await s.locator('[data-testid="tracking-status"][data-status="closed"]').first().waitFor();

    // The inspection is on 彭辉's duty record.
    await m.goto(`${baseUrl}/duty`);
    await m.getByText(`参加视察《${title}》`).first().waitFor();
    await m.locator(`a[data-testid="duty-entry-source"][href="/activities/${id}"]`).waitFor({ state: 'attached' });

    // The dashboard's department table shows the year's democratic appraisal (the demo's three
    // ratings of 市城市管理局), never a single rating.
    await s.goto(`${baseUrl}/reports`);
    const appraised = s.getByTestId('dashboard-departments').getByRole('row', { name: /市城市管理局/ });
    await appraised.waitFor();
    expect(await appraised.getByTestId('department-appraisal').textContent()).toBe('4.3');
  });
});
