import { execFile } from 'node:child_process';
/**
 * Voice and video (issue 17): the floor is the microphone, on the media server itself. A real
 * livekit-server (the embedded one, as `npm start` runs it), real LiveKit participants in Node
 * (@livekit/rtc-node, WebRTC included), and the room service of livekit-server-sdk to read what
 * the media server allows each of them.
 */

import { readdirSync, readFileSync } from 'node:fs';
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  type RemoteTrackPublication,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';
import { type MediaToken, mediaRoomName } from '@yitang/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createMedia, type EmbeddedMedia, MEDIA_WEBHOOK_PATH, type Media, startEmbeddedMedia } from '../src/media';
import {
  type ClientSocket,
  demo,
  joinAs,
  must,
  request,
  signIn,
  startTestServer,
  type TestServer,
  uniqueDbName,
} from '../src/testing';
import { startServerProcess } from '../src/testing/process';

let lk: EmbeddedMedia;
let media: Media;
let server: TestServer;
let rooms: RoomServiceClient;
const roomName = mediaRoomName(demo.sessionId);
const connected: Room[] = [];

beforeAll(async () => {
  lk = await startEmbeddedMedia();
  media = createMedia({ server: lk, logger: createLogger('silent') });
  rooms = new RoomServiceClient(lk.url.replace(/^ws/, 'http'), lk.apiKey, lk.apiSecret);
  // Someone who leaves loses a raised hand, and an allowance to speak, after this long.
  server = await startTestServer({ mongoUri: inject('mongoUri'), media, config: { HAND_KEPT_AFTER_LEAVING_MS: 500 } });
  // As serve.ts does once the server listens: LiveKit's webhooks reach the server's route.
  lk.sendWebhooksTo(`${server.url}${MEDIA_WEBHOOK_PATH}`);
  await must(await joinAs(server, demo.firstConvenerId), 'session:start', {});
}, 60_000);
afterAll(async () => {
  await Promise.all(connected.map((r) => r.disconnect()));
  await server?.close();
  await lk?.stop();
});

