import type { MinutesInfo } from '@yitang/shared';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import type { SliceCreator } from '../../store/types';
import type { LoadStatus } from '../auth/authSlice';
import { fetchMinutesInfo } from './api';
import type { MinutesRefusal } from './syncState';

/** connecting: (re)trying; offline: dropped, will retry; refused: the server closed it for good. */
export type MinutesConnection = 'connecting' | 'connected' | 'offline' | 'refused';

export interface MinutesSlice {
  minutesStatus: MinutesConnection;
  /** The local document has caught up with the server on the current connection. */
  minutesSynced: boolean;
  /** It caught up at least once since the document was opened: a drop after that keeps local edits. */
  minutesHadSync: boolean;
  setMinutesStatus: (status: MinutesConnection) => void;
  setMinutesSynced: (synced: boolean) => void;
  /** Why the server refused the minutes for good, if its close code said (shown to the person). */
  minutesRefusal: MinutesRefusal | null;
  setMinutesRefusal: (refusal: MinutesRefusal | null) => void;
  /** A new document is being opened: forget the previous one's connection state. */
  resetMinutesConnection: () => void;

  /** The minutes' lifecycle, versions and comments (REST) of `minutesInfoFor`. */
  minutesInfo: MinutesInfo | null;
  minutesInfoFor: string | null;
  minutesInfoStatus: LoadStatus;
  minutesInfoError: ClientErrorCode | null;
  /** Loads (or reloads) the minutes info of a session; a newer request wins over an older one. */
  loadMinutesInfo: (sessionId: string) => Promise<void>;
  clearMinutesInfo: () => void;
}

let infoRequest = 0;

export const createMinutesSlice: SliceCreator<MinutesSlice> = (set, get) => ({
  minutesStatus: 'connecting',
  minutesSynced: false,
  minutesHadSync: false,
  setMinutesStatus: (status) => set({ minutesStatus: status }),
  setMinutesSynced: (synced) =>
    set((state) => ({ minutesSynced: synced, minutesHadSync: state.minutesHadSync || synced })),
  minutesRefusal: null,
  setMinutesRefusal: (refusal) => set({ minutesRefusal: refusal }),
  resetMinutesConnection: () =>
    set({ minutesStatus: 'connecting', minutesSynced: false, minutesHadSync: false, minutesRefusal: null }),

  minutesInfo: null,
  minutesInfoFor: null,
  minutesInfoStatus: 'idle',
  minutesInfoError: null,

  loadMinutesInfo: async (sessionId) => {
    const request = ++infoRequest;
    const same = get().minutesInfoFor === sessionId;
    set({
      minutesInfoFor: sessionId,
      minutesInfo: same ? get().minutesInfo : null,
      minutesInfoStatus: 'loading',
      minutesInfoError: null,
    });
    try {
      const info = await fetchMinutesInfo(sessionId);
      if (request === infoRequest) set({ minutesInfo: info, minutesInfoStatus: 'ready' });
    } catch (err) {
      // A failed reload keeps what was shown: the last known status still decides the editor.
      if (request === infoRequest) set({ minutesInfoStatus: 'error', minutesInfoError: toClientErrorCode(err) });
    }
  },

  clearMinutesInfo: () => {
    infoRequest += 1;
    set({ minutesInfo: null, minutesInfoFor: null, minutesInfoStatus: 'idle', minutesInfoError: null });
  },
});
