import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { docShot } from '../docShots';
import { RoomPage, signInAt } from '../pages';

const sessionId = 's-nanmen-snacks';
const password = 'yitang-demo';

let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('a consultation with four people: convener, two members, an invited guest', () => {
  it('moves the agenda, gives the floor, runs a secret poll, publishes it and records an outcome', async () => {
    const c = new RoomPage((await person(browser)).page, baseUrl);
    const m1 = new RoomPage((await person(browser)).page, baseUrl);
    const m2 = new RoomPage((await person(browser, { phone: true })).page, baseUrl);
    const guestPerson = await person(browser, { phone: true });
    const g = new RoomPage(guestPerson.page, baseUrl);

    // The convener signs in with a password and starts the session (if another test has not).
    await c.signInAndOpen(sessionId, 'chen-liqun', password);
    if ((await c.by('session-state').getAttribute('data-state')) === 'scheduled') await c.startSession();

    // The convener invites a stakeholder; the guest opens the link on a phone and accepts.
    await c.by('invite-role').selectOption('stakeholder');
    await c.by('invite-name').fill('摊主代表 张强');
    await c.by('invite-create').click();
    const link = await c.by('invite-link').inputValue();
    expect(link).toMatch(/\/invite\/[\w-]+$/);
    await g.page.goto(link);
    await g.by('invite-name-input').fill('张强');
    await g.by('invite-accept').click();
    await g.by('presence-list').waitFor();
    await g.page.locator('[data-testid="room-you"]').getByText('张强').waitFor();

    await m1.signInAndOpen(sessionId, 'zhou-min', password);
    await m2.signInAndOpen(sessionId, 'gao-ya', password);
    for (const p of [c, m1, m2, g]) {
      await p.page.locator('[data-testid="presence-list"] li').nth(3).waitFor();
    }

    // The agenda moves; everyone follows, and the item timer is running.
    await c.by('agenda-item-a2').getByTestId('agenda-goto').click();
    for (const p of [m1, m2, g]) {
      await p.page.locator('[data-testid="current-item"][data-item-id="a2"]').waitFor();
      await p.by('item-timer').waitFor();
    }

    // A hand is raised and granted; the countdown runs on every screen.
    await m1.by('hand-raise').click();
    await c.by('queue-m-zhou-min').waitFor();
    // The raise button gives way to 放下; the focus goes with it, not to the page's body.
    await m1.page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'hand-lower');
    await c.by('grant-next').click();
    for (const p of [c, m1, m2, g]) {
      await p.page.locator('[data-testid="speaker-current"][data-member-id="m-zhou-min"]').waitFor();
    }
    const countdown = m2.by('speaker-countdown');
    const first = await countdown.textContent();
    await m2.page.waitForFunction(([el, was]) => el !== null && el.textContent !== was, [
      await countdown.elementHandle(),
      first,
    ] as const);
    await m1.by('speaker-end').click();
    await c.by('speaker-none').waitFor();

    // A secret poll: members vote, the guest (stakeholder) is not in a members-only electorate.
    const pollId = await c.createYesNoPoll('是否同意设置夜间临时摊位区？', { secret: true });
    await c.poll(pollId).getByTestId('poll-open').click();
    await m1.pollStage(pollId, 'open');
    await m1.vote(pollId, 'yes');
    await m2.pollStage(pollId, 'open');
    await m2.vote(pollId, 'yes');
    await c.vote(pollId, 'no');
    await g.poll(pollId).getByTestId('poll-not-eligible').waitFor();
    // Who has voted is live; what they voted is not.
    await c.page.locator(`[data-testid="poll-${pollId}"] [data-testid="poll-voters"][data-count="3"]`).waitFor();
    await m1.poll(pollId).getByTestId('poll-secret-pending').waitFor();
    expect(await m1.poll(pollId).getByTestId('tally-yes').count()).toBe(0);

    await c.poll(pollId).getByTestId('poll-close').click();
    await c.pollStage(pollId, 'closed');
    await c.poll(pollId).getByTestId('poll-publish').click();
    for (const p of [c, m1, m2, g]) {
      await p.pollStage(pollId, 'published');
      await p.poll(pollId).getByTestId('poll-result').waitFor();
      expect(await p.poll(pollId).getByTestId('tally-yes').textContent()).toBe('2');
      expect(await p.poll(pollId).getByTestId('tally-no').textContent()).toBe('1');
    }

    // The convener records an outcome; the members see it.
    await c.by('outcome-text').fill('南门外划定夜间临时摊位区，统一油烟净化与垃圾收集。');
    await c.by('outcome-department').fill('市市场监督管理局');
    await c.by('outcome-deadline').fill('2027-07-31');
    await c.by('outcome-record').click();
    for (const p of [m1, g]) {
      await p.page
        .locator('[data-testid^="outcome-oc-"][data-status="recorded"]')
        .getByText('夜间临时摊位区')
        .waitFor();
    }

    await docShot(m2.page, 'participant-phone', { fullPage: true });
    await docShot(c.page, 'convener-console', { fullPage: true });
  });
});

