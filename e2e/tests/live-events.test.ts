import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { docShot } from '../docShots';
import { createSession, RoomPage } from '../pages';

const convenerId = 'm-chen-liqun';
const staffId = 's-zhou-ting';
const memberId = 'm-zheng-yu';
const phone = { width: 390, height: 844 };

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Whether the element lies wholly inside the phone's viewport, as it is scrolled now. */
async function inViewport(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  return (
    box !== null && box.y >= 0 && box.x >= 0 && box.y + box.height <= phone.height && box.x + box.width <= phone.width
  );
}

describe('live events on a phone', () => {
  it('shows the floor, an opened poll, an agenda move and the close where the eye is, with the action in reach', async () => {
    const staff = await person(browser);
    await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen('s-nanmen-snacks', staffId);
    const sessionId = await createSession(staff.page, convenerId, '背街小巷停车秩序协商', [
      { title: '情况通报：停车难点位', plannedMinutes: 10 },
      { title: '协商讨论：错时共享停车', plannedMinutes: 30 },
    ]);
    await staff.context.close();

    const convener = await person(browser);
    const chair = new RoomPage(convener.page, baseUrl);
    await chair.pickIdentityAndOpen(sessionId, convenerId);
    await chair.startSession();

    // The member on a 390×844 phone, in a hybrid session (the hall check-in form is on top).
    const member = await person(browser, { phone: true });
    // Vibration is the browser's to give; record the calls the page makes.
    await member.page.addInitScript(() => {
      const calls: unknown[] = [];
      (window as unknown as { vibrations: unknown[] }).vibrations = calls;
      Object.defineProperty(navigator, 'vibrate', {
        configurable: true,
        value: (pattern: unknown) => {
          calls.push(pattern);
          return true;
        },
      });
    });
    const room = new RoomPage(member.page, baseUrl);
    await room.pickIdentityAndOpen(sessionId, memberId);
    const vibrations = () =>
      member.page.evaluate(() => (window as unknown as { vibrations: unknown[] }).vibrations.length);
    /** The sheet's effects (focus, buzz) run just after it is drawn: wait for them, not for a time. */
    const buzzed = (count: number) =>
      member.page.waitForFunction(
        (n) => (window as unknown as { vibrations: unknown[] }).vibrations.length >= n,
        count,
      );
    const banner = room.by('live-event');

    // The floor: a banner in view, read out at once, its action focused, a buzz.
    await room.by('hand-raise').click();
    await chair.by(`queue-grant-${memberId}`).click();
    await member.page.locator('[data-testid="live-event"][data-kind="floor"]').waitFor();
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toContain('轮到您发言');
    // Read out once, by the sheet, not a second time by the room's polite region.
    expect(await room.by('room-announcement').textContent()).toBe('');
    expect(await inViewport(banner)).toBe(true);
    const start = room.by('live-event-action');
    expect(await start.textContent()).toBe('开始发言');
    expect(await inViewport(start)).toBe(true);
    expect(await inViewport(room.by('live-event-yield'))).toBe(true);
    await member.page.waitForFunction(
      () => document.activeElement?.getAttribute('data-testid') === 'live-event-action',
    );
    await buzzed(1);
    expect(await vibrations()).toBe(1);
    // 开始发言 takes the member to their turn: the sheet goes, the end-of-turn button is in view.
    await start.click();
    await banner.waitFor({ state: 'detached' });
    expect(await inViewport(room.by('speaker-end'))).toBe(true);
    await room.by('speaker-end').click();
    await room.by('speaker-none').waitFor();

    // A poll opens: the sheet says so; 去投票 brings the vote buttons into view, with focus.
    await member.page.evaluate(() => window.scrollTo(0, 0));
    const pollId = await chair.createYesNoPoll('是否同意试行错时共享停车？');
    await chair.poll(pollId).getByTestId('poll-open').click();
    await member.page.locator('[data-testid="live-event"][data-kind="poll"]').waitFor();
    expect(await banner.textContent()).toContain('投票已开始');
    // The convener who opened it is not told what they just did (nor has their focus taken).
    expect(await chair.by('live-event').count()).toBe(0);
    expect(await banner.textContent()).toContain('是否同意试行错时共享停车？');
    // The ballot itself is above the fold too, before the hall check-in form, without a scroll.
    const yes = room.poll(pollId).getByTestId('vote-yes');
    expect(await member.page.evaluate(() => window.scrollY)).toBe(0);
    expect(await inViewport(yes)).toBe(true);
    const go = room.by('live-event-action');
    expect(await go.textContent()).toBe('去投票');
    expect(await inViewport(go)).toBe(true);
    await buzzed(2);
    expect(await vibrations()).toBe(2);
    await docShot(member.page, 'live-event-phone');
    await go.click();
    await banner.waitFor({ state: 'detached' });
    expect(await inViewport(yes)).toBe(true);
    expect(await inViewport(room.poll(pollId).getByTestId('vote-no'))).toBe(true);
    await member.page.waitForFunction(() => document.activeElement?.closest('.poll__ballot') !== null);
    await yes.click();
    // A ballot is confirmed before it is cast; the confirm button takes the focus, in view.
    const confirm = room.poll(pollId).getByTestId('vote-confirm');
    await member.page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'vote-confirm');
    expect(await inViewport(confirm)).toBe(true);
    await confirm.click();
    await room.poll(pollId).getByTestId('poll-my-vote').waitFor();

    // The agenda moves: told, no action asked, dismissible; the focus stays where it was.
    await chair.page.locator('[data-testid^="agenda-item-"]').nth(1).getByTestId('agenda-goto').click();
    await member.page.locator('[data-testid="live-event"][data-kind="agenda"]').waitFor();
    expect(await banner.textContent()).toContain('协商讨论：错时共享停车');
    expect(await inViewport(banner)).toBe(true);
    expect(await vibrations()).toBe(2);
    await room.by('live-event-dismiss').click();
    await banner.waitFor({ state: 'detached' });

    // The session closes.
    await chair.confirm('session-close');
    await member.page.locator('[data-testid="live-event"][data-kind="closed"]').waitFor();
    expect(await banner.textContent()).toContain('议事活动已结束');
    expect(await inViewport(banner)).toBe(true);

    await member.context.close();
    await convener.context.close();
  });
});
