import {
  type ClientEventName,
  eventRoles,
  invitationManagers,
  liveOnlyEvents,
  mayVote,
  mutedRefused,
  type PollSettings,
  readOnlyEvents,
  type SessionRole,
  type SessionState,
} from '@yitang/shared';

/** Whether a role may send an event, by the shared contract's rule (the server enforces the same). */
export function mayEmit(role: SessionRole | undefined, event: ClientEventName): boolean {
  return role !== undefined && eventRoles[event].includes(role);
}

/** Why an event would be refused right now: the session's state, or being muted. */
export type Hindrance = 'notLive' | 'closed' | 'muted';

export interface Standing {
  role: SessionRole;
  state: SessionState;
  muted: boolean;
}

/**
 * Why the server would refuse `event` from someone whose role may send it, or null when it would
 * go through. The order is the server's: closed, not yet live, then muted.
 */
export function hindrance(standing: Standing, event: ClientEventName): Hindrance | null {
  if (standing.state === 'closed' && !readOnlyEvents.has(event)) return 'closed';
  if (standing.state === 'scheduled' && liveOnlyEvents.has(event)) return 'notLive';
  if (standing.muted && mutedRefused.has(event)) return 'muted';
  return null;
}

/** Whether someone in `role` is in the electorate of a poll with these settings. */
export function inElectorate(role: SessionRole | undefined, settings: PollSettings): boolean {
  return role !== undefined && mayVote(settings, role);
}

/** Who manages a session's guest invitations (REST, not an event): `invitationManagers` in shared. */
export function mayInvite(role: SessionRole | undefined): boolean {
  return role !== undefined && invitationManagers.includes(role);
}
