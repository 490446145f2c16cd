import { z } from 'zod';
import { AgendaItem, Id, SessionMode, SessionState } from './domain';
import { PollResult } from './voting/evaluate';
import { PollSettings } from './voting/settings';

/**
 * The hall screen (`/s/<id>/screen`): what a projector in the room shows, and nothing more. It is
 * built on the server from the room's state, field by field, so no tally of an open or unpublished
 * poll, no voter and no member id can reach a screen, whoever opened it.
 */

/** The Socket.IO namespace of hall screens; its sockets are no participants of the room. */
export const screenNamespace = '/screen';

/** One poll as the hall sees it: while open, only how many ballots are in; once published, the result. */
export const ScreenPoll = z.discriminatedUnion('stage', [
  z.strictObject({
    id: Id,
    stage: z.literal('open'),
    settings: PollSettings,
    ballots: z.number().int().nonnegative(),
    openedAt: z.string().nullable(),
  }),
  z.strictObject({
    id: Id,
    stage: z.literal('published'),
    settings: PollSettings,
    ballots: z.number().int().nonnegative(),
    presentElectorate: z.number().int().nonnegative().nullable(),
    result: PollResult,
    publishedAt: z.string().nullable(),
  }),
]);
export type ScreenPoll = z.infer<typeof ScreenPoll>;

export const ScreenView = z.strictObject({
  sessionId: Id,
  topic: z.string(),
  roomName: z.string(),
  mode: SessionMode,
  state: SessionState,
  scheduledAt: z.string(),
  /** The server's clock when the view was built, so timers count from the server's time. */
  serverNow: z.string(),
  agenda: z.array(AgendaItem),
  currentItemId: Id.nullable(),
  currentItemStartedAt: z.string().nullable(),
  /** Who has the floor, by name, and when the server ends the turn. */
  speaker: z
    .strictObject({ name: z.string(), pointOfOrder: z.boolean(), startedAt: z.string(), endsAt: z.string() })
    .nullable(),
  /** The speaker queue in order, by name. */
  queue: z.array(z.strictObject({ name: z.string(), pointOfOrder: z.boolean() })),
  /** Open polls, then the published ones, newest first (a closed, unpublished poll is not shown). */
  polls: z.array(ScreenPoll),
});
export type ScreenView = z.infer<typeof ScreenView>;

/** What a screen socket receives: the whole view on connect and again on every change (coalesced). */
export interface ScreenServerEvents {
  'screen:view': (view: ScreenView) => void;
}
/** A screen sends nothing. */
// biome-ignore lint/complexity/noBannedTypes: Socket.IO wants an event map; a screen only listens.
export type ScreenClientEvents = {};

/** A hall screen link staff or a convener made for the hall's PC: read-only, and it runs out. */
export const ScreenLink = z.strictObject({
  /** The key the screen page passes in its handshake (`?key=` on the page's address). */
  key: z.string(),
  expiresAt: z.string(),
});
export type ScreenLink = z.infer<typeof ScreenLink>;

/** Why a screen's handshake was refused (the `data.code` of the connect error). */
export const ScreenRefusal = z.enum(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'EXPIRED', 'UNAVAILABLE']);
export type ScreenRefusal = z.infer<typeof ScreenRefusal>;
