/**
 * The hall's microphone and weak networks (issue 17), in real Chromium with fake media devices:
 * the desk connects the hall as one participant whose audio every online listener receives; a
 * listener whose network drops sees and hears "reconnecting", then "live", and the audio comes
 * back; a device without a camera keeps the voice and says "audio only".
 */
import { TrackSource as MediaSource, RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fakeMediaArgs, launch, person } from '../browser';
import { createSession, RoomPage, textIs } from '../pages';
import { audioBytesReceived, recordPeerConnections } from '../webrtc';

const convenerId = 'm-chen-liqun';
const staffId = 's-zhou-ting';
const listener = { id: 'm-xie-fang', name: '谢芳' };
const agenda = [{ title: '协商讨论：小区停车位分配', plannedMinutes: 30 }];

let browser: Browser;
const baseUrl = inject('baseUrl');
const livekit = inject('livekit');

beforeAll(async () => {
  browser = await launch(fakeMediaArgs);
});
afterAll(async () => {
  await browser?.close();
});

type Recorded = {
  /** Kept by recordPeerConnections (../webrtc). */
  __peerConnections: RTCPeerConnection[];
  /** Every media bar state and status line the page showed, in order. */
  __mediaStates: Array<{ state: string; status: string }>;
};

/**
 * Keeps every RTCPeerConnection the page makes (and which participant each remote track comes
 * from), and every state the media bar shows, so the test can read them afterwards.
 */
