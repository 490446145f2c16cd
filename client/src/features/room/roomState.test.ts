import {
  noPresence,
  type PollView,
  type PresenceCounts,
  type PresenceEntry,
  type RoomSnapshot,
  type SessionRole,
  type SessionView,
} from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import {
  applyPresenceChange,
  applyTallyFrame,
  hasVoted,
  mergeVoters,
  placeDelta,
  presentWith,
  reduceDelta,
  roomEventOf,
  roomFromSnapshot,
} from './roomState';

const t0 = Date.parse('2026-03-01T08:00:00.000Z');

/** Room counts; `byRole` as given, every other role 0. */
const counts = (
  present: number,
  online: number,
  inHall: number,
  byRole: Partial<Record<SessionRole, number>> = {},
): PresenceCounts => ({ present, online, inHall, byRole: { ...noPresence().byRole, ...byRole } });

const person = (memberId: string, over: Partial<PresenceEntry> = {}): PresenceEntry => ({
  memberId,
  name: memberId.toUpperCase(),
  role: 'member',
  online: true,
  inHall: false,
  muted: false,
  ...over,
});

const poll = (id: string, over: Partial<PollView> = {}): PollView => ({
  id,
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
  ...over,
});

const session: SessionView = {
  id: 's1',
  topic: '南门小吃一条街整治',
  roomName: '上湖村协商议事室',
  scheduledAt: '2026-03-01T08:00:00.000Z',
  mode: 'hybrid',
  state: 'live',
  firstConvenerId: 'c1',
  secondConvenerId: 'c2',
  agenda: [
    { id: 'a1', title: '通报', plannedMinutes: 10 },
    { id: 'a2', title: '讨论', plannedMinutes: 30 },
  ],
  currentItemId: 'a1',
  currentItemStartedAt: '2026-03-01T07:55:00.000Z',
  locked: false,
  speakerLimitSeconds: 180,
  startedAt: '2026-03-01T07:55:00.000Z',
  closedAt: null,
};

