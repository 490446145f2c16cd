import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seriousViolations } from '../axe';
import { launch } from '../browser';
import { createSession, RoomPage, signInAt } from '../pages';

const desktop = { width: 1280, height: 800 };
const phone = { width: 390, height: 844 };
const appNames: Record<string, string> = { 'zh-CN': '议堂', en: 'Yitang' };

/**
 * Violations accepted for now, each with its page, its rule and why: as few as possible. A page
 * is its label in the list below.
 */
const allowed: Array<{ page: string; rule: string; reason: string }> = [];

type Who = 'anonymous' | 'staff' | 'member' | 'convener' | 'department';

interface Finding {
  page: string;
  rule: string;
  impact: string;
  target: string;
  summary: string;
}

let browser: Browser;
const baseUrl = inject('baseUrl');
const people = new Map<Who, { context: BrowserContext; page: Page }>();
/** Made in beforeAll: a live session of this file's own, its hall screen link and a guest invitation. */
const made = { sessionId: '', screenPath: '', invitePath: '' };

const logins: Record<Exclude<Who, 'anonymous'>, string> = {
  staff: 'zhou-ting',
  member: 'zheng-yu',
  convener: 'chen-liqun',
  department: 'liu-jianguo',
};

async function open(who: Who): Promise<Page> {
  const known = people.get(who);
  if (known) return known.page;
  const context = await browser.newContext({ viewport: desktop, locale: 'zh-CN' });
  const page = await context.newPage();
  if (who !== 'anonymous') {
    await signInAt(page, baseUrl, logins[who], '/');
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  }
  people.set(who, { context, page });
  return page;
}