async function record(context: BrowserContext): Promise<void> {
  await recordPeerConnections(context);
  await context.addInitScript(() => {
    const w = window as unknown as Recorded;
    w.__mediaStates = [];
    const note = () => {
      const bar = document.querySelector('[data-testid="media-bar"]');
      const status = document.querySelector('[data-testid="media-status"]');
      if (!bar) return;
      const seen = { state: bar.getAttribute('data-state') ?? '', status: status?.textContent ?? '' };
      const last = w.__mediaStates.at(-1);
      if (last?.state !== seen.state || last.status !== seen.status) w.__mediaStates.push(seen);
    };
    new MutationObserver(note).observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

function mediaStates(page: Page): Promise<Recorded['__mediaStates']> {
  return page.evaluate(() => (window as unknown as Recorded).__mediaStates);
}

/** The media server's own view of the session's room (with the key the global setup gave it). */
async function mediaServer(page: Page, sessionId: string) {
  const token = await page.evaluate(async (sessionId) => {
    const res = await fetch(`/api/media/sessions/${sessionId}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    return (await res.json()) as { url: string; room: string };
  }, sessionId);
  const rooms = new RoomServiceClient(token.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
  return {
    rooms,
    room: token.room,
    /** Identities with an unmuted microphone on the media server. */
    publishing: async () =>
      (await rooms.listParticipants(token.room))
        .filter((p) => p.tracks.some((t) => t.source === MediaSource.MICROPHONE && !t.muted))
        .map((p) => p.identity),
  };
}

/** Staff creates a session (hybrid, in the hall) and its first convener starts it. */
async function startedSession(topic: string): Promise<{ sessionId: string; chair: RoomPage; staffPage: Page }> {
  const staff = await person(browser);
  await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen('s-nanmen-snacks', staffId);
  const sessionId = await createSession(staff.page, convenerId, topic, agenda);
  const chairPerson = await person(browser);
  const chair = new RoomPage(chairPerson.page, baseUrl);
  await chair.pickIdentityAndOpen(sessionId, convenerId);
  await chair.startSession();
  return { sessionId, chair, staffPage: staff.page };
}

async function listenerJoins(sessionId: string): Promise<{ room: RoomPage; context: BrowserContext }> {
  const p = await person(browser, { phone: true });
  await record(p.context);
  const room = new RoomPage(p.page, baseUrl);
  await room.pickIdentityAndOpen(sessionId, listener.id);
  await room.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor();
  return { room, context: p.context };
}

describe('the hall in the media room', () => {
  it('lets the desk connect the hall, whose audio an online listener receives while nobody else speaks', async () => {
    const { sessionId, chair, staffPage } = await startedSession('停车位分配线上线下协商');
    // The desk (staff, already signed in) opens the session on the hall's computer.
    const desk = new RoomPage(staffPage, baseUrl);
    await staffPage.goto(`${baseUrl}/s/${sessionId}`);
    await desk.by('presence-list').waitFor();
    const { room: hear } = await listenerJoins(sessionId);
    for (const room of [chair, desk]) {
      await room.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor();
    }
    const server = await mediaServer(hear.page, sessionId);
    expect(await server.publishing()).toEqual([]);

    // The desk connects this device as the hall: it joins the media room as `hall`, its
    // microphone on at once (no floor needed).
    // Only the desk (conveners, staff) may; a member has no such button.
    expect(await hear.by('media-hall').count()).toBe(0);
    const hallButton = desk.by('media-hall');
    await textIs(hallButton, '作为会场设备接入');
    expect(await hallButton.getAttribute('aria-pressed')).toBe('false');
    await hallButton.click();
    await desk.page
      .locator('[data-testid="media-bar"][data-hall="true"][data-state="live"][data-mic="true"]')
      .waitFor();
    await textIs(hallButton, '退出会场设备');
    expect(await hallButton.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => server.publishing(), { timeout: 15_000 }).toEqual(['hall']);
    const hall = await server.rooms.getParticipant(server.room, 'hall');
    expect(hall.permission?.canPublish).toBe(true);
    // The desk's own connection gave way to the hall's: one device, one participant.
    expect((await server.rooms.listParticipants(server.room)).map((p) => p.identity)).not.toContain(staffId);

    // The listener receives the hall's audio (bytes on the hall's own tracks), and sees who speaks.
    const before = await audioBytesReceived(hear.page, hall.sid);
    await expect
      .poll(() => audioBytesReceived(hear.page, hall.sid), { timeout: 15_000 })
      .toBeGreaterThan(before + 2_000);
    await expect.poll(() => hear.by('media-status').textContent(), { timeout: 15_000 }).toContain('会场');
    // Nobody but the hall publishes: all the audio the listener receives is the hall's.
    expect(await server.publishing()).toEqual(['hall']);

    // The desk leaves the hall: the hall is gone from the media room, the desk listens as itself.
    await hallButton.click();
    await desk.page.locator('[data-testid="media-bar"][data-hall="false"][data-state="live"]').waitFor();
    await expect
      .poll(async () => (await server.rooms.listParticipants(server.room)).map((p) => p.identity), { timeout: 15_000 })
      .not.toContain('hall');
    expect(await server.publishing()).toEqual([]);
  }, 180_000);
});

describe('weak networks', () => {
  it('shows reconnecting when a listener’s network drops, then live again with the audio back', async () => {
    const { sessionId, chair } = await startedSession('停车位分配：断网后重新接入');
    await chair.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor();
    await chair.by('media-mic').click();
    await chair.page.locator('[data-testid="media-bar"][data-mic="true"]').waitFor();
    const { room: hear, context } = await listenerJoins(sessionId);
    const status = hear.by('media-status');
    expect(await status.getAttribute('role')).toBe('status');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    const before = await audioBytesReceived(hear.page);
    await expect.poll(() => audioBytesReceived(hear.page), { timeout: 15_000 }).toBeGreaterThan(before + 2_000);

    // The network goes away (DevTools' offline emulation): the bar says so at once, and the
    // status line (a polite live region) announces it.
    await context.setOffline(true);
    await hear.page.locator('[data-testid="media-bar"][data-state="reconnecting"]').waitFor();
    await textIs(status, '网络不稳，正在重新接入……');
    // It comes back: live again (the media client reconnects, then the bar says so).
    await context.setOffline(false);
    await hear.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toContain('语音已接通');
    const states = await mediaStates(hear.page);
    const dropped = states.findIndex((s) => s.state === 'reconnecting');
    expect(dropped).toBeGreaterThan(0);
    expect(states[dropped - 1]?.state).toBe('live');
    expect(states.slice(dropped).some((s) => s.state === 'live' && s.status.startsWith('语音已接通'))).toBe(true);

    // The audio flows again.
    const after = await audioBytesReceived(hear.page);
    await expect.poll(() => audioBytesReceived(hear.page), { timeout: 20_000 }).toBeGreaterThan(after + 2_000);

    // The media connection itself is lost (DevTools' offline leaves WebRTC's UDP alone, so the
    // page's peer connection is closed under the client): LiveKit notices, the bar says
    // reconnecting, a new connection is made, and the audio comes back on it.
    const lost = (await mediaStates(hear.page)).length;
    await hear.page.evaluate(() => {
      for (const pc of (window as unknown as Recorded).__peerConnections) pc.close();
    });
    expect(await audioBytesReceived(hear.page)).toBe(0);
    await hear.page.locator('[data-testid="media-bar"][data-state="reconnecting"]').waitFor({ timeout: 60_000 });
    await hear.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor({ timeout: 60_000 });
    const again = (await mediaStates(hear.page)).slice(lost);
    expect(again.map((s) => s.state)).toEqual(expect.arrayContaining(['reconnecting', 'live']));
    expect(again.find((s) => s.state === 'reconnecting')?.status).toContain('网络不稳，正在重新接入……');
    await expect
      .poll(
        () =>
          hear.page.evaluate(
            () =>
              (window as unknown as Recorded).__peerConnections.filter((pc) => pc.connectionState === 'connected')
                .length,
          ),
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await expect.poll(() => audioBytesReceived(hear.page), { timeout: 20_000 }).toBeGreaterThan(2_000);
  }, 240_000);

  it('keeps the voice and says audio only when the device has no camera', async () => {
    const staff = await person(browser);
    await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen('s-nanmen-snacks', staffId);
    const sessionId = await createSession(staff.page, convenerId, '停车位分配：仅音频', agenda);
    // The convener's device has a microphone and no camera.
    const noCamera = await launch([
      ...fakeMediaArgs.filter((a) => a !== '--use-fake-device-for-media-stream'),
      '--use-fake-device-for-media-stream=device-count=0',
    ]);
    try {
      await audioOnlyWithoutCamera(noCamera, sessionId);
    } finally {
      await noCamera.close();
    }
  }, 180_000);
});

/** The convener, on a device with no camera, speaks and tries the camera: voice stays, audio only. */
async function audioOnlyWithoutCamera(noCamera: Browser, sessionId: string): Promise<void> {
  const chairPerson = await person(noCamera);
  const chair = new RoomPage(chairPerson.page, baseUrl);
  await chair.pickIdentityAndOpen(sessionId, convenerId);
  await chair.startSession();
  await chair.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor();
  await chair.by('media-mic').click();
  await chair.page.locator('[data-testid="media-bar"][data-mic="true"]').waitFor();
  expect(await chair.by('media-audio-only').count()).toBe(0);

  await chair.by('media-camera').click();
  const badge = chair.page.locator('[data-testid="media-audio-only"][data-reason="camera"]');
  await badge.waitFor();
  await textIs(badge, '摄像头不可用，已切换为仅音频');
  expect(await chair.by('media-status').textContent()).toContain('摄像头不可用，已切换为仅音频');
  expect(await chair.by('media-camera').count()).toBe(0);
  // The voice stays on: the media server still has the convener's microphone.
  const server = await mediaServer(chair.page, sessionId);
  expect(await server.publishing()).toEqual([convenerId]);
  expect(await chair.page.locator('[data-testid="media-bar"]').getAttribute('data-mic')).toBe('true');
}