const snapshot: RoomSnapshot = {
  seq: 4,
  serverNow: '2026-03-01T08:00:02.000Z',
  session,
  presence: [person('c1', { role: 'firstConvener' }), person('m1')],
  presenceCounts: counts(2, 2, 0),
  presencePartial: false,
  speakers: { queue: [], speaker: null },
  suggestions: [],
  polls: [poll('p1')],
  outcomes: [],
  myBallots: {},
  you: person('m1'),
  hallCode: null,
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

  it('takes the clock offset from the snapshot and from speaker updates', () => {
    const room = roomFromSnapshot(snapshot, t0);
    expect(room.clockOffsetMs).toBe(2000);
    const next = reduceDelta(
      room,
      {
        type: 'speakers:updated',
        seq: 5,
        serverNow: '2026-03-01T08:00:09.000Z',
        speakers: {
          queue: [],
          speaker: {
            memberId: 'm1',
            itemId: 'a1',
            pointOfOrder: false,
            startedAt: '2026-03-01T08:00:09.000Z',
            endsAt: '2026-03-01T08:03:09.000Z',
          },
        },
      },
      t0 + 10_000,
    );
    expect(next.clockOffsetMs).toBe(-1000);
    expect(next.speakers.speaker?.memberId).toBe('m1');
    expect(next.seq).toBe(5);
  });

  it('upserts presence, follows your own entry, and removes those who leave', () => {
    const room = roomFromSnapshot(snapshot, t0);
    const muted = reduceDelta(
      room,
      {
        type: 'presence:changed',
        seq: 5,
        entries: [person('m1', { muted: true })],
        left: [],
        counts: counts(2, 2, 0),
      },
      t0,
    );
    expect(muted.presence.map((p) => p.memberId)).toEqual(['c1', 'm1']);
    expect(muted.you?.muted).toBe(true);
    const joined = reduceDelta(
      muted,
      {
        type: 'presence:changed',
        seq: 6,
        entries: [person('m2', { inHall: true })],
        left: [],
        counts: counts(3, 3, 1),
      },
      t0,
    );
    expect(joined.presence.map((p) => p.memberId)).toEqual(['c1', 'm1', 'm2']);
    expect(joined.you).toBe(muted.you); // not in the frame: your entry stays as it was
    const left = reduceDelta(
      joined,
      { type: 'presence:changed', seq: 7, entries: [], left: ['m2'], counts: counts(2, 2, 0) },
      t0,
    );
    expect(left.presence.map((p) => p.memberId)).toEqual(['c1', 'm1']);
    // The name stays known for voter lists.
    expect(left.names.m2).toBe('M2');
    expect(room.presence).toHaveLength(2); // the input is not mutated
  });

  it('applies a frame of many arrivals and leaves at once, in place, and a repeat changes nothing', () => {
    const room = roomFromSnapshot(snapshot, t0);
    const arrivals = Array.from({ length: 300 }, (_, i) => person(`n${i}`));
    const frame = {
      entries: [...arrivals, person('c1', { inHall: true })],
      left: ['m1', 'never-seen'],
      counts: counts(301, 301, 1),
    };
    const after = reduceDelta(room, { type: 'presence:changed', seq: 5, ...frame }, t0);
    // c1 keeps its place with its new entry; m1 is gone; a leave of someone never shown is harmless.
    expect(after.presence).toHaveLength(301);
    expect(after.presence[0]).toEqual(person('c1', { inHall: true }));
    expect(after.presence.slice(1).map((p) => p.memberId)).toEqual(arrivals.map((p) => p.memberId));
    expect(after.names.n299).toBe('N299');
    // The snapshot a late joiner gets already holds the frame's changes: applying it again is a no-op.
    expect(applyPresenceChange(after.presence, frame)).toEqual(after.presence);
    // An empty frame leaves the very same list.
    expect(applyPresenceChange(after.presence, { entries: [], left: [] })).toBe(after.presence);
  });

  it('keeps a partial list with true counts: frames add and drop entries, counts come from the frame', () => {
    const convener = person('c1', { role: 'firstConvener' });
    const big: RoomSnapshot = {
      ...snapshot,
      presence: [convener, person('m1')],
      presenceCounts: counts(500, 480, 40),
      presencePartial: true,
    };
    const room = roomFromSnapshot(big, t0);
    expect(room.presencePartial).toBe(true);
    expect(room.presenceCounts).toEqual(counts(500, 480, 40));
    expect(room.presence).toHaveLength(2);
    // One arrives, and two leave whom the partial list never showed: the list takes the arrival,
    // and the count follows the room, not the list.
    const changed = reduceDelta(
      room,
      {
        type: 'presence:changed',
        seq: 5,
        entries: [person('n1')],
        left: ['x1', 'x2'],
        counts: counts(499, 479, 40),
      },
      t0,
    );
    expect(changed.presence.map((p) => p.memberId)).toEqual(['c1', 'm1', 'n1']);
    expect(changed.presenceCounts).toEqual(counts(499, 479, 40));
    expect(changed.presencePartial).toBe(true);
    // Counts by role answer "how many present may vote" without the whole list.
    const byRole = reduceDelta(
      changed,
      {
        type: 'presence:changed',
        seq: 6,
        entries: [],
        left: [],
        counts: counts(499, 479, 40, { firstConvener: 1, member: 450, staff: 3, observer: 45 }),
      },
      t0,
    );
    expect(presentWith(byRole, (role) => role !== 'observer' && role !== 'staff')).toBe(451);
    expect(presentWith(byRole, () => true)).toBe(499);
    // A later full snapshot (the room shrank) makes the list whole again.
    const whole = roomFromSnapshot(
      {
        ...big,
        seq: 9,
        presence: [convener],
        presenceCounts: counts(1, 1, 0),
        presencePartial: false,
      },
      t0,
    );
    expect(whole.presencePartial).toBe(false);
    expect(whole.presenceCounts.present).toBe(whole.presence.length);
  });

  it('applies slim and whole frames alike, in one seq order, and keeps your own entry', () => {
    const big: RoomSnapshot = {
      ...snapshot,
      presence: [person('c1', { role: 'firstConvener' }), person('m1')],
      presenceCounts: counts(300, 300, 0, { firstConvener: 1, member: 299 }),
      presencePartial: true,
    };
    const room = roomFromSnapshot(big, t0);
    // A slim frame: the muted one's entry, your own check-in, true counts.
    const slim = reduceDelta(
      room,
      {
        type: 'presence:changed',
        seq: 5,
        entries: [person('m7', { muted: true }), person('m1', { inHall: true })],
        left: [],
        counts: counts(301, 301, 1, { firstConvener: 1, member: 300 }),
        partial: true,
      },
      t0,
    );
    expect(slim.seq).toBe(5);
    expect(slim.presence.map((p) => p.memberId)).toEqual(['c1', 'm1', 'm7']);
    expect(slim.you?.inHall).toBe(true);
    expect(slim.presenceCounts.present).toBe(301);
    expect(slim.presencePartial).toBe(true);
    // Unmuted, m7 drops out of the short list: the slim frame names them in `left`.
    const dropped = reduceDelta(
      slim,
      {
        type: 'presence:changed',
        seq: 6,
        entries: [],
        left: ['m7'],
        counts: counts(301, 301, 1, { firstConvener: 1, member: 300 }),
        partial: true,
      },
      t0,
    );
    expect(dropped.seq).toBe(6);
    expect(dropped.presence.map((p) => p.memberId)).toEqual(['c1', 'm1']);
    // A whole frame (the room shrank) follows in the same order and keeps the list partial.
    const whole = reduceDelta(
      dropped,
      { type: 'presence:changed', seq: 7, entries: [person('m9')], left: [], counts: counts(150, 150, 1) },
      t0,
    );
    expect(whole.seq).toBe(7);
    expect(whole.presence.map((p) => p.memberId)).toEqual(['c1', 'm1', 'm9']);
    expect(whole.presencePartial).toBe(true);
  });

  it('cuts a whole list to the short list at the first slim frame (the room grew past the threshold)', () => {
    const room = roomFromSnapshot(
      {
        ...snapshot,
        presence: [
          person('c1', { role: 'firstConvener' }),
          person('m1'),
          person('m2'),
          person('m3', { muted: true }),
          person('q1'),
          person('r1', { role: 'recorder' }),
        ],
        speakers: {
          queue: [{ memberId: 'q1', pointOfOrder: false, raisedAt: '2026-03-01T07:58:00.000Z' }],
          speaker: null,
        },
      },
      t0,
    );
    expect(room.presencePartial).toBe(false);
    const after = reduceDelta(
      room,
      {
        type: 'presence:changed',
        seq: 5,
        entries: [],
        left: [],
        counts: counts(201, 201, 0),
        partial: true,
      },
      t0,
    );
    // m2 would never be seen to leave through slim frames: gone from the list, still counted.
    expect(after.presence.map((p) => p.memberId)).toEqual(['c1', 'm1', 'm3', 'q1', 'r1']);
    expect(after.presencePartial).toBe(true);
    expect(after.presenceCounts.present).toBe(201);
  });

  it('replaces sessions, polls, suggestions and outcomes', () => {
    const room = roomFromSnapshot(snapshot, t0);
    const moved = reduceDelta(
      room,
      { type: 'session:updated', seq: 5, session: { ...session, currentItemId: 'a2' } },
      t0,
    );
    expect(moved.session?.currentItemId).toBe('a2');
    const closed = poll('p1', { stage: 'closed', tally: { kind: 'yesno', ballots: 2, yes: 2, no: 0, abstain: 0 } });
    const next = reduceDelta(moved, { type: 'poll:updated', seq: 6, poll: closed }, t0);
    expect(next.polls).toEqual([closed]);
    const suggestion = {
      id: 'sg1',
      sessionId: 's1',
      itemId: 'a2',
      authorId: 'm9',
      authorName: '九',
      text: '设置临时摊位区',
      mark: 'none' as const,
      createdAt: '2026-03-01T08:01:00.000Z',
    };
    const withSuggestion = reduceDelta(next, { type: 'suggestion:updated', seq: 7, suggestion }, t0);
    const marked = reduceDelta(
      withSuggestion,
      { type: 'suggestion:updated', seq: 8, suggestion: { ...suggestion, mark: 'adopted' } },
      t0,
    );
    expect(marked.suggestions).toEqual([{ ...suggestion, mark: 'adopted' }]);
    expect(marked.names.m9).toBe('九');
    const outcome = {
      id: 'oc1',
      sessionId: 's1',
      status: 'draft' as const,
      text: '设置临时摊位区',
      department: '',
      deadline: null,
      pollId: null,
      suggestionIds: ['sg1'],
      createdBy: 'c1',
      createdAt: '2026-03-01T08:02:00.000Z',
    };
    const withOutcome = reduceDelta(marked, { type: 'outcome:updated', seq: 9, outcome }, t0);
    expect(withOutcome.outcomes).toEqual([outcome]);
  });
});

