import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { minutesContain, RoomPage } from '../pages';

const sessionId = 's-nanmen-snacks';
const password = 'yitang-demo';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('offline editing of the minutes', () => {
  it('keeps typing without a connection, shows it, and merges on reconnect', async () => {
    const recorder = await person(browser);
    const rec = new RoomPage(recorder.page, baseUrl);
    const c = new RoomPage((await person(browser)).page, baseUrl);
    await rec.signInAndOpen(sessionId, 'li-na', password);
    await c.signInAndOpen(sessionId, 'chen-liqun', password);
    await rec.page.locator('[data-testid="minutes-sync"][data-state="synced"]').waitFor();

    await recorder.context.setOffline(true);
    await rec.page.locator('[data-testid="minutes-sync"][data-state="offline"]').waitFor();
    // Type into the document's last paragraph (other tests may have left sections and cards).
    await rec.by('minutes-editor').locator('p').last().click();
    await rec.page.keyboard.press('End');
    await rec.page.keyboard.type('断网期间记录的内容。');
    // The convener, online, writes meanwhile too.
    await c.by('minutes-editor').locator('p').last().click();
    await c.page.keyboard.press('End');
    await c.page.keyboard.type('主持人在线补充。');

    await recorder.context.setOffline(false);
    await rec.page.locator('[data-testid="minutes-sync"][data-state="synced"]').waitFor();
    for (const p of [rec, c]) {
      await minutesContain(p.page, '断网期间记录的内容。');
      await minutesContain(p.page, '主持人在线补充。');
    }
  });
});
