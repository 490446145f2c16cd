import type { PollView, RoomSnapshot } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { placeDelta, reduceDelta, roomFromSnapshot } from './roomState';

const poll = (id: string, over: Partial<PollView> = {}): PollView => ({
  id,
  sessionId: 's1',
  question: '是否同意?',
  state: 'open',
  tally: { yes: 0, no: 0, abstain: 0 },
  openedAt: '2026-01-01T00:00:00.000Z',
  closedAt: null,
  outcome: null,
  ...over,
});

const snapshot: RoomSnapshot = {
  seq: 4,
  session: {
    id: 's1',
    topic: '南门小吃一条街整治',
    roomName: '上湖村协商议事室',
    scheduledAt: '2026-01-01T00:00:00.000Z',
    mode: 'hybrid',
    state: 'scheduled',
    firstConvenerId: 'c1',
    secondConvenerId: 'c2',
    agenda: [{ id: 'a1', title: '通报', plannedMinutes: 10 }],
    currentItemId: 'a1',
  },
  presence: [{ memberId: 'c1', name: '陈', role: 'firstConvener' }],
  polls: [poll('p1')],
  myBallots: {},
  you: { memberId: 'm1', name: '周', role: 'member' },
};

describe('room deltas', () => {
  it.each([
    [4, 5, 'next'],
    [4, 4, 'stale'],
    [4, 2, 'stale'],
    [4, 6, 'gap'],
    [0, 1, 'next'],
  ] as const)('state %i, delta %i is %s', (state, delta, place) => {
    expect(placeDelta(state, delta)).toBe(place);
  });

  it('adds and removes presence, once per member', () => {
    const room = roomFromSnapshot(snapshot);
    const joined = reduceDelta(room, {
      type: 'presence:joined',
      seq: 5,
      entry: { memberId: 'm1', name: '周', role: 'member' },
    });
    const again = reduceDelta(joined, {
      type: 'presence:joined',
      seq: 6,
      entry: { memberId: 'm1', name: '周', role: 'member' },
    });
    expect(again.presence.map((p) => p.memberId)).toEqual(['c1', 'm1']);
    const left = reduceDelta(again, { type: 'presence:left', seq: 7, memberId: 'c1' });
    expect(left.presence.map((p) => p.memberId)).toEqual(['m1']);
    expect(left.seq).toBe(7);
    expect(room.presence).toHaveLength(1); // the input is not mutated
  });

  it('replaces a poll when it closes and follows the agenda', () => {
    const room = roomFromSnapshot(snapshot);
    const closed = poll('p1', { state: 'closed', tally: { yes: 2, no: 1, abstain: 0 }, outcome: 'adopted' });
    const next = reduceDelta(room, { type: 'poll:closed', seq: 5, poll: closed });
    expect(next.polls).toEqual([closed]);
    const moved = reduceDelta(next, { type: 'agenda:current', seq: 6, currentItemId: 'a1' });
    expect(moved.session?.currentItemId).toBe('a1');
  });
});
