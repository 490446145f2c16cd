import type { EventObserver } from '../socket/dispatch';
import type { YitangSocket } from '../socket/types';
import { type AuthService, tokenFromCookieHeader } from './auth.service';

/** At most one touch per socket per minute: resolving the session costs a read. */
const touchEveryMs = 60_000;

/**
 * Work done over a live socket is use of the sign-in: the session's idle clock restarts, so
 * someone busy in a long sitting is not signed out of REST pages meanwhile. (Sockets themselves
 * end only at the session's absolute end.)
 */
export function touchOnActivity(auth: AuthService): EventObserver {
  const touched = new WeakMap<YitangSocket, number>();
  return (socket) => {
    const now = Date.now();
    if (now - (touched.get(socket) ?? 0) < touchEveryMs) return;
    touched.set(socket, now);
    // resolve() writes lastSeenAt when it is older than a minute; a failure only delays that.
    void auth.resolve(tokenFromCookieHeader(socket.handshake.headers.cookie)).catch(() => undefined);
  };
}
