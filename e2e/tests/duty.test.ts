import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * The demo year (2026) seeds a dozen members' records. 吴国强 has attended online once, voted once,
 * made one proposal and been absent twice (one absence on 2026-10-22, in the fourth quarter); he has
 * no research study, social-conditions report or good deed, so his rubric score is 0: 2 + 1 + 4 − 6
 * for the records, −2 for each of the three minimums missing. No other browser test uses him; the
 * minutes test closes the economy group's session he is invited to, but his leave for it is approved.
 */
const member = { login: 'wu-guoqiang', id: 'm-wu-guoqiang', name: '吴国强' };
const staff = { login: 'zhou-ting' };
const password = 'yitang-demo';
const year = 2026;
const quarter = '2026-Q4';
const title = '赴城东镇开展农村居家养老服务专题调研';
const deed = '社区老人义诊';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** Duty pages as a person uses them. */
class DutyPage {
  constructor(readonly page: Page) {}

  by(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  signIn(login: string, next: string): Promise<void> {
    return signInAt(this.page, baseUrl, login, next, password);
  }

  minimum(id: string): Locator {
    return this.by(`duty-minimum-${id}`);
  }

  /** The ledger record with this title (the one submitted here). */
  entry(): Locator {
    return this.page.locator('[data-testid^="duty-entry-"][data-kind="research"]', { hasText: title });
  }

  async waitFor(selector: string): Promise<void> {
    await this.page.locator(selector).waitFor();
  }
}

/** A downloaded file's path, and the name the browser was given. */
async function download(page: Page, trigger: Locator): Promise<{ file: string; name: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'yitang-bulletin-')), dl.suggestedFilename());
  await dl.saveAs(file);
  return { file, name: dl.suggestedFilename() };
}

/** The whole story in one browser session: two sign-ins (argon2 on purpose) and a Chromium launched for the PDF. */
const storyTimeout = 120_000;

