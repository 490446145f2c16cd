import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { signInAt } from '../pages';

const password = 'yitang-demo';
const baseUrl = inject('baseUrl');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** The staff hotline page as a person uses it. */
class HotlinePage {
  constructor(readonly page: Page) {}

  by(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  signIn(login: string, next: string): Promise<void> {
    return signInAt(this.page, baseUrl, login, next, password);
  }

  /** Chooses a CSV file and uploads it; resolves once the report shows. */
  async upload(name: string, csv: string): Promise<Locator> {
    await this.by('hotline-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await this.by('hotline-upload').click();
    // The report of this file, not one still showing from an earlier upload.
    const report = this.page.locator(`[data-testid="hotline-report"][data-file="${name}"]`);
    await report.waitFor();
    return report;
  }
}

const header = '工单编号,标题,内容,区域,受理时间,类别';

describe('12345 hotline', () => {
  it('staff upload a ticket file, read the row problems, import it corrected and turn a ticket into a topic', async () => {
    const staff = new HotlinePage((await person(browser, { phone: true })).page);
    await staff.signIn('zhou-ting', '/hotline');
    await staff.by('hotline-page').waitFor();
    // On a phone the header's links wait in its menu.
    await staff.by('app-menu-button').click();
    await staff.by('nav-hotline').waitFor();
    await staff.page.keyboard.press('Escape');
    await staff.by('nav-hotline').waitFor({ state: 'hidden' });

    const bad = [
      header,
      'E2E-1,通扬河桥路灯十年不亮,桥上路灯坏了十多年,城东镇,2025-03-01T08:00:00+08:00,市政照明',
      'E2E-2,,没有标题,城东镇,2025-03-01T08:00:00+08:00,市政照明',
      'E2E-3,受理时间不对,,城东镇,三月一日,市政照明',
    ].join('\n');
    let report = await staff.upload('bad.csv', bad);
    expect(await report.getAttribute('data-ok')).toBe('false');
    const rows = staff.by('hotline-problems').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).getAttribute('data-row')).toBe('2');
    expect(await rows.nth(0).textContent()).toContain('标题');
    expect(await rows.nth(1).getAttribute('data-row')).toBe('3');
    expect(await rows.nth(1).textContent()).toContain('受理时间');
    // Nothing of the refused file is listed.
    expect(await staff.by('hotline-ticket-E2E-1').count()).toBe(0);

    const good = [
      header,
      'E2E-1,通扬河桥路灯十年不亮,桥上路灯坏了十多年,城东镇,2025-03-01T08:00:00+08:00,市政照明',
      'E2E-2,老旧小区加装电梯,,海安街道,2025-03-01T08:00:00+08:00,住建',
    ].join('\n');
    report = await staff.upload('good.csv', good);
    expect(await report.getAttribute('data-ok')).toBe('true');
    expect(await staff.by('hotline-result').textContent()).toContain('2');
    const ticket = staff.by('hotline-ticket-E2E-1');
    await ticket.waitFor();

    await ticket.getByTestId('hotline-to-topic').click();
    const topic = ticket.getByTestId('hotline-topic');
    await topic.waitFor();
    expect(await topic.getByTestId('topic-state').getAttribute('data-state')).toBe('proposed');
    await topic.getByRole('link').click();
    await staff.page.getByRole('heading', { level: 1, name: '通扬河桥路灯十年不亮' }).waitFor();
  });

  it('is not offered to members', async () => {
    const member = new HotlinePage((await person(browser)).page);
    await member.signIn('wu-guoqiang', '/hotline');
    await member.page.getByText('只有工作人员可以处理 12345 工单。').waitFor();
    expect(await member.by('nav-hotline').count()).toBe(0);
  });
});
