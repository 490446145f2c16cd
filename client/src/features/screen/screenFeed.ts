import {
  type ScreenClientEvents,
  ScreenRefusal,
  type ScreenServerEvents,
  ScreenView,
  screenNamespace,
} from '@yitang/shared';
import { useEffect, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { clockOffset } from '../../lib/clock';

export type ScreenStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting' }
  | { kind: 'refused'; code: ScreenRefusal };

export interface ScreenFeedState {
  status: ScreenStatus;
  view: ScreenView | null;
  /** Milliseconds to add to the local clock for the server's, from the last view. */
  offsetMs: number;
}

/** How long to wait before trying again when the server could not serve the screen (ms). */
const retryMs = 3000;

/**
 * Follows one session's hall screen over the `/screen` namespace for as long as the page is
 * shown, without any input: it reconnects by itself after a network loss or when the server
 * moves the room, and retries a server that is briefly unavailable. A refusal for a reason a
 * retry cannot change (no right, a link that ran out) stays on screen with its reason.
 */
export function useScreenFeed(sessionId: string, key: string | null): ScreenFeedState {
  const [state, setState] = useState<ScreenFeedState>({ status: { kind: 'connecting' }, view: null, offsetMs: 0 });

  useEffect(() => {
    const socket: Socket<ScreenServerEvents, ScreenClientEvents> = io(screenNamespace, {
      auth: key ? { sessionId, key } : { sessionId },
      withCredentials: true,
      // As the room's own socket: WebSocket only, and `?room=` so a load balancer in front of
      // several nodes sends the screen to the node that holds the room (deploy/nginx.conf.template).
      transports: ['websocket'],
      query: { room: sessionId },
    });
    let retry: ReturnType<typeof setTimeout> | null = null;
    socket.on('screen:view', (raw) => {
      const parsed = ScreenView.safeParse(raw);
      if (!parsed.success) {
        console.warn('hall screen view failed validation', parsed.error);
        return;
      }
      setState({
        status: { kind: 'live' },
        view: parsed.data,
        offsetMs: clockOffset(parsed.data.serverNow, Date.now()),
      });
    });
    socket.on('connect_error', (err) => {
      const code = ScreenRefusal.safeParse((err as { data?: { code?: unknown } }).data?.code);
      // No code: the network, not the server; Socket.IO tries again by itself.
      if (!code.success) {
        setState((s) => ({ ...s, status: { kind: s.view ? 'reconnecting' : 'connecting' } }));
        return;
      }
      setState((s) => ({ ...s, status: { kind: 'refused', code: code.data } }));
      if (code.data === 'UNAVAILABLE') retry = setTimeout(() => socket.connect(), retryMs);
    });
    socket.on('disconnect', (reason) => {
      setState((s) => ({ ...s, status: { kind: 'reconnecting' } }));
      // The server let go of us (the room moved, or a link ran out): ask again; a refusal says why.
      if (reason === 'io server disconnect') socket.connect();
    });
    return () => {
      if (retry) clearTimeout(retry);
      socket.close();
    };
  }, [sessionId, key]);

  return state;
}
