import { noPresence, type PollView, type PresenceEntry } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import type { RoomData } from '../room/roomState';
import { votersOf } from './electorate';

const open: PollView = {
  id: 'p1',
  sessionId: 's1',
  itemId: 'a1',
  settings: {
    kind: 'yesno',
    question: '是否同意?',
    secret: false,
    electorate: 'members',
    quorum: { type: 'none' },
    majority: { rule: 'simple', base: 'cast' },
  },
  stage: 'open',
  tally: { kind: 'yesno', ballots: 0, yes: 0, no: 0, abstain: 0 },
  ballots: 0,
  voters: [],
  paperBallots: 0,
  presentElectorate: null,
  result: null,
  openedAt: '2026-03-01T07:59:00.000Z',
  closedAt: null,
  publishedAt: null,
};

const entry = (memberId: string, role: PresenceEntry['role']): PresenceEntry => ({
  memberId,
  name: memberId,
  role,
  online: true,
  inHall: false,
  muted: false,
});

/** A big room as a member sees it: a short list of five, true counts of 1,204. */
const bigRoom: Pick<RoomData, 'presence' | 'presenceCounts' | 'presencePartial'> = {
  presence: [
    entry('c1', 'firstConvener'),
    entry('c2', 'secondConvener'),
    entry('s1', 'staff'),
    entry('r1', 'recorder'),
    entry('m1', 'member'),
  ],
  presenceCounts: {
    present: 1204,
    online: 1100,
    inHall: 300,
    byRole: { ...noPresence().byRole, firstConvener: 1, secondConvener: 1, member: 1000, staff: 2, observer: 200 },
  },
  presencePartial: true,
};

describe('the poll card\'s "of present"', () => {
  it('counts the present electorate from the room counts, not from a partial list', () => {
    expect(votersOf(bigRoom, open)).toBe(1002);
    const all = { ...open, settings: { ...open.settings, electorate: 'all' as const } };
    expect(votersOf(bigRoom, all)).toBe(1002); // staff and observers never vote
  });

  it('shows the electorate recorded at the close once the poll is closed', () => {
    expect(votersOf(bigRoom, { ...open, stage: 'closed', presentElectorate: 980 })).toBe(980);
  });
});
