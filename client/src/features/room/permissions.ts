import { type ClientEventName, eventRoles, type SessionRole } from '@yitang/shared';

/** Whether a role may send an event, by the shared contract's rule (the server enforces the same). */
export function mayEmit(role: SessionRole | undefined, event: ClientEventName): boolean {
  return role !== undefined && eventRoles[event].includes(role);
}
