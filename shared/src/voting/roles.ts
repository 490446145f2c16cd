import { z } from 'zod';
import type { Electorate } from './settings';

/** Every role a participant can hold in a session (the server will adopt this list). */
export const ParticipantRole = z.enum([
  'firstConvener',
  'secondConvener',
  'member',
  'departmentRep',
  'stakeholder',
  'citizenRep',
  'leader',
  'recorder',
  'staff',
  'observer',
]);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

const membersElectorate: ReadonlySet<ParticipantRole> = new Set(['firstConvener', 'secondConvener', 'member']);
const neverVote: ReadonlySet<ParticipantRole> = new Set(['recorder', 'staff', 'observer']);

/**
 * Whether a participant with `role` may vote. Electorate 'members': the two conveners and
 * members only. 'all': everyone except staff, recorders and observers. The same predicate
 * decides who counts towards `presentElectorate`.
 */
export function mayVote(settings: { electorate: Electorate }, role: ParticipantRole): boolean {
  return settings.electorate === 'members' ? membersElectorate.has(role) : !neverVote.has(role);
}
