import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * The yearly duty report (述职) in the browser (issue 16, part 6). The story runs in 2021, a year no
 * other browser test and no demo record uses. Staff open the round with the committee's default
 * criteria (履职态度 30%, 履职实绩 50%, 作风纪律 20%) and name two panel members; 马丽 uploads her
 * report as a PDF on a phone; 谢芳 gives 90/80/70 and 田佳 80/70/90, so the means are 85, 75 and 80
 * and the weighted total 85×0.3 + 75×0.5 + 80×0.2 = 79 (two scorers: nothing dropped). Before
 * staff publish, she sees no result; after, 79 and the rule, and no single sheet. Her own bulletin
 * page lists the 述职 record in the year's last quarter, linked back to the round.
 */
const year = 2021;
const member = { login: 'ma-li', id: 'm-ma-li' };
const panel = [
  { login: 'xie-fang', id: 'm-xie-fang', scores: ['90', '80', '70'] },
  { login: 'tian-jia', id: 'm-tian-jia', scores: ['80', '70', '90'] },
];
const staff = { login: 'zhou-ting' };
const baseUrl = inject('baseUrl');
const reportPage = `/duty/report?year=${year}`;

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const by = (page: Page, testId: string): Locator => page.getByTestId(testId);

describe('the yearly duty report', () => {
  it('a member uploads, two panel members score, staff publish, the member sees the aggregate and her bulletin', async () => {
    // Staff open the round from the form the page offers when there is none.
    const s = (await person(browser)).page;
    await signInAt(s, baseUrl, staff.login, reportPage);
    await by(s, 'duty-report-none').waitFor();
    const nextYear = new Date().getUTCFullYear() + 1;
    await by(s, 'duty-report-open-deadline').fill(`${nextYear}-01-31`);
    await by(s, 'duty-report-open-submit').click();
    await by(s, 'duty-report-round').waitFor();
    expect(await by(s, 'duty-report-round').getByTestId('duty-report-rule').textContent()).toContain(
      '去掉一个最高分和一个最低分',
    );
    // The panel: two members, ticked by name.
    for (const p of panel) await by(s, `duty-report-panel-${p.id}`).check();
    await by(s, 'duty-report-save-round').click();
    await s.locator('[data-testid="duty-report-round-saved"]:has-text("设置已保存")').waitFor();
    expect(await by(s, 'duty-report-panel').textContent()).toBe('谢芳、田佳');

    // The member, on a phone, uploads her report as a PDF.
    const m = (await person(browser, { phone: true })).page;
    await signInAt(m, baseUrl, member.login, reportPage);
    await by(m, 'duty-report-mine').waitFor();
    await by(m, 'duty-report-file').setInputFiles({
      name: '马丽2021年度述职报告.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 述职报告'),
    });
    await by(m, 'duty-report-send-file').click();
    await m.locator('[data-testid="duty-report-submitted"][data-versions="1"]').waitFor();
    expect(await by(m, 'duty-report-file-link').textContent()).toContain('马丽2021年度述职报告.pdf');
    expect(await by(m, 'duty-report-result-pending').isVisible()).toBe(true);

    // Each panel member scores her report on every criterion.
    for (const p of panel) {
      const page = (await person(browser)).page;
      await signInAt(page, baseUrl, p.login, reportPage);
      await by(page, `duty-report-score-${member.id}`).waitFor();
      for (const [k, id] of ['attitude', 'results', 'conduct'].entries()) {
        await by(page, `duty-report-score-${member.id}-${id}`).fill(p.scores[k] ?? '');
      }
      await by(page, `duty-report-save-${member.id}`).click();
      await page.locator(`[data-testid="duty-report-saved-${member.id}"]:has-text("已保存")`).waitFor();
      await page.context().close();
    }

    // Staff see the aggregate and publish.
    await s.reload();
    const row = by(s, `duty-report-result-${member.id}`);
    await row.waitFor();
    expect(await row.getByTestId('duty-report-result-total').textContent()).toBe('79');
    expect(await row.textContent()).toContain('全部平均');
    await by(s, 'duty-report-publish').click();
    await by(s, 'confirm-yes').click();
    await s.locator('[data-testid="duty-report-published-note"]:has-text("1 条记录")').waitFor();

    // The member sees her aggregate and the rule, never a single sheet.
    await m.reload();
    const result = by(m, 'duty-report-my-result');
    await result.waitFor();
    expect(await result.getAttribute('data-total')).toBe('79');
    const shown = (await result.textContent()) ?? '';
    expect(shown).toContain('加权总分：79 分');
    expect(shown).toContain('2 人评分');
    expect(shown).toContain('评分人不足 5 人');
    // One mean per criterion and nothing else: no sheet, no scorer.
    expect(await result.locator('li').allTextContents()).toEqual([
      '履职态度：平均 85 分',
      '履职实绩：平均 75 分',
      '作风纪律：平均 80 分',
    ]);
    expect(await by(m, 'duty-report-scoring').count()).toBe(0);
    expect(await by(m, 'duty-report-send-file').count()).toBe(0);

    // Her own bulletin: the 述职 record in 2021's last quarter, linked back to the round.
    await m.goto(`${baseUrl}/duty/bulletin/mine?year=${year}`);
    const q4 = by(m, `duty-bulletin-${year}-Q4`);
    await q4.waitFor();
    const source = q4.locator('[data-testid="duty-bulletin-source"][data-kind="dutyReport"]');
    expect(await source.textContent()).toContain('评议得分 79');
    await source.getByTestId('duty-bulletin-source-link').click();
    await m.waitForURL(`**${reportPage}`);
    await by(m, 'duty-report-my-result').waitFor();

    // Staff reach the same page for her from her duty record.
    await s.goto(`${baseUrl}/duty/members/${member.id}?year=${year}`);
    await by(s, 'duty-member-bulletin-link').click();
    const staffQ4 = by(s, `duty-bulletin-${year}-Q4`);
    await staffQ4.waitFor();
    expect(await staffQ4.locator('[data-testid="duty-bulletin-source"][data-kind="dutyReport"]').count()).toBe(1);
    expect(await s.locator('h1').textContent()).toContain('马丽的季度通报');
  }, 120_000);
});