async function tokenFor(
  cookie: string | null,
  sessionId: string,
  body: unknown = {},
): Promise<{ status: number; body: MediaToken & { error?: { code: string } } }> {
  const res = await fetch(`${server.url}/api/media/sessions/${sessionId}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as MediaToken & { error?: { code: string } } };
}

/** Signs in, joins the live room, and connects to its media room with the token Yitang gives. */
async function participant(
  memberId: string,
): Promise<{ room: Room; token: MediaToken; cookie: string; socket: ClientSocket }> {
  const cookie = await signIn(server.url, memberId);
  const socket = await joinAs(server, memberId);
  const { status, body } = await tokenFor(cookie, demo.sessionId);
  expect(status).toBe(200);
  const room = new Room();
  connected.push(room);
  await room.connect(body.url, body.token, { autoSubscribe: true, dynacast: false });
  return { room, token: body, cookie, socket };
}

/** The claims of a LiveKit token (a JWT): who, until when, and what it lets its holder do. */
function claimsOf(token: string): { exp: number; nbf: number; sub: string; video: { canPublish?: boolean } } {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
}

/**
 * Resolves once the media server has set `room`'s participant's publishing to `canPublish`:
 * LiveKit then hands the client a fresh token of its rights (`TokenRefreshed`) that says so.
 */
function publishingSet(room: Room, canPublish: boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!room.token || (claimsOf(room.token).video.canPublish ?? false) !== canPublish) return;
      room.off(RoomEvent.TokenRefreshed, check);
      resolve();
    };
    room.on(RoomEvent.TokenRefreshed, check);
  });
}

/** Resolves with the next session view `socket` is sent that passes `test`. */
function sessionWhere(
  socket: ClientSocket,
  test: (s: { allowedToSpeak?: string[] | undefined }) => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    const on = ({ session }: { session: { allowedToSpeak?: string[] | undefined } }) => {
      if (!test(session)) return;
      socket.off('session:updated', on);
      resolve();
    };
    socket.on('session:updated', on);
  });
}

async function permissionOf(identity: string): Promise<boolean | undefined> {
  const p = await rooms.getParticipant(roomName, identity);
  return p.permission?.canPublish;
}

/** A microphone that plays silence-free frames (a tone), as a phone's would. */
function microphone(): { track: LocalAudioTrack; options: TrackPublishOptions; stop: () => void } {
  const source = new AudioSource(48_000, 1);
  const track = LocalAudioTrack.createAudioTrack('microphone', source);
  const options = new TrackPublishOptions();
  options.source = TrackSource.SOURCE_MICROPHONE;
  let n = 0;
  const timer = setInterval(() => {
    const samples = new Int16Array(480).map((_, i) =>
      Math.round(8000 * Math.sin(((n * 480 + i) * 2 * Math.PI * 440) / 48_000)),
    );
    n += 1;
    void source.captureFrame(new AudioFrame(samples, 48_000, 1, 480)).catch(() => undefined);
  }, 10);
  return { track, options, stop: () => clearInterval(timer) };
}

/** Resolves with the next track `listener` subscribes to from `identity`. */
function heard(listener: Room, identity: string): Promise<RemoteTrackPublication> {
  return new Promise((resolve) => {
    const on = (_track: unknown, pub: RemoteTrackPublication, p: { identity: string }) => {
      if (p.identity !== identity) return;
      listener.off(RoomEvent.TrackSubscribed, on);
      resolve(pub);
    };
    listener.on(RoomEvent.TrackSubscribed, on);
  });
}

/** Resolves once `identity`'s tracks are gone for `listener` (unpublished or muted by the server). */
function silenced(listener: Room, identity: string): Promise<void> {
  return new Promise((resolve) => {
    const done = (_pub: unknown, p: { identity: string }) => {
      if (p.identity !== identity) return;
      listener.off(RoomEvent.TrackUnpublished, done);
      listener.off(RoomEvent.TrackMuted, done);
      resolve();
    };
    listener.on(RoomEvent.TrackUnpublished, done);
    listener.on(RoomEvent.TrackMuted, done);
  });
}

describe('media tokens', () => {
  it('are short-lived, bound to the session room and identity, and refused to outsiders', async () => {
    const member = await signIn(server.url, 'm-gao-ya');
    const mine = await tokenFor(member, demo.sessionId);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ room: roomName, identity: 'm-gao-ya', canPublish: false });
    const claims = claimsOf(mine.body.token);
    // Long enough to connect with: a connected client gets LiveKit's own fresh tokens.
    expect(claims.exp - claims.nbf).toBeLessThanOrEqual(120);
    expect(claims).toMatchObject({ sub: 'm-gao-ya', video: { room: roomName, canPublish: false, canSubscribe: true } });

    // A convener publishes whenever not muted.
    const convener = await tokenFor(await signIn(server.url, demo.firstConvenerId), demo.sessionId);
    expect(convener.body.canPublish).toBe(true);

    // 高雅 is not invited to the economy group's session; nobody signed out gets anything.
    expect((await tokenFor(member, demo.secondSessionId)).body.error?.code).toBe('FORBIDDEN');
    expect((await tokenFor(null, demo.sessionId)).status).toBe(401);
    expect((await tokenFor(member, 'no-such-session')).status).toBe(404);
    // Only the desk connects the hall's microphone; bodies are checked.
    expect((await tokenFor(member, demo.sessionId, { hall: true })).body.error?.code).toBe('FORBIDDEN');
    expect((await tokenFor(member, demo.sessionId, { hall: 'yes' })).status).toBe(400);
    expect((await tokenFor(member, demo.sessionId, { admin: true })).status).toBe(400);
    const hall = await tokenFor(await signIn(server.url, demo.staffId), demo.sessionId, { hall: true });
    expect(hall.body).toMatchObject({ identity: 'hall', canPublish: true });
  });
});

describe('the floor is the microphone', () => {
  it('refuses a member without the floor, grants publishing with the floor and revokes it when the turn ends', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const listener = await participant('m-ma-li');
    const speaker = await participant('m-xie-fang');
    expect(await permissionOf('m-xie-fang')).toBe(false);

    // Without the floor the media server does not take the track, whatever the client does.
    const mic = microphone();
    await expect(speaker.room.localParticipant?.publishTrack(mic.track, mic.options)).rejects.toThrow();
    expect((await rooms.getParticipant(roomName, 'm-xie-fang')).tracks).toHaveLength(0);

    // Granting the floor grants publishing on the media server; the listener hears the speaker.
    await must(convener, 'speaker:grant', { memberId: 'm-xie-fang' });
    await media.idle();
    expect(await permissionOf('m-xie-fang')).toBe(true);
    const hearing = heard(listener.room, 'm-xie-fang');
    await speaker.room.localParticipant?.publishTrack(mic.track, mic.options);
    expect((await hearing).source).toBe(TrackSource.SOURCE_MICROPHONE);

    // Ending the turn revokes it at once: the track stops reaching the listener.
    const quiet = silenced(listener.room, 'm-xie-fang');
    await must(convener, 'speaker:end', {});
    await media.idle();
    expect(await permissionOf('m-xie-fang')).toBe(false);
    await quiet;
    const after = await rooms.getParticipant(roomName, 'm-xie-fang');
    expect(after.tracks.filter((t) => !t.muted)).toHaveLength(0);
    mic.stop();

    // Muting a convener takes their microphone too; unmuting gives it back.
    await participant(demo.secondConvenerId);
    expect(await permissionOf(demo.secondConvenerId)).toBe(true);
    await must(convener, 'moderation:mute', { memberId: demo.secondConvenerId, muted: true });
    await media.idle();
    expect(await permissionOf(demo.secondConvenerId)).toBe(false);
    await must(convener, 'moderation:mute', { memberId: demo.secondConvenerId, muted: false });
    await media.idle();
    expect(await permissionOf(demo.secondConvenerId)).toBe(true);
  }, 60_000);

  it('closes the media connection of a removed participant and of one who signs out', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const removed = await participant('m-tian-jia');
    const gone = new Promise<void>((resolve) => removed.room.once(RoomEvent.Disconnected, () => resolve()));
    await must(convener, 'moderation:remove', { memberId: 'm-tian-jia' });
    await media.idle();
    await gone;
    const left = await rooms.listParticipants(roomName);
    expect(left.map((p) => p.identity)).not.toContain('m-tian-jia');
    // Removed: no new token either.
    expect((await tokenFor(removed.cookie, demo.sessionId)).body.error?.code).toBe('REMOVED');

    const leaving = await participant('m-he-jun');
    const signedOut = new Promise<void>((resolve) => leaving.room.once(RoomEvent.Disconnected, () => resolve()));
    await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: leaving.cookie } });
    await media.idle();
    await signedOut;
    expect((await rooms.listParticipants(roomName)).map((p) => p.identity)).not.toContain('m-he-jun');
  }, 60_000);
});

describe('whoever the conveners allow', () => {
  const official = 'o-liu-jianguo';

  it('publishes at once when allowed and no more once withdrawn: the media server refuses, not only the button', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const listener = await participant('m-song-tao');
    // The city management bureau's official, invited to answer.
    const answering = await participant(official);
    expect(await permissionOf(official)).toBe(false);

    const allowed = await must(convener, 'moderation:allow', { memberId: official, allowed: true });
    expect(allowed.allowedToSpeak).toEqual([official]);
    await media.idle();
    expect(await permissionOf(official)).toBe(true);
    const mic = microphone();
    const hearing = heard(listener.room, official);
    await answering.room.localParticipant?.publishTrack(mic.track, mic.options);
    expect((await hearing).source).toBe(TrackSource.SOURCE_MICROPHONE);

    // Withdrawn: the media server takes the track and refuses another.
    const quiet = silenced(listener.room, official);
    const withdrawn = await must(convener, 'moderation:allow', { memberId: official, allowed: false });
    expect(withdrawn.allowedToSpeak).toEqual([]);
    await media.idle();
    expect(await permissionOf(official)).toBe(false);
    await quiet;
    expect((await rooms.getParticipant(roomName, official)).tracks.filter((t) => !t.muted)).toHaveLength(0);
    const again = microphone();
    await expect(answering.room.localParticipant?.publishTrack(again.track, again.options)).rejects.toThrow();
    mic.stop();
    again.stop();

    // Not for a convener (who speaks already), someone absent, or someone muted; nor by a member.
    const refused = async (memberId: string) => {
      const ack = await request(convener, 'moderation:allow', { memberId, allowed: true });
      return ack.ok ? null : ack.error.code;
    };
    expect(await refused(demo.secondConvenerId)).toBe('BAD_REQUEST');
    expect(await refused('m-nobody')).toBe('NOT_FOUND');
    await must(convener, 'moderation:mute', { memberId: 'm-song-tao', muted: true });
    expect(await refused('m-song-tao')).toBe('MUTED');
    await must(convener, 'moderation:mute', { memberId: 'm-song-tao', muted: false });
    const byMember = await request(listener.socket, 'moderation:allow', { memberId: official, allowed: true });
    expect(byMember.ok ? null : byMember.error.code).toBe('FORBIDDEN');

    // Muting someone allowed withdraws the allowance.
    await must(convener, 'moderation:allow', { memberId: official, allowed: true });
    await must(convener, 'moderation:mute', { memberId: official, muted: true });
    expect((await must(convener, 'room:snapshot', {})).session.allowedToSpeak).toEqual([]);
    await media.idle();
    expect(await permissionOf(official)).toBe(false);
    await must(convener, 'moderation:mute', { memberId: official, muted: false });
  }, 60_000);

  it('is kept in the session across a restart, and ends when the person leaves', async () => {
    let convener = await joinAs(server, demo.firstConvenerId);
    const answering = await participant(official);
    await must(convener, 'moderation:allow', { memberId: official, allowed: true });
    await media.idle();
    expect(await permissionOf(official)).toBe(true);

    // A restart rebuilds the room from the database: the allowance is part of the session.
    await server.restart();
    lk.sendWebhooksTo(`${server.url}${MEDIA_WEBHOOK_PATH}`);
    convener = await joinAs(server, demo.firstConvenerId);
    expect((await must(convener, 'room:snapshot', {})).session.allowedToSpeak).toEqual([official]);
    const socket = await joinAs(server, official);
    const token = await tokenFor(answering.cookie, demo.sessionId);
    expect(token.body.canPublish).toBe(true);
    expect(await permissionOf(official)).toBe(true);

    // Gone (every socket closed) for longer than a raised hand is kept: the allowance ends.
    const ended = sessionWhere(convener, (s) => !(s.allowedToSpeak ?? []).includes(official));
    socket.close();
    await ended;
    await media.idle();
    expect(await permissionOf(official)).toBe(false);
  }, 60_000);
});

describe('no stale token', () => {
  it('a token given with the floor publishes nothing once the turn has ended: joining, one gets the rights of the moment', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const listener = await participant('m-han-lei');
    const cookie = await signIn(server.url, 'm-xu-jing');
    await joinAs(server, 'm-xu-jing');
    await must(convener, 'speaker:grant', { memberId: 'm-xu-jing' });
    await media.idle();
    const kept = (await tokenFor(cookie, demo.sessionId)).body;
    expect(kept.canPublish).toBe(true);
    expect(claimsOf(kept.token).video.canPublish).toBe(true);
    await must(convener, 'speaker:end', {});
    await media.idle();

    // The kept token, still valid, is used at once, and the client publishes as soon as it is in.
    const room = new Room();
    connected.push(room);
    const taken = publishingSet(room, false);
    const quiet = new Promise<void>((resolve) => {
      const gone = (_pub: unknown, p: { identity: string }) => {
        if (p.identity === 'm-xu-jing') resolve();
      };
      listener.room.on(RoomEvent.TrackUnpublished, gone);
      listener.room.on(RoomEvent.TrackMuted, gone);
    });
    await room.connect(kept.url, kept.token, { autoSubscribe: false, dynacast: false });
    const mic = microphone();
    const first = await room.localParticipant
      ?.publishTrack(mic.track, mic.options)
      .then(() => 'published' as const)
      .catch(() => 'refused' as const);
    // The media server's webhook told Yitang of the join, and Yitang applied the rights of now.
    await taken;
    if (first === 'published') await quiet;
    const info = await rooms.getParticipant(roomName, 'm-xu-jing');
    expect(info.permission?.canPublish).toBe(false);
    expect(info.tracks.filter((t) => !t.muted)).toHaveLength(0);
    const again = microphone();
    await expect(room.localParticipant?.publishTrack(again.track, again.options)).rejects.toThrow();
    mic.stop();
    again.stop();

    // The other way round: a listener's token, used after the floor was given meanwhile (when
    // there was nobody connected to give it to), publishes.
    const early = await signIn(server.url, 'm-luo-bin');
    await joinAs(server, 'm-luo-bin');
    const listening = (await tokenFor(early, demo.sessionId)).body;
    expect(listening.canPublish).toBe(false);
    await must(convener, 'speaker:grant', { memberId: 'm-luo-bin' });
    await media.idle();
    const late = new Room();
    connected.push(late);
    const given = publishingSet(late, true);
    await late.connect(listening.url, listening.token, { autoSubscribe: false, dynacast: false });
    await given;
    expect(await permissionOf('m-luo-bin')).toBe(true);
    await must(convener, 'speaker:end', {});

    // The webhook route takes only what the media server signed.
    const forged = await fetch(`${server.url}${MEDIA_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/webhook+json', authorization: kept.token },
      body: JSON.stringify({
        event: 'participant_joined',
        room: { name: roomName },
        participant: { identity: 'm-xu-jing' },
      }),
    });
    expect(forged.status).toBe(401);
    expect((await fetch(`${server.url}${MEDIA_WEBHOOK_PATH}`, { method: 'POST', body: 'x' })).status).toBe(401);
  }, 60_000);
});

