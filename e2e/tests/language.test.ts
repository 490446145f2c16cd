import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('language', () => {
  it('speaks Simplified Chinese first and switches to English, remembering the choice', async () => {
    const { context, page } = await person(browser);
    await page.goto(`${baseUrl}/s/s-nanmen-snacks`);
    await page.getByTestId('identity-list').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.getByRole('heading', { name: '选择演示身份' }).waitFor();

    await page.getByTestId('lang-switch').click();
    await page.getByRole('heading', { name: 'Choose a demo identity' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await page.reload();
    await page.getByRole('heading', { name: 'Choose a demo identity' }).waitFor();
    // Keyboard: the switch is a real button reachable and usable without a mouse.
    await page.getByTestId('lang-switch').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '选择演示身份' }).waitFor();
    await context.close();
  });
});
