import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';

const sessionId = 's-nanmen-snacks';
const convenerId = 'm-chen-liqun';
const memberId = 'm-zhou-min';
const screenshots = process.env.YITANG_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : null;

let browser: Browser;
const baseUrl = inject('baseUrl');

/** Opens the session link and picks a demo identity, as a participant does. */
async function joinAs(page: Page, id: string): Promise<void> {
  await page.goto(`${baseUrl}/s/${sessionId}`);
  await page.getByTestId(`identity-${id}`).click();
  await page.getByTestId('presence-list').waitFor();
  await page.getByTestId(`presence-${id}`).waitFor();
}

const tally = (page: Page, pollId: string, choice: 'yes' | 'no' | 'abstain') =>
  page.getByTestId(`poll-${pollId}`).getByTestId(`tally-${choice}`);

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('one live consultation room, two people', () => {
  it('joins, votes with a live tally, and writes the minutes together', async () => {
    const convener = await person(browser);
    const member = await person(browser, { phone: true });
    const a = convener.page;
    const b = member.page;

    await joinAs(a, convenerId);
    await joinAs(b, memberId);
    // Each sees the other.
    await a.getByTestId(`presence-${memberId}`).waitFor();
    await b.getByTestId(`presence-${convenerId}`).waitFor();

    // The convener opens a poll; it reaches the member.
    await a.getByTestId('poll-question').fill('是否同意先行整治占道经营?');
    await a.getByTestId('poll-open').click();
    const pollItem = b.locator('[data-testid^="poll-p-"]').first();
    await pollItem.waitFor();
    const pollTestId = await pollItem.getAttribute('data-testid');
    const pollId = (pollTestId ?? '').replace(/^poll-/, '');
    expect(pollId).toMatch(/^p-/);

    // Both vote; both tallies move live.
    await b.getByTestId(`poll-${pollId}`).getByTestId('vote-yes').click();
    await expectText(a, tally(a, pollId, 'yes'), '1');
    await a.getByTestId(`poll-${pollId}`).getByTestId('vote-no').click();
    await expectText(b, tally(b, pollId, 'no'), '1');

    // The convener closes it; both see the same final tally and outcome.
    await a.getByTestId(`poll-${pollId}`).getByTestId('poll-close').click();
    for (const page of [a, b]) {
      await page.locator(`[data-testid="poll-${pollId}"] [data-testid="poll-state"][data-state="closed"]`).waitFor();
      expect(await tally(page, pollId, 'yes').textContent()).toBe('1');
      expect(await tally(page, pollId, 'no').textContent()).toBe('1');
      expect(await tally(page, pollId, 'abstain').textContent()).toBe('0');
      expect(await page.getByTestId(`poll-${pollId}`).getByTestId('poll-outcome').getAttribute('data-outcome')).toBe(
        'rejected',
      );
    }

    // Minutes: what one types appears for the other.
    const editorA = a.getByTestId('minutes-editor');
    await editorA.click();
    await a.keyboard.type('与会委员建议设置临时摊位区。');
    await b.getByTestId('minutes-editor').getByText('与会委员建议设置临时摊位区。').waitFor();

    if (screenshots) {
      mkdirSync(screenshots, { recursive: true });
      await a.screenshot({ path: path.join(screenshots, 'live-room.png'), fullPage: true });
      await b.screenshot({ path: path.join(screenshots, 'live-room-phone.png'), fullPage: true });
    }

    // Closing the member's tab takes them out of the convener's presence list.
    await member.context.close();
    await a.getByTestId(`presence-${memberId}`).waitFor({ state: 'detached' });
    await convener.context.close();
  });
});

/** Waits until the locator's text is exactly `text` (Playwright polls the page; no sleeps). */
async function expectText(page: Page, locator: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  const handle = await locator.elementHandle();
  await page.waitForFunction(([el, want]) => el?.textContent === want, [handle, text] as const);
}