describe('tally frames', () => {
  it('sets counts and tally and merges the voters added', () => {
    const polls = [poll('p1', { voters: ['m1'] }), poll('p2')];
    const next = applyTallyFrame(polls, {
      pollId: 'p1',
      ballots: 3,
      tally: { kind: 'yesno', ballots: 3, yes: 2, no: 1, abstain: 0 },
      votersAdded: ['m1', 'm2', 'm3'],
    });
    expect(next[0]?.ballots).toBe(3);
    expect(next[0]?.tally).toEqual({ kind: 'yesno', ballots: 3, yes: 2, no: 1, abstain: 0 });
    expect(next[0]?.voters).toEqual(['m1', 'm2', 'm3']);
    expect(next[1]).toBe(polls[1]);
  });

  it('keeps a secret tally hidden while counting its voters', () => {
    const secret = poll('p1', { settings: { ...poll('p1').settings, secret: true }, tally: null });
    const [next] = applyTallyFrame([secret], { pollId: 'p1', ballots: 1, tally: null, votersAdded: ['m2'] });
    expect(next?.tally).toBeNull();
    expect(next?.ballots).toBe(1);
    expect(next?.voters).toEqual(['m2']);
  });

  it('ignores a late frame for a poll that has closed', () => {
    const closed = poll('p1', { stage: 'closed', ballots: 5 });
    const polls = [closed];
    expect(applyTallyFrame(polls, { pollId: 'p1', ballots: 4, tally: null, votersAdded: ['x'] })[0]).toBe(closed);
  });

  it('keeps voters from a frame when a poll update for the open poll crosses it', () => {
    const room = roomFromSnapshot(snapshot, t0);
    const framed = {
      ...room,
      polls: applyTallyFrame(room.polls, { pollId: 'p1', ballots: 1, tally: null, votersAdded: ['m1'] }),
    };
    const next = reduceDelta(framed, { type: 'poll:updated', seq: 5, poll: poll('p1') }, t0);
    expect(next.polls[0]?.voters).toEqual(['m1']);
    expect(mergeVoters(['a'], ['a', 'b', 'b'])).toEqual(['a', 'b']);
  });

  it('adds the voters a close names to those the frames named, in the order they voted', () => {
    const room = roomFromSnapshot({ ...snapshot, polls: [poll('p1', { voters: ['m1'] })] }, t0);
    const framed = {
      ...room,
      polls: applyTallyFrame(room.polls, { pollId: 'p1', ballots: 2, tally: null, votersAdded: ['m2'] }),
    };
    // The close names only the voter no frame named; the others stay.
    const closed = poll('p1', { stage: 'closed', ballots: 3, voters: ['m3'] });
    const next = reduceDelta(framed, { type: 'poll:updated', seq: 5, poll: closed }, t0);
    expect(next.polls[0]).toEqual({ ...closed, voters: ['m1', 'm2', 'm3'] });
    const [closedHere] = next.polls;
    expect(closedHere && hasVoted({ ...next, you: person('m2') }, closedHere)).toBe(true);
    // A close that names nobody new keeps the list.
    const again = reduceDelta(next, { type: 'poll:updated', seq: 6, poll: { ...closed, voters: [] } }, t0);
    expect(again.polls[0]?.voters).toEqual(['m1', 'm2', 'm3']);
  });

  it('knows you voted from your ballots or from the voter list (a paper ballot)', () => {
    const room = roomFromSnapshot(snapshot, t0);
    expect(hasVoted(room, poll('p1'))).toBe(false);
    expect(hasVoted({ ...room, myBallots: { p1: null } }, poll('p1'))).toBe(true);
    expect(hasVoted(room, poll('p1', { voters: ['m1'] }))).toBe(true);
  });

  it('keeps who entered your paper ballots, and none when the snapshot names none', () => {
    expect(roomFromSnapshot(snapshot, t0).myPaperBallots).toEqual({});
    const room = roomFromSnapshot({ ...snapshot, myPaperBallots: { p1: '周婷' } }, t0);
    expect(room.myPaperBallots).toEqual({ p1: '周婷' });
  });
});

