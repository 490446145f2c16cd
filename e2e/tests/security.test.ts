/**
 * Issue 12 in the browser: the built client runs under the server's Content-Security-Policy
 * (no violation reported), a refused sign-in and a sign-in reach the staff security page, and
 * the page lists them from the audit log.
 */
import type { Browser } from 'playwright-core';
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

describe('staff security page', () => {
  it('shows failed sign-ins and the audit log, with no CSP violation on the way', async () => {
    const { context, page } = await person(browser);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const headers = (await page.goto(`${baseUrl}/login`))?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");

    // A wrong password first: refused, and logged.
    await signInAt(page, baseUrl, 'zhou-ting', '/security', 'not-the-password');
    await page.getByTestId('login-error').waitFor();
    await signInAt(page, baseUrl, 'zhou-ting', '/security');
    await page.getByTestId('security-page').waitFor();
    const failures = page.getByTestId('login-failures');
    await failures.waitFor();
    expect(await failures.textContent()).toContain('zhou-ting');
    const log = page.getByTestId('audit-log');
    await log.waitFor();
    await page.getByTestId('audit-filter-action').fill('auth.login');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    // The table names the filter its rows answer: wait for the filtered list, not the one before it.
    await page.locator('[data-testid="audit-log"][data-action-filter="auth.login"]').waitFor();
    expect(await page.locator('[data-testid="audit-log"] tbody tr:not([data-action="auth.login"])').count()).toBe(0);
    expect(violations).toEqual([]);
    await context.close();
  });
});
