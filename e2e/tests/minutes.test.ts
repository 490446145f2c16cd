import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { minutesContain, RoomPage } from '../pages';

/** The economy group's session: this test closes it, so it keeps out of the other tests' way. */
const sessionId = 's-innovation';
const password = 'yitang-demo';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('minutes written together, reviewed, approved and published', () => {
  it('two editors and a reader; a review comment; approval by both conveners; a PDF with the record', async () => {
    const c1 = new RoomPage((await person(browser)).page, baseUrl);
    const rec = new RoomPage((await person(browser)).page, baseUrl);
    const reader = new RoomPage((await person(browser, { phone: true })).page, baseUrl);

    await c1.signInAndOpen(sessionId, 'chen-liqun', password);
    await c1.startSession();
    await rec.signInAndOpen(sessionId, 'li-na', password);
    await reader.signInAndOpen(sessionId, 'zhou-min', password);

    // A vote, so the minutes and the PDF have a result to show.
    const pollId = await c1.createYesNoPoll('是否同意建设产业创新资源共享平台?');
    await c1.poll(pollId).getByTestId('poll-open').click();
    await reader.pollStage(pollId, 'open');
    await reader.vote(pollId, 'yes');
    await c1.vote(pollId, 'yes');
    await c1.poll(pollId).getByTestId('poll-close').click();
    await c1.pollStage(pollId, 'closed');

    // Two editors write in one document; the reader sees both and cannot write. The recorder adds
    // after the convener's line once it has reached her: End on a line still arriving puts her
    // words inside it (both inserts follow the same character, and the document orders them by
    // client), which split the convener's sentence when the machine was slow.
    await c1.by('minutes-editor').click();
    await c1.page.keyboard.type('经济组建议由科技局牵头建设共享平台。');
    await minutesContain(rec.page, '经济组建议由科技局牵头建设共享平台。');
    await rec.by('minutes-editor').click();
    await rec.page.keyboard.press('End');
    await rec.page.keyboard.type('记录:与会委员一致赞同。');
    for (const p of [c1, rec, reader]) {
      await minutesContain(p.page, '经济组建议由科技局牵头建设共享平台。');
      await minutesContain(p.page, '记录:与会委员一致赞同。');
    }
    // Rich text: the convener links a line; the reader sees the link.
    await c1.page.keyboard.press('Enter');
    await c1.page.keyboard.type('海安市政府网站');
    await c1.page.keyboard.press('Shift+Home');
    c1.page.once('dialog', (d) => void d.accept('https://www.haian.gov.cn/'));
    await c1.page.getByRole('toolbar').getByRole('button', { name: '链接' }).click();
    await reader
      .by('minutes-editor')
      .locator('a[href="https://www.haian.gov.cn/"]')
      .getByText('海安市政府网站')
      .waitFor();
    await reader.by('minutes-readonly').waitFor();
    expect(await reader.by('minutes-editor').getAttribute('contenteditable')).toBe('false');
    // The room's poll result is a block in the minutes: its label once, in Chinese punctuation.
    const pollCard = c1.page.locator('[data-testid="room-event"][data-kind="poll"]').first();
    await pollCard.waitFor();
    const cardText = (await pollCard.textContent()) ?? '';
    expect(cardText.match(/表决/g)?.length, cardText).toBe(1);
    expect(cardText).toMatch(/通过：同意 2，反对 0，弃权 0$/);

    await c1.confirm('session-close');
    await c1.page.locator('[data-testid="session-state"][data-state="closed"]').waitFor();

    // Review: the convener opens it, the reader comments on a passage.
    const minutesUrl = `${baseUrl}/s/${sessionId}/minutes`;
    await c1.page.goto(minutesUrl);
    // Submitting asks first (it freezes a review version and asks both conveners to approve).
    await c1.confirm('minutes-transition-review');
    await c1.page.locator('[data-testid="minutes-state"][data-state="inReview"]').waitFor();
    await reader.page.goto(minutesUrl);
    await reader.page.locator('[data-testid="minutes-state"][data-state="inReview"]').waitFor();
    await reader.by('comment-quote').fill('与会委员一致赞同');
    await reader.by('comment-text').fill('建议写明“一致赞同”的表决方式。');
    await reader.by('comment-submit').click();
    await c1.page.locator('[data-testid^="comment-"]').getByText('建议写明“一致赞同”的表决方式。').waitFor();

    // Approval needs both conveners: the second is 赵明, head of the science bureau that owns the topic.
    // The comment is still open: the page names it and approving asks before it goes on.
    await c1.page.reload();
    const warning = c1.by('minutes-open-comments');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('建议写明“一致赞同”的表决方式。');
    await c1.confirm('minutes-approve');
    await c1.page.locator('[data-testid="minutes-approvals"][data-count="1"]').waitFor();
    const c2 = new RoomPage((await person(browser)).page, baseUrl);
    await c2.page.goto(`${baseUrl}/login?next=${encodeURIComponent(`/s/${sessionId}/minutes`)}`);
    await c2.by('login-username').fill('zhao-ming');
    await c2.by('login-password').fill(password);
    await c2.by('login-submit').click();
    // The second convener was told his approval is needed.
    await c2.by('notifications-button').click();
    await c2.by('notifications-list').getByText('等待您批准').first().waitFor();
    await c2.confirm('minutes-approve');
    await c2.page.locator('[data-testid="minutes-state"][data-state="approved"]').waitFor();

    // Once the comment is resolved, publishing asks nothing more.
    await c1.page.reload();
    await c1.page.locator('[data-testid^="comment-resolve-"]').first().click();
    await c1.page.locator('[data-testid="minutes-open-comments"]').waitFor({ state: 'detached' });
    await c1.by('minutes-publish').click();
    await c1.page.locator('[data-testid="minutes-state"][data-state="published"]').waitFor();

    // 谁写了什么 counts edits as a reader would: the convener wrote two paragraphs (the second one
    // linked), the recorder one sentence, however many keys that took; the sections and the vote
    // are the room's, not whoever had the editor open when the room wrote them.
    await c1.by('authors-list').waitFor();
    expect(await c1.by('author-m-chen-liqun').getAttribute('data-edits')).toBe('2');
    expect(await c1.by('author-s-li-na').getAttribute('data-edits')).toBe('1');
    expect(await c1.by('author-room').textContent()).toContain('会议记录（议事室自动写入）');

    // The published PDF holds the Chinese title, the attendance list and the vote result.
    const res = await c1.page.request.get(`${baseUrl}/api/sessions/${sessionId}/minutes/export.pdf`);
    expect(res.status()).toBe(200);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'yitang-pdf-')), 'minutes.pdf');
    writeFileSync(file, await res.body());
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain('建立产业创新资源共享机制');
    expect(text).toContain('周敏');
    expect(text).toContain('陈立群');
    expect(text).toContain('是否同意建设产业创新资源共享平台');
    expect(text).toContain('通过');
    expect(text).toContain('经济组建议由科技局牵头建设共享平台');
  });
});
