import { MediaToken } from '@yitang/shared';
import {
  ConnectionQuality,
  ConnectionState,
  DisconnectReason,
  type Participant,
  type RemoteTrack,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
} from 'livekit-client';
import { createStore } from 'zustand/vanilla';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { api } from '../../lib/http';

/** What the media bar shows: the connection, what we may do, and why video is off. */
export interface MediaState {
  connection: 'idle' | 'connecting' | 'live' | 'reconnecting' | 'failed';
  failure: ClientErrorCode | null;
  /** The media server lets us publish now (the floor, a convener, the hall). */
  canPublish: boolean;
  micOn: boolean;
  cameraOn: boolean;
  /** Video is off: chosen, forced by a weak network, or by a camera that failed. */
  audioOnly: false | 'chosen' | 'weak' | 'camera';
  /** The browser wants a tap before it plays sound. */
  needsTap: boolean;
  /** Connected as the hall's microphone and camera rather than as ourselves. */
  asHall: boolean;
  /** Who is being heard now (identities of those with an unmuted microphone). */
  speaking: string[];
  /** Remote camera tracks to show (none while audio only). */
  videos: Array<{ sid: string; identity: string; name: string; track: RemoteTrack }>;
}

const initial: MediaState = {
  connection: 'idle',
  failure: null,
  canPublish: false,
  micOn: false,
  cameraOn: false,
  audioOnly: false,
  needsTap: false,
  asHall: false,
  speaking: [],
  videos: [],
};

export const mediaStore = createStore<MediaState>()(() => initial);
const set = (patch: Partial<MediaState>) => mediaStore.setState(patch);

let room: Room | null = null;
/** The connection asked for: `chair` (a convener, or the hall) publishes by its own tap. */
let current: { sessionId: string; hall: boolean; chair: boolean } | null = null;
/** The element remote audio plays in (one <audio> per track, kept out of the layout). */
let audioHost: HTMLElement | null = null;

function audioContainer(): HTMLElement {
  if (audioHost?.isConnected) return audioHost;
  audioHost = document.createElement('div');
  audioHost.hidden = true;
  audioHost.dataset.testid = 'media-audio';
  document.body.append(audioHost);
  return audioHost;
}

/** The remote cameras and the unmuted microphones, read again from the room. */
function refreshRemote(): void {
  if (!room) return;
  const videos: MediaState['videos'] = [];
  const speaking: string[] = [];
  const everyone: Participant[] = [room.localParticipant, ...room.remoteParticipants.values()];
  for (const p of everyone) {
    for (const pub of p.trackPublications.values()) {
      if (pub.kind === Track.Kind.Audio && !pub.isMuted && pub.track) speaking.push(p.name || p.identity);
      if (p !== room.localParticipant && pub.kind === Track.Kind.Video && pub.track && !pub.isMuted) {
        videos.push({
          sid: pub.trackSid,
          identity: p.identity,
          name: p.name || p.identity,
          track: pub.track as RemoteTrack,
        });
      }
    }
  }
  set({ speaking, videos: mediaStore.getState().audioOnly ? [] : videos });
}

/** Publishing follows what the media server allows us: the floor turns our microphone on. */
async function permissionsChanged(): Promise<void> {
  if (!room) return;
  const canPublish = room.localParticipant.permissions?.canPublish ?? false;
  const was = mediaStore.getState().canPublish;
  set({ canPublish });
  if (!canPublish) {
    set({ micOn: false, cameraOn: false });
    return;
  }
  // Given the floor: the microphone goes on. A convener's waits for their own tap.
  if (!was && !current?.chair) await setMicrophone(true);
}

function wire(r: Room): void {
  r.on(RoomEvent.TrackSubscribed, (track) => {
    if (track.kind === Track.Kind.Audio) audioContainer().append(track.attach());
    refreshRemote();
  })
    .on(RoomEvent.TrackUnsubscribed, (track) => {
      for (const el of track.detach()) el.remove();
      refreshRemote();
    })
    .on(RoomEvent.TrackMuted, refreshRemote)
    .on(RoomEvent.TrackUnmuted, refreshRemote)
    .on(RoomEvent.LocalTrackPublished, refreshRemote)
    .on(RoomEvent.LocalTrackUnpublished, () => {
      set({
        micOn: r.localParticipant.isMicrophoneEnabled,
        cameraOn: r.localParticipant.isCameraEnabled,
      });
      refreshRemote();
    })
    .on(RoomEvent.ParticipantDisconnected, refreshRemote)
    .on(RoomEvent.AudioPlaybackStatusChanged, () => set({ needsTap: !r.canPlaybackAudio }))
    .on(RoomEvent.ParticipantPermissionsChanged, (_prev, participant) => {
      if (participant === r.localParticipant) void permissionsChanged();
    })
    .on(RoomEvent.Reconnecting, () => set({ connection: 'reconnecting' }))
    .on(RoomEvent.SignalReconnecting, () => set({ connection: 'reconnecting' }))
    .on(RoomEvent.Reconnected, () => set({ connection: 'live' }))
    .on(RoomEvent.ConnectionQualityChanged, (quality, participant) => {
      if (participant !== r.localParticipant) return;
      // A weak network keeps the voice: video goes first, and comes back when the network does.
      const audioOnly = mediaStore.getState().audioOnly;
      if (quality === ConnectionQuality.Poor || quality === ConnectionQuality.Lost) {
        if (!audioOnly) applyAudioOnly('weak');
      } else if (audioOnly === 'weak') {
        applyAudioOnly(false);
      }
    })
    .on(RoomEvent.Disconnected, (reason) => {
      if (room !== r) return;
      // Removed, signed out or the session closed: no way back from here (the room says why).
      const final =
        reason === DisconnectReason.PARTICIPANT_REMOVED ||
        reason === DisconnectReason.ROOM_DELETED ||
        reason === DisconnectReason.CLIENT_INITIATED;
      set({ connection: final ? 'idle' : 'failed', failure: final ? null : 'NETWORK', micOn: false, cameraOn: false });
      room = null;
    });
}

