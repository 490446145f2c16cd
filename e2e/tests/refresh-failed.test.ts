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
});
