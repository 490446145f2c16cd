import type { LoginBody, MemberView } from '@yitang/shared';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import type { SliceCreator } from '../../store/types';
import { demoLogin, fetchDemoIdentities, fetchMe, logout, passwordLogin } from './api';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface AuthSlice {
  me: MemberView | null;
  meStatus: LoadStatus;
  /** The server offers password-free demo identities. */
  demoLogin: boolean;
  members: MemberView[];
  membersStatus: LoadStatus;
  /** Set while a sign-in or sign-out request is in flight. */
  authBusy: boolean;
  authError: ClientErrorCode | null;
  loadMe: () => Promise<void>;
  loadMembers: () => Promise<void>;
  /** Signs in with a password; resolves with the error, or null when signed in. */
  passwordSignIn: (body: LoginBody) => Promise<ClientErrorCode | null>;
  /** Signs in as a demo identity; resolves with the error, or null when signed in. */
  signIn: (memberId: string) => Promise<ClientErrorCode | null>;
  signOut: () => Promise<void>;
  /** Someone signed in another way (an accepted invitation). */
  signedIn: (member: MemberView) => void;
  /** The server said our cookie is no longer valid: forget who we were. */
  sessionExpired: () => void;
}

export const createAuthSlice: SliceCreator<AuthSlice> = (set, get) => {
  const signInWith = async (attempt: () => Promise<MemberView | null>): Promise<ClientErrorCode | null> => {
    set({ authBusy: true, authError: null });
    try {
      const me = await attempt();
      set({ me, meStatus: 'ready', authBusy: false });
      return me === null ? 'BAD_RESPONSE' : null;
    } catch (err) {
      const code = toClientErrorCode(err);
      set({ authBusy: false });
      return code;
    }
  };

  return {
    me: null,
    meStatus: 'idle',
    demoLogin: false,
    members: [],
    membersStatus: 'idle',
    authBusy: false,
    authError: null,

    loadMe: async () => {
      set({ meStatus: 'loading', authError: null });
      try {
        const res = await fetchMe();
        set({ me: res.member, demoLogin: res.demoLogin ?? false, meStatus: 'ready' });
      } catch (err) {
        set({ meStatus: 'error', authError: toClientErrorCode(err) });
      }
    },

    loadMembers: async () => {
      if (get().membersStatus === 'loading') return;
      set({ membersStatus: 'loading', authError: null });
      try {
        set({ members: await fetchDemoIdentities(), membersStatus: 'ready' });
      } catch (err) {
        set({ membersStatus: 'error', authError: toClientErrorCode(err) });
      }
    },

    passwordSignIn: (body) => signInWith(() => passwordLogin(body)),

    signIn: (memberId) => signInWith(() => demoLogin(memberId)),

    signOut: async () => {
      set({ authBusy: true, authError: null });
      try {
        await logout();
        set({ me: null, authBusy: false });
      } catch (err) {
        set({ authBusy: false, authError: toClientErrorCode(err) });
      }
    },

    signedIn: (member) => set({ me: member, meStatus: 'ready', authError: null }),

    sessionExpired: () => set({ me: null, meStatus: 'ready' }),
  };
};
