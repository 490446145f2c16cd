import type { PollView, RoomSnapshot } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { appStore } from '../../store';
import { noCounts } from './roomState';

const t0 = Date.parse('2026-03-01T08:00:00.000Z');

const poll = (id: string, secret: boolean): PollView => ({
  id,
  sessionId: 's1',
  itemId: null,
  settings: {
    kind: 'single',
    question: '设在哪里?',
    secret,
    electorate: 'all',
    quorum: { type: 'none' },
    majority: { rule: 'simple', base: 'cast' },
    options: [
      { id: 'o1', label: '东侧' },
      { id: 'o2', label: '西侧' },
    ],
  },
  stage: 'open',
  tally: secret ? null : { kind: 'single', ballots: 0, blank: 0, votes: { o1: 0, o2: 0 } },
  ballots: 0,
  voters: [],
  paperBallots: 0,
  presentElectorate: null,
  result: null,
  openedAt: '2026-03-01T07:59:00.000Z',
  closedAt: null,
  publishedAt: null,
});

const you = { memberId: 'm1', name: '周', role: 'member' as const, online: true, inHall: false, muted: false };

const snapshot: RoomSnapshot = {
  seq: 10,
  serverNow: '2026-03-01T08:00:00.000Z',
  session: {
    id: 's1',
    topic: '整治',
    roomName: '议事室',
    scheduledAt: '2026-03-01T08:00:00.000Z',
    mode: 'online',
    state: 'live',
    firstConvenerId: 'c1',
    secondConvenerId: null,
    agenda: [],
    currentItemId: null,
    currentItemStartedAt: null,
    locked: false,
    speakerLimitSeconds: 180,
    startedAt: '2026-03-01T07:50:00.000Z',
    closedAt: null,
  },
  presence: [you],
  presenceCounts: { ...noCounts, present: 1, online: 1, byRole: { ...noCounts.byRole, member: 1 } },
  presencePartial: false,
  speakers: { queue: [], speaker: null },
  suggestions: [],
  polls: [poll('named', false), poll('secret', true)],
  outcomes: [],
  myBallots: {},
  you,
  hallCode: null,
};

describe('room slice', () => {
  it('applies deltas in order, ignores stale ones and reports gaps', () => {
    const store = appStore.getState();
    store.roomConnecting('s1');
    // Before the snapshot nothing applies.
    expect(
      store.applyDelta({ type: 'presence:changed', seq: 11, entries: [], left: ['m1'], counts: noCounts }, t0),
    ).toBe('stale');
    appStore.getState().applySnapshot(snapshot, t0);
    expect(appStore.getState().roomConnection).toBe('joined');
    expect(
      appStore
        .getState()
        .applyDelta({ type: 'presence:changed', seq: 10, entries: [], left: ['m1'], counts: noCounts }, t0),
    ).toBe('stale');
    expect(
      appStore
        .getState()
        .applyDelta({ type: 'presence:changed', seq: 12, entries: [], left: ['m1'], counts: noCounts }, t0),
    ).toBe('gap');
    expect(appStore.getState().presence).toHaveLength(1);
    const opened = { ...poll('named', false), stage: 'closed' as const };
    expect(appStore.getState().applyDelta({ type: 'poll:updated', seq: 11, poll: opened }, t0)).toBe('applied');
    expect(appStore.getState().seq).toBe(11);
    expect(appStore.getState().roomAnnouncement?.event).toEqual({ kind: 'pollClosed', pollId: 'named' });
  });

  it('remembers an accepted ballot, but a secret one only as "voted"', () => {
    appStore.getState().roomConnecting('s1');
    appStore.getState().applySnapshot(snapshot, t0);
    const content = { kind: 'single' as const, optionId: 'o1' };
    for (const pollId of ['named', 'secret']) {
      const ballotId = `00000000-0000-4000-8000-00000000000${pollId === 'named' ? 1 : 2}`;
      appStore.getState().ballotPending({ pollId, ballotId, content });
      appStore.getState().ballotAccepted({ pollId, ballotId, paper: false });
    }
    const state = appStore.getState();
    expect(state.pendingBallots).toEqual({});
    expect(state.myBallots).toEqual({ named: content, secret: null });
  });

  it('keeps ballots awaiting their ack across a retry in the same room, not in another', () => {
    const ballot = {
      pollId: 'named',
      ballotId: '00000000-0000-4000-8000-000000000003',
      content: { kind: 'single' as const, optionId: null },
    };
    appStore.getState().roomConnecting('s1');
    appStore.getState().ballotPending(ballot);
    appStore.getState().roomConnecting('s1');
    expect(appStore.getState().pendingBallots.named).toEqual(ballot);
    appStore.getState().roomConnecting('s2');
    expect(appStore.getState().pendingBallots).toEqual({});
  });

  it('stays removed: a later failure does not replace the removal', () => {
    appStore.getState().roomConnecting('s1');
    appStore.getState().roomRemoved();
    appStore.getState().roomFailed('UNAVAILABLE');
    expect(appStore.getState().roomConnection).toBe('removed');
  });

  it('stays signed out with the reason: the disconnect that follows shows no retry screen', () => {
    const ballot = {
      pollId: 'named',
      ballotId: '00000000-0000-4000-8000-000000000004',
      content: { kind: 'single' as const, optionId: 'o1' },
    };
    appStore.getState().roomConnecting('s1');
    appStore.getState().applySnapshot(snapshot, t0);
    appStore.getState().ballotPending(ballot);
    appStore.getState().roomSignedOut('deactivated');
    appStore.getState().roomFailed('UNAVAILABLE');
    appStore.getState().roomReconnecting();
    let state = appStore.getState();
    expect(state.roomConnection).toBe('signedOut');
    expect(state.roomSignOutReason).toBe('deactivated');
    expect(state.pendingBallots).toEqual({});
    // Signed in again, the room starts afresh: no reason left over.
    appStore.getState().roomConnecting('s1');
    state = appStore.getState();
    expect(state.roomConnection).toBe('connecting');
    expect(state.roomSignOutReason).toBeNull();
  });
});
