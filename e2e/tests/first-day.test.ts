/**
 * Issue 13 end to end: a committee's first day on an empty database. The server here is the
 * production entry (server/src/main.ts, SEED_DEMO=0, DEMO_LOGIN=0) on its own fresh database: the
 * setup link it prints creates the administrator, who imports the members from a spreadsheet,
 * builds the organisation and schedules a session; an invitee activates their account from their
 * link, signs in and joins; an uninvited member is refused; a deactivated member's room closes.
 *
 * The steps share one server and run in order: each picks up where the one before left off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, person } from '../browser';

const fixture = fileURLToPath(new URL('../fixtures/members-30.xlsx', import.meta.url));
const adminPassword = 'first-day admin pass';
const memberPassword = 'first-day member pass';
const department = '市农业农村局';
const roomName = '市政协协商议事厅';
const topic = '首日协商：村道路灯维护';

let browser: Browser;
let server: ChildProcess;
let output = '';
let baseUrl = '';
let setupUrl = '';
let dataDir = '';

/** The first day's people and what each step leaves for the next. */
const day: {
  admin: Page | null;
  /** Activation links from the import, by login name. */
  links: Map<string, { name: string; url: string }>;
  /** The scheduled session, an invitee's and an uninvited member's login names. */
  sessionId: string | null;
  invitee: string | null;
  uninvited: string | null;
  /** The invitee's page with the room open. */
  inviteePage: Page | null;
} = { admin: null, links: new Map(), sessionId: null, invitee: null, uninvited: null, inviteePage: null };

/** The production entry on a fresh embedded database, as an office starts it on its first day. */
async function startServer(): Promise<void> {
  dataDir = mkdtempSync(path.join(tmpdir(), 'yitang-e2e-first-day-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    YITANG_DATA_DIR: dataDir,
    MONGODB_DB: `e2e_first_day_${Date.now()}`,
    SEED_DEMO: '0',
    DEMO_LOGIN: '0',
    LOG_LEVEL: 'warn',
  };
  // Its own embedded database, not a shared one another test may have filled.
  delete env.MONGODB_URI;
  server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: fileURLToPath(new URL('../../server', import.meta.url)),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const running = /Yitang is running at (\S+?)\/?\s/.exec(output);
      if (running?.[1]) {
        baseUrl = running[1];
        resolve();
      }
    };
    server.stdout?.on('data', onData);
    server.stderr?.on('data', onData);
    server.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  // Printed before "running": the empty database's one-time link for the first administrator.
  setupUrl = /First start: open (\S+\/setup\/\S+) to create the administrator/.exec(output)?.[1] ?? '';
}

