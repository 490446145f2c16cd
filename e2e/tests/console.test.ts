import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations } from '../axe';
import { launch, person } from '../browser';
import { createSession, RoomPage, signInAt } from '../pages';

const demoSessionId = 's-nanmen-snacks';
const convenerId = 'm-chen-liqun';
const staffId = 's-zhou-ting';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The serious and critical WCAG 2 A/AA violations axe-core finds in the page, by rule and element. */
const accessibilityProblems = async (page: Page) =>
  (await seriousViolations(page)).map((v) => `${v.rule}: ${v.target}`);

/** The page's full height in CSS pixels. */
const pageHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight);
/** Where an element starts, from the top of the page. */
const topOf = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return box.y + (await locator.page().evaluate(() => window.scrollY));
};
/** The console's panels in the order they come on the page. */
const panelOrder = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="room-console"] section[data-testid]')].map((s) =>
      s.getAttribute('data-testid'),
    ),
  );

describe('the convener console', () => {
  it('leads with what the convener runs, in two columns on a desk, with no hand to raise', async () => {
    // A session of its own, started: the demo session grows with what the other browser tests
    // add to it (polls, suggestions, outcomes), and its height with them.
    const staff = await person(browser);
    await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen(demoSessionId, staffId);
    const sessionId = await createSession(staff.page, convenerId, '城区停车泊位共享协商', [
      { title: '情况通报', plannedMinutes: 10 },
      { title: '协商讨论', plannedMinutes: 40 },
      { title: '形成共识', plannedMinutes: 10 },
    ]);
    await staff.context.close();
    const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await desk.newPage();
    const chair = new RoomPage(page, baseUrl);
    await chair.pickIdentityAndOpen(sessionId, convenerId);
    await chair.startSession();
    await chair.by('room-console').waitFor();
    await chair.by('minutes-review-link').waitFor();
    // Before: 3,250-3,405 px with the check-in form first and the queue and agenda apart (the
    // demo session, freshly seeded).
    const height = await pageHeight(page);
    console.log(`convener console height at 1280×800: ${height}`);
    expect(height).toBeLessThan(3000);

    // The current item, the floor and the grant controls are in the first screen.
    expect(await topOf(chair.by('now-item'))).toBeLessThan(800);
    expect(await topOf(chair.by('speakers-panel'))).toBeLessThan(800);
    // The convener grants the floor and does not ask for it.
    await chair.by('grant-next').waitFor();
    expect(await chair.by('hand-raise').count()).toBe(0);
    expect(await chair.by('hand-point-of-order').count()).toBe(0);
    // Two columns: the floor on the left, the room beside it; queue and agenda in one column.
    const speakers = await chair.by('speakers-panel').boundingBox();
    const presence = await chair.by('presence-panel').boundingBox();
    const agenda = await chair.by('agenda-panel').boundingBox();
    expect(presence && speakers && presence.x > speakers.x + speakers.width - 1).toBe(true);
    expect(agenda?.x).toBe(speakers?.x);
    await desk.close();
  });

  it('on a phone: one column in the order the convener works, the own check-in last', async () => {
    const phone = await person(browser, { phone: true });
    const chair = new RoomPage(phone.page, baseUrl);
    await chair.pickIdentityAndOpen(demoSessionId, convenerId);
    await chair.by('room-console').waitFor();
    const order = await panelOrder(phone.page);
    const at = (id: string) => {
      const n = order.indexOf(id);
      expect(n, `${id} in ${order.join(', ')}`).toBeGreaterThanOrEqual(0);
      return n;
    };
    expect(at('now-item')).toBeLessThan(at('speakers-panel'));
    expect(at('speakers-panel')).toBeLessThan(at('poll-panel'));
    expect(at('poll-panel')).toBeLessThan(at('agenda-panel'));
    expect(at('agenda-panel')).toBeLessThan(at('presence-panel'));
    // The convener's own hall check-in (a hybrid session) comes after everything they run.
    const checkIn = phone.page.locator('.checkin-code');
    await checkIn.waitFor();
    expect(await topOf(checkIn)).toBeGreaterThan(await topOf(chair.by('invite-manager')));
    expect(await chair.by('hand-raise').count()).toBe(0);
    await phone.context.close();
  });

  it('after closing: a summary with the duration, attendance, votes and outcomes, and the way on to the minutes', async () => {
    const staff = await person(browser);
    await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen(demoSessionId, staffId);
    const sessionId = await createSession(staff.page, convenerId, '社区菜场早市占道协商', [
      { title: '情况通报', plannedMinutes: 10 },
      { title: '协商讨论', plannedMinutes: 30 },
    ]);
    const convener = await person(browser);
    const chair = new RoomPage(convener.page, baseUrl);
    await chair.pickIdentityAndOpen(sessionId, convenerId);
    await chair.startSession();
    // The convener may still take the floor, by granting it to themself.
    expect(await chair.by('hand-raise').count()).toBe(0);
    await chair.by('grant-other-select').selectOption(convenerId);
    await chair.by('grant-other-submit').click();
    await convener.page.locator(`[data-testid="speaker-current"][data-member-id="${convenerId}"]`).waitFor();
    await chair.by('speaker-end').click();
    await chair.by('speaker-none').waitFor();

    const pollId = await chair.createYesNoPoll('是否同意早市限时摆放？');
    await chair.poll(pollId).getByTestId('poll-open').click();
    await chair.pollStage(pollId, 'open');
    await chair.vote(pollId, 'yes');
    await chair.poll(pollId).getByTestId('poll-close').click();
    await chair.pollStage(pollId, 'closed');

    await chair.confirm('session-close');
    await convener.page.locator('[data-testid="session-state"][data-state="closed"]').waitFor();
    const summary = chair.by('closing-summary');
    await summary.waitFor();
    expect(await chair.by('room-console').getAttribute('data-closed')).toBe('true');
    expect(await summary.getByRole('heading', { level: 2 }).textContent()).toBe('闭会小结');
    expect(Number(await chair.by('closing-duration').getAttribute('data-minutes'))).toBeGreaterThanOrEqual(0);
    expect(await chair.by('closing-duration').textContent()).toMatch(/^\d+ 分钟$/);
    const attendance = chair.by('closing-attendance');
    expect(Number(await attendance.getAttribute('data-total'))).toBeGreaterThanOrEqual(1);
    expect(await attendance.textContent()).toMatch(/^共 \d+ 人（现场 \d+ 人，仅线上 \d+ 人）$/);
    const poll = chair.by(`closing-poll-${pollId}`);
    expect(await poll.textContent()).toContain('是否同意早市限时摆放？');
    expect(await poll.textContent()).toContain('1 票');
    expect(await summary.textContent()).toContain('尚未记录成果');
    // The live controls are gone, not left greyed out.
    for (const id of ['speakers-panel', 'agenda-panel', 'poll-builder-panel', 'outcome-editor-panel', 'checkin-desk']) {
      expect(await chair.by(id).count(), id).toBe(0);
    }
    expect(await convener.page.locator('.room-grid__main button:disabled').count()).toBe(0);
    expect(await accessibilityProblems(convener.page)).toEqual([]);
    // The closed poll can still be published from the console.
    await chair.poll(pollId).getByTestId('poll-publish').waitFor();

    const link = chair.by('closing-minutes-link');
    expect(await link.getAttribute('href')).toBe(`/s/${sessionId}/minutes`);
    await link.click();
    await convener.page.waitForURL((url) => url.pathname === `/s/${sessionId}/minutes`);
    await staff.context.close();
    await convener.context.close();
  });
});

