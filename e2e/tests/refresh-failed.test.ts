import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { createSession, signInAt } from '../pages';

/*
 * A page that keeps what it showed while it asks again must say when asking again failed. 罗斌
 * answers 参加 to an invitation on his phone; the network drops the lobby's next read of his
 * sessions; the invitation stays on screen, a banner says the list could not be refreshed and may
 * be out of date, and 重试 once the network is back brings his answer. Before, the failed read
 * emptied the list and said he had no invitations. No other browser test uses 罗斌.
 */
const member = { id: 'm-luo-bin', login: 'luo-bin' };
const staffLogin = 'zhou-ting';
const mine = '**/api/sessions/mine';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function lobbyOf(login: string, phone: boolean): Promise<Page> {
  const { page } = await person(browser, { phone });
  await signInAt(page, baseUrl, login, '/');
  await page.locator('#my-invitations').waitFor();
  return page;
}

describe('a list kept on screen', () => {
  it('says when asking again failed, keeps what it showed, and asks again on 重试', async () => {
    // Staff make a session of this test's own and invite 罗斌.
    const staff = await lobbyOf(staffLogin, false);
    const sessionId = await createSession(staff, 'm-chen-liqun', '老旧小区加装电梯资金分担协商', [
      { title: '协商讨论', plannedMinutes: 30 },
    ]);
    await staff.evaluate(
      async ({ sessionId, memberId }) => {
        const res = await fetch(`/api/sessions/${sessionId}/invitees`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ invitees: [{ memberId, role: 'member' }] }),
        });
        if (!res.ok) throw new Error(`inviting answered ${res.status}`);
      },
      { sessionId, memberId: member.id },
    );
    await staff.context().close();

    const m = await lobbyOf(member.login, true);
    const invitation = m.getByTestId(`invitation-${sessionId}`);
    await invitation.waitFor();
    expect(await invitation.getByTestId('rsvp-state').textContent()).toBe('未答复');

    // The answer goes through; the read of the list that follows it does not.
    await m.route(mine, (route) => route.abort('internetdisconnected'));
    await invitation.getByRole('button', { name: '参加' }).click();
    const banner = m.getByTestId('refresh-failed');
    await banner.waitFor();
    expect(await banner.getAttribute('role')).toBe('alert');
    expect(await banner.textContent()).toContain('未能刷新：网络连接失败');
    expect(await banner.textContent()).toContain('可能不是最新的');
    // What was shown stays, and the lobby does not claim there is nothing.
    expect(await invitation.isVisible()).toBe(true);
    expect(await m.locator('#my-invitations').getByText('暂无').count()).toBe(0);

    // The network is back: 重试 asks again, the banner goes, and the answer shows.
    await m.unroute(mine);
    await banner.getByRole('button', { name: '重试' }).click();
    await banner.waitFor({ state: 'detached' });
    await invitation.getByTestId('rsvp-state').getByText('参加').waitFor();
    await m.context().close();
  });

  it('clears the warning once a step brings the record back', async () => {
    // Staff (李娜) create a supervision finding of this test's own; it waits on the department.
    const { page: s } = await person(browser, { phone: true });
    await signInAt(s, baseUrl, 'li-na', '/tracking');
    await s.getByTestId('tracking-create-open').click();
    const form = s.getByTestId('tracking-create-form');
    await form.getByLabel('来源').selectOption('supervision');
    await form.getByLabel('标题').fill('背街小巷照明设施民主监督');
    await form.getByLabel('情况说明（监督或视察发现的问题）').fill('监督组夜间查看发现：城北三条小巷路灯损坏。');
    await form.getByLabel('办理要求').fill('一个月内修复损坏路灯');
    await form.getByLabel('责任部门').fill('市城市管理局');
    await form.getByRole('button', { name: '交办' }).click();
    await s.getByTestId('tracking-item').waitFor();
    const id = decodeURIComponent(s.url().split('/tracking/')[1] ?? '');
    expect(id).toMatch(/^tr-supervision-/);

    // The network drops: the chase fails, and so does the read of the item after it.
    const item = `**/api/tracking/${encodeURIComponent(id)}`;
    const chase = `${item}/chase`;
    await s.route(item, (route) => route.abort('internetdisconnected'));
    await s.route(chase, (route) => route.abort('internetdisconnected'));
    const chases = s.getByTestId('tracking-chases');
    await chases.getByRole('button', { name: '催办', exact: true }).click();
    const banner = s.getByTestId('refresh-failed');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('未能刷新');
    expect(await s.getByTestId('tracking-item').isVisible()).toBe(true);

    // Back online, the chase goes through: its answer is the item itself, current again.
    await s.unroute(item);
    await s.unroute(chase);
    await chases.getByRole('button', { name: '催办', exact: true }).click();
    await chases.locator('li[data-testid="tracking-chase"]').waitFor();
    await banner.waitFor({ state: 'detached' });
    await s.context().close();
  });

  it('says a failed search left the last answer on screen, in the minutes archive', async () => {
    const { page } = await person(browser, { phone: true });
    await signInAt(page, baseUrl, member.login, '/minutes');
    const results = page.getByTestId('archive-results');
    await results.waitFor();
    const shown = await results.locator('li').count();
    expect(shown).toBeGreaterThan(0);

    // The network drops as a search goes out: the last answer stays, and the page says it is that.
    await page.route('**/api/minutes/archive**', (route) => route.abort('internetdisconnected'));
    await page.getByTestId('archive-q').fill('共享平台');
    await page.getByTestId('archive-search').click();
    const banner = page.getByTestId('refresh-failed');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('未能刷新');
    expect(await results.locator('li').count()).toBe(shown);
    // No count claims the new search's results (the loading line goes as the error lands).
    await expect.poll(() => page.getByTestId('archive-count').textContent()).toBe('');

    // Back online, 重试 asks the search again and the warning goes.
    await page.unroute('**/api/minutes/archive**');
    await banner.getByRole('button', { name: '重试' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.getByTestId('archive-count').getByText(/^找到/).waitFor();
    await page.context().close();
  });

  it('says a failed query left the last answer on screen, in the delivery log', async () => {
    const { page } = await person(browser);
    await signInAt(page, baseUrl, staffLogin, '/notify/log');
    const query = page.getByRole('button', { name: '查询', exact: true });
    await query.waitFor();
    // The month's answer, whatever it holds: a list, or 该月没有符合条件的记录。
    await page.locator('.notify-log').or(page.getByText('该月没有符合条件的记录。')).first().waitFor();

    await page.route('**/api/notify/deliveries**', (route) => route.abort('internetdisconnected'));
    await query.click();
    const banner = page.getByTestId('refresh-failed');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('未能刷新');
    // It does not claim the month is empty either.
    expect(await page.getByText('该月没有符合条件的记录。').count()).toBe(0);

    await page.unroute('**/api/notify/deliveries**');
    await banner.getByRole('button', { name: '重试' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.context().close();
  });

  it('keeps the proposal period from being saved blank when it could not be read', async () => {
    const { page } = await person(browser);
    // The period's read fails from the start; saving it still reaches the server.
    await page.route('**/api/proposals/period', (route) =>
      route.request().method() === 'GET' ? route.abort('internetdisconnected') : route.continue(),
    );
    await signInAt(page, baseUrl, staffLogin, '/proposals');
    const period = page.locator('form.proposals-period');
    const banner = period.getByTestId('refresh-failed');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('未能加载');
    expect(await period.getByTestId('proposal-period-save').isDisabled()).toBe(true);

    await page.unroute('**/api/proposals/period');
    await banner.getByRole('button', { name: '重试' }).click();
    await banner.waitFor({ state: 'detached' });
    await period.getByRole('status').waitFor();
    expect(await period.getByTestId('proposal-period-save').isEnabled()).toBe(true);
    await page.context().close();
  });
});
