import { describe, expect, it } from 'vitest';
import { mayVote, ParticipantRole } from './roles';

const members = ['firstConvener', 'secondConvener', 'member'];
const all = ['firstConvener', 'secondConvener', 'member', 'departmentRep', 'stakeholder', 'citizenRep', 'leader'];

describe('mayVote', () => {
  it.each(
    ParticipantRole.options.flatMap((role) => [
      ['members', role, members.includes(role)] as const,
      ['all', role, all.includes(role)] as const,
    ]),
  )('electorate %s, %s → %s', (electorate, role, expected) => {
    expect(mayVote({ electorate }, role)).toBe(expected);
  });
});
