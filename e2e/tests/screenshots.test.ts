/**
 * The pages the README shows beyond the live room (issue 19, "refresh the screenshots"), each
 * opened as its user would on the device they would use, in Chinese: a proposal's trail and the
 * member's duty record on a phone, the phone's header menu, signing in to an activity with the
 * code read off the organiser's screen, the 组织管理 console and the year's figures on a desk.
 * Each page must come up with its heading, and on a phone without scrolling sideways; with
 * `YITANG_SCREENSHOTS=1` the run also writes the pictures into docs/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { docShot } from '../docShots';
import { signInAt } from '../pages';

let browser: Browser;
const baseUrl = inject('baseUrl');
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Signs in on a phone or a desk and waits until `path` has drawn `ready` with nothing loading. */
async function opened(login: string, path: string, ready: string, phone: boolean): Promise<Page> {
  const { page } = await person(browser, { phone });
  await signInAt(page, baseUrl, login, path);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.locator(ready).first().waitFor();
  await settled(page);
  return page;
}

async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** A phone page fits its width: nothing makes it scroll sideways. */
async function fitsPhone(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

describe('on a phone', () => {
  it('a proposal with its trail, from submission to the department’s answer', async () => {
    const page = await opened('zhou-ting', '/proposals/pp-demo-food', '[data-testid="proposal-trail"]', true);
    expect(await page.locator('main h1').first().textContent()).toContain('校园周边食品安全');
    expect(await page.getByTestId('proposal-trail').locator('li').count()).toBeGreaterThanOrEqual(5);
    await fitsPhone(page);
    await docShot(page, 'proposal-phone', { fullPage: true });
    await page.context().close();
  });

  it('the member’s own duty record', async () => {
    const page = await opened('zheng-yu', '/duty', '[data-testid="duty-member-page"]', true);
    expect(await page.locator('main h1').first().textContent()).toBe('我的履职');
    await fitsPhone(page);
    await docShot(page, 'duty-phone', { fullPage: true });
    await page.context().close();
  });

  it('the header’s menu, opened', async () => {
    const page = await opened('zheng-yu', '/', 'main h1', true);
    await page.getByTestId('app-menu-button').click();
    await page.getByTestId('nav-duty').waitFor();
    await fitsPhone(page);
    await docShot(page, 'phone-menu');
    await page.context().close();
  });

  it('signing in to an activity with the code shown on site', async () => {
    // Staff organise a training for today and invite 唐丽; the code is on their screen.
    const staff = await opened('zhou-ting', '/activities', 'main h1', false);
    const id = await staff.evaluate(async (date) => {
      const res = await fetch('/api/activities', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'training',
          title: '委员履职能力提升专题学习',
          date,
          place: '市政协三楼会议室',
          invitees: ['m-tang-li'],
        }),
      });
      if (!res.ok) throw new Error(`creating the activity answered ${res.status}`);
      return ((await res.json()) as { id: string }).id;
    }, today);
    await staff.goto(`${baseUrl}/activities/${id}`);
    const code = ((await staff.getByTestId('activity-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^\d{6}$/);

    // 唐丽, on her phone, answers 参加 and types the code.
    const page = await opened('tang-li', `/activities/${id}`, '[data-testid="activity-title"]', true);
    await page.getByTestId('rsvp-attend').click();
    await page.getByTestId('activity-my-answer').getByText('参加').waitFor();
    await page.getByTestId('sign-in-code').fill(code);
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('activity-signed-in').first().waitFor();
    await settled(page);
    await fitsPhone(page);
    await docShot(page, 'activity-sign-in-phone', { fullPage: true });
    await page.context().close();
    await staff.context().close();
  });
});

describe('on a desk', () => {
  it('the 组织管理 console', async () => {
    const page = await opened('zhou-ting', '/org', '[data-testid="org-console"]', false);
    expect(await page.getByTestId('org-members').locator('li').count()).toBeGreaterThan(0);
    await docShot(page, 'org-console', { fullPage: true });
    await page.context().close();
  });

  it('the year’s figures and reports', async () => {
    const page = await opened('zhou-ting', '/reports', '[data-testid="annual-figures"]', false);
    expect(await page.getByTestId('annual-headlines').locator('li').count()).toBeGreaterThan(0);
    await docShot(page, 'annual-figures', { fullPage: true });
    await page.context().close();
  });
});
