import { MINUTES_PATH } from '@yitang/shared';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { appStore } from '../../store';

export interface MinutesConnection {
  ydoc: Y.Doc;
  close: () => void;
}

function wsBase(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}`;
}

/**
 * Opens the shared minutes document of a session over y-websocket and mirrors the
 * connection state into the store. `close` disconnects and frees the document.
 */
export function openMinutes(sessionId: string): MinutesConnection {
  const ydoc = new Y.Doc();
  const provider = new WebsocketProvider(wsBase() + MINUTES_PATH, sessionId, ydoc);
  // Events from a provider we have closed must not overwrite the next one's state.
  let open = true;
  const store = () => appStore.getState();
  store().setMinutesStatus('connecting');
  store().setMinutesSynced(false);

  provider.on('status', ({ status }) => {
    if (open) store().setMinutesStatus(status === 'disconnected' ? 'offline' : status);
  });
  provider.on('sync', (synced) => {
    if (open) store().setMinutesSynced(synced);
  });
  // Close codes 4400-4499 are permanent (e.g. not allowed in this session): no more retries.
  provider.on('closed', () => {
    if (open) store().setMinutesStatus('refused');
  });

  return {
    ydoc,
    close: () => {
      open = false;
      provider.destroy();
      ydoc.destroy();
    },
  };
}