/**
 * 意见征集 (issue 16): thirty suggestions about the snack street come in over six days — most
 * recorded by staff from paper through the API with the day each was received, one through the
 * staff's form, one from a citizen's phone through the public link — and are grouped as they
 * arrive; the convener brings the 油烟 group into the live session, where a member sees it.
 */
const topicId = 'tp-nanmen-snacks';
const byRequest: Record<string, string[]> = {
  smoke: [
    '小吃街的油烟太大，傍晚整条街都是呛人的烟。',
    '建议给烧烤摊统一安装油烟净化设备。',
    '宿舍就在小吃街楼上，窗户一开全是油烟异味。',
    '希望限制露天烧烤，减少烟雾。',
    '炸串店排出的油烟把墙都熏黑了，要管一管。',
  ],
  vendors: [
    '摊贩占道经营，学生走路只能走到马路中间。',
    '建议划定固定摊位，流动摊不准乱摆。',
    '晚上夜市摆摊把人行道全占了。',
    '希望规范出摊时间和位置，别堵住人行道。',
    '流动摊贩到处都是，建议集中到市场里经营。',
  ],
  garbage: [
    '小吃街垃圾遍地，收摊后没人打扫。',
    '建议增加垃圾桶，并在夜市结束后及时清运。',
    '厨余垃圾直接倒进路边的下水道，臭气熏天。',
    '一次性餐盒和竹签乱扔，垃圾满地。',
    '希望环卫工人晚上也来清扫一次。',
  ],
  food: [
    '有些摊位用的油颜色发黑，担心是地沟油。',
    '建议市场监管部门定期抽查小吃的食品安全。',
    '很多摊主没有卫生许可证，吃坏肚子找不到人。',
    '同学吃了路边的烤肠食物中毒，希望严查。',
    '食材过期变质的问题要重点检查。',
  ],
  parking: [
    '来吃夜宵的人把车停在路边，堵得公交都过不去。',
    '建议在小吃街附近开放临时停车场。',
    '外卖电动车乱停乱放，挡住了人行道。',
    '周末晚上车位根本不够用。',
    '希望对违停车辆加强劝导。',
  ],
  noise: [
    '夜市吵到半夜，附近居民睡不着。',
    '商家用喇叭叫卖，噪音太大。',
    '希望晚上十点以后控制音量。',
    '烧烤摊喝酒划拳声音太大，扰民严重。',
    '学生宿舍离得近，晚自习后也很吵。',
  ],
};
/** Arrival order: the first of each request, then the second of each, and so on. */
const arriving = [0, 1, 2, 3, 4].flatMap((i) => Object.values(byRequest).map((list) => list[i] ?? ''));

async function signedIn(login: string, next: string, phone = false): Promise<Page> {
  const { page } = await person(browser, { phone });
  await signInAt(page, baseUrl, login, next);
  return page;
}

