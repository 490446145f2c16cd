/**
 * Issue 19 ("the phone header takes 30 % of the screen"): on a 390×844 phone the header is one
 * compact row — the brand, the notification bell, the language switch and a menu button — and
 * the pages, who you are and the way out sit in a menu the button discloses. Every link is still
 * reachable by keyboard through that menu; Escape closes it and gives the focus back. A desk keeps
 * the whole row, with no menu to open.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** What each role must find in the menu, in the order a keyboard meets it. */
const roles = [
  {
    who: 'member',
    login: 'zheng-yu',
    entries: [
      'nav-archive',
      'nav-topics',
      'nav-proposals',
      'nav-social-reports',
      'nav-activities',
      'nav-tracking',
      'nav-duty',
      'change-password-link',
      'switch-identity',
    ],
    follow: { entry: 'nav-duty', path: '/duty' },
  },
  {
    who: 'staff',
    login: 'zhou-ting',
    entries: [
      'nav-archive',
      'nav-topics',
      'nav-dashboard',
      'nav-proposals',
      'nav-social-reports',
      'nav-activities',
      'nav-tracking',
      'nav-duty',
      'nav-hotline',
      'nav-delivery-log',
      'nav-security',
      'nav-accounts',
      'nav-org',
      'change-password-link',
      'switch-identity',
    ],
    follow: { entry: 'nav-org', path: '/org' },
  },
] as const;

/** Signs in on a device and waits until the header has everything it asked the server for. */
async function signedIn(login: string, phone: boolean): Promise<Page> {
  const { page } = await person(browser, { phone });
  await signInAt(page, baseUrl, login, '/');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.locator('main h1').first().waitFor();
  await page.getByTestId('notifications-button').waitFor();
  await page.waitForLoadState('networkidle');
  return page;
}

/** The focused element's test id (or its tag), and whether it is inside the header's menu. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      id: el?.getAttribute('data-testid') ?? el?.tagName.toLowerCase() ?? '',
      inMenu: Boolean(el?.closest('#app-menu')),
    };
  });

/** Presses Tab until the test id has the focus (at most `limit` times); false if it never did. */
async function tabTo(page: Page, id: string, limit = 12): Promise<boolean> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await focused(page)).id === id) return true;
  }
  return false;
}

describe('the header on a 390×844 phone (zh-CN)', () => {
  for (const role of roles) {
    it(`takes at most 15 % of the screen, and its menu reaches every link by keyboard (${role.who})`, async () => {
      const page = await signedIn(role.login, true);
      const viewport = page.viewportSize();
      if (!viewport) throw new Error('no viewport');
      expect(viewport).toEqual({ width: 390, height: 844 });
      const header = await page.locator('.app-header').boundingBox();
      if (!header) throw new Error('the header is not shown');
      expect(header.height).toBeLessThanOrEqual(viewport.height * 0.15);
      // One row: nothing of the header is wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);

      // The brand, the bell and the language switch stay in the row; the rest waits in the menu.
      for (const id of ['notifications-button', 'lang-switch'])
        expect(await page.getByTestId(id).isVisible()).toBe(true);
      for (const id of role.entries) expect(await page.getByTestId(id).isVisible(), id).toBe(false);

      // From the top of the page, Tab reaches the menu button; Enter opens the menu.
      // (Started from the skip link, the page's first stop: a blur would leave Chromium's starting
      // point where the focus was, in the page after sign-in moved it there, and how many stops
      // the page holds before Tab wraps depends on what earlier tests added to the lobby.)
      await page.locator('a.skip-link').focus();
      expect(await tabTo(page, 'app-menu-button')).toBe(true);
      const button = page.getByTestId('app-menu-button');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await button.textContent()).toContain('菜单');
      await page.keyboard.press('Enter');
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      expect(await button.getAttribute('aria-controls')).toBe('app-menu');

      // Tab walks through every entry of the menu in order, each one shown on the screen.
      const met: string[] = [];
      for (let i = 0; i < role.entries.length + 5; i++) {
        await page.keyboard.press('Tab');
        const now = await focused(page);
        if (!now.inMenu) break;
        met.push(now.id);
        const box = await page.getByTestId(now.id).boundingBox();
        expect(box, now.id).not.toBeNull();
        if (box) {
          expect(box.y + box.height, now.id).toBeLessThanOrEqual(viewport.height);
          expect(box.x + box.width, now.id).toBeLessThanOrEqual(viewport.width);
        }
      }
      expect(met).toEqual([...role.entries]);

      // Escape closes the menu and gives the focus back to its button.
      await page.keyboard.press('Shift+Tab');
      expect((await focused(page)).inMenu).toBe(true);
      await page.keyboard.press('Escape');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect((await focused(page)).id).toBe('app-menu-button');
      for (const id of role.entries) expect(await page.getByTestId(id).isVisible(), id).toBe(false);

      // Open again, go to one page by keyboard: it opens and the menu is closed there.
      await page.keyboard.press('Enter');
      expect(await tabTo(page, role.follow.entry, role.entries.length)).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === role.follow.path);
      await page.locator('main h1').first().waitFor();
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await page.getByTestId(role.follow.entry).getAttribute('aria-current')).toBe('page');
      await page.context().close();
    });
  }

  it('a click outside the open menu closes it', async () => {
    const page = await signedIn('zheng-yu', true);
    const button = page.getByTestId('app-menu-button');
    await button.click();
    await page.getByTestId('nav-duty').waitFor();
    // Below the open menu, on the page.
    const open = await page.locator('#app-menu').boundingBox();
    if (!open) throw new Error('the menu is not shown');
    expect(open.y + open.height).toBeLessThan(800);
    await page.mouse.click(195, 830);
    await page.getByTestId('nav-duty').waitFor({ state: 'hidden' });
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await page.context().close();
  });
});

describe('the header on a desk (1280 wide)', () => {
  it('keeps the whole row: every link shown, no menu button', async () => {
    const page = await signedIn('zhou-ting', false);
    expect(await page.getByTestId('app-menu-button').isVisible()).toBe(false);
    for (const id of roles[1].entries) expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    await page.context().close();
  });
});
