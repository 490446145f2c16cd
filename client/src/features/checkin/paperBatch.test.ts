import type { PollSettings, PollView, PresenceEntry } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { batchSize, entriesFromBallots, entriesFromCounts, isCounted, paperAllowance, parseCount } from './paperBatch';

const yesno: PollSettings = {
  kind: 'yesno',
  question: '无记名表决',
  secret: true,
  electorate: 'members',
  quorum: { type: 'none' },
  majority: { rule: 'simple', base: 'cast' },
};

const poll = (over: Partial<PollView> = {}): PollView => ({
  id: 'p1',
  sessionId: 's1',
  itemId: null,
  settings: yesno,
  stage: 'open',
  tally: null,
  ballots: 0,
  voters: [],
  paperBallots: 0,
  presentElectorate: null,
  result: null,
  openedAt: null,
  closedAt: null,
  publishedAt: null,
  ...over,
});

const person = (memberId: string, over: Partial<PresenceEntry> = {}): PresenceEntry => ({
  memberId,
  name: memberId,
  role: 'member',
  online: false,
  inHall: true,
  muted: false,
  ...over,
});

describe('paper batches', () => {
  it('allows the hall voters of the electorate who have not voted, less the paper already entered', () => {
    const presence = [
      person('m1'),
      person('m2'),
      person('m3'),
      person('m4', { inHall: false, online: true }),
      person('s1', { role: 'staff' }),
    ];
    expect(paperAllowance(poll(), presence)).toBe(3);
    expect(paperAllowance(poll({ voters: ['m1', 'm4'] }), presence)).toBe(2);
    expect(paperAllowance(poll({ voters: ['m1'], paperBallots: 2 }), presence)).toBe(0);
    expect(paperAllowance(poll({ paperBallots: 5 }), presence)).toBe(0);
  });

  it('turns counts per choice into entries, blanks included, and leaves zeros out', () => {
    if (!isCounted(yesno)) throw new Error('yes/no is counted');
    expect(entriesFromCounts(yesno, { yes: 2, no: 0, abstain: 1 })).toEqual([
      { content: { kind: 'yesno', choice: 'yes' }, count: 2 },
      { content: { kind: 'yesno', choice: 'abstain' }, count: 1 },
    ]);
    const single: PollSettings = { ...yesno, kind: 'single', options: [{ id: 'a', label: '甲' }] };
    if (!isCounted(single)) throw new Error('single is counted');
    expect(entriesFromCounts(single, { a: 1, '': 2 })).toEqual([
      { content: { kind: 'single', optionId: 'a' }, count: 1 },
      { content: { kind: 'single', optionId: null }, count: 2 },
    ]);
  });

  it('groups ballots entered one by one, and counts them', () => {
    const entries = entriesFromBallots([
      { kind: 'multiple', optionIds: ['a'] },
      { kind: 'multiple', optionIds: [] },
      { kind: 'multiple', optionIds: ['a'] },
    ]);
    expect(entries).toEqual([
      { content: { kind: 'multiple', optionIds: ['a'] }, count: 2 },
      { content: { kind: 'multiple', optionIds: [] }, count: 1 },
    ]);
    expect(batchSize(entries)).toBe(3);
  });

  it('reads a typed count', () => {
    expect(parseCount('')).toBe(0);
    expect(parseCount(' 12 ')).toBe(12);
    expect(parseCount('-1')).toBeNull();
    expect(parseCount('1.5')).toBeNull();
  });
});
