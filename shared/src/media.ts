import { z } from 'zod';
import type { SessionMode, SessionRole } from './domain';

/**
 * Voice and video in the live room (issue 17): a LiveKit room per session, where the floor is the
 * microphone. Everyone in an online or hybrid session listens; the floor holder, the conveners,
 * whoever the conveners allow and the hall's own microphone publish.
 */

/**
 * How long a media token admits its holder (seconds): long enough to connect with it. A connected
 * client needs no other: LiveKit hands it a fresh token of its own (valid 10 minutes) every five
 * minutes and at each change of its rights, and a full reconnect asks Yitang again.
 */
export const mediaTokenTtlSeconds = 120;

/** The identity of the hall's microphone and camera in a session's media room. */
export const hallIdentity = 'hall';

const mediaRoomPrefix = 'yitang-session-';

/** The media room of a session: one name, made here only. */
export const mediaRoomName = (sessionId: string) => `${mediaRoomPrefix}${sessionId}`;

/** The session whose media room `room` is, or null for a room that is not one of ours. */
export function sessionOfMediaRoom(room: string): string | null {
  return room.startsWith(mediaRoomPrefix) && room.length > mediaRoomPrefix.length
    ? room.slice(mediaRoomPrefix.length)
    : null;
}

/** Sessions whose participants hear each other through the media server. */
export const mediaModes: readonly SessionMode[] = ['online', 'hybrid'];

/** Roles that publish whenever they are not muted: they chair the session. */
export const mediaChairs: readonly SessionRole[] = ['firstConvener', 'secondConvener'];

/** Roles that may connect the hall's microphone and camera (a hybrid session's desk). */
export const hallConnectors: readonly SessionRole[] = ['firstConvener', 'secondConvener', 'staff'];

/** POST /api/media/sessions/:sessionId/token: `hall` asks for the hall's identity instead of one's own. */
export const MediaTokenRequest = z.object({ hall: z.boolean().optional() }).strict();
export type MediaTokenRequest = z.infer<typeof MediaTokenRequest>;

export const MediaToken = z.object({
  /** The media server's address for the browser (ws:// or wss://). */
  url: z.string(),
  token: z.string(),
  room: z.string(),
  identity: z.string(),
  /** Whether the token lets its holder publish now (the floor, a convener, the hall). */
  canPublish: z.boolean(),
  expiresAt: z.string(),
});
export type MediaToken = z.infer<typeof MediaToken>;

/** What decides whether someone publishes in a session's media room now. */
export interface MediaFloor {
  speakerId: string | null;
  firstConvenerId: string | null;
  secondConvenerId: string | null;
  muted: readonly string[];
  /** Those the conveners allow to speak besides the floor holder (a department's official answering). */
  allowed: readonly string[];
}

/**
 * Whether `identity` may publish now: the hall always; a muted person never; the conveners, the
 * floor holder and those the conveners allow otherwise. Everyone else listens.
 */
export function mayPublish(floor: MediaFloor, identity: string): boolean {
  if (identity === hallIdentity) return true;
  if (floor.muted.includes(identity)) return false;
  return (
    identity === floor.speakerId ||
    identity === floor.firstConvenerId ||
    identity === floor.secondConvenerId ||
    floor.allowed.includes(identity)
  );
}

/** What the live room tells the media server (server/src/media); none of these throws back. */
export interface RoomMediaHooks {
  /** The floor or the muted list may have changed: who publishes follows them. */
  floorChanged(sessionId: string, floor: MediaFloor): void;
  /** A removed participant's media connection is closed. */
  removed(sessionId: string, memberId: string): void;
}