describe('media off', () => {
  it('leaves the room as it was: the token route says media is off, and the settings are checked', async () => {
    const plain = await startTestServer({ mongoUri: inject('mongoUri') });
    try {
      const res = await fetch(`${plain.url}/api/media/sessions/${demo.sessionId}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: await signIn(plain.url, 'm-gao-ya') },
        body: '{}',
      });
      expect(res.status).toBe(404);
      // The room itself works as before.
      const convener = await joinAs(plain, demo.firstConvenerId);
      await must(convener, 'session:start', {});
      await joinAs(plain, 'm-gao-ya');
      expect((await must(convener, 'speaker:grant', { memberId: 'm-gao-ya' })).speaker?.memberId).toBe('m-gao-ya');
    } finally {
      await plain.close();
    }
    expect(loadConfig({ MEDIA: 'off' }).MEDIA).toBe('off');
    expect(() => loadConfig({ LIVEKIT_URL: 'wss://media.example.org' })).toThrow(ConfigError);
  }, 60_000);
});

/** The livekit-server processes whose supervisor is a child of `serverPid`, read from /proc. */
function mediaServersOf(serverPid: number): number[] {
  const parentOf = (pid: string) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return -1;
    }
  };
  const pids = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  const supervisors = new Set(pids.filter((p) => parentOf(p) === serverPid).map(Number));
  return pids
    .filter((p) => supervisors.has(parentOf(p)))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0]?.endsWith('livekit-server') === true;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Resolves true when the process `pid` (not our child) has ended, false after `ms`: `tail --pid`
 * exits when it does, which is an event to wait on where /proc has none.
 */
function exitOf(pid: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const waiter = execFile('tail', [`--pid=${pid}`, '-f', '/dev/null'], () => {
      clearTimeout(timer);
      resolve(true);
    });
    const timer = setTimeout(() => {
      waiter.kill();
      resolve(false);
    }, ms);
  });
}

describe('the embedded media server', () => {
  it('starts with the server, listens on loopback only, and never outlives it, even when the server is killed', async () => {
    const proc = await startServerProcess({
      MONGODB_URI: inject('mongoUri'),
      MONGODB_DB: uniqueDbName(),
      SEED_DEMO: '1',
    });
    const [media] = mediaServersOf(proc.child.pid ?? -1);
    expect(media).toBeTypeOf('number');
    // Its HTTP port is on 127.0.0.1, and the token the server gives names it.
    const cookie = await signIn(proc.url, 'm-gao-ya');
    const res = await fetch(`${proc.url}/api/media/sessions/${demo.sessionId}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: '{}',
    });
    const token = (await res.json()) as MediaToken;
    expect(token.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    // Someone is connected when the server dies: on TERM LiveKit drains its rooms and would wait
    // for them for many minutes, so the supervisor kills it once its grace is over.
    const listener = new Room();
    connected.push(listener);
    await listener.connect(token.url, token.token, { autoSubscribe: true, dynacast: false });
    proc.child.kill('SIGKILL');
    await proc.exited;
    expect(await exitOf(media ?? -1, 20_000)).toBe(true);
    await listener.disconnect();

    // MEDIA=off: no media server at all, the token route says so, the server serves as before.
    const off = await startServerProcess({
      MONGODB_URI: inject('mongoUri'),
      MONGODB_DB: uniqueDbName(),
      SEED_DEMO: '1',
      MEDIA: 'off',
    });
    try {
      expect(mediaServersOf(off.child.pid ?? -1)).toEqual([]);
      const refused = await fetch(`${off.url}/api/media/sessions/${demo.sessionId}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: await signIn(off.url, 'm-gao-ya') },
        body: '{}',
      });
      expect(refused.status).toBe(404);
    } finally {
      off.child.kill('SIGTERM');
      await off.exited;
    }
  }, 90_000);
});