/** Waits until the page has drawn what it loaded: no request in flight, its heading shown. */
async function settle(page: Page, ready: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator(ready).first().waitFor();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

async function scan(page: Page, label: string): Promise<Finding[]> {
  return (await seriousViolations(page))
    .map((v) => ({ page: label, ...v }))
    .filter((f) => !allowed.some((a) => a.page === label.split(' [')[0] && a.rule === f.rule));
}

/** The tab title, once the page has titled itself from its heading. */
async function titleFinding(page: Page, label: string, lobby: boolean): Promise<Finding[]> {
  const lang = await page.evaluate(() => document.documentElement.lang);
  const appName = appNames[lang] ?? '议堂';
  if (lobby) return [];
  const titled = await page
    .waitForFunction((name) => document.title !== '' && document.title !== name, appName, { timeout: 5000 })
    .then(() => true)
    .catch(() => false);
  if (titled) return [];
  return [{ page: label, rule: 'own-title', impact: 'serious', target: 'title', summary: `titled "${appName}" only` }];
}

async function otherLanguage(page: Page, ready: string): Promise<void> {
  const before = await page.evaluate(() => document.documentElement.lang);
  const want = before === 'en' ? 'zh-CN' : 'en';
  const lang = page.getByTestId('lang-switch');
  if ((await lang.count()) > 0) {
    await lang.first().click();
  } else {
    // Pages without the header (the hall screen) read the stored choice when they load. It is
    // stored by a script that runs before the page's own (a write just before a reload can be
    // lost), and only on such a page, so other pages keep what their switch chose.
    await page.addInitScript(
      ({ l, path }) => {
        if (window.location.pathname === path) localStorage.setItem('yitang.lang', l);
      },
      { l: want, path: new URL(page.url()).pathname },
    );
    await page.reload();
  }
  await page.waitForFunction((l) => document.documentElement.lang === l, want);
  await settle(page, ready);
}

/** Scans one page in both languages at both widths; returns what failed. */
async function check(
  who: Who,
  label: string,
  path: string,
  ready = 'main h1',
  prepare?: (page: Page) => Promise<void>,
): Promise<Finding[]> {
  const page = await open(who);
  await page.setViewportSize(desktop);
  await page.goto(`${baseUrl}${path}`);
  await settle(page, ready);
  await prepare?.(page);
  const lobby = path === '/';
  const found: Finding[] = [];
  const at = async (width: string) => {
    const lang = await page.evaluate(() => document.documentElement.lang);
    const where = `${label} [${lang}, ${width}]`;
    found.push(...(await scan(page, where)), ...(await titleFinding(page, where, lobby)));
  };
  await at('desktop');
  await page.setViewportSize(phone);
  await settle(page, ready);
  await at('phone');
  await otherLanguage(page, ready);
  await prepare?.(page);
  await at('phone');
  await page.setViewportSize(desktop);
  await settle(page, ready);
  await at('desktop');
  return found;
}

function report(found: Finding[]): string[] {
  return found.map((f) => `${f.page}: ${f.rule} (${f.impact}) at ${f.target}: ${f.summary}`);
}

beforeAll(async () => {
  browser = await launch();
  // A session of this file's own, live, with its convener in the room, a member on the floor and a poll open.
  const staff = await open('staff');
  made.sessionId = await createSession(staff, 'm-chen-liqun', '无障碍检查用协商', [
    { title: '情况通报', plannedMinutes: 10 },
    { title: '协商讨论', plannedMinutes: 20 },
  ]);
  const screen = await staff.evaluate(async (id) => {
    const res = await fetch(`/api/sessions/${id}/screen-link`, { method: 'POST' });
    return ((await res.json()) as { key: string }).key;
  }, made.sessionId);
  made.screenPath = `/s/${made.sessionId}/screen?key=${encodeURIComponent(screen)}`;
  made.invitePath = await staff.evaluate(async (id) => {
    const res = await fetch(`/api/sessions/${id}/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'observer', name: '旁听代表 王五' }),
    });
    return ((await res.json()) as { path: string }).path;
  }, made.sessionId);
  const chair = new RoomPage(await open('convener'), baseUrl);
  await chair.page.goto(`${baseUrl}/s/${made.sessionId}`);
  await chair.by('presence-list').waitFor();
  await chair.startSession();
  const member = new RoomPage(await open('member'), baseUrl);
  await member.page.goto(`${baseUrl}/s/${made.sessionId}`);
  await member.by('presence-list').waitFor();
  await member.by('hand-raise').click();
  await chair.by('queue-m-zheng-yu').waitFor();
  // The member has the floor and a poll is open: the room at its busiest.
  await chair.by('queue-grant-m-zheng-yu').click();
  const pollId = await chair.createYesNoPoll('是否同意先行试点？');
  await chair.poll(pollId).getByTestId('poll-open').click();
  await member.pollStage(pollId, 'open');
}, 120_000);

afterAll(async () => {
  for (const { context } of people.values()) await context.close();
  await browser?.close();
});

/** Opens the header's notification centre (again, if the language switch closed it). */
async function openNotifications(page: Page): Promise<void> {
  const button = page.getByTestId('notifications-button');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await page.locator('[data-testid="notifications"] .popover__panel').waitFor();
  await page.waitForLoadState('networkidle');
}

/** [label, who, path, what shows once the page is ready, what to do then]. */
const pages: Array<[string, Who, string | (() => string), string?, ((page: Page) => Promise<void>)?]> = [
  ['login', 'anonymous', '/login'],
  ['invite', 'anonymous', () => made.invitePath],
  ['public consultation', 'anonymous', '/c/innovate'],
  ['hall screen', 'anonymous', () => made.screenPath, '[data-testid="screen-board"]'],
  ['not found', 'anonymous', '/no-such-page'],
  ['lobby', 'staff', '/'],
  ['notification centre (open)', 'staff', '/', 'main h1', openNotifications],
  ['session room (member)', 'member', () => `/s/${made.sessionId}`, '[data-testid="presence-list"]'],
  ['session room (convener)', 'convener', () => `/s/${made.sessionId}`, '[data-testid="presence-list"]'],
  ['demo identity picker', 'anonymous', '/s/s-nanmen-snacks', '[data-testid="identity-list"]'],
  ['session plan', 'staff', '/s/s-nanmen-snacks/plan'],
  ['new session', 'staff', '/sessions/new'],
  ['minutes (published)', 'staff', '/s/s-year-weddings/minutes'],
  ['minutes (live session)', 'convener', () => `/s/${made.sessionId}/minutes`, '[data-testid="minutes-editor"]'],
  ['archive', 'staff', '/minutes'],
  ['topics', 'staff', '/topics'],
  ['topic', 'staff', '/topics/tp-nanmen-snacks'],
  ['dashboard', 'staff', '/reports'],
  ['tracking list', 'staff', '/tracking'],
  ['tracking item', 'staff', '/tracking/tr-oc-year-weddings-1'],
  ['department', 'department', '/department'],
  ['proposals', 'staff', '/proposals?scope=all'],
  ['proposal', 'staff', '/proposals/pp-demo-food'],
  ['proposal statistics', 'staff', '/proposals/stats'],
  ['social reports', 'staff', '/social-reports?scope=all'],
  ['social report', 'staff', '/social-reports/sr-demo-charging'],
  ['activities', 'staff', '/activities'],
  ['activity', 'staff', '/activities/act-demo-training'],
  ['my duty record', 'member', '/duty'],
  ['duty review', 'staff', '/duty/review'],
  ['duty assessment', 'staff', '/duty/assessment'],
  ['duty member', 'staff', '/duty/members/m-dong-hai'],
  ['rubric editor', 'staff', '/duty/rubrics'],
  ['duty report (述职)', 'member', '/duty/report'],
  ['duty bulletin', 'staff', '/duty/bulletin'],
  ['hotline', 'staff', '/hotline'],
  ['security', 'staff', '/security'],
  ['accounts', 'staff', '/accounts'],
  ['org console', 'staff', '/org'],
  ['org departments', 'staff', '/org/departments'],
  ['member import', 'staff', '/org/import'],
  ['notification preferences', 'member', '/settings/notifications'],
  ['delivery log', 'staff', '/notify/log'],
  ['paper sessions', 'staff', '/paper-sessions'],
  ['change password', 'member', '/account/password'],
];

describe('the scan', () => {
  it('finds what it is for: a button with no name and faint text fail the page', async () => {
    const page = await open('anonymous');
    await page.setViewportSize(desktop);
    await page.goto(`${baseUrl}/login`);
    await settle(page, 'main h1');
    await page.evaluate(() => {
      const main = document.querySelector('main');
      if (!main) throw new Error('no main');
      const bad = document.createElement('div');
      bad.innerHTML = '<button type="button"></button><p style="color:#ccc;background:#fff">faint</p>';
      main.append(bad);
    });
    const rules = (await scan(page, 'login with faults')).map((f) => f.rule).sort();
    expect(rules).toEqual(['button-name', 'color-contrast']);
  });
});

describe('every page passes axe (WCAG 2 A/AA, no serious or critical violation) and has its own title', () => {
  for (const [label, who, path, ready, prepare] of pages) {
    it(label, { timeout: 90_000 }, async () => {
      const found = await check(who, label, typeof path === 'function' ? path() : path, ready, prepare);
      expect(report(found)).toEqual([]);
    });
  }
});