/**
 * The browser lost its network: the bar says so at once, not only when the media server's
 * connection times out (LiveKit reconnects when the network is back).
 */
function browserOffline(): void {
  if (room && mediaStore.getState().connection === 'live') set({ connection: 'reconnecting' });
}

/**
 * The network is back: LiveKit checks it and reconnects (Reconnecting, then Reconnected says
 * live). Had it kept its connection without reconnecting, the bar says live a little later.
 */
function browserOnline(): void {
  const r = room;
  setTimeout(() => {
    if (
      r &&
      room === r &&
      r.state === ConnectionState.Connected &&
      mediaStore.getState().connection === 'reconnecting'
    ) {
      set({ connection: 'live' });
    }
  }, 5_000);
}

if (typeof window !== 'undefined') {
  window.addEventListener('offline', browserOffline);
  window.addEventListener('online', browserOnline);
}

function applyAudioOnly(mode: MediaState['audioOnly']): void {
  set({ audioOnly: mode });
  if (!room) return;
  for (const p of room.remoteParticipants.values()) {
    for (const pub of p.videoTrackPublications.values()) pub.setSubscribed(!mode);
  }
  if (mode && room.localParticipant.isCameraEnabled) {
    void room.localParticipant.setCameraEnabled(false).then(() => set({ cameraOn: false }));
  }
  refreshRemote();
}

/**
 * Connects to the session's media room with a token from Yitang (listening always; publishing
 * as the media server allows). `hall` connects this device as the hall's microphone and camera.
 */
export async function connectMedia(sessionId: string, opts: { hall: boolean; chair: boolean }): Promise<void> {
  const { hall } = opts;
  await disconnectMedia();
  current = { sessionId, hall, chair: opts.chair || hall };
  set({ ...initial, connection: 'connecting', asHall: hall, audioOnly: mediaStore.getState().audioOnly });
  try {
    const token = await api(`/api/media/sessions/${encodeURIComponent(sessionId)}/token`, MediaToken, {
      method: 'POST',
      body: hall ? { hall: true } : {},
    });
    if (current?.sessionId !== sessionId || current.hall !== hall) return;
    const r = new Room({
      adaptiveStream: true,
      dynacast: true,
      videoCaptureDefaults: { resolution: VideoPresets.h360.resolution },
    });
    room = r;
    wire(r);
    await r.connect(token.url, token.token, { autoSubscribe: true });
    if (room !== r) return;
    set({
      connection: r.state === ConnectionState.Connected ? 'live' : 'connecting',
      canPublish: r.localParticipant.permissions?.canPublish ?? token.canPublish,
      needsTap: !r.canPlaybackAudio,
    });
    if (mediaStore.getState().audioOnly) applyAudioOnly(mediaStore.getState().audioOnly);
    // Given the floor before we connected, or the hall: the microphone goes on.
    if (token.canPublish && (hall || !opts.chair)) await setMicrophone(true);
    refreshRemote();
  } catch (err) {
    if (current?.sessionId !== sessionId) return;
    set({ connection: 'failed', failure: toClientErrorCode(err) });
  }
}

export async function disconnectMedia(): Promise<void> {
  const r = room;
  room = null;
  current = null;
  if (r) await r.disconnect();
  for (const el of audioHost?.querySelectorAll('audio') ?? []) el.remove();
  set({ ...initial, audioOnly: mediaStore.getState().audioOnly === 'chosen' ? 'chosen' : false });
}

/** Tries again after a failure, the same way. */
export function retryMedia(): void {
  if (!current) return;
  void connectMedia(current.sessionId, { hall: current.hall, chair: current.chair });
}

/** Plays sound after the tap the browser asked for. */
export async function startListening(): Promise<void> {
  await room?.startAudio();
  set({ needsTap: room ? !room.canPlaybackAudio : false });
}

export async function setMicrophone(on: boolean): Promise<void> {
  if (!room) return;
  try {
    await room.localParticipant.setMicrophoneEnabled(on);
    set({ micOn: room.localParticipant.isMicrophoneEnabled });
  } catch (err) {
    set({ micOn: false, failure: toClientErrorCode(err) });
  }
}

export async function setCamera(on: boolean): Promise<void> {
  if (!room) return;
  try {
    await room.localParticipant.setCameraEnabled(on);
    set({ cameraOn: room.localParticipant.isCameraEnabled });
  } catch {
    // No camera, refused, or too weak a device: voice goes on without it.
    set({ cameraOn: false });
    applyAudioOnly('camera');
  }
}

/** Audio only by choice (a weak phone plan), or back to video. */
export function chooseAudioOnly(on: boolean): void {
  applyAudioOnly(on ? 'chosen' : false);
}
