import type { Logger } from '../logger';
import type { EventObserver } from '../socket/dispatch';
import type { YitangSocket } from '../socket/types';
import { type AuthService, tokenFromCookieHeader, touchEveryMs } from './auth.service';

/**
 * Work done over a live socket is use of the sign-in: the session's idle clock restarts, so
 * someone busy in a long sitting is not signed out of REST pages meanwhile. (Sockets themselves
 * end only at the session's absolute end.) At most one touch per socket per `touchEveryMs`,
 * counted from the handshake: resolving the session costs two reads (the session, the member),
 * and the handshake has just made them and touched the session if it was due. Counting from 0
 * made every connection's first event (a join) read both again: half the reads of a room's fill.
 */
export function touchOnActivity(auth: AuthService): EventObserver {
  const touched = new WeakMap<YitangSocket, number>();
  return (socket) => {
    const now = Date.now();
    if (now - (touched.get(socket) ?? socket.handshake.issued) < touchEveryMs) return;
    touched.set(socket, now);
    // resolve() writes lastSeenAt when it is older than a minute; a failure only delays that.
    void auth.resolve(tokenFromCookieHeader(socket.handshake.headers.cookie)).catch(() => undefined);
  };
}

/**
 * Sign-ins with a room or minutes socket open. A member who only follows a sitting sends nothing,
 * and minutes frames never reach the event dispatcher, yet both are using the sign-in: without
 * this, the idle limit signed them out of REST pages mid-sitting. One timer per process touches
 * every open sign-in in a single write each `touchEveryMs`, rather than a timer per socket.
 */
export class OpenSessions {
  /** Open connections per session token. */
  private readonly open = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  /** Sign-ins whose touch a handshake left to `touchSoon`, written together. */
  private readonly soon = new Set<string>();
  private soonTimer: NodeJS.Timeout | null = null;
  /** Sign-ins whose touch a handshake left to the next sweep (`touchBySweep`), open or closed since. */
  private readonly bySweep = new Set<string>();
  /** Time between sweeps (`start`). */
  private everyMs = touchEveryMs;

  constructor(
    private readonly touch: (tokens: string[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Counts one open connection of `token`; returns what uncounts it (call it on close, once or more). */
  hold(token: string): () => void {
    this.open.set(token, (this.open.get(token) ?? 0) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = (this.open.get(token) ?? 1) - 1;
      if (left > 0) this.open.set(token, left);
      else this.open.delete(token);
    };
  }

  /**
   * Touches this sign-in within `soonMs`, in one write with every other touch due by then: the
   * handshakes of a room filling (members who signed in earlier) each needed an update before.
   * Its idle clock had not run out (the handshake checked), so a second's delay changes nothing;
   * a failed write leaves it to the next sweep, as a failed sweep does.
   */
  touchSoon(token: string, soonMs = 1000): void {
    this.soon.add(token);
    if (this.soonTimer) return;
    this.soonTimer = setTimeout(() => {
      this.soonTimer = null;
      const tokens = [...this.soon];
      this.soon.clear();
      this.touch(tokens).catch((err: unknown) => this.logger.warn({ err }, 'sign-ins not touched'));
    }, soonMs);
    this.soonTimer.unref();
  }

  /**
   * Touches this sign-in with the next sweep, in the one write the sweep makes anyway for every
   * open sign-in, unless its idle clock (`idleEndsAt`, ms since the epoch) could run out before
   * two sweeps have gone by: then within a second (`touchSoon`). A room filling at hundreds of
   * handshakes a second made `touchSoon` write once a second, and on the embedded database each
   * of those writes (`_id: {$in: …}`, not pushed down) read every stored sign-in: the cost of a
   * join grew with the number of sign-ins, which a filling room raises (docs/performance.md). The
   * idle clock counts in minutes (`touchEveryMs`) and runs for hours, so a sweep's delay changes
   * nothing; a socket closed before the sweep is still touched by it.
   */
  touchBySweep(token: string, idleEndsAt: number): void {
    if (idleEndsAt - Date.now() < 2 * this.everyMs) this.touchSoon(token);
    else this.bySweep.add(token);
  }

  /** Touches every sign-in with a connection open now, and those left to it (the timer calls it; tests too). */
  async sweep(): Promise<void> {
    const tokens = new Set(this.open.keys());
    const left = [...this.bySweep];
    this.bySweep.clear();
    for (const token of left) tokens.add(token);
    try {
      await this.touch([...tokens]);
    } catch (err) {
      // Tried again at the next sweep, as an open sign-in is.
      for (const token of left) this.bySweep.add(token);
      throw err;
    }
  }

  start(everyMs: number = touchEveryMs): void {
    this.stop();
    this.everyMs = everyMs;
    this.timer = setInterval(() => {
      // A failed touch only ages the sign-ins by one period; the next sweep tries again.
      this.sweep().catch((err: unknown) => this.logger.warn({ err }, 'open sign-ins not touched'));
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.soonTimer) clearTimeout(this.soonTimer);
    this.soonTimer = null;
    this.soon.clear();
  }
}
