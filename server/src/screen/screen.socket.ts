import {
  Id,
  limits,
  type MemberView,
  type ScreenClientEvents,
  type ScreenRefusal,
  type ScreenServerEvents,
  type ScreenView,
  type SessionRole,
  screenNamespace,
} from '@yitang/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { LiveRoom } from '../rooms/live-room';
import type { RoomRegistry } from '../rooms/room.registry';
import { namesNeeded, screenView } from './screen.view';
import type { ScreenLinks } from './screen-link';

/** Who may open a session's hall screen with their own sign-in (anyone else needs a screen link). */
export const screenOpeners: readonly SessionRole[] = ['firstConvener', 'secondConvener', 'staff'];

interface ScreenData {
  sessionId: string;
  /** When the screen's link or its opener's sign-in runs out (ms since the epoch). */
  until: number;
  /** Who opened it with their own sign-in; null for a screen link. */
  memberId: string | null;
}

type ScreenNsp = Namespace<ScreenClientEvents, ScreenServerEvents, Record<string, never>, ScreenData>;
type ScreenSocket = Socket<ScreenClientEvents, ScreenServerEvents, Record<string, never>, ScreenData>;

export interface ScreenDeps {
  registry: RoomRegistry;
  links: ScreenLinks;
  /** The member a session cookie signs in, if any, and until when (ms since the epoch). */
  signedIn: (cookieHeader: string | undefined) => Promise<{ member: MemberView; until: number } | null>;
  memberNames: (ids: string[]) => Promise<Array<{ id: string; name: string }>>;
  logger: Logger;
}

const screenChannel = (sessionId: string) => `screen:${sessionId}`;
const memberScreens = (memberId: string) => `member:${memberId}`;

/** The room events after which a screen's view may differ (presence and suggestions never show). */
const shownEvents = new Set(['session:updated', 'speakers:updated', 'poll:updated', 'poll:tally']);

const refuse = (code: ScreenRefusal) => Object.assign(new Error(code), { data: { code } });

/**
 * One room's hall screens: it watches the room while at least one screen is open and sends every
 * screen the whole view after each change, at most `limits.screenFramesPerSecond` times a second.
 */
class ScreenFeed {
  private readonly unwatch: () => void;
  private timer: NodeJS.Timeout | null = null;
  private lastSent = 0;
  private readonly names = new Map<string, string>();
  private sending: Promise<void> = Promise.resolve();

  constructor(
    readonly room: LiveRoom,
    private readonly nsp: ScreenNsp,
    private readonly deps: ScreenDeps,
  ) {
    // The watch tells every event; only those the screen shows schedule a view.
    this.unwatch = room.watch((event) => this.soon(event));
  }

