import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { notifyPaths } from '../../shared/src/notify';
import { launch, person } from '../browser';

const baseUrl = inject('baseUrl');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('reminder settings', () => {
  it('a member opens the page from a link, signs in first, comes back, and keeps what they chose', async () => {
    const { page } = await person(browser, { phone: true });
    // A link from a message, opened signed out: sign-in first, then the page itself.
    await page.goto(`${baseUrl}/settings/notifications`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByTestId('login-username').fill('gao-ya');
    await page.getByTestId('login-password').fill('yitang-demo');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/settings\/notifications$/);
    await page.getByRole('heading', { name: '提醒设置' }).waitFor();

    // A channel without its address is refused in words, before anything is sent.
    await page.getByTestId('notify-channel-sms').check();
    await page.getByTestId('notify-save').click();
    expect(await page.getByRole('alert').textContent()).toContain('请填写相应的联系方式');

    await page.getByLabel('手机号码').fill('13800000009');
    await page.getByLabel('在以下时段不发送提醒').check();
    await page.getByLabel('开始').fill('22:00');
    await page.getByLabel('结束').fill('07:00');
    await page.getByLabel('English').check();
    await page.getByTestId('notify-save').click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: '提醒设置' }).waitFor();
    expect(await page.getByTestId('notify-channel-sms').isChecked()).toBe(true);
    expect(await page.getByLabel('手机号码').inputValue()).toBe('13800000009');
    expect(await page.getByLabel('结束').inputValue()).toBe('07:00');
    expect(await page.getByLabel('English').isChecked()).toBe(true);
  });

  it('staff reach the delivery log from the header; a member is refused it', async () => {
    const { page } = await person(browser);
    await page.goto(`${baseUrl}/login?next=${encodeURIComponent('/')}`);
    await page.getByTestId('login-username').fill('zhou-ting');
    await page.getByTestId('login-password').fill('yitang-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav-delivery-log').click();
    await page.getByRole('heading', { name: '提醒发送记录' }).waitFor();
    await page.getByLabel('状态').selectOption('failed');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('该月没有符合条件的记录。').waitFor();

    const member = (await person(browser)).page;
    await member.goto(`${baseUrl}/login?next=${encodeURIComponent('/notify/log')}`);
    await member.getByTestId('login-username').fill('gao-ya');
    await member.getByTestId('login-password').fill('yitang-demo');
    await member.getByTestId('login-submit').click();
    await member.waitForURL(/\/notify\/log$/);
    await member.getByRole('alert').waitFor();
    expect(await member.getByTestId('nav-delivery-log').count()).toBe(0);
  });
});

describe('a link in a message', () => {
  it('opened signed out, goes through sign-in to the page it names', async () => {
    // The ids the links carry, read as staff.
    const staff = (await person(browser)).page;
    await staff.goto(`${baseUrl}/login?next=${encodeURIComponent('/')}`);
    const ids = await staff.evaluate(async () => {
      const login = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'zhou-ting', password: 'yitang-demo' }),
      });
      if (!login.ok) throw new Error(`staff sign-in answered ${login.status}`);
      const items = (await (await fetch('/api/tracking')).json()) as { items: Array<{ id: string; text: string }> };
      const acts = (await (await fetch('/api/activities')).json()) as {
        activities: Array<{ id: string; title: string }>;
      };
      return { item: items.items[0], activity: acts.activities[0] };
    });
    if (!ids.item || !ids.activity) throw new Error('the demo has no tracking item or no activity');

    // Each kind of link, opened by the person it would reach; the page's heading names its subject.
    const links: Array<{ path: string; username: string; heading: string | RegExp }> = [
      { path: notifyPaths.session('s-nanmen-snacks'), username: 'chen-liqun', heading: /南门/ },
      { path: notifyPaths.minutes('s-nanmen-snacks'), username: 'chen-liqun', heading: /南门/ },
      { path: notifyPaths.trackingItem(ids.item.id), username: 'zhou-ting', heading: ids.item.text },
      { path: notifyPaths.activity(ids.activity.id), username: 'zhou-ting', heading: ids.activity.title },
      { path: notifyPaths.duty(), username: 'gao-ya', heading: /\S/ },
    ];
    for (const link of links) {
      const { page, context } = await person(browser, { phone: true });
      await page.goto(`${baseUrl}${link.path}`);
      await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === link.path);
      await page.getByTestId('login-username').fill(link.username);
      await page.getByTestId('login-password').fill('yitang-demo');
      await page.getByTestId('login-submit').click();
      await page.waitForURL((url) => url.pathname === link.path);
      await page.getByRole('heading', { level: 1, name: link.heading }).first().waitFor();
      expect(await page.getByRole('heading', { level: 1, name: '页面不存在' }).count(), link.path).toBe(0);
      await context.close();
    }
  });
});
