import { MinutesCloseCode } from '@yitang/shared';
import type { MinutesConnection } from './minutesSlice';

/**
 * Why the server closed the minutes for good, when its close code says so. The stock provider
 * stops retrying on any code in 4400–4499; these are the ones the person can act on, each with
 * its own message (the document is full, one paste was too large, they were removed, signed out).
 */
export type MinutesRefusal = 'documentFull' | 'updateTooLarge' | 'removed' | 'signedOut';

export function refusalOf(code: number | undefined): MinutesRefusal | null {
  switch (code) {
    case MinutesCloseCode.documentFull:
      return 'documentFull';
    case MinutesCloseCode.updateTooLarge:
      return 'updateTooLarge';
    case MinutesCloseCode.removed:
      return 'removed';
    case MinutesCloseCode.signedOut:
      return 'signedOut';
    default:
      return null;
  }
}

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
