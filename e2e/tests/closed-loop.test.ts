import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { RoomPage, signInAt } from '../pages';

const password = 'yitang-demo';
const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A person in their own browser context, signed in with a password and sent to `path`. */
async function signedIn(username: string, path: string, opts: { phone?: boolean } = {}): Promise<Page> {
  const { page } = await person(browser, opts);
  await signInAt(page, baseUrl, username, path, password);
  await page.waitForURL((url) => url.pathname === path.split('?')[0]);
  return page;
}

const stateIs = (page: Page, state: string) =>
  page.locator(`[data-testid="topic-page"][data-state="${state}"]`).waitFor();

describe('the closed loop in the browser', () => {
  it('takes a topic from proposal to closure and shows it whole on the trail', async () => {
    const title = '城西菜市场周边早高峰交通拥堵治理';

    // 荐题: a member proposes; a likely duplicate of a demo topic is pointed out while typing.
    const proposer = await signedIn('zhou-min', '/topics', { phone: true });
    await proposer.getByTestId('topic-title').fill('南门小吃一条街整治');
    await proposer.getByTestId('topic-similar').getByText('南通理工学院海安校区南门小吃一条街整治').waitFor();
    await proposer.getByTestId('topic-title').fill(title);
    await proposer.getByTestId('topic-description').fill('早高峰摊贩占道、车辆乱停，学生上学通行困难。');
    await proposer.getByTestId('topic-submit').click();
    await stateIs(proposer, 'proposed');
    const topicPath = new URL(proposer.url()).pathname;
    expect(topicPath).toMatch(/^\/topics\/tp-/);

    // 立题: the first convener picks the department from the records and its head as the second,
    // who accepts in turn.
    const convener = await signedIn('chen-liqun', topicPath);
    await convener.getByTestId('accept-department').selectOption({ label: '市城市管理局' });
    const second = convener.getByTestId('accept-second');
    // The department's head comes first, after "none".
    await second.locator('option', { hasText: '刘建国' }).waitFor({ state: 'attached' });
    expect((await second.locator('option').allTextContents())[1]).toBe('刘建国（市城市管理局局长，部门负责人）');
    await second.selectOption('o-liu-jianguo');
    await convener.getByTestId('accept-first').click();
    await convener.getByTestId('seat-first').getByText('陈立群 已于').waitFor();
    const official = await signedIn('liu-jianguo', topicPath);
    await official.getByTestId('notifications-button').click();
    await official.getByTestId('notifications-list').getByText(`议题“${title}”等待您立题`).waitFor();
    await official.getByTestId('accept-second-seat').click();
    await stateIs(official, 'accepted');

    // The session: scheduled with an agenda and an expert suggested by expertise.
    await convener.reload();
    await convener.getByTestId('schedule-when').fill('2026-12-20T09:00');
    await convener.getByTestId('schedule-room').selectOption('room-shanghu');
    await convener.getByTestId('schedule-mode').selectOption('online');
    await convener.getByTestId('schedule-item-1').fill('情况通报');
    await convener.getByTestId('schedule-item-2').fill('协商治理方案');
    await convener.getByTestId('invite-m-dong-hai').click(); // 交通: his expertise fits
    await convener.getByTestId('schedule-submit').click();
    await stateIs(convener, 'scheduled');
    const sessionHref = await convener.getByTestId('trail-session').getByRole('link').first().getAttribute('href');
    const sessionId = decodeURIComponent(sessionHref?.replace(/^\/s\//, '') ?? '');
    expect(sessionId).toMatch(/^s-/);

    // The invited member finds the invitation with its calendar file.
    const invited = await signedIn('dong-hai', '/');
    await invited.getByTestId('notifications-button').click();
    const invitation = invited.getByTestId('notifications-list').locator('li[data-kind="invitation"]');
    await invitation.getByText(title).waitFor();
    const ics = await invitation.getByRole('link', { name: '加入日历（.ics）' }).getAttribute('href');
    const calendar = await invited.request.get(`${baseUrl}${ics}`);
    expect(await calendar.text()).toContain(`UID:${sessionId}@yitang`);

    // 破题/解题: the session is held online and an outcome recorded; the convener closes it.
    const room = new RoomPage(convener, baseUrl);
    await convener.goto(`${baseUrl}/s/${sessionId}`);
    await room.by('presence-list').waitFor();
    await room.startSession();
    await room.by('outcome-text').fill('早高峰时段菜市场南侧禁止摊贩占道，增设临时停车泊位。');
    await room.by('outcome-department').fill('市城市管理局');
    await room.by('outcome-deadline').fill('2027-03-31');
    await room.by('outcome-record').click();
    await convener.locator('[data-testid^="outcome-oc-"][data-status="recorded"]').waitFor();
    await room.confirm('session-close');
    await convener.locator('[data-testid="session-state"][data-state="closed"]').waitFor();
    await convener.goto(`${baseUrl}${topicPath}`);
    await stateIs(convener, 'inProgress');
    const itemRow = convener.locator('[data-testid^="trail-item-"]');
    const itemId = ((await itemRow.getAttribute('data-testid')) ?? '').replace('trail-item-', '');

    // 落实: the department reports progress from its desk in one click, marking it done.
    await official.goto(`${baseUrl}/department`);
    await official.getByTestId(`department-report-${itemId}`).click();
    await official.getByTestId('report-text').fill('已划定临时泊位 40 个，早高峰安排城管巡查。');
    await official.getByTestId('report-done').check();
    await official.getByTestId('report-submit').click();
    await official
      .getByTestId(`department-row-${itemId}`)
      .locator('[data-testid="tracking-status"][data-status="reportedDone"]')
      .waitFor();

    // 闭环: the convener verifies and closes the item; the topic closes with it.
    await convener.goto(`${baseUrl}/tracking/${encodeURIComponent(itemId)}`);
    await convener.getByTestId('tracking-action-verify').click();
    await convener.locator('[data-testid="tracking-status"][data-status="verified"]').first().waitFor();
    await convener.getByTestId('tracking-action-close').click();
    await convener.locator('[data-testid="tracking-status"][data-status="closed"]').first().waitFor();

    // The proposer sees the whole trail: proposal, acceptance, session, outcome, report, closure.
    await proposer.goto(`${baseUrl}${topicPath}`);
    await stateIs(proposer, 'closed');
    await proposer.getByTestId('seat-second').getByText('刘建国 已于').waitFor();
    await proposer.getByTestId('trail-outcomes').getByText('增设临时停车泊位').waitFor();
    const item = proposer.getByTestId(`trail-item-${itemId}`);
    expect(await item.getAttribute('data-status')).toBe('closed');
    await item.getByRole('list', { name: '进展报告 1 份' }).getByText('已划定临时泊位 40 个').waitFor();
    const steps = await proposer.getByTestId('topic-history').allInnerTexts();
    for (const step of ['提出议题', '同意立题', '安排协商', '召开协商', '成果交办督办', '办结']) {
      expect(steps.join('\n')).toContain(step);
    }
  }, 180_000);
});
