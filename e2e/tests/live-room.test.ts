import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { docShot } from '../docShots';
import { minutesContain, RoomPage, textIs } from '../pages';

const sessionId = 's-nanmen-snacks';
const convenerId = 'm-chen-liqun';
const memberId = 'm-zhou-min';

let browser: Browser;
const baseUrl = inject('baseUrl');

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
    const a = new RoomPage(convener.page, baseUrl);
    const b = new RoomPage(member.page, baseUrl);

    await a.pickIdentityAndOpen(sessionId, convenerId);
    await b.pickIdentityAndOpen(sessionId, memberId);
    // Each sees the other.
    await a.by(`presence-${memberId}`).waitFor();
    await b.by(`presence-${convenerId}`).waitFor();

    // The convener starts the session and opens a poll; it reaches the member.
    if ((await a.by('session-state').getAttribute('data-state')) === 'scheduled') await a.startSession();
    const pollId = await a.createYesNoPoll('是否同意先行整治占道经营？');
    await a.poll(pollId).getByTestId('poll-open').click();
    await b.pollStage(pollId, 'open');

    // Both vote; both tallies move live.
    // Choosing is not casting: nothing goes until it is confirmed, and the choice can change.
    await b.poll(pollId).getByTestId('vote-no').click();
    expect(await b.poll(pollId).getByTestId('vote-confirm').textContent()).toBe('确认投票：反对');
    await b.poll(pollId).getByTestId('vote-change').click();
    expect(await b.poll(pollId).getByTestId('poll-my-vote').count()).toBe(0);
    expect(await a.poll(pollId).getByTestId('tally-no').textContent()).toBe('0');
    await b.vote(pollId, 'yes');
    await textIs(a.poll(pollId).getByTestId('tally-yes'), '1');
    await a.vote(pollId, 'no');
    await textIs(b.poll(pollId).getByTestId('tally-no'), '1');

    // The convener closes it; both see the same final tally and outcome.
    await a.poll(pollId).getByTestId('poll-close').click();
    for (const p of [a, b]) {
      await p.pollStage(pollId, 'closed');
      expect(await p.poll(pollId).getByTestId('tally-yes').textContent()).toBe('1');
      expect(await p.poll(pollId).getByTestId('tally-no').textContent()).toBe('1');
      expect(await p.poll(pollId).getByTestId('tally-abstain').textContent()).toBe('0');
      expect(await p.poll(pollId).getByTestId('poll-outcome').getAttribute('data-outcome')).toBe('rejected');
      // Both votes were in tally frames before the close, so the close names no voter: the
      // page keeps the two it was told of.
      expect(await p.poll(pollId).getByTestId('poll-voters').getAttribute('data-count')).toBe('2');
    }

    // Minutes: what the convener types appears for the member.
    // The server writes the poll's result into the minutes; once it is in, the page stops moving
    // (a click while the editor grows lands on the poll builder instead) and the editor takes input.
    await minutesContain(a.page, '是否同意先行整治占道经营？——未通过');
    await a.page.locator('[data-testid="minutes-editor"][contenteditable="true"]').waitFor();
    await a.by('minutes-editor').locator('p').last().click();
    await a.page.keyboard.type('与会委员建议设置临时摊位区。');
    await minutesContain(b.page, '与会委员建议设置临时摊位区。');

    await docShot(a.page, 'live-room', { fullPage: true });

    // Closing the member's tab takes them out of the convener's presence list.
    await member.context.close();
    await a.by(`presence-${memberId}`).waitFor({ state: 'detached' });
    await convener.context.close();
  });

  it('offers no retry for a session that does not exist', async () => {
    const a = new RoomPage((await person(browser)).page, baseUrl);
    await a.pickIdentityAndOpen('s-nanmen-snacks', 'm-zhou-min');
    await a.page.goto(`${baseUrl}/s/s-no-such-session`);
    await a.by('room-failed').waitFor();
    expect(await a.by('room-retry').count()).toBe(0);
  });
});
