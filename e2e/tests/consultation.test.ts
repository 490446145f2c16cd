import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { RoomPage } from '../pages';

const sessionId = 's-nanmen-snacks';
const password = 'yitang-demo';
const screenshots = process.env.YITANG_SCREENSHOTS
  ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url))
  : null;

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a consultation with four people: convener, two members, an invited guest', () => {
  it('moves the agenda, gives the floor, runs a secret poll, publishes it and records an outcome', async () => {
    const c = new RoomPage((await person(browser)).page, baseUrl);
    const m1 = new RoomPage((await person(browser)).page, baseUrl);
    const m2 = new RoomPage((await person(browser, { phone: true })).page, baseUrl);
    const guestPerson = await person(browser, { phone: true });
    const g = new RoomPage(guestPerson.page, baseUrl);

    // The convener signs in with a password and starts the session (if another test has not).
    await c.signInAndOpen(sessionId, 'chen-liqun', password);
    if ((await c.by('session-state').getAttribute('data-state')) === 'scheduled') await c.startSession();

    // The convener invites a stakeholder; the guest opens the link on a phone and accepts.
    await c.by('invite-role').selectOption('stakeholder');
    await c.by('invite-name').fill('摊主代表 张强');
    await c.by('invite-create').click();
    const link = await c.by('invite-link').inputValue();
    expect(link).toMatch(/\/invite\/[\w-]+$/);
    await g.page.goto(link);
    await g.by('invite-name-input').fill('张强');
    await g.by('invite-accept').click();
    await g.by('presence-list').waitFor();
    await g.page.locator('[data-testid="room-you"]').getByText('张强').waitFor();

    await m1.signInAndOpen(sessionId, 'zhou-min', password);
    await m2.signInAndOpen(sessionId, 'gao-ya', password);
    for (const p of [c, m1, m2, g]) {
      await p.page.locator('[data-testid="presence-list"] li').nth(3).waitFor();
    }

    // The agenda moves; everyone follows, and the item timer is running.
    await c.by('agenda-item-a2').getByTestId('agenda-goto').click();
    for (const p of [m1, m2, g]) {
      await p.page.locator('[data-testid="current-item"][data-item-id="a2"]').waitFor();
      await p.by('item-timer').waitFor();
    }

    // A hand is raised and granted; the countdown runs on every screen.
    await m1.by('hand-raise').click();
    await c.by('queue-m-zhou-min').waitFor();
    await c.by('grant-next').click();
    for (const p of [c, m1, m2, g]) {
      await p.page.locator('[data-testid="speaker-current"][data-member-id="m-zhou-min"]').waitFor();
    }
    const countdown = m2.by('speaker-countdown');
    const first = await countdown.textContent();
    await m2.page.waitForFunction(([el, was]) => el !== null && el.textContent !== was, [
      await countdown.elementHandle(),
      first,
    ] as const);
    await m1.by('speaker-end').click();
    await c.by('speaker-none').waitFor();

    // A secret poll: members vote, the guest (stakeholder) is not in a members-only electorate.
    const pollId = await c.createYesNoPoll('无记名表决:是否同意设置夜间临时摊位区?', { secret: true });
    await c.poll(pollId).getByTestId('poll-open').click();
    await m1.pollStage(pollId, 'open');
    await m1.poll(pollId).getByTestId('vote-yes').click();
    await m2.pollStage(pollId, 'open');
    await m2.poll(pollId).getByTestId('vote-yes').click();
    await c.poll(pollId).getByTestId('vote-no').click();
    await g.poll(pollId).getByTestId('poll-not-eligible').waitFor();
    // Who has voted is live; what they voted is not.
    await c.page.locator(`[data-testid="poll-${pollId}"] [data-testid="poll-voters"][data-count="3"]`).waitFor();
    await m1.poll(pollId).getByTestId('poll-secret-pending').waitFor();
    expect(await m1.poll(pollId).getByTestId('tally-yes').count()).toBe(0);

    await c.poll(pollId).getByTestId('poll-close').click();
    await c.pollStage(pollId, 'closed');
    await c.poll(pollId).getByTestId('poll-publish').click();
    for (const p of [c, m1, m2, g]) {
      await p.pollStage(pollId, 'published');
      await p.poll(pollId).getByTestId('poll-result').waitFor();
      expect(await p.poll(pollId).getByTestId('tally-yes').textContent()).toBe('2');
      expect(await p.poll(pollId).getByTestId('tally-no').textContent()).toBe('1');
    }

    // The convener records an outcome; the members see it.
    await c.by('outcome-text').fill('南门外划定夜间临时摊位区,统一油烟净化与垃圾收集。');
    await c.by('outcome-department').fill('市市场监督管理局');
    await c.by('outcome-deadline').fill('2027-07-31');
    await c.by('outcome-record').click();
    for (const p of [m1, g]) {
      await p.page
        .locator('[data-testid^="outcome-oc-"][data-status="recorded"]')
        .getByText('夜间临时摊位区')
        .waitFor();
    }

    if (screenshots) {
      mkdirSync(screenshots, { recursive: true });
      await m2.page.screenshot({ path: path.join(screenshots, 'participant-phone.png'), fullPage: true });
      await c.page.screenshot({ path: path.join(screenshots, 'convener-console.png'), fullPage: true });
    }
  });
});