describe('announcements', () => {
  it('tells poll openings and closings, speaker changes and agenda moves, nothing else', () => {
    const room = roomFromSnapshot({ ...snapshot, polls: [poll('p1', { stage: 'draft' })] }, t0);
    const opened = { type: 'poll:updated' as const, seq: 5, poll: poll('p1') };
    const afterOpen = reduceDelta(room, opened, t0);
    expect(roomEventOf(room, afterOpen, opened)).toEqual({ kind: 'pollOpened', pollId: 'p1' });
    const closed = { type: 'poll:updated' as const, seq: 6, poll: poll('p1', { stage: 'closed' }) };
    expect(roomEventOf(afterOpen, reduceDelta(afterOpen, closed, t0), closed)).toEqual({
      kind: 'pollClosed',
      pollId: 'p1',
    });
    const moved = { type: 'session:updated' as const, seq: 5, session: { ...session, currentItemId: 'a2' } };
    expect(roomEventOf(room, reduceDelta(room, moved, t0), moved)).toEqual({ kind: 'agendaItem', itemId: 'a2' });
    const queued = {
      type: 'speakers:updated' as const,
      seq: 5,
      serverNow: snapshot.serverNow,
      speakers: { queue: [{ memberId: 'm1', pointOfOrder: false, raisedAt: snapshot.serverNow }], speaker: null },
    };
    expect(roomEventOf(room, reduceDelta(room, queued, t0), queued)).toBeNull();
  });
});