describe('duty performance', () => {
  it(
    'a member sees their progress and submits a record; staff verify it and download the quarterly bulletin',
    async () => {
      // The member, on a phone.
      const m = new DutyPage((await person(browser, { phone: true })).page);
      await m.signIn(member.login, `/duty?year=${year}`);
      await m.by('duty-minimums').waitFor();
      expect(await m.page.getByRole('heading', { level: 1 }).textContent()).toBe('我的履职');
      expect(await m.minimum('proposal').getAttribute('data-met')).toBe('true');
      expect(await m.minimum('consultation').getAttribute('data-met')).toBe('true');
      expect(await m.minimum('research').getAttribute('data-met')).toBe('false');
      // Counts read as counts ("已完成 1 项（要求 1 项）", never "4 / 1"), and the records behind a
      // minimum are named by their titles, not by bare numbers.
      expect(await m.minimum('consultation').textContent()).toMatch(/已完成 \d+ 项（要求 1 项）/);
      const refs = await m.minimum('consultation').locator('.duty-ref').allTextContents();
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref).not.toMatch(/^\d+$/);
      for (const id of ['research', 'socialReport', 'goodDeed']) await m.by(`duty-missing-${id}`).waitFor();
      expect(await m.by('duty-score-total').getAttribute('data-points')).toBe('0');
      // Every point is explained: the deduction for a missing minimum is listed.
      expect(await m.by('duty-adjustment-minimumMissing').count()).toBe(3);

      // A form problem is named and nothing is sent.
      await m.by('duty-form-submit').click();
      await m.waitFor('[data-testid="duty-form-kind"][aria-invalid="true"]');
      await m.page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'duty-form-kind');

      await m.by('duty-form-kind').selectOption('research');
      await m.by('duty-form-date').fill('2026-11-20');
      await m.by('duty-form-title').fill(title);
      await m.by('duty-form-text').fill('走访城东镇三个村的居家养老服务站，与老人和服务人员座谈，形成调研报告。');
      await m.by('duty-form-link').fill('https://www.haian.gov.cn/');
      await m.by('duty-form-attachment').fill('调研报告.pdf');
      await m.by('duty-form-submit').click();

      // The pending record shows at once, focus on it, and the result is announced.
      await m.entry().and(m.page.locator('[data-status="pending"]')).waitFor();
      await m.page.locator('[data-testid="duty-form-done"]', { hasText: title }).waitFor();
      await m.page.waitForFunction((t) => document.activeElement?.textContent?.includes(t) === true, title);
      expect(await m.entry().getByTestId('duty-status').textContent()).toBe('待审核');
      expect(await m.entry().textContent()).toContain('本人填报');
      // Pending records earn nothing yet.
      expect(await m.by('duty-score-total').getAttribute('data-points')).toBe('0');

      // A second record, which staff will send back.
      await m.by('duty-form-kind').selectOption('goodDeed');
      await m.by('duty-form-title').fill(deed);
      await m.by('duty-form-text').fill('组织医生为社区老人义诊。');
      await m.by('duty-form-submit').click();
      await m.page.locator('[data-testid^="duty-entry-"][data-status="pending"]', { hasText: deed }).waitFor();

      // Privacy: a member sees no one else's record, and no ranking while the committee hides it.
      const other = await m.page.request.get(`${baseUrl}/api/duty/members/m-chen-liqun?year=${year}`);
      expect(other.status()).toBe(403);
      await m.page.goto(`${baseUrl}/duty/assessment?year=${year}`);
      await m.by('ranking-hidden').waitFor();
      expect(await m.page.locator('[data-testid^="assessment-m-"]').count()).toBe(1);
      await m.by(`assessment-${member.id}`).waitFor();
      // Until the year is over nobody is graded (no 不称职 for a year still under way).
      const thisYear = Number(
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4),
      );
      const grade = await m.by(`assessment-${member.id}`).getAttribute('data-grade');
      if (year >= thisYear) expect(grade).toBe('pending');
      else expect(grade).not.toBe('pending');

      // Staff verify it from the queue.
      const s = new DutyPage((await person(browser)).page);
      await s.signIn(staff.login, '/duty/review');
      const item = s.page.locator('[data-testid^="review-ent"]', { hasText: title });
      await item.waitFor();
      expect(await item.textContent()).toContain(member.name);
      await item.getByTestId('review-verify').click();
      await s.page.locator('[data-testid="review-announce"]', { hasText: title }).waitFor();
      await item.waitFor({ state: 'detached' });
      const second = s.page.locator('[data-testid^="review-ent"]', { hasText: deed });
      await second.getByTestId('review-reject').click();
      await second.getByTestId('review-reject-confirm').click();
      await second.locator('[data-testid="review-reason"][aria-invalid="true"]').waitFor();
      await second.getByTestId('review-reason').fill('请补充义诊活动的照片或报道链接。');
      await second.getByTestId('review-reject-confirm').click();
      await second.waitFor({ state: 'detached' });

      // The member's score now counts it: +5 for the study, one deduction fewer (0 → 2).
      await m.page.goto(`${baseUrl}/duty?year=${year}`);
      await m.entry().and(m.page.locator('[data-status="verified"]')).waitFor();
      expect(await m.minimum('research').getAttribute('data-met')).toBe('true');
      expect(await m.by('duty-score-total').getAttribute('data-points')).toBe('2');
      expect(await m.entry().getByTestId('duty-entry-points').textContent()).toBe('计 5 分');
      expect(await m.by('duty-adjustment-minimumMissing').count()).toBe(2);
      const rejected = m.page.locator('[data-testid^="duty-entry-"][data-status="rejected"]', { hasText: deed });
      expect(await rejected.textContent()).toContain('请补充义诊活动的照片或报道链接。');
      expect(await m.minimum('goodDeed').getAttribute('data-met')).toBe('false');

      // His proposal has the department's reply: his feedback on it earns the feedback point (2 → 3).
      const proposal = m.page.locator('[data-testid^="duty-entry-"][data-kind="proposal"]');
      await proposal.getByLabel('对办理答复的评价').selectOption('basicallySatisfied');
      await proposal.getByRole('button', { name: '提交评价' }).click();
      await proposal.getByText('评价已提交。').waitFor();
      await m.waitFor('[data-testid="duty-score-total"][data-points="3"]');
      expect(await proposal.textContent()).toContain('委员评价：基本满意');

      // The quarterly bulletin: the fourth quarter beside the third.
      await s.by('duty-nav-bulletin').click();
      await s.by('bulletin-quarter').selectOption(quarter);
      await s.by('bulletin-quarter-show').click();
      const row = s.by(`bulletin-member-${member.id}`);
      await row.waitFor();
      await s.page.locator('[data-testid="bulletin-heading"]', { hasText: '2026 年第 3 季度' }).waitFor();
      // Q4: the absence of 22 October (−3) and the study (+5); Q3: one vote (+1).
      expect(await row.getAttribute('data-records')).toBe('2');
      expect(await row.getAttribute('data-points')).toBe('2');
      expect(await row.textContent()).toContain('专题调研 1');

      // The PDF: the button shows it is being made, then the file arrives.
      const pdfButton = s.by('bulletin-download-pdf');
      const [pdf] = await Promise.all([
        download(s.page, pdfButton),
        s.page.locator('[data-testid="bulletin-download-pdf"][data-state="busy"]').waitFor(),
      ]);
      await s.page.locator('[data-testid="bulletin-download-status"]', { hasText: '已生成' }).waitFor();
      expect(pdf.name).toMatch(/\.pdf$/);
      const text = execFileSync('pdftotext', ['-layout', pdf.file, '-'], { encoding: 'utf8' });
      expect(text.replace(/\s+/g, '')).toContain('委员履职情况季度通报（2026年第四季度）');
      expect(text).toContain('2026年第三季度');
      // His row: sector, then counts by column (… 专题调研 1 … 无故缺席 1), points 2, previous 1, change +1.
      // The columns of co-signatures and of each adoption level are 0 for him.
      const line = text.split('\n').find((l) => l.includes(member.name)) ?? '';
      expect(line.trim().split(/\s+/)).toEqual([
        member.name,
        '经济界',
        '0',
        '0',
        '0',
        '0',
        '0',
        '0',
        '0',
        '0',
        '0',
        '0',
        '1',
        '0',
        '0',
        '0',
        '1',
        '2',
        '1',
        '+1',
      ]);

      // The spreadsheet: a real XLSX (a zip) holding the member's row.
      const xlsx = await download(s.page, s.by('bulletin-download-xlsx'));
      expect(xlsx.name).toMatch(/\.xlsx$/);
      const strings = execFileSync('unzip', ['-p', xlsx.file, 'xl/sharedStrings.xml'], { encoding: 'utf8' });
      expect(strings).toContain(member.name);
      expect(strings).toContain('专题调研');

      // The committee shows rankings: now the member sees them.
      await s.by('duty-nav-assessment').click();
      await s.by(`assessment-${member.id}`).waitFor();
      const box = s.by('duty-rankings-visible');
      await s.page.locator('[data-testid="duty-rankings-visible"]:not([disabled])').waitFor();
      expect(await box.isChecked()).toBe(false);
      await box.check();
      await s.page.locator('[data-testid="duty-settings-status"]', { hasText: '向委员公开排名' }).waitFor();
      await m.page.goto(`${baseUrl}/duty/assessment?year=${year}`);
      await m.by(`ranking-${member.id}`).waitFor();
      expect(await m.page.locator('[data-testid^="ranking-m-"]').count()).toBeGreaterThan(10);
    },
    storyTimeout,
  );

  it('staff score a member on the duty-report panel; the assessment shows the new average', async () => {
    // 马丽: rubric 41, evaluation 18 (average 90 of 20), panel 17.6 (86 by 周婷 and 90 by 李娜, of 20).
    const s = new DutyPage((await person(browser)).page);
    await s.signIn(staff.login, `/duty/assessment?year=${year}`);
    const row = s.by('assessment-m-ma-li');
    await row.waitFor();
    expect(await row.getAttribute('data-total')).toBe('76.6');
    await s.by('rating-kind').selectOption('panel');
    await s.by('rating-member').selectOption('m-ma-li');
    await s.by('rating-score').fill('120');
    await s.by('rating-submit').click();
    await s.waitFor('[data-testid="rating-score"][aria-invalid="true"]');
    await s.by('rating-score').fill('100');
    await s.by('rating-submit').click();
    await s.page.locator('[data-testid="rating-done"]', { hasText: '马丽' }).waitFor();
    // 周婷's 86 is replaced by 100: the panel's average is 95, 19 of 20 points.
    await s.waitFor('[data-testid="assessment-m-ma-li"][data-total="78"]');
  });

  it('staff import past records: a bad file is refused whole with a report, a good one lands in the ledger', async () => {
    const s = new DutyPage((await person(browser)).page);
    await s.signIn(staff.login, '/duty/import');
    const heading = '委员编号,类别,日期,标题,说明\n';
    const good = 'm-ma-li,社情民意信息,2025-06-10,关于规范社区养老助餐点的建议,报送市政协信息科\n';

    await s.by('import-file').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${heading}${good}m-nobody,发言,2025-02-30,,\n`),
    });
    await s.by('import-submit').click();
    await s.page.locator('[data-testid="import-report"][data-ok="false"]').waitFor();
    const codes = await s
      .by('import-problems')
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
    expect(codes).toEqual(['unknownMember', 'unknownKind', 'badDate', 'required']);
    // Focus is on the report, for the person who pressed the button.
    await s.page.waitForFunction(() => document.activeElement?.textContent === '检查报告');

    await s
      .by('import-file')
      .setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(heading + good) });
    await s.by('import-check').click();
    await s.page.locator('[data-testid="import-result"]', { hasText: '检查通过' }).waitFor();
    await s.by('import-submit').click();
    await s.page.locator('[data-testid="import-result"]', { hasText: '已导入 1 条记录' }).waitFor();

    // Nothing of the refused file was written: the member's 2025 ledger holds the good row once.
    await s.page.goto(`${baseUrl}/duty/members/m-ma-li?year=2025`);
    const rows = s.page.locator('[data-testid^="duty-entry-"][data-kind="socialReport"]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('历史导入');
    expect(await rows.first().getAttribute('data-status')).toBe('verified');
  });
});