describe('a consultation before the session, grouped, brought into the live room', () => {
  it('gathers 30 suggestions over six days, groups them, and a convener brings one group into the session', async () => {
    // The session is live (the test above may have started it already).
    const c = new RoomPage((await person(browser)).page, baseUrl);
    await c.signInAndOpen(sessionId, 'chen-liqun', password);
    if ((await c.by('session-state').getAttribute('data-state')) === 'scheduled') await c.startSession();
    const member = new RoomPage((await person(browser, { phone: true })).page, baseUrl);
    await member.signInAndOpen(sessionId, 'gao-ya', password);

    // Staff record 28 suggestions received on paper over the last six days, through the API.
    const staff = await signedIn('zhou-ting', `/topics/${topicId}`);
    await staff.getByTestId('topic-page').waitFor();
    const day = 24 * 60 * 60 * 1000;
    const posts = arriving.slice(0, 28).map((text, i) => ({
      text,
      onBehalf: {
        name: `居民${i + 1}`,
        receivedAt: new Date(Date.now() - (6 - Math.floor(i / 5)) * day).toISOString(),
      },
    }));
    const statuses = await staff.evaluate(
      async ({ topic, list }) => {
        const out: number[] = [];
        for (const body of list) {
          const res = await fetch(`/api/consultations/${topic}/suggestions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          out.push(res.status);
        }
        return out;
      },
      { topic: topicId, list: posts },
    );
    expect(statuses.every((s) => s === 201)).toBe(true);

    // The 29th through the staff's form on the topic page's consultation tab, dated today.
    await staff.getByTestId('topic-tab-consultation').click();
    await staff.getByTestId('consultation-form').waitFor();
    await staff.getByTestId('consultation-on-behalf').check();
    await staff.getByTestId('consultation-name').fill('电话来访的王先生');
    await staff.getByTestId('consultation-text').fill(arriving[28] ?? '');
    await staff.getByTestId('consultation-submit').click();
    await staff.getByTestId('consultation-sent').waitFor();
    const link = await staff.getByTestId('consultation-public-link').inputValue();
    expect(link).toMatch(/\/c\/[\w-]+$/);

    // The 30th from a citizen's phone through the public link, with no account; a +1 too.
    const citizen = (await person(browser, { phone: true })).page;
    await citizen.goto(link);
    await citizen.getByTestId('consultation-form').waitFor();
    await citizen.getByTestId('consultation-name').fill('李阿姨');
    await citizen.getByTestId('consultation-text').fill(arriving[29] ?? '');
    await citizen.getByTestId('consultation-submit').click();
    await citizen.getByTestId('consultation-sent').waitFor();
    await citizen.getByTestId('consultation-group-1').getByTestId('consultation-plus').first().click();
    await citizen
      .locator('[data-testid="consultation-group-1"] [data-testid="consultation-plus"][aria-pressed="true"]')
      .waitFor();

    // Thirty suggestions over six days, in groups; the 油烟 paraphrases all in group 1.
    const convener = await signedIn('chen-liqun', `/topics/${topicId}`);
    await convener.getByTestId('topic-tab-consultation').click();
    await convener.getByTestId('consultation-group-1').waitFor();
    expect(await convener.getByTestId('consultation-suggestion').count()).toBe(30);

    // A cleared 继续征集（天） box is not saved as 0 days: the browser asks for a number at the box,
    // and the consultation keeps its days.
    const daysBox = convener.getByTestId('consultation-days');
    const daysBefore = Number(await daysBox.inputValue());
    await daysBox.fill('');
    await convener.locator('form.consultation-settings').getByRole('button').click();
    expect(await daysBox.evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
    const daysStored = await convener.evaluate(async (topic) => {
      const res = await fetch(`/api/consultations/${topic}`);
      return ((await res.json()) as { closeAfterDays: number }).closeAfterDays;
    }, topicId);
    expect(daysStored).toBe(daysBefore);
    await daysBox.fill(String(daysBefore));
    const days = await convener.evaluate(async (topic) => {
      const res = await fetch(`/api/consultations/${topic}`);
      const v = (await res.json()) as { suggestions: Array<{ createdAt: string }> };
      return new Set(v.suggestions.map((s) => s.createdAt.slice(0, 10))).size;
    }, topicId);
    expect(days).toBeGreaterThanOrEqual(6);
    const group1 = convener.getByTestId('consultation-group-1');
    const texts = await group1.getByTestId('consultation-suggestion').locator('.consultation-text').allTextContents();
    expect(texts.sort()).toEqual([...(byRequest.smoke ?? [])].sort());
    expect(
      await convener.locator('[data-testid^="consultation-group-"][data-group-id]').count(),
    ).toBeGreaterThanOrEqual(6);
    // Support by role: the citizen's +1 counts with the citizens.
    expect(await group1.getByTestId('consultation-group-support').textContent()).toMatch(/群众 [1-9]/);

    // One action brings the group into the live session; the member in the room sees it.
    await group1.getByTestId('consultation-bring').click();
    await group1.getByTestId('consultation-brought').waitFor();
    await member.by('suggestions-show-all').check();
    await member.by('suggestion-list').getByText('【意见征集·第1组】', { exact: false }).waitFor();
    // It links back to the consultation.
    await member
      .by('suggestion-list')
      .getByRole('link', { name: `/topics/${topicId}#consultation` })
      .waitFor();
    await c.by('suggestions-show-all').check();
    await c.by('suggestion-list').getByText('【意见征集·第1组】', { exact: false }).waitFor();
  });
});
