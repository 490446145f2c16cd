import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * A proposal (提案) start to finish, each person in their own browser: 谢芳 drafts it on her phone
 * and invites 宋涛 and 田佳, who co-sign; staff (周婷) accept it and assign it to 市科学技术局,
 * whose head 赵明 replies; 谢芳 answers 不满意, 赵明 replies again, 谢芳 answers 满意. The
 * trail shows every step, and 谢芳's duty page shows the points with their source. No other
 * browser test uses these people.
 */
const author = { login: 'xie-fang', name: '谢芳' };
const cosigners = [
  { login: 'song-tao', id: 'm-song-tao', name: '宋涛' },
  { login: 'tian-jia', id: 'm-tian-jia', name: '田佳' },
];
const staff = { login: 'zhou-ting' };
const official = { login: 'zhao-ming' };
const title = '关于完善科技型中小企业创新券兑付机制的建议';
// The committee's year (China time), not the machine's: they differ for hours around New Year.
const year = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()),
);

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** One person's page on the proposal, signed in once. */
async function signedIn(login: string, next: string, phone = false): Promise<Page> {
  const { page } = await person(browser, { phone });
  await signInAt(page, baseUrl, login, next);
  return page;
}

/** Opens a step's form on the proposal page, lets `fill` fill it, confirms, and waits for the new state. */
async function step(page: Page, action: string, fill: () => Promise<void>, state: string): Promise<void> {
  await page.getByTestId(`proposal-action-${action}`).click();
  const form = page.getByTestId(`proposal-form-${action}`);
  await form.waitFor();
  await fill();
  await form.getByTestId('proposal-confirm').click();
  // The form closes once the step went through (a refusal keeps it open with the reason).
  await form.waitFor({ state: 'detached' });
  await page.locator(`[data-testid="proposal"][data-state="${state}"]`).waitFor();
}

const none = async () => {};

