import type { SessionListItem } from '@yitang/shared';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import type { SliceCreator } from '../../store/types';
import type { LoadStatus } from '../auth/authSlice';
import { fetchSessions } from './api';

export interface SessionsSlice {
  sessions: SessionListItem[];
  sessionsStatus: LoadStatus;
  sessionsError: ClientErrorCode | null;
  loadSessions: () => Promise<void>;
}

export const createSessionsSlice: SliceCreator<SessionsSlice> = (set) => ({
  sessions: [],
  sessionsStatus: 'idle',
  sessionsError: null,

  loadSessions: async () => {
    set({ sessionsStatus: 'loading', sessionsError: null });
    try {
      set({ sessions: await fetchSessions(), sessionsStatus: 'ready' });
    } catch (err) {
      set({ sessionsStatus: 'error', sessionsError: toClientErrorCode(err) });
    }
  },
});
