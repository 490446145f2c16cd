import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { createSession, RoomPage, textIs } from '../pages';

const convenerId = 'm-chen-liqun';
const staffId = 's-zhou-ting';
const speaker = { id: 'm-zheng-yu', name: '郑宇' };
const waiting = { id: 'm-dong-hai', name: '董海' };

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

describe('the hall screen', () => {
  it('follows a session from its start through a speaker and a poll to the published result, never showing a tally while open', async () => {
    const staff = await person(browser);
    const staffRoom = new RoomPage(staff.page, baseUrl);
    await staffRoom.pickIdentityAndOpen('s-nanmen-snacks', staffId);
    const sessionId = await createSession(staff.page, convenerId, '老旧小区加装电梯协商', [
      { title: '情况通报：加装电梯意愿摸底', plannedMinutes: 10 },
      { title: '协商讨论：费用分摊方案', plannedMinutes: 30 },
    ]);

    // Staff make a screen link for the hall PC from the room.
    await staff.page.goto(`${baseUrl}/s/${sessionId}`);
    await staffRoom.by(`presence-${staffId}`).waitFor();
    await staffRoom.by('screen-link-make').click();
    const link = await staffRoom.by('screen-link-url').inputValue();
    expect(link).toContain(`/s/${sessionId}/screen?key=`);

    // The hall PC: a context of its own, signed in as nobody, at projector size.
    const hallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const hall = await hallContext.newPage();
    const frames: string[] = [];
    hall.on('websocket', (ws) => {
      ws.on('framereceived', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString()));
    });
    await hall.goto(link);
    const screen = new RoomPage(hall, baseUrl);
    await hall.locator('[data-testid="screen-state"]').waitFor();
    expect(await screen.by('screen-board').getAttribute('data-state')).toBe('scheduled');
    // The QR code carries the session's join link.
    expect(await screen.by('screen-qr').getAttribute('data-text')).toBe(`${baseUrl}/s/${sessionId}`);

    // The convener starts: the screen shows the first item and its timer.
    const convener = await person(browser);
    const chair = new RoomPage(convener.page, baseUrl);
    await chair.pickIdentityAndOpen(sessionId, convenerId);
    await chair.startSession();
    await hall.locator('[data-testid="screen-board"][data-state="live"]').waitFor();
    await textIs(screen.by('screen-item'), '情况通报：加装电梯意愿摸底');
    await screen.by('screen-item-timer').waitFor();

    // Two members raise their hands; the convener gives the floor to the first.
    const members = [];
    for (const m of [speaker, waiting]) {
      const p = await person(browser, { phone: true });
      const room = new RoomPage(p.page, baseUrl);
      await room.pickIdentityAndOpen(sessionId, m.id);
      await room.by('hand-raise').click();
      await chair.by(`queue-${m.id}`).waitFor();
      members.push({ ...p, room });
    }
    await chair.by(`queue-grant-${speaker.id}`).click();
    await textIs(screen.by('screen-speaker'), speaker.name);
    await screen.by('screen-countdown').waitFor();
    expect(await screen.by('screen-queue').textContent()).toBe(waiting.name);
    // Names, never ids.
    expect(await hall.locator('body').textContent()).not.toMatch(/m-zheng-yu|m-dong-hai|m-chen-liqun/);

    // A poll opens; the member votes: the screen counts ballots and shows no tally.
    const pollId = await chair.createYesNoPoll('是否同意按楼层分摊加装费用？');
    await chair.poll(pollId).getByTestId('poll-open').click();
    await hall.locator(`[data-testid="screen-poll-open"][data-poll-id="${pollId}"]`).waitFor();
    const voter = members[0]?.room as RoomPage;
    await voter.pollStage(pollId, 'open');
    await voter.vote(pollId, 'yes');
    await hall.locator('[data-testid="screen-ballots"][data-value="1"]').waitFor();
    expect(await hall.locator('[data-testid="poll-tally"], [data-testid^="tally-"]').count()).toBe(0);
    expect(await hall.locator('body').textContent()).not.toMatch(/同意\s*1|反对\s*0|弃权\s*0/);
    // Nor did a tally ever reach the screen's socket while the poll was open.
    const whileOpen = frames.join('\n');
    expect(whileOpen).toContain('screen:view');
    expect(whileOpen).not.toMatch(/"tally"|"voters"|"result"|poll:tally|poll:updated/);
    if (screenshots) {
      mkdirSync(screenshots, { recursive: true });
      await hall.screenshot({ path: path.join(screenshots, 'hall-screen.png') });
    }

    // Closed, then published: the result reaches the screen.
    await chair.poll(pollId).getByTestId('poll-close').click();
    await chair.pollStage(pollId, 'closed');
    await hall.locator('[data-testid="screen-poll-open"]').waitFor({ state: 'detached' });
    expect(frames.join('\n')).not.toMatch(/"tally"|"result"/);
    await chair.poll(pollId).getByTestId('poll-publish').click();
    const published = hall.locator(`[data-testid="screen-poll-published"][data-poll-id="${pollId}"]`);
    await published.waitFor();
    expect(await published.getByTestId('poll-outcome').getAttribute('data-outcome')).toBeTruthy();

    // The hall PC loses its network: the screen says so, and once back it follows the room again
    // without anyone touching it, the agenda having moved meanwhile.
    await hallContext.setOffline(true);
    await hall.locator('[data-testid="screen-status"][data-state="reconnecting"]').waitFor();
    await chair.page.locator('[data-testid^="agenda-item-"]').nth(1).getByTestId('agenda-goto').click();
    await hallContext.setOffline(false);
    await textIs(screen.by('screen-item'), '协商讨论：费用分摊方案');
    await hall.locator('[data-testid="screen-status"]').waitFor({ state: 'detached' });

    for (const c of [staff.context, convener.context, hallContext, ...members.map((m) => m.context)]) await c.close();
  });

  it('refuses a forged link and says so', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/s/s-nanmen-snacks/screen?key=1.${'A'.repeat(43)}`);
    const status = page.locator('[data-testid="screen-status"][data-state="refused"]');
    await status.waitFor();
    expect(await status.getAttribute('role')).toBe('alert');
    await context.close();
  });
});
