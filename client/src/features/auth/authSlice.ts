import type { MemberView } from '@yitang/shared';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import type { SliceCreator } from '../../store/types';
import { demoLogin, fetchMe, fetchMembers, logout } from './api';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface AuthSlice {
  me: MemberView | null;
  meStatus: LoadStatus;
  members: MemberView[];
  membersStatus: LoadStatus;
  /** Set while a sign-in or sign-out request is in flight. */
  authBusy: boolean;
  authError: ClientErrorCode | null;
  loadMe: () => Promise<void>;
  loadMembers: () => Promise<void>;
  signIn: (memberId: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The server said our cookie is no longer valid: forget who we were. */
  sessionExpired: () => void;
}

export const createAuthSlice: SliceCreator<AuthSlice> = (set, get) => ({
  me: null,
  meStatus: 'idle',
  members: [],
  membersStatus: 'idle',
  authBusy: false,
  authError: null,

  loadMe: async () => {
    set({ meStatus: 'loading', authError: null });
    try {
      set({ me: await fetchMe(), meStatus: 'ready' });
    } catch (err) {
      set({ meStatus: 'error', authError: toClientErrorCode(err) });
    }
  },

  loadMembers: async () => {
    if (get().membersStatus === 'loading') return;
    set({ membersStatus: 'loading', authError: null });
    try {
      set({ members: await fetchMembers(), membersStatus: 'ready' });
    } catch (err) {
      set({ membersStatus: 'error', authError: toClientErrorCode(err) });
    }
  },

  signIn: async (memberId) => {
    set({ authBusy: true, authError: null });
    try {
      const me = await demoLogin(memberId);
      set({ me, meStatus: 'ready', authBusy: false });
    } catch (err) {
      set({ authBusy: false, authError: toClientErrorCode(err) });
    }
  },

  signOut: async () => {
    set({ authBusy: true, authError: null });
    try {
      await logout();
      set({ me: null, authBusy: false });
    } catch (err) {
      set({ authBusy: false, authError: toClientErrorCode(err) });
    }
  },

  sessionExpired: () => set({ me: null, meStatus: 'ready' }),
});
