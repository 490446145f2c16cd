import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * 领衔督办: the leader 孙立新 (an official's account with no department) leads the supervision of
 * the demo's key proposal 关于加快老旧小区路灯改造的建议. On his phone, the proposals page opens
 * on the list of the key proposals he leads, and from there the proposal, where he may chase it.
 * Reads only: no other browser test changes that proposal.
 */
const leader = { login: 'sun-lixin' };
const keyProposal = { id: 'pp-demo-lights', title: '关于加快老旧小区路灯改造的建议' };

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a leader’s proposals', () => {
  it('open on the key proposals whose supervision he leads, each one a step from its chase', async () => {
    const { page } = await person(browser, { phone: true });
    await signInAt(page, baseUrl, leader.login, '/proposals');
    const tab = page.getByTestId('proposals-tab-supervised');
    await tab.waitFor();
    expect(await tab.getAttribute('aria-current')).toBe('page');
    expect(await tab.textContent()).toBe('领衔督办');
    // Without a department of his own, he is offered no department list.
    expect(await page.getByTestId('proposals-tab-department').count()).toBe(0);
    const list = page.getByTestId('proposals-list');
    await list.getByText(keyProposal.title).click();
    await page.locator('[data-testid="proposal"][data-state="assigned"]').waitFor();
    expect(decodeURIComponent(page.url())).toContain(`/proposals/${keyProposal.id}`);
    await page.getByTestId('proposal-action-chase').waitFor();
  });
});
