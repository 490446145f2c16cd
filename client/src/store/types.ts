import type { StateCreator } from 'zustand/vanilla';
import type { AuthSlice } from '../features/auth/authSlice';
import type { MinutesSlice } from '../features/minutes/minutesSlice';
import type { RoomSlice } from '../features/room/roomSlice';
import type { SessionsSlice } from '../features/sessions/sessionsSlice';

/** The whole client state: one store, one slice per feature. */
export type AppState = AuthSlice & SessionsSlice & RoomSlice & MinutesSlice;

/** A slice creator typed against the combined store, so slices can read each other. */
export type SliceCreator<T> = StateCreator<AppState, [], [], T>;