beforeAll(async () => {
  [browser] = await Promise.all([launch(), startServer()]);
});
afterAll(async () => {
  await browser?.close();
  if (server) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Tomorrow at 09:00 local time, as a datetime-local field takes it. */
function tomorrowAtNine(): string {
  const d = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T09:00`;
}

/** Sets a new password on an activation or setup form (both use the shared password fields). */
async function newPassword(page: Page, password: string): Promise<void> {
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByLabel('再输入一次密码', { exact: true }).fill(password);
}

/** Signs in with a login name and password on the sign-in page; the app then goes to `next`. */
async function signIn(page: Page, login: string, password: string, next: string): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('登录名', { exact: true }).fill(login);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
}

describe("a committee's first day, from an empty database", () => {
  it('the setup link printed at first start creates the administrator, once', async () => {
    expect(setupUrl.startsWith(`${baseUrl}/setup/`)).toBe(true);
    const { page } = await person(browser);
    day.admin = page;
    await page.goto(setupUrl);
    await page.getByRole('heading', { name: '首次设置：创建管理员' }).waitFor();
    await page.getByLabel('姓名', { exact: true }).fill('周海燕');
    await page.getByLabel('登录名', { exact: true }).fill('zhou-haiyan');
    await newPassword(page, adminPassword);
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    // Signed in as the administrator, on the accounts page.
    await page.getByRole('heading', { name: '账号管理' }).waitFor();

    // The link worked once: opened again (another device), it says it is no longer valid.
    const other = await person(browser);
    await other.page.goto(setupUrl);
    await other.page.getByRole('heading', { name: '链接已失效' }).waitFor();
    await other.context.close();
  });

  it('the administrator imports 30 members from an XLSX file, each with an activation link', async () => {
    const page = must(day.admin);
    await page.goto(`${baseUrl}/org/import`);
    await page.getByRole('heading', { name: '导入委员名册' }).waitFor();
    await page.getByLabel('名册文件').setInputFiles(fixture);
    // The check comes first: a clean file, 30 members to create.
    await page.getByTestId('import-clean').waitFor();
    expect(await page.getByTestId('import-report').textContent()).toContain('将新建委员 30 名');
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByRole('heading', { name: '导入完成' }).waitFor();
    const links = page.getByRole('list', { name: '激活链接' }).getByRole('listitem');
    expect(await links.count()).toBe(30);
    for (const item of await links.all()) {
      const login = (await item.getAttribute('data-login')) ?? '';
      const name = (await item.locator('strong').textContent()) ?? '';
      const url = (await item.locator('code').textContent()) ?? '';
      day.links.set(login, { name, url });
    }
    expect(day.links.size).toBe(30);
    expect([...day.links.values()].every((l) => /\/activate\/[A-Za-z0-9_-]+$/.test(l.url))).toBe(true);
  });

  it('the administrator creates a department and a room in the organisation console', async () => {
    const page = must(day.admin);
    await page.goto(`${baseUrl}/org/departments`);
    const departments = page.getByRole('region', { name: '部门' });
    await departments.waitFor();
    await departments.getByLabel('名称', { exact: true }).fill(department);
    await departments.getByRole('button', { name: '添加', exact: true }).click();
    await departments.getByRole('heading', { name: department }).waitFor();

    await page.getByRole('navigation', { name: '组织管理栏目' }).getByRole('link', { name: '议事室' }).click();
    const rooms = page.getByRole('region', { name: '议事室（按上下级）' });
    await rooms.waitFor();
    await rooms.getByLabel('名称', { exact: true }).fill(roomName);
    await rooms.getByLabel('层级', { exact: true }).selectOption({ label: '市级' });
    await rooms.getByLabel('所属单位', { exact: true }).fill('市政协办公室');
    await rooms.getByRole('button', { name: '添加', exact: true }).click();
    await rooms.getByText(roomName).first().waitFor();
    // Kept: the records are on the server, not only on this page.
    await page.reload();
    await page.getByRole('region', { name: '议事室（按上下级）' }).getByText(roomName).first().waitFor();
  });
  it('the administrator appoints a member to convene, schedules a session in the room and invites a member', async () => {
    const page = must(day.admin);
    // Only a member appointed to convene (委员召集人) may be a session's first convener.
    const appointed = must([...day.links.values()].at(-1)).name;
    await page.goto(`${baseUrl}/org`);
    await page.getByRole('button', { name: `编辑 ${appointed}` }).click();
    await page.getByRole('checkbox', { name: '委员召集人' }).check();
    await page.getByRole('button', { name: '保存', exact: true }).first().click();
    await page.getByText('已保存。').waitFor();
    await page.goto(`${baseUrl}/sessions/new`);
    const form = page.getByRole('form', { name: '新建协商活动' });
    await form.waitFor();
    await form.getByLabel('协商主题', { exact: true }).fill(topic);
    await form.getByLabel('议事室', { exact: true }).selectOption({ label: roomName });
    await form.getByLabel('时间', { exact: true }).fill(tomorrowAtNine());
    const convener = form.getByLabel('委员召集人', { exact: true });
    const convenerName = appointed;
    await convener.selectOption({ label: convenerName });
    await form.getByRole('button', { name: '创建', exact: true }).click();
    await page.waitForURL(/\/s\/[^/]+\/plan$/);
    day.sessionId = /\/s\/([^/]+)\/plan$/.exec(page.url())?.[1] ?? null;

    // One member invited, another left out; neither convenes.
    const serving = [...day.links.entries()].filter(([, l], i) => i % 6 < 4 && l.name !== convenerName);
    const [invitee, outsider] = serving;
    day.invitee = invitee?.[0] ?? null;
    day.uninvited = outsider?.[0] ?? null;
    const name = must(invitee)[1].name;
    const picker = page.getByRole('group', { name: '从名单中选择' });
    await picker.getByLabel('按姓名查找', { exact: true }).fill(name);
    await picker.getByRole('checkbox', { name }).check();
    await picker.getByRole('button', { name: '邀请', exact: true }).click();
    await page
      .getByRole('region', { name: /受邀人员/ })
      .getByText(name)
      .waitFor();
  });
  it('the invitee activates their account from the link, signs in and joins the room', async () => {
    const sessionId = must(day.sessionId);
    const invitee = must(day.links.get(must(day.invitee)));
    // The activation link on the invitee's phone: they set their own password.
    const phone = await person(browser, { phone: true });
    await phone.page.goto(invitee.url);
    await phone.page.getByRole('heading', { name: '激活账号' }).waitFor();
    await newPassword(phone.page, memberPassword);
    await phone.page.getByRole('button', { name: '设置密码并登录' }).click();
    await phone.page.waitForURL(`${baseUrl}/`);
    await phone.context.close();

    // Later, on their computer: sign in with the new password, open the session and be in the room.
    const { page } = await person(browser);
    await signIn(page, must(day.invitee), memberPassword, `/s/${sessionId}`);
    await page.getByTestId('presence-list').getByText(invitee.name).waitFor();
    day.inviteePage = page;
  });

  it('an uninvited member opening the room is refused with a readable message', async () => {
    const sessionId = must(day.sessionId);
    const login = must(day.uninvited);
    const outsider = must(day.links.get(login));
    const { page, context } = await person(browser);
    await page.goto(outsider.url);
    await newPassword(page, memberPassword);
    await page.getByRole('button', { name: '设置密码并登录' }).click();
    await page.waitForURL(`${baseUrl}/`);
    await page.goto(`${baseUrl}/s/${sessionId}`);
    // Told why, in words: not on this session's invitation list (and whom to ask).
    const refusal = page
      .getByRole('alert')
      .filter({ has: page.getByRole('heading', { name: '你不在本次协商的邀请名单中' }) });
    await refusal.waitFor();
    expect((await refusal.textContent()) ?? '').not.toMatch(/FORBIDDEN|NOT_[A-Z]+|undefined/);
    expect(await page.getByTestId('presence-list').count()).toBe(0);
    await context.close();
  });

  it('the administrator deactivates a member who has the room open, and that member’s room closes, signed out', async () => {
    const admin = must(day.admin);
    const member = must(day.inviteePage);
    const name = must(day.links.get(must(day.invitee))).name;
    await admin.goto(`${baseUrl}/accounts`);
    await admin.getByRole('button', { name: `停用：${name}` }).click();
    await admin.getByRole('button', { name: `恢复：${name}` }).waitFor();
    // At once, without any action of theirs: the room closes and says they are signed out, and why.
    const signedOut = member.getByRole('alert').filter({ has: member.getByRole('heading', { name: '您已退出登录' }) });
    await signedOut.getByText('您的账户已被停用，请联系市政协办公室。').waitFor();
    expect(await member.getByTestId('room-failed').count()).toBe(0);
    expect(await member.getByTestId('presence-list').count()).toBe(0);
    // Signing in again leads to the sign-in page, where their password no longer works.
    await signedOut.getByRole('button', { name: '重新登录' }).click();
    await member.getByTestId('login-username').waitFor();
    await signIn(member, must(day.invitee), memberPassword, '/');
    await member.getByTestId('login-error').filter({ hasText: /\S/ }).waitFor();
  });
});

function must<T>(value: T | null | undefined): T {
  if (value === null || value === undefined) throw new Error('an earlier step did not finish');
  return value;
}
