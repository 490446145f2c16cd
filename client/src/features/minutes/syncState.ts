import type { MinutesConnection } from './minutesSlice';

/**
 * What the sync line says: `synced` (the server has everything), `syncing` (connected, catching up),
 * `offline` (dropped after a sync: keep typing, edits stay in this tab's document and go out on
 * reconnect), `connecting` (never got through yet), `refused` (the server will not take us).
 */
export type SyncState = 'synced' | 'syncing' | 'offline' | 'connecting' | 'refused';

export function syncState(connection: MinutesConnection, synced: boolean, hadSync: boolean): SyncState {
  if (connection === 'refused') return 'refused';
  if (connection === 'connected') return synced ? 'synced' : 'syncing';
  // The provider reports "connecting" while it retries; after a first sync that is still a drop.
  return hadSync || connection === 'offline' ? 'offline' : 'connecting';
}
