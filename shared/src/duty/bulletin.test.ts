import { describe, expect, it } from 'vitest';
import { buildBulletin, previousQuarter, quarterOf, quarterRange } from './bulletin';
import type { LedgerEntry } from './ledger';
import { type Rubric, standardRubric } from './rubric';

describe('quarters', () => {
  it.each([
    ['2026-01-01', '2026-Q1'],
    ['2026-03-31', '2026-Q1'],
    ['2026-04-01', '2026-Q2'],
    ['2026-12-31', '2026-Q4'],
  ])('%s is in %s', (date, q) => expect(quarterOf(date)).toBe(q));
  it.each([
    ['2026-Q3', '2026-Q2'],
    ['2026-Q1', '2025-Q4'],
  ])('before %s comes %s', (q, p) => expect(previousQuarter(q)).toBe(p));
  it.each([
    ['2024-Q1', '2024-01-01', '2024-03-31'],
    ['2026-Q2', '2026-04-01', '2026-06-30'],
    ['2026-Q4', '2026-10-01', '2026-12-31'],
  ])('%s runs from %s to %s', (q, from, to) => expect(quarterRange(q)).toEqual({ from, to }));
});

describe('the quarterly bulletin', () => {
  const rubric: Rubric = { ...standardRubric(2026), version: 1 };
  const v = (id: string, memberId: string, kind: LedgerEntry['kind'], date: string): LedgerEntry => ({
    id,
    memberId,
    kind,
    date,
    status: 'verified',
  });
  const ledger: LedgerEntry[] = [
    v('1', 'a', 'goodDeed', '2026-02-10'),
    v('2', 'a', 'goodDeed', '2026-05-10'),
    v('3', 'a', 'goodDeed', '2026-05-11'), // over the cap of 6: earns nothing
    v('4', 'a', 'proposal', '2026-06-01'),
    v('5', 'b', 'research', '2026-04-20'),
    { ...v('6', 'b', 'research', '2026-05-20'), status: 'pending' },
    v('7', 'c', 'spoke', '2026-03-01'),
  ];
  const members = [
    { id: 'a', name: '甲', sectorId: 's1', sectorName: '经济界' },
    { id: 'b', name: '乙', sectorId: 's1', sectorName: '经济界' },
    { id: 'c', name: '丙', sectorId: 's2', sectorName: '教育界' },
  ];
  const b = buildBulletin({ quarter: '2026-Q2', members, ledger, rubricFor: (y) => (y === 2026 ? rubric : null) });

  it('compares each member with the previous quarter, caps carried over from earlier quarters', () => {
    const a = b.members.find((m) => m.memberId === 'a');
    expect(a?.current.counts.goodDeed).toBe(2);
    expect(a?.current.points).toBe(3 + 4);
    expect(a?.previous.points).toBe(3);
    expect(a?.change).toBe(4);
    const bb = b.members.find((m) => m.memberId === 'b');
    expect(bb?.current.counts.research).toBe(1);
    expect(bb?.current.points).toBe(5);
    expect(b.members.find((m) => m.memberId === 'c')?.change).toBe(-1);
  });

  it('adds members up by sector', () => {
    const s1 = b.sectors.find((s) => s.sectorId === 's1');
    expect(s1).toMatchObject({ members: 2, change: 9, averagePoints: 6 });
    expect(s1?.current.points).toBe(12);
    expect(s1?.current.counts.research).toBe(1);
  });

  it('has no points for a year without a rubric', () => {
    const q1 = buildBulletin({ quarter: '2026-Q1', members, ledger, rubricFor: (y) => (y === 2026 ? rubric : null) });
    expect(q1.previous).toBe('2025-Q4');
    expect(q1.members[0]?.previous.points).toBeNull();
    expect(q1.members[0]?.change).toBeNull();
  });
});
