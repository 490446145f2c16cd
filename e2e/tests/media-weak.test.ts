/**
 * A weak network (issue 17, requirement 3), in real Chromium with fake media devices: the
 * convener's page runs on Chromium's own network emulation (DevTools' global conditions, which
 * also throttle WebRTC's UDP: 30% of the packets lost, 100 ms of latency, 128 kbit/s up), the
 * listener's on a good network. The media server rates the convener's connection poor from what
 * it loses; the bar switches to audio only and says why, the camera goes off, and the voice still
 * reaches the listener. (libwebrtc's WebRTC-FakeNetwork* field trials would do the same from the
 * command line, but Debian's Chromium is built without them.)
 */
import { TrackSource as MediaSource, RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fakeMediaArgs, launch, person } from '../browser';
import { createSession, RoomPage, textIs } from '../pages';
import { audioBytesReceived, recordPeerConnections } from '../webrtc';

const convenerId = 'm-chen-liqun';
const staffId = 's-zhou-ting';
const listenerId = 'm-xie-fang';
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
  /** The participant's tracks from `source`, as the media server has them. */
  const tracks = async (identity: string, source: MediaSource) =>
    (await rooms.getParticipant(token.room, identity)).tracks.filter((t) => t.source === source);
  return { rooms, room: token.room, tracks };
}

describe('a weak network', () => {
  it('switches the convener to audio only, says why, and keeps the voice reaching a listener', async () => {
    const staff = await person(browser);
    await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen('s-nanmen-snacks', staffId);
    const sessionId = await createSession(staff.page, convenerId, '停车位分配：网络较弱时仅音频', agenda);

    // The convener is on a weak network (set before the page opens: the emulation throttles the
    // WebRTC sockets made after it) and starts the session.
    const chairPerson = await person(browser);
    const chair = new RoomPage(chairPerson.page, baseUrl);
    const devtools = await chairPerson.context.newCDPSession(chair.page);
    await devtools.send('Network.enable');
    await devtools.send('Network.emulateNetworkConditionsByRule', {
      matchedNetworkConditions: [
        // An empty pattern: every request, and the peer-to-peer (WebRTC) connections too.
        { urlPattern: '', latency: 100, downloadThroughput: -1, uploadThroughput: 16_000, packetLoss: 30 },
      ],
    });
    await chair.pickIdentityAndOpen(sessionId, convenerId);
    await chair.startSession();
    await chair.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor();
    expect(await chair.by('media-audio-only').count()).toBe(0);

    // A listener on a good network.
    const listener = await person(browser, { phone: true });
    await recordPeerConnections(listener.context);
    const hear = new RoomPage(listener.page, baseUrl);
    await hear.pickIdentityAndOpen(sessionId, listenerId);
    await hear.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor();

    // The convener turns the camera on, then the microphone: both are on the media server (the
    // camera's track stays there, muted, once it is turned off).
    const server = await mediaServer(hear.page, sessionId);
    await chair.by('media-camera').click();
    await expect.poll(() => server.tracks(convenerId, MediaSource.CAMERA), { timeout: 15_000 }).toHaveLength(1);
    await chair.by('media-mic').click();
    await chair.page.locator('[data-testid="media-bar"][data-mic="true"]').waitFor();

    // The media server rates the convener's connection poor from the packets it loses: the bar
    // switches to audio only and says why (in the status line, a polite live region), and the
    // camera button goes, as the camera does.
    const badge = chair.page.locator('[data-testid="media-audio-only"][data-reason="weak"]');
    await badge.waitFor({ timeout: 45_000 });
    await textIs(badge, '网络较弱，已切换为仅音频');
    const status = chair.by('media-status');
    expect(await status.textContent()).toContain('网络较弱，已切换为仅音频');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await chair.by('media-camera').count()).toBe(0);
    expect(await chair.page.locator('[data-testid="media-bar"]').getAttribute('data-state')).toBe('live');

    // Video stops on the media server (the camera track is muted or gone); the microphone stays.
    await expect
      .poll(async () => (await server.tracks(convenerId, MediaSource.CAMERA)).filter((t) => !t.muted), {
        timeout: 15_000,
      })
      .toHaveLength(0);
    const mic = await server.tracks(convenerId, MediaSource.MICROPHONE);
    expect(mic.map((t) => t.muted)).toEqual([false]);
    expect(await chair.page.locator('[data-testid="media-bar"]').getAttribute('data-mic')).toBe('true');

    // The voice still reaches the listener: audio bytes from the convener's own tracks grow.
    const convener = await server.rooms.getParticipant(server.room, convenerId);
    const before = await audioBytesReceived(hear.page, convener.sid);
    await expect
      .poll(() => audioBytesReceived(hear.page, convener.sid), { timeout: 15_000 })
      .toBeGreaterThan(before + 2_000);
  }, 120_000);
});
