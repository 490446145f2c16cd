/**
 * Voice and video in the room (issue 17), in real Chromium with fake microphones: the floor is the
 * microphone. The server's embedded LiveKit carries the audio; its room service (with the key the
 * global setup gave the server) tells what the media server itself allows and carries.
 */
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  Room as RtcRoom,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { TrackSource as MediaSource, RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fakeMediaArgs, launch, person } from '../browser';
import { RoomPage, textIs } from '../pages';
import { audioBytesReceived, recordPeerConnections } from '../webrtc';

const convenerId = 'm-chen-liqun';
const staffId = 's-zhou-ting';
const first = { id: 'm-zheng-yu', name: '郑宇' };
const second = { id: 'm-dong-hai', name: '董海' };
const listener = { id: 'm-xie-fang', name: '谢芳' };
/** A member whose client ignores the buttons and publishes anyway (Node, real WebRTC). */
const rogue = 'm-gao-ya';

let browser: Browser;
const baseUrl = inject('baseUrl');
const livekit = inject('livekit');

beforeAll(async () => {
  browser = await launch(fakeMediaArgs);
});
afterAll(async () => {
  await browser?.close();
});

/** Keeps every RTCPeerConnection the page makes, so the test can read its WebRTC stats. */
async function createSession(page: Page, topic: string): Promise<string> {
  return page.evaluate(
    async ({ topic, convenerId }) => {
      const res = await fetch('/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          topic,
          roomId: 'room-shanghu',
          scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
          mode: 'online',
          firstConvenerId: convenerId,
          openToAll: true,
          agenda: [{ title: '协商讨论：夜间施工噪声治理', plannedMinutes: 30 }],
        }),
      });
      if (res.status !== 201) throw new Error(`session not created: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { session: { id: string } }).session.id;
    },
    { topic, convenerId },
  );
}

/** A media token as `memberId`, fetched the way the browser does, from Node. */
async function tokenAs(memberId: string, sessionId: string): Promise<{ url: string; token: string; room: string }> {
  const login = await fetch(`${baseUrl}/api/auth/demo-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ memberId }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const res = await fetch(`${baseUrl}/api/media/sessions/${sessionId}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: '{}',
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { url: string; token: string; room: string };
}

describe('voice in the room', () => {
  it('lets the floor holder and whoever the convener allows be heard, refuses anyone else, and switches who is heard', async () => {
    const staff = await person(browser);
    await new RoomPage(staff.page, baseUrl).pickIdentityAndOpen('s-nanmen-snacks', staffId);
    const sessionId = await createSession(staff.page, '夜间施工噪声扰民协商');

    const chairPerson = await person(browser);
    await recordPeerConnections(chairPerson.context);
    const chair = new RoomPage(chairPerson.page, baseUrl);
    await chair.pickIdentityAndOpen(sessionId, convenerId);
    await chair.startSession();

    const people: Record<string, RoomPage> = {};
    for (const m of [first, second, listener]) {
      const p = await person(browser, { phone: true });
      await recordPeerConnections(p.context);
      const room = new RoomPage(p.page, baseUrl);
      await room.pickIdentityAndOpen(sessionId, m.id);
      people[m.id] = room;
    }
    const hear = people[listener.id] as RoomPage;
    const a = people[first.id] as RoomPage;
    const b = people[second.id] as RoomPage;
    for (const room of [chair, a, b, hear]) {
      await room.page.locator('[data-testid="media-bar"][data-state="live"]').waitFor();
    }
    // Nobody but the convener may publish; the convener's microphone waits for their tap.
    expect(await a.by('media-bar').getAttribute('data-can-publish')).toBe('false');
    expect(await a.by('media-mic').count()).toBe(0);
    expect(await chair.by('media-bar').getAttribute('data-can-publish')).toBe('true');

    const rooms = new RoomServiceClient(
      (await tokenAs(staffId, sessionId)).url.replace(/^ws/, 'http'),
      livekit.apiKey,
      livekit.apiSecret,
    );
    const mediaRoom = (await tokenAs(staffId, sessionId)).room;
    const audioOf = async (identity: string) =>
      (await rooms.getParticipant(mediaRoom, identity)).tracks.filter(
        (t) => t.source === MediaSource.MICROPHONE && !t.muted,
      ).length;

    // A member without the floor publishes from a client that ignores the buttons: the media
    // server does not take the track.
    const rogueToken = await tokenAs(rogue, sessionId);
    const rogueRoom = new RtcRoom();
    await rogueRoom.connect(rogueToken.url, rogueToken.token, { autoSubscribe: false, dynacast: false });
    const source = new AudioSource(48_000, 1);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    const beep = setInterval(() => {
      void source.captureFrame(new AudioFrame(new Int16Array(480).fill(4000), 48_000, 1, 480)).catch(() => undefined);
    }, 10);
    try {
      await expect(
        rogueRoom.localParticipant?.publishTrack(LocalAudioTrack.createAudioTrack('mic', source), options),
      ).rejects.toThrow();
      expect((await rooms.getParticipant(mediaRoom, rogue)).tracks).toHaveLength(0);
      expect((await rooms.getParticipant(mediaRoom, rogue)).permission?.canPublish).toBe(false);
    } finally {
      clearInterval(beep);
      await rogueRoom.disconnect();
    }

    // The first member raises a hand and is given the floor: their microphone goes on by itself
    // and the listener's browser receives their audio.
    await a.by('hand-raise').click();
    await chair.by(`queue-grant-${first.id}`).click();
    await a.page.locator('[data-testid="media-bar"][data-mic="true"]').waitFor();
    await expect.poll(() => audioOf(first.id), { timeout: 15_000 }).toBe(1);
    const before = await audioBytesReceived(hear.page);
    await expect.poll(() => audioBytesReceived(hear.page), { timeout: 15_000 }).toBeGreaterThan(before + 2_000);
    await expect.poll(() => hear.by('media-status').textContent(), { timeout: 15_000 }).toContain(first.name);

    // The convener ends the turn and gives the floor to the second: the first is silenced on the
    // media server, the second is heard.
    await b.by('hand-raise').click();
    await chair.by('speaker-end').click();
    await a.page.locator('[data-testid="media-bar"][data-can-publish="false"][data-mic="false"]').waitFor();
    await expect.poll(() => audioOf(first.id), { timeout: 15_000 }).toBe(0);
    expect((await rooms.getParticipant(mediaRoom, first.id)).permission?.canPublish).toBe(false);
    await chair.by(`queue-grant-${second.id}`).click();
    await b.page.locator('[data-testid="media-bar"][data-mic="true"]').waitFor();
    await expect.poll(() => audioOf(second.id), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => hear.by('media-status').textContent(), { timeout: 15_000 }).toContain(second.name);
    expect(await hear.by('media-status').textContent()).not.toContain(first.name);
    const switched = await audioBytesReceived(hear.page);
    await expect.poll(() => audioBytesReceived(hear.page), { timeout: 15_000 }).toBeGreaterThan(switched + 2_000);
    await textIs(hear.by('media-status').locator('.media-bar__speaking'), `正在发言：${second.name}`);

    // The turn ends; then the convener allows the first member to speak without the floor (a
    // department's official answering, say), from the participant list: the media server lets
    // them publish, their microphone goes on, and the listener receives their audio.
    await chair.by('speaker-end').click();
    await expect.poll(() => audioOf(second.id), { timeout: 15_000 }).toBe(0);
    const allow = chair.by(`allow-${first.id}`);
    await textIs(allow, '允许发言');
    expect(await allow.getAttribute('aria-label')).toBe(`允许发言：${first.name}`);
    await allow.click();
    await a.page.locator('[data-testid="media-bar"][data-can-publish="true"][data-mic="true"]').waitFor();
    await chair.by(`may-speak-${first.id}`).waitFor();
    expect(await allow.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => audioOf(first.id), { timeout: 15_000 }).toBe(1);
    expect((await rooms.getParticipant(mediaRoom, first.id)).permission?.canPublish).toBe(true);
    // Nobody else publishes now: what the listener receives from here on is the allowed member.
    const allowedFrom = await audioBytesReceived(hear.page);
    await expect.poll(() => audioBytesReceived(hear.page), { timeout: 15_000 }).toBeGreaterThan(allowedFrom + 2_000);
    await expect.poll(() => hear.by('media-status').textContent(), { timeout: 15_000 }).toContain(first.name);

    // Withdrawn (the same button, now 取消允许): the media server takes the microphone back and
    // refuses it, whatever the member's client does.
    await textIs(allow, '取消允许');
    expect(await allow.getAttribute('aria-label')).toBe(`取消允许：${first.name}`);
    await allow.click();
    await a.page.locator('[data-testid="media-bar"][data-can-publish="false"][data-mic="false"]').waitFor();
    await expect.poll(() => audioOf(first.id), { timeout: 15_000 }).toBe(0);
    const withdrawn = await rooms.getParticipant(mediaRoom, first.id);
    expect(withdrawn.permission?.canPublish).toBe(false);
    expect(withdrawn.permission?.canPublishSources ?? []).toEqual([]);
    expect(await a.by('media-mic').count()).toBe(0);
    expect(await chair.by(`may-speak-${first.id}`).count()).toBe(0);
  }, 240_000);
});
