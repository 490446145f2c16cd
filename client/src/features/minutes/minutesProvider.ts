import { MINUTES_PATH, MinutesCloseCode } from '@yitang/shared';
import { useEffect, useRef, useState } from 'react';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { appStore } from '../../store';
import { refusalOf } from './syncState';

/**
 * The server closes a minutes socket with this code when the person's right to write changed (the
 * minutes went into review, were approved, …). The provider reconnects by itself and the new
 * connection has the new rights; the page reloads the minutes' status to match.
 */
export const PERMISSIONS_CHANGED = MinutesCloseCode.permissionsChanged;

export interface MinutesConnection {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  close: () => void;
}

export interface MinutesOptions {
  /** Called when the server says the rights changed (close code 4001). */
  onPermissionsChanged?: () => void;
  /** Called when someone else changed the minutes' status, comments or versions (see below). */
  onRemoteChange?: () => void;
}

/**
 * The awareness field a client bumps after it changed the minutes over REST (a comment, an approval,
 * a version…), so every other open copy reloads MinutesInfo at once instead of at its next poll.
 * The contract has no push for these; awareness reaches every reader and writer of the document.
 */
const changeField = 'minutesRev';

/** The one minutes document open in this tab, if any. */
let current: MinutesConnection | null = null;

/** Tells the others with these minutes open that their status, comments or versions changed. */
export function announceMinutesChange(): void {
  current?.provider.awareness.setLocalStateField(changeField, Date.now());
}

function revOf(state: unknown): unknown {
  return typeof state === 'object' && state !== null && changeField in state
    ? (state as Record<string, unknown>)[changeField]
    : undefined;
}

function wsBase(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}`;
}

/**
 * Opens the shared minutes document of a session over y-websocket and mirrors the connection
 * state into the store. The document lives in this tab: while the socket is down an editor keeps
 * typing into it, and the provider sends those edits when it reconnects. `close` disconnects and
 * frees the document.
 */
export function openMinutes(sessionId: string, options: MinutesOptions = {}): MinutesConnection {
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase() + MINUTES_PATH, sessionId, ydoc);
  // Events from a provider we have closed must not overwrite the next one's state.
  let open = true;
  const store = () => appStore.getState();
  store().resetMinutesConnection();

  provider.on('status', ({ status }) => {
    if (open) store().setMinutesStatus(status === 'disconnected' ? 'offline' : status);
  });
  provider.on('sync', (synced) => {
    if (open) store().setMinutesSynced(synced);
  });
  provider.on('connection-close', (event) => {
    if (!open) return;
    if (event?.code === PERMISSIONS_CHANGED) options.onPermissionsChanged?.();
    const refusal = refusalOf(event?.code);
    if (refusal) store().setMinutesRefusal(refusal);
  });
  // Close codes 4400-4499 are permanent (e.g. not allowed in this session): no more retries.
  provider.on('closed', () => {
    if (open) store().setMinutesStatus('refused');
  });

  // A client seen for the first time brings its last bump: only a bump seen to change counts.
  const seenRevs = new Map<number, unknown>();
  provider.awareness.on('change', ({ added, updated, removed }: AwarenessChange) => {
    if (!open) return;
    let changed = false;
    const states = provider.awareness.getStates();
    for (const id of [...added, ...updated]) {
      if (id === ydoc.clientID) continue;
      const rev = revOf(states.get(id));
      if (seenRevs.has(id) && seenRevs.get(id) !== rev) changed = true;
      seenRevs.set(id, rev);
    }
    for (const id of removed) seenRevs.delete(id);
    if (changed) options.onRemoteChange?.();
  });

  // When the device says it lost the network, stop waiting for the socket to time out: show
  // "offline" at once and keep editing locally; reconnect as soon as it is back.
  const goOffline = () => provider.disconnect();
  const goOnline = () => provider.connect();
  window.addEventListener('offline', goOffline);
  window.addEventListener('online', goOnline);

  const connection: MinutesConnection = {
    ydoc,
    provider,
    close: () => {
      open = false;
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
      if (current === connection) current = null;
      provider.destroy();
      ydoc.destroy();
    },
  };
  current = connection;
  return connection;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * Keeps a session's minutes document open while the component is shown; `onStale` is called when
 * the minutes' status or rights may have changed (the server's 4001, another client's bump).
 */
export function useMinutesConnection(sessionId: string, onStale?: () => void): MinutesConnection | null {
  const [connection, setConnection] = useState<MinutesConnection | null>(null);
  const callback = useRef(onStale);
  useEffect(() => {
    callback.current = onStale;
  }, [onStale]);
  useEffect(() => {
    const stale = () => callback.current?.();
    const minutes = openMinutes(sessionId, { onPermissionsChanged: stale, onRemoteChange: stale });
    setConnection(minutes);
    return () => {
      setConnection(null);
      minutes.close();
    };
  }, [sessionId]);
  return connection;
}