describe('the topic pages', () => {
  it('show the six stages as a stepper, the conveners as cards, and typed, styled inputs', async () => {
    const { context, page } = await person(browser);
    await signInAt(page, baseUrl, 'zhou-min', '/topics/tp-nanmen-snacks');
    await page.locator('[data-testid="topic-page"][data-state="scheduled"]').waitFor();

    // The stepper: six steps, the ones behind marked done, exactly one current.
    const steps = page.getByTestId('topic-steps').locator('li');
    expect(await steps.count()).toBe(6);
    const current = page.locator('[data-testid="topic-steps"] li[aria-current="step"]');
    expect(await current.count()).toBe(1);
    expect(await current.getAttribute('data-step')).toBe('scheduled');
    expect(await page.locator('[data-testid="topic-steps"] li.stepper__step--done').count()).toBe(2);
    expect(await page.locator('[data-testid="topic-steps"] li.stepper__step--done').first().textContent()).toContain(
      '（已完成）',
    );
    // Drawn as a stepper on a desk (one row, not a numbered list), the current step stands out.
    const boxes = await steps.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(Math.max(...boxes) - Math.min(...boxes)).toBeLessThan(8);
    expect(await steps.first().evaluate((e) => getComputedStyle(e).listStyleType)).toBe('none');
    const markColour = (step: string) =>
      page
        .locator(`[data-testid="topic-steps"] li[data-step="${step}"] .stepper__mark`)
        .evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await markColour('scheduled')).not.toBe(await markColour('deliberated'));

    // The conveners: cards with the seat, the name, the title or department, and whether accepted.
    expect(await page.getByTestId('topic-acceptance').locator('dl').count()).toBe(0);
    const first = page.getByTestId('seat-first');
    expect(await first.getAttribute('data-status')).toBe('accepted');
    expect(await first.locator('.topic-seat__role').textContent()).toBe('第一召集人');
    expect(await first.locator('.topic-seat__name').textContent()).toBe('陈立群');
    expect(await first.locator('.badge').textContent()).toBe('已同意');
    const second = page.getByTestId('seat-second');
    expect(await second.locator('.topic-seat__role').textContent()).toBe('第二召集人');
    expect(await second.locator('.topic-seat__name').textContent()).toBe('王海涛');
    expect(await second.textContent()).toContain('市市场监督管理局');
    expect(await second.locator('.badge').textContent()).toBe('已同意');

    expect(await accessibilityProblems(page)).toEqual([]);
    // A topic still awaiting acceptance: the first step current, the seats not yet filled or accepted.
    await page.goto(`${baseUrl}/topics/tp-hotline-HA2026-0815`);
    await page.locator('[data-testid="topic-page"][data-state="proposed"]').waitFor();
    expect(await current.getAttribute('data-step')).toBe('proposed');
    expect(await page.getByTestId('seat-first').getAttribute('data-status')).not.toBe('accepted');

    // The proposal form: every input has a type and gets the form styles.
    await page.goto(`${baseUrl}/topics`);
    await page.getByTestId('topic-title').waitFor();
    const untyped = await page.locator('form input:not([type])').count();
    expect(untyped).toBe(0);
    for (const input of await page.locator('.topic-propose input[type="text"]').all()) {
      expect(await input.evaluate((e) => getComputedStyle(e).minHeight)).toBe('40px');
    }
    await context.close();
  });
});