  /** A room event happened: send the view now, or when the frame rate allows. */
  soon(event: string): void {
    if (!shownEvents.has(event)) return;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + 1000 / limits.screenFramesPerSecond - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastSent = Date.now();
      this.sending = this.sending.then(() => this.sendTo(screenChannel(this.room.id)));
    }, wait);
  }

  /** The view as it is now, with the names of the speaker and the queue. */
  async view(): Promise<ScreenView> {
    const state = this.room.screenState();
    const missing = namesNeeded(state.speakers).filter((id) => !this.names.has(id));
    if (missing.length > 0) {
      for (const { id, name } of await this.deps.memberNames([...new Set(missing)])) this.names.set(id, name);
    }
    // Built after the names came in: the state may have moved on meanwhile, and the newest is sent.
    const now = this.room.screenState();
    return screenView(now, this.names, new Date());
  }

  async sendTo(target: string): Promise<void> {
    try {
      const view = await this.view();
      this.nsp.to(target).emit('screen:view', view);
    } catch (err) {
      this.deps.logger.error({ err, sessionId: this.room.id }, 'hall screen view failed');
    }
  }

  stop(): void {
    this.unwatch();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * The hall screens' namespace. A screen is no participant: it is not in the room's channel (so it
 * gets none of the room's frames, tallies included), not in presence, and it can send nothing.
 * It opens with `auth: {sessionId, key?}`: a screen link's key, or else the session cookie of a
 * convener or staff of that session.
 */
export function registerScreens(
  io: Server,
  deps: ScreenDeps,
): { drop: (sessionId: string) => void; signedOut: (memberId: string) => void } {
  const nsp = io.of(screenNamespace) as unknown as ScreenNsp;
  const feeds = new Map<string, ScreenFeed>();

  nsp.use(async (socket, next) => {
    try {
      const auth = socket.handshake.auth as { sessionId?: unknown; key?: unknown };
      const sessionId = Id.safeParse(auth.sessionId);
      if (!sessionId.success) return next(refuse('NOT_FOUND'));
      const key = typeof auth.key === 'string' && auth.key.length > 0 && auth.key.length <= 100 ? auth.key : null;
      if (key !== null) {
        const until = deps.links.check(sessionId.data, key);
        if (until === null) return next(refuse('FORBIDDEN'));
        if (until === 'expired') return next(refuse('EXPIRED'));
        // Loaded here, as for a signed-in opener: a node that cannot serve the room refuses now.
        if (!(await deps.registry.get(sessionId.data))) return next(refuse('NOT_FOUND'));
        socket.data = { sessionId: sessionId.data, until, memberId: null };
      } else {
        const signedIn = await deps.signedIn(socket.handshake.headers.cookie);
        if (!signedIn) return next(refuse('UNAUTHENTICATED'));
        const { member } = signedIn;
        const room = await deps.registry.get(sessionId.data);
        if (!room) return next(refuse('NOT_FOUND'));
        const role = room.roleOf(member);
        if (!role || !screenOpeners.includes(role)) return next(refuse('FORBIDDEN'));
        socket.data = { sessionId: sessionId.data, until: signedIn.until, memberId: member.id };
      }
      next();
    } catch (err) {
      // Another node holds the room (AppError UNAVAILABLE): the page asks again shortly.
      if (err instanceof AppError) deps.logger.warn({ code: err.code }, 'hall screen refused');
      else deps.logger.error({ err }, 'hall screen handshake failed');
      next(refuse('UNAVAILABLE'));
    }
  });

  const stopIfEmpty = (sessionId: string) => {
    const feed = feeds.get(sessionId);
    if (feed && (nsp.adapter.rooms.get(screenChannel(sessionId))?.size ?? 0) === 0) {
      feed.stop();
      feeds.delete(sessionId);
    }
  };

  nsp.on('connection', (socket: ScreenSocket) => {
    void (async () => {
      const { sessionId, until, memberId } = socket.data;
      const room = await deps.registry.get(sessionId);
      if (!room || socket.disconnected) {
        socket.disconnect(true);
        return;
      }
      await socket.join(screenChannel(sessionId));
      // A screen opened with one's own sign-in goes dark when that person is signed out.
      if (memberId !== null) await socket.join(memberScreens(memberId));
      let feed = feeds.get(sessionId);
      if (feed && feed.room !== room) {
        feed.stop();
        feed = undefined;
      }
      if (!feed) {
        feed = new ScreenFeed(room, nsp, deps);
        feeds.set(sessionId, feed);
      }
      await feed.sendTo(socket.id);
      // The link or sign-in runs out while the screen is open: it goes dark, and says why when it retries.
      const timer = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(until - Date.now(), 2 ** 31 - 1)));
      socket.once('disconnect', () => clearTimeout(timer));
    })().catch((err: unknown) => {
      deps.logger.error({ err }, 'hall screen connection failed');
      socket.disconnect(true);
    });
    socket.on('disconnect', () => stopIfEmpty(socket.data.sessionId));
  });

  return {
    /** The room left this process: its screens reconnect and find it where it is now. */
    drop(sessionId: string) {
      feeds.get(sessionId)?.stop();
      feeds.delete(sessionId);
      nsp.in(screenChannel(sessionId)).disconnectSockets(true);
    },
    /** Whoever opened screens with their sign-in was signed out: those screens close. */
    signedOut(memberId: string) {
      nsp.in(memberScreens(memberId)).disconnectSockets(true);
    },
  };
}
