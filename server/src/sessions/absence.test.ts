import { describe, expect, it } from 'vitest';
import type { SessionInvitation } from '../rooms/room.model';
import { absentWithoutLeave } from './absence';

const inv = (memberId: string, over: Partial<SessionInvitation> = {}): SessionInvitation => ({
  memberId,
  role: 'member',
  answer: 'pending',
  leaveReason: null,
  leave: null,
  answeredAt: null,
  leaveDecidedBy: null,
  ...over,
});
const leave = (decision: SessionInvitation['leave']) => ({
  answer: 'leave' as const,
  leaveReason: '出差',
  leave: decision,
});

describe('absentWithoutLeave (缺席未请假)', () => {
  const invitations = [
    inv('came-online'),
    inv('came-to-hall', leave('approved')),
    inv('excused', leave('approved')),
    inv('refused', leave('refused')),
    inv('undecided', leave('requested')),
    inv('silent'),
    inv('said-attend', { answer: 'attend' }),
  ];
  const attendance = [
    { memberId: 'came-online', online: true, inHall: false },
    { memberId: 'came-to-hall', online: false, inHall: true },
    // A row with neither (never seen) does not count as attending.
    { memberId: 'said-attend', online: false, inHall: false },
    // Someone not invited (a plenary member) is never absent.
    { memberId: 'walk-in', online: true, inHall: false },
  ];

  it('is the invited who were absent without approved leave, after close only', () => {
    expect(absentWithoutLeave({ state: 'closed', invitations }, attendance)).toEqual([
      'refused',
      'undecided',
      'silent',
      'said-attend',
    ]);
    expect(absentWithoutLeave({ state: 'live', invitations }, attendance)).toEqual([]);
    expect(absentWithoutLeave({ state: 'scheduled', invitations }, [])).toEqual([]);
  });

  it('is empty for a cancelled session and for one with no invitations (older documents)', () => {
    expect(absentWithoutLeave({ state: 'closed', invitations, cancelledAt: new Date() }, [])).toEqual([]);
    expect(absentWithoutLeave({ state: 'closed' }, [])).toEqual([]);
  });
});
