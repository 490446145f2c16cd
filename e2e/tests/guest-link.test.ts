/**
 * Issue 19, guest links: an invitation link is how its guest comes back. Opened again in a second
 * browser (WeChat hands links to the system browser) it signs the same guest in without asking
 * anything; after the guest leaves, the link lets them in again.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { RoomPage } from '../pages';

const sessionId = 's-nanmen-snacks';
let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a guest invitation link', () => {
  it('opens again in a second browser and after leaving, as the same guest', async () => {
    const c = new RoomPage((await person(browser)).page, baseUrl);
    await c.signInAndOpen(sessionId, 'chen-liqun', 'yitang-demo');
    await c.by('invite-role').selectOption('observer');
    await c.by('invite-name').fill('旁听代表 王五');
    // The validity is left empty: the server keeps the link until the day after the session.
    expect(await c.by('invite-hours').inputValue()).toBe('');
    await c.by('invite-create').click();
    const link = await c.by('invite-link').inputValue();

    // First open, in the chat app's browser: the guest gives a name and is in.
    const first = new RoomPage((await person(browser, { phone: true })).page, baseUrl);
    await first.page.goto(link);
    await first.by('invite-name-input').fill('王五');
    await first.by('invite-accept').click();
    await first.page.locator('[data-testid="room-you"]').getByText('王五').waitFor();
    // A guest is offered only their session: no archive of all minutes, no dashboards.
    expect(await first.by('nav-archive').count()).toBe(0);
    expect(await first.by('nav-dashboard').count()).toBe(0);

    // Second open, in the system browser: no name asked, the same guest comes in.
    const second = new RoomPage((await person(browser, { phone: true })).page, baseUrl);
    await second.page.goto(link);
    await second.by('invite-returning').waitFor();
    // Each page's tab is titled by its heading, not only "议堂".
    await second.page.waitForFunction(() => document.title === '议事活动邀请 · 议堂');
    expect(await second.by('invite-returning').textContent()).toContain('王五');
    expect(await second.by('invite-name-input').isVisible()).toBe(false);
    await second.by('invite-accept').click();
    await second.page.locator('[data-testid="room-you"]').getByText('王五').waitFor();

    // The guest leaves ("离开", not "退出登录"), then opens the link once more and is back in.
    const leave = second.by('switch-identity');
    expect(await leave.textContent()).toBe('离开');
    await leave.click();
    await second.page.waitForURL(/\/login/);
    await second.page.goto(link);
    await second.by('invite-accept').click();
    await second.page.locator('[data-testid="room-you"]').getByText('王五').waitFor();
    expect(await second.by('switch-identity').textContent()).toBe('离开');
  });
});

describe('the header', () => {
  it('offers the dashboards only to those they let in', async () => {
    const member = new RoomPage((await person(browser)).page, baseUrl);
    const asked = member.page.waitForResponse((r) => r.url().endsWith('/api/reports/access'));
    await member.pickIdentityAndOpen(sessionId, 'm-zheng-yu');
    expect(await (await asked).json()).toEqual({ dashboards: false });
    await member.by('nav-archive').waitFor();
    await member.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(await member.by('nav-dashboard').count()).toBe(0);
    const staff = new RoomPage((await person(browser)).page, baseUrl);
    await staff.pickIdentityAndOpen(sessionId, 's-zhou-ting');
    await staff.by('nav-dashboard').click();
    await staff.page.waitForFunction(() => /^\S.* · 议堂$/.test(document.title) && document.title !== '议堂');
    const heading = await staff.page.locator('main h1').first().textContent();
    expect(await staff.page.title()).toBe(`${heading?.trim()} · 议堂`);
  });
});
