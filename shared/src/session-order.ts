import type { SessionState } from './domain';

/** What the ordering reads of a session, in either list (the lobby's or "my sessions"). */
export interface OrderedSession {
  id: string;
  scheduledAt: string;
  state: SessionState;
  /** Only "my sessions" knows; a cancelled session is over whatever its state. */
  cancelled?: boolean;
}

/** Whether a session is still ahead or under way: live, or scheduled and not cancelled. */
export const isCurrentSession = (s: OrderedSession): boolean =>
  !s.cancelled && (s.state === 'live' || s.state === 'scheduled');

const byTime = (a: OrderedSession, b: OrderedSession): number =>
  Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A list of sessions as people look for them: first what is live, then what is coming, soonest
 * first; then past sessions (closed or cancelled), newest first. A member of a committee with a
 * year behind it sees today's session at the top, not the year's first.
 */
export function splitSessions<S extends OrderedSession>(sessions: readonly S[]): { current: S[]; past: S[] } {
  const current = sessions.filter(isCurrentSession);
  current.sort((a, b) => (a.state === 'live' ? 0 : 1) - (b.state === 'live' ? 0 : 1) || byTime(a, b));
  const past = sessions.filter((s) => !isCurrentSession(s));
  past.sort((a, b) => byTime(b, a));
  return { current, past };
}

/** The same, as one list: current sessions first, then past ones. */
export function orderSessions<S extends OrderedSession>(sessions: readonly S[]): S[] {
  const { current, past } = splitSessions(sessions);
  return [...current, ...past];
}
