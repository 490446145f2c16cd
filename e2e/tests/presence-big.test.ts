/**
 * The presence panel of a room too big for its snapshot to list everyone. The server here runs
 * with SNAPSHOT_PRESENCE_MAX=2, so three people already make a "big" room: the panel shows the true
 * count, those who run the room and the viewer, and everyone else in searchable pages on request.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, person } from '../browser';
import { RoomPage } from '../pages';

const sessionId = 's-nanmen-snacks';
const convenerId = 'm-chen-liqun';
const [first, viewer, late] = ['m-zhou-min', 'm-sun-jianhua', 'm-li-xiaoyan'];

let browser: Browser;
let server: ChildProcess;
let baseUrl: string;
let dataDir: string;

/** Yitang as a user starts it (server/src/demo-main.ts, built client, demo data), with the low threshold. */
async function startServer(): Promise<string> {
  dataDir = mkdtempSync(path.join(tmpdir(), 'yitang-e2e-big-'));
  server = spawn(process.execPath, ['--import', 'tsx', 'src/demo-main.ts'], {
    cwd: fileURLToPath(new URL('../../server', import.meta.url)),
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      YITANG_DATA_DIR: dataDir,
      MONGODB_DB: `e2e_big_${Date.now()}`,
      SEED_DEMO: '1',
      LOG_LEVEL: 'warn',
      SNAPSHOT_PRESENCE_MAX: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Yitang is running at (\S+?)\/?\s/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    server.stdout?.on('data', onData);
    server.stderr?.on('data', onData);
    server.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

beforeAll(async () => {
  [browser, baseUrl] = await Promise.all([launch(), startServer()]);
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

describe('presence in a big room', () => {
  it('shows the true count and the role holders, keeps the count live, and pages everyone on request', async () => {
    const pages: RoomPage[] = [];
    for (const [id, phone] of [
      [convenerId, false],
      [first, false],
      [viewer, true],
    ] as const) {
      const p = new RoomPage((await person(browser, { phone })).page, baseUrl);
      await p.pickIdentityAndOpen(sessionId, id);
      pages.push(p);
    }
    const me = pages[2] as RoomPage;

    // Three present, but the snapshot listed only the convener and me.
    await me.page.locator('[data-testid="presence-count"][data-count="3"]').waitFor();
    await me.by(`presence-${convenerId}`).waitFor();
    expect(await me.by('presence-list').getByTestId(`presence-${first}`).count()).toBe(0);

    // An arrival moves the count (from the frame's counts) without listing them among the role holders.
    const arrival = new RoomPage((await person(browser)).page, baseUrl);
    await arrival.pickIdentityAndOpen(sessionId, late);
    await me.page.locator('[data-testid="presence-count"][data-count="4"]').waitFor();
    expect(await me.by('presence-list').getByTestId(`presence-${late}`).count()).toBe(0);

    // "Show everyone" is a real button, reached and pressed from the keyboard.
    const toggle = me.by('presence-everyone');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.focus();
    await me.page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const all = me.by('presence-all-list');
    await all.getByTestId(`presence-${late}`).waitFor();
    expect(await all.locator('li').count()).toBe(4);
    // Conveners first, as the server pages them.
    expect(await all.locator('li').first().getAttribute('data-testid')).toBe(`presence-${convenerId}`);
    expect(await me.by('presence-all-status').textContent()).toContain('4');

    // A search by part of the name; the field has its label.
    const name = (await all.getByTestId(`presence-${first}`).locator('.presence__name').textContent()) ?? '';
    const needle = name.slice(0, 1);
    await me.page.getByLabel('按姓名查找', { exact: true }).fill(needle);
    await me.by('presence-search-submit').click();
    await me.page.locator('[data-testid="presence-all-status"]', { hasText: needle }).waitFor();
    const found = await all.locator('li .presence__name').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(4);
    for (const n of found) expect(n).toContain(needle);
  });
});
