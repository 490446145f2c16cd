import type { Browser, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launch, person } from '../browser';
import { createSession, RoomPage, signInAt } from '../pages';

/*
 * 转为成果草稿 answers at once, and the draft itself reaches the room's state a moment later (its
 * delta). In between, the outcome editor knew which outcome it was to edit but not its fields:
 * 记录成果 then saved the form as a new outcome beside the draft. Here the room's event frames are
 * held right after the click, and the editor must wait for the draft before it saves anything.
 */
let browser: Browser;
const baseUrl = inject('baseUrl');

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('an outcome draft made from a suggestion', () => {
  it('is not saved as a second outcome while it is still on its way to the editor', async () => {
    const { page: staff } = await person(browser);
    await signInAt(staff, baseUrl, 'zhou-ting', '/');
    await staff.locator('#my-invitations').waitFor();
    const sessionId = await createSession(staff, 'm-chen-liqun', '背街小巷路灯维修责任划分协商', [
      { title: '协商讨论', plannedMinutes: 30 },
    ]);
    await staff.context().close();

    const { page } = await person(browser);
    // Between the page and the server, the room's socket: its event frames ("42…") can be held
    // back, in order, while acks ("43…") and everything else pass.
    let holding = false;
    const held: Array<() => void> = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws: WebSocketRoute) => {
      const server = ws.connectToServer();
      ws.onMessage((m) => server.send(m));
      server.onMessage((m) => {
        if (holding && typeof m === 'string' && m.startsWith('42')) held.push(() => ws.send(m));
        else ws.send(m);
      });
    });
    await signInAt(page, baseUrl, 'chen-liqun', `/s/${sessionId}`);
    const room = new RoomPage(page, baseUrl);
    await room.by('presence-list').waitFor();
    await room.startSession();

    const text = '由街道统一报修，城管部门七日内修复。';
    await room.by('suggestion-text').fill(text);
    await room.by('suggestion-submit').click();
    const suggestion = room.by('suggestion-list').locator(':scope > li', { hasText: text });
    await suggestion.getByTestId('suggestion-to-outcome').waitFor();

    holding = true;
    await suggestion.getByTestId('suggestion-to-outcome').click();
    await suggestion.getByText('已生成成果草稿').waitFor();
    // The answer is here, the draft is not: nothing may be saved yet, and the editor says why.
    expect(await room.by('outcome-record').isDisabled()).toBe(true);
    expect(await room.by('outcome-save-draft').isDisabled()).toBe(true);
    expect(await room.by('outcome-editor-status').textContent()).toBe('正在载入成果草稿……');

    holding = false;
    for (const send of held.splice(0)) send();
    await page.waitForFunction(
      (t) => (document.querySelector('[data-testid="outcome-text"]') as HTMLTextAreaElement | null)?.value === t,
      text,
    );
    await room.by('outcome-department').fill('市城市管理局');
    await room.by('outcome-record').click();
    await page.locator('[data-testid^="outcome-oc-"][data-status="recorded"]').waitFor();
    expect(await page.locator('[data-testid^="outcome-oc-"][data-status]').count()).toBe(1);
  });
});
