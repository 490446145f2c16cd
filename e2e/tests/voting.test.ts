/**
 * Issue 19, voting that cannot mislead: a ranking ballot starts unranked and cannot be sent until
 * every option has its place; a named ranking shows no running points while open; equal points
 * share a place in the result; the counting rule is explained; the outcome reads as one sentence.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { createSession, RoomPage } from '../pages';

const convenerId = 'm-chen-liqun';
let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a named ranking vote', () => {
  it('is ranked by the voter, hides points while open, and shows ties as shared places', async () => {
    const staff = await person(browser);
    await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen('s-nanmen-snacks', 's-zhou-ting');
    const sessionId = await createSession(staff.page, convenerId, '夜间摊位区选址协商', [
      { title: '选址排序', plannedMinutes: 20 },
    ]);
    await staff.context.close();

    const chair = new RoomPage((await person(browser)).page, baseUrl);
    await chair.pickIdentityAndOpen(sessionId, convenerId);
    await chair.startSession();
    const before = await chair.pollIds();
    await chair.by('poll-builder-question').fill('夜间摊位区选址排序');
    await chair.by('poll-builder-kind').selectOption('ranking');
    await chair.by('poll-builder-option-0').fill('南门东侧空地');
    await chair.by('poll-builder-option-1').fill('南门西侧停车场');
    await chair.by('poll-builder-add-option').click();
    await chair.by('poll-builder-option-2').fill('学府路辅道');
    await chair.by('poll-create').click();
    await chair.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid^="poll-p-"]').length > n,
      before.length,
    );
    const pollId = (await chair.pollIds()).find((id) => !before.includes(id)) ?? '';
    await chair.poll(pollId).getByTestId('poll-open').click();

    const [a, b] = [
      new RoomPage((await person(browser, { phone: true })).page, baseUrl),
      new RoomPage((await person(browser)).page, baseUrl),
    ];
    await a.pickIdentityAndOpen(sessionId, 'm-zhou-min');
    await b.pickIdentityAndOpen(sessionId, 'm-gao-ya');
    const card = a.poll(pollId);
    await a.pollStage(pollId, 'open');

    // Nothing is ranked to begin with; sending now is refused with a reason.
    expect(await card.locator('[data-testid="vote-ranking"] li').count()).toBe(0);
    await card.getByTestId('vote-submit').click();
    await card.getByTestId('vote-problem').getByText('请先作出选择').waitFor();
    // Two of three ranked is not a ranking either.
    const optionIds = await card
      .locator('[data-testid^="vote-rank-add-"]')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('data-testid') ?? '').replace('vote-rank-add-', '')));
    expect(optionIds).toHaveLength(3);
    const [east, west, lane] = optionIds as [string, string, string];
    await card.getByTestId(`vote-rank-add-${east}`).click();
    await card.getByTestId(`vote-rank-add-${west}`).click();
    await card.getByTestId('vote-submit').click();
    await card.getByTestId('vote-problem').getByText('请为每一项排定顺序').waitFor();
    await card.getByTestId(`vote-rank-add-${lane}`).click();
    await card.getByTestId('vote-submit').click();
    await card.getByTestId('poll-my-vote').waitFor();

    // The other voter puts west first: east and west end level on points.
    const other = b.poll(pollId);
    await b.pollStage(pollId, 'open');
    for (const id of [west, east, lane]) await other.getByTestId(`vote-rank-add-${id}`).click();
    await other.getByTestId('vote-submit').click();
    await other.getByTestId('poll-my-vote').waitFor();

    // While open: the ballots cast, no points.
    await chair.page.locator(`[data-testid="poll-${pollId}"] [data-testid="poll-voters"][data-count="2"]`).waitFor();
    await card.getByTestId('poll-secret-pending').getByText('排序投票').waitFor();
    expect(await card.locator('[data-testid^="tally-"]').count()).toBe(0);

    await chair.poll(pollId).getByTestId('poll-close').click();
    await chair.pollStage(pollId, 'closed');
    await chair.poll(pollId).getByTestId('poll-publish').click();
    await a.pollStage(pollId, 'published');
    // 3 points each for east and west (2+1), 0 for the lane: the two share first place.
    expect(await card.getByTestId(`standing-${east}`).getAttribute('data-place')).toBe('1');
    expect(await card.getByTestId(`standing-${west}`).getAttribute('data-place')).toBe('1');
    expect(await card.getByTestId(`standing-${lane}`).getAttribute('data-place')).toBe('3');
    expect(await card.getByTestId(`standing-${east}`).textContent()).toContain('并列');
    expect(await card.getByTestId('poll-borda').textContent()).toContain('排第 1 位的选项得 2 分');
    const outcome = (await card.getByTestId('poll-outcome').textContent()) ?? '';
    expect(outcome).toMatch(/^结果：[^：]+并列第一/);
  });
});
