import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { createAuthSlice } from '../features/auth/authSlice';
import { createMinutesSlice } from '../features/minutes/minutesSlice';
import { createRoomSlice } from '../features/room/roomSlice';
import { createSessionsSlice } from '../features/sessions/sessionsSlice';
import type { AppState } from './types';

export type { AppState } from './types';

/**
 * The vanilla store. Socket and provider listeners call its actions directly
 * (`appStore.getState().action()`), outside React.
 */
export const appStore = createStore<AppState>()((...a) => ({
  ...createAuthSlice(...a),
  ...createSessionsSlice(...a),
  ...createRoomSlice(...a),
  ...createMinutesSlice(...a),
}));

/** Selects from the store in components; select single values or wrap with `useShallow`. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
