import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

/*
 * The rubric editor in the browser (issue 16, part 6). The story runs in 2024, a year no other
 * browser test and no demo record uses, so changing its rubric moves nobody else's score: staff
 * store its version 1 (a good deed 3 points, cap 6) and enter one good deed for 曹明, whose score
 * is then 3. Staff draft 5 points a deed, see the preview give him 5 (+2), publish, and his own
 * duty page shows 5. Until then it shows 3: a draft changes nobody's score.
 */
const year = 2024;
const member = { login: 'cao-ming', id: 'm-cao-ming' };
const staff = { login: 'zhou-ting' };
const baseUrl = inject('baseUrl');

const versionOne = {
  year,
  rules: [
    { id: 'goodDeed', label: '为民办实事好事', kinds: ['goodDeed'], points: 3, cap: 6, onlyWithFeedback: false },
    { id: 'training', label: '参加学习培训', kinds: ['training'], points: 1, cap: 3, onlyWithFeedback: false },
  ],
  minimums: [],
  allMinimumsBonus: 0,
  missingMinimumDeduction: 0,
  rubricMax: 60,
  evaluationMax: 20,
  panelMax: 20,
  thresholds: { excellent: 85, competent: 70, basicallyCompetent: 60 },
};

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const by = (page: Page, testId: string): Locator => page.getByTestId(testId);

/** The member's rubric points for the year, as their own duty page shows them. */
async function ownPoints(page: Page, reload = true): Promise<string | null> {
  if (reload) await page.goto(`${baseUrl}/duty?year=${year}`);
  await by(page, 'duty-score-total').waitFor();
  return by(page, 'duty-score-total').getAttribute('data-points');
}

describe('the rubric editor', () => {
  it('staff draft a change, see every member’s score under it, publish it, and the member’s page shows the new score', async () => {
    // Staff on a phone too: the editor is phone first.
    const s = (await person(browser, { phone: true })).page;
    await signInAt(s, baseUrl, staff.login, '/duty/review');
    await by(s, 'duty-nav-rubrics').waitFor();

    // The year's first version and one good deed, as staff store them.
    const stored = await s.request.post(`${baseUrl}/api/duty/rubrics`, { data: versionOne });
    expect(stored.status()).toBe(201);
    const deed = await s.request.post(`${baseUrl}/api/duty/entries`, {
      data: {
        memberId: member.id,
        kind: 'goodDeed',
        date: `${year}-05-10`,
        title: '为敬老院老人义务理发',
        evidence: { text: '组织理发师到敬老院为三十位老人理发。', link: null, attachmentName: null },
      },
    });
    expect(deed.status()).toBe(201);

    // The member, on a phone: 3 points.
    const m = (await person(browser, { phone: true })).page;
    await signInAt(m, baseUrl, member.login, `/duty?year=${year}`);
    expect(await ownPoints(m, false)).toBe('3');

    // Staff open the editor from their navigation and start a draft from version 1.
    await by(s, 'duty-nav-rubrics').click();
    await s.goto(`${baseUrl}/duty/rubrics?year=${year}`);
    expect(await by(s, 'rubric-in-force').getAttribute('data-version')).toBe('1');
    await by(s, 'rubric-start').click();
    await by(s, 'rubric-draft-form').waitFor();

    // A bad value is named and nothing is sent.
    await by(s, 'rubric-field-rules.0.cap').fill('500');
    await by(s, 'rubric-save').click();
    const problems = by(s, 'rubric-problems');
    await problems.waitFor();
    // The list takes focus, so a screen reader reads it out.
    await s.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'rubric-problems');
    expect(await problems.textContent()).toContain('第 1 条规则“为民办实事好事”的上限：不能超过 100。');
    expect(await by(s, 'rubric-field-rules.0.cap').getAttribute('aria-invalid')).toBe('true');

    // Five points a deed, cap 10; saved and previewed.
    await by(s, 'rubric-field-rules.0.cap').fill('10');
    await by(s, 'rubric-field-rules.0.points').fill('5');
    await by(s, 'rubric-preview').click();
    await s.locator('[data-testid="rubric-notice"]', { hasText: '草稿已保存' }).waitFor();
    const row = by(s, `rubric-preview-${member.id}`);
    await row.waitFor();
    expect(await row.getAttribute('data-current')).toBe('3');
    expect(await row.getAttribute('data-draft')).toBe('5');
    expect(await row.getAttribute('data-difference')).toBe('2');
    expect(await row.textContent()).toContain('+2');
    const summary = by(s, 'rubric-preview-summary');
    expect(await summary.getAttribute('data-changed')).toBe('1');
    expect(await summary.getAttribute('data-grade-changes')).toBe('0');
    // Sorted by the difference, largest first: he leads; sorting by it again puts him last.
    const firstRow = () => s.locator('[data-testid="rubric-preview-table"] tbody tr').first();
    expect(await firstRow().getAttribute('data-testid')).toBe(`rubric-preview-${member.id}`);
    await by(s, 'rubric-sort-difference').click();
    expect(await s.locator('th[aria-sort="ascending"]').textContent()).toContain('差值');
    expect(await s.locator('[data-testid="rubric-preview-table"] tbody tr').last().getAttribute('data-testid')).toBe(
      `rubric-preview-${member.id}`,
    );
    // The draft lists what it changes.
    await s.reload();
    const changes = by(s, 'rubric-draft-changes');
    await changes.waitFor();
    expect(await changes.textContent()).toContain('规则“为民办实事好事”的每条分值：3 → 5');

    // Still a draft: the member's score has not moved.
    expect(await ownPoints(m)).toBe('3');

    // Published from today: version 2 is in force, version 1 kept.
    await by(s, 'rubric-publish').click();
    await s.locator('[data-testid="rubric-in-force"][data-version="2"]').waitFor();
    await by(s, 'rubric-version-1').waitFor();
    expect(await by(s, 'rubric-version-1').getAttribute('data-state')).toBe('earlier');
    expect(await by(s, 'rubric-notice').textContent()).toContain('已发布第 2 版细则');

    expect(await ownPoints(m)).toBe('5');

    // Another year: while its versions are on their way, this year's are not shown under its
    // title, and no draft can be started from them (it would take version 2 as its base).
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await s.route(`**/api/duty/rubrics/${year - 1}/versions`, async (route) => {
      await held;
      await route.continue();
    });
    await by(s, 'rubrics-year').selectOption(String(year - 1));
    await by(s, 'rubrics-year-show').click();
    await s.locator('h1', { hasText: String(year - 1) }).waitFor();
    await s.getByRole('status').filter({ hasText: '正在加载' }).waitFor();
    expect(await by(s, 'rubric-in-force').count()).toBe(0);
    expect(await by(s, 'rubric-start').count()).toBe(0);
    // Nor this year's notice: 已发布第 2 版细则 was said of this year.
    expect(await by(s, 'rubric-notice').isHidden()).toBe(true);
    release();
    // Its own answer arrives and is shown.
    await by(s, 'rubric-draft').waitFor();
  }, 120_000);
});
