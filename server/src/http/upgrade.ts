import type { Duplex } from 'node:stream';
import { MINUTES_PATH } from '@yitang/shared';

/**
 * What a WebSocket upgrade asks for, read from its request target without ever throwing: the
 * target is whatever a stranger sent (`//`, `/minutes/%FF`, a megabyte of junk).
 *
 * - `socketio`: Socket.IO's path; `room` is the `?room=` the client adds for nginx (or null).
 * - `minutes`: the minutes socket of one session.
 * - `bad`: one of our paths, but the session id in it does not decode (answered 400).
 * - `unknown`: anything else (answered 404 at once, never left open).
 */
export type UpgradeTarget =
  | { kind: 'socketio'; room: string | null }
  | { kind: 'minutes'; sessionId: string }
  | { kind: 'bad' }
  | { kind: 'unknown' };

/** Socket.IO's default path, which the server keeps. */
export const SOCKET_IO_PATH = '/socket.io';

export function readUpgradeTarget(url: string | undefined): UpgradeTarget {
  // Origin-form only ("/path?query"): `//host/...` or an absolute URL is nothing we serve, and
  // parsing it as a URL would move part of the path into a host name.
  if (!url?.startsWith('/') || url.startsWith('//')) return { kind: 'unknown' };
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  // Only what Socket.IO's engine itself takes (its check is this prefix); `/socket.io` without
  // the slash it would ignore, and nothing would ever answer it.
  if (pathname.startsWith(`${SOCKET_IO_PATH}/`)) {
    // URLSearchParams never throws: a broken escape becomes U+FFFD, an unknown room name.
    const room = new URLSearchParams(query).get('room');
    return { kind: 'socketio', room: room || null };
  }
  if (pathname.startsWith(`${MINUTES_PATH}/`)) {
    const raw = pathname.slice(MINUTES_PATH.length + 1);
    if (!raw) return { kind: 'unknown' };
    try {
      return { kind: 'minutes', sessionId: decodeURIComponent(raw) };
    } catch {
      return { kind: 'bad' };
    }
  }
  return { kind: 'unknown' };
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answers an upgrade with a bare HTTP status and closes the connection. Safe on a dead socket. */
export function refuseUpgrade(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  socket.end(`HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  // A client that never reads its answer must not hold the socket open.
  socket.once('finish', () => socket.destroy());
}