describe('proposals', () => {
  it('drafted, co-signed, accepted, assigned, answered twice after 不满意, closed on 满意, and counted', async () => {
    // The member drafts on her phone.
    const m = await signedIn(author.login, '/proposals/new', true);
    const form = m.getByTestId('proposal-form');
    await form.waitFor();
    await form.locator('input[name="title"]').fill(title);
    await form.locator('textarea[name="case"]').fill('创新券兑付周期长、材料多，企业申领积极性不高。');
    await form.locator('textarea[name="suggestions"]').fill('一、简化兑付材料；二、实行线上受理；三、限时办结。');
    await form.locator('button[type="submit"]').click();
    await m.locator('[data-testid="proposal"][data-state="draft"]').waitFor();
    const url = m.url();
    const id = decodeURIComponent(url.split('/proposals/')[1] ?? '');
    expect(id).toMatch(/^pp-/);

    await step(
      m,
      'invite',
      async () => {
        // The picker searches by name and offers checkboxes (phones, screen readers).
        for (const c of cosigners) {
          await m.getByTestId('proposal-member-search').fill(c.name);
          await m.locator(`input[name="members"][value="${c.id}"]`).check();
        }
      },
      'draft',
    );
    expect(await m.getByTestId('proposal-cosigners').locator('li').count()).toBe(2);
    // A file for the draft, the way a phone picks one.
    const attach = m.getByTestId('proposal-attach');
    await attach.locator('input[type="file"]').setInputFiles({
      name: '调研材料.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 创新券兑付情况调研'),
    });
    await attach.locator('button[type="submit"]').click();
    await m.getByRole('link', { name: '调研材料.pdf' }).waitFor();

    // Each co-signer finds it among those to co-sign and accepts.
    for (const c of cosigners) {
      const p = await signedIn(c.login, '/proposals?scope=cosign');
      await p.getByTestId('proposals-list').getByText(title).click();
      await step(p, 'acceptCosign', none, 'draft');
      await p.context().close();
    }
    await m.reload();
    await m.getByTestId('proposal-cosigners').getByText('已联名').first().waitFor();
    expect(await m.getByTestId('proposal-cosigners').getByText('已联名').count()).toBe(2);
    await step(m, 'submit', none, 'submitted');

    // Staff accept and assign it.
    const s = await signedIn(staff.login, `/proposals/${encodeURIComponent(id)}`);
    await s.locator('[data-testid="proposal"][data-state="submitted"]').waitFor();
    await step(s, 'accept', none, 'accepted');
    await step(
      s,
      'assign',
      async () => {
        await s.locator('select[name="lead"]').selectOption('dep-kjj');
      },
      'assigned',
    );

    // The proposer heard of the decision, in her language's words.
    await m.reload();
    await m.locator('[data-testid="proposal"][data-state="assigned"]').waitFor();
    await m.getByTestId('notifications-button').click();
    await m.getByTestId('notifications-list').getByText(`提案“${title}”审查结果：已立案`).waitFor();
    await m.getByTestId('notifications-button').click();

    // The department replies.
    const o = await signedIn(official.login, `/proposals/${encodeURIComponent(id)}`);
    await o.locator('[data-testid="proposal"][data-state="assigned"]').waitFor();
    // Its tracking item takes progress reports, but only the reply ends its work: no "all done".
    await o.getByRole('link', { name: '在督办中跟踪' }).click();
    const progress = o.getByTestId('report-done-by-source');
    await progress.waitFor();
    expect(await progress.textContent()).toContain('由提案答复办结');
    expect(await o.getByTestId('report-done').count()).toBe(0);
    await o.goBack();
    await o.locator('[data-testid="proposal"][data-state="assigned"]').waitFor();
    const reply = async (replyClass: string, text: string) => {
      await step(
        o,
        'reply',
        async () => {
          await o.locator('select[name="replyClass"]').selectOption(replyClass);
          await o.locator('textarea[name="text"]').fill(text);
        },
        'replied',
      );
    };
    await reply('planned', '拟于明年上线创新券线上兑付系统。');

    // 不满意 sends it back; the department answers again; 满意 closes it.
    await m.reload();
    await step(
      m,
      'feedback',
      async () => {
        await m.getByLabel('不满意').check();
        await m.locator('input[name="comment"]').fill('希望今年内解决');
      },
      'assigned',
    );
    await o.reload();
    await o.locator('[data-testid="proposal"][data-state="assigned"]').waitFor();
    await reply('solved', '线上兑付已于本月开通，兑付时限缩短至十个工作日。');
    await m.reload();
    await step(m, 'feedback', async () => m.getByLabel('满意', { exact: true }).check(), 'closed');
    expect(await m.getByTestId('proposal-state').textContent()).toBe('办结');

    // The trail shows every step, in order.
    const actions = await m
      .getByTestId('proposal-trail')
      .locator('li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-action')));
    expect(actions).toEqual([
      'create',
      'invite',
      'attach',
      'acceptCosign',
      'acceptCosign',
      'submit',
      'accept',
      'assign',
      'reply',
      'feedback',
      'reply',
      'feedback',
    ]);
    const trail = (await m.getByTestId('proposal-trail').textContent()) ?? '';
    expect(trail).toContain('不满意');
    expect(trail).toContain('列入计划');
    expect(trail).toContain('已解决');
    expect(await m.getByTestId('proposal-replies').locator('li').count()).toBe(2);

    // The duty page counts the proposal by itself, and names where the record came from.
    await m.goto(`${baseUrl}/duty?year=${year}`);
    const entry = m.getByTestId(`duty-entry-pp:${id}:author`);
    await entry.waitFor();
    expect(await entry.getAttribute('data-kind')).toBe('proposal');
    expect(await entry.getAttribute('data-status')).toBe('verified');
    expect(await entry.textContent()).toContain('提案办理自动记录');
    expect(await entry.textContent()).toContain(title.slice(0, 20));
    expect(await entry.getByTestId('duty-entry-points').textContent()).toBe('计 5 分');
    // The record links back to the proposal it follows instead of offering a form.
    expect(await entry.getByTestId('duty-entry-source').getAttribute('href')).toBe(
      `/proposals/${encodeURIComponent(id)}`,
    );
  }, 240_000);
});
