/**
 * Issue 19: the notification centre opened inline and pushed the whole header into a vertical
 * stack, and its button was an unstyled native control. It now floats over the page: the header
 * and the page do not move, Escape or a click outside closes it, and the focus comes back.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { RoomPage } from '../pages';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const box = async (page: Page, selector: string) => {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not shown`);
  return b;
};

describe('the notification centre', () => {
  for (const phone of [false, true]) {
    it(`floats over the page without moving the header (${phone ? 'phone' : 'desktop'})`, async () => {
      const { page } = await person(browser, { phone });
      const room = new RoomPage(page, baseUrl);
      await room.pickIdentityAndOpen('s-nanmen-snacks', 's-zhou-ting');
      const button = room.by('notifications-button');
      await button.waitFor();
      // Styled like the header's links, not a grey native button.
      const look = await button.evaluate((el) => {
        const s = getComputedStyle(el);
        return { border: s.borderTopStyle, background: s.backgroundColor };
      });
      expect(look).toEqual({ border: 'none', background: 'rgba(0, 0, 0, 0)' });

      const header = await box(page, '.app-header');
      const main = await box(page, 'main');
      await button.click();
      const panel = page.locator('.popover__panel');
      await panel.waitFor();
      expect(await panel.getByRole('heading', { name: '通知中心' }).count()).toBe(1);
      expect(await box(page, '.app-header')).toEqual(header);
      // The page below starts where it did (its own height may change as the room loads).
      expect((await box(page, 'main')).y).toBe(main.y);
      const over = await box(page, '.popover__panel');
      expect(over.x).toBeGreaterThanOrEqual(0);
      expect(over.x + over.width).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0);

      // Escape closes it and gives the focus back to the button.
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      expect(await button.evaluate((el) => el === document.activeElement)).toBe(true);
      // A click elsewhere closes it too.
      await button.click();
      await panel.waitFor();
      await page.locator('main').click({ position: { x: 5, y: 5 } });
      await panel.waitFor({ state: 'detached' });
    });
  }
});
