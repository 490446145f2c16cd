import type { SliceCreator } from '../../store/types';

/** connecting: (re)trying; offline: dropped, will retry; refused: the server closed it for good. */
export type MinutesStatus = 'connecting' | 'connected' | 'offline' | 'refused';

export interface MinutesSlice {
  minutesStatus: MinutesStatus;
  /** The local document has caught up with the server at least once since connecting. */
  minutesSynced: boolean;
  setMinutesStatus: (status: MinutesStatus) => void;
  setMinutesSynced: (synced: boolean) => void;
}

export const createMinutesSlice: SliceCreator<MinutesSlice> = (set) => ({
  minutesStatus: 'connecting',
  minutesSynced: false,
  setMinutesStatus: (status) => set({ minutesStatus: status }),
  setMinutesSynced: (synced) => set({ minutesSynced: synced }),
});
