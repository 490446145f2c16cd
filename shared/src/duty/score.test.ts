import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from './ledger';
import { type Rubric, RubricBody, standardRubric } from './rubric';
import { pointsByEntry, scoreMember } from './score';

const rubric: Rubric = { ...standardRubric(2026), version: 1 };
let n = 0;
const e = (kind: LedgerEntry['kind'], date = '2026-03-01', over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id: `e${++n}`,
  memberId: 'm1',
  kind,
  date,
  status: 'verified',
  ...over,
});
const all = (...kinds: LedgerEntry['kind'][]) => kinds.map((k) => e(k));
const six = () => all('research', 'proposal', 'socialReport', 'attendedHall', 'goodDeed');

describe('the standard rubric is a valid rubric', () => {
  it('parses', () => {
    expect(RubricBody.safeParse(standardRubric(2026)).success).toBe(true);
  });
  it('refuses shares that do not sum to 100 and thresholds that do not fall', () => {
    const bad = {
      ...standardRubric(2026),
      rubricMax: 70,
      thresholds: { excellent: 60, competent: 70, basicallyCompetent: 50 },
    };
    const res = RubricBody.safeParse(bad);
    expect(res.success).toBe(false);
    expect(res.error?.issues.map((i) => i.path.join('.'))).toEqual(['rubricMax', 'thresholds']);
  });
});

describe('rubric points (table)', () => {
  // ledger → [raw total, clamped points, missing minimums]
  const table: Array<[string, () => LedgerEntry[], number, number, string[]]> = [
    [
      'nothing: five minimums missing, 5 × −2',
      () => [],
      -10,
      0,
      ['research', 'proposal', 'socialReport', 'consultation', 'goodDeed'],
    ],
    ['the five required minimums: 5+4+3+2+3, bonus 5', six, 22, 22, []],
    [
      'attendance capped at 10 (six sessions)',
      () => [...six(), ...all('attendedOnline', 'attendedHall', 'attendedOnline', 'attendedHall', 'attendedHall')],
      30,
      30,
      [],
    ],
    [
      'proposal feedback +1 each, only with feedback',
      () => [
        ...six().filter((x) => x.kind !== 'proposal'),
        e('proposal', '2026-02-01', { proposal: { feedback: 'satisfied' } }),
        e('proposal', '2026-02-02', { proposal: { feedback: null } }),
      ],
      27,
      27,
      [],
    ],
    [
      'pending and rejected records do not count',
      () => [
        ...six(),
        e('research', '2026-04-01', { status: 'pending' }),
        e('goodDeed', '2026-04-01', { status: 'rejected' }),
      ],
      22,
      22,
      [],
    ],
    [
      'other years do not count',
      () => [...six(), e('research', '2025-12-31'), e('research', '2027-01-01')],
      22,
      22,
      [],
    ],
    ['absence −3 each, capped at −9', () => [...six(), ...all('absence', 'absence', 'absence', 'absence')], 13, 13, []],
    ['the striven-for minimum is not deducted', () => [...six(), e('investment')], 27, 27, []],
    [
      'one missing minimum: no bonus, −2',
      () => all('research', 'proposal', 'socialReport', 'attendedHall'),
      12,
      12,
      ['goodDeed'],
    ],
    [
      'every cap reached: 10+5+5+3+12+9+10+6+10+3+4, bonus 5 = 82, clamped to 60',
      () => [
        ...six(),
        ...all(
          'research',
          'investment',
          'investment',
          'proposal',
          'proposal',
          'socialReport',
          'socialReport',
          'goodDeed',
          'training',
          'training',
          'training',
          'inspection',
          'inspection',
          'spoke',
          'spoke',
          'spoke',
          'spoke',
          'spoke',
          'suggested',
          'suggested',
          'suggested',
          'suggested',
          'suggested',
          'voted',
          'voted',
          'voted',
          'attendedHall',
          'attendedHall',
          'attendedHall',
          'attendedHall',
        ),
      ],
      82,
      60,
      [],
    ],
  ];
  it.each(table)('%s', (_name, ledger, raw, points, missing) => {
    const s = scoreMember(rubric, 'm1', ledger());
    expect(s.rawTotal).toBe(raw);
    expect(s.points).toBe(points);
    expect(s.missing).toEqual(missing);
  });
});

describe('every point links to its records', () => {
  it('the lines and the bonus add up to the total, each point naming a record', () => {
    const ledger = [...six(), ...all('socialReport', 'socialReport', 'socialReport')];
    const s = scoreMember(rubric, 'm1', ledger);
    const ids = new Set(ledger.map((x) => x.id));
    for (const line of s.lines) {
      expect(line.points).toBe(line.counted.reduce((t, c) => t + c.points, 0));
      for (const c of line.counted) expect(ids.has(c.entryId)).toBe(true);
    }
    const social = s.lines.find((l) => l.ruleId === 'socialReport');
    expect(social?.counted.map((c) => c.points)).toEqual([3, 3, 3]);
    expect(social?.overCap).toHaveLength(1);
    const bonus = s.adjustments.find((a) => a.type === 'allMinimumsMet');
    expect(bonus?.entryIds).toHaveLength(5);
    const perEntry = [...pointsByEntry(s).values()].reduce((t, x) => t + x, 0);
    expect(perEntry + (bonus?.points ?? 0)).toBe(s.rawTotal);
  });

  it('a cap that is not a multiple of the points gives the last record the remainder', () => {
    const r: Rubric = {
      ...rubric,
      rules: [{ id: 'r', label: 'r', kinds: ['spoke'], points: 2, cap: 5, onlyWithFeedback: false }],
      minimums: [],
    };
    const s = scoreMember(r, 'm1', all('spoke', 'spoke', 'spoke', 'spoke'));
    expect(s.lines[0]?.counted.map((c) => c.points)).toEqual([2, 2, 1]);
    expect(s.lines[0]?.overCap).toHaveLength(1);
    expect(s.points).toBe(5);
  });

  it('records count in date order, whatever order the ledger holds them in', () => {
    const late = e('goodDeed', '2026-11-01');
    const early = e('goodDeed', '2026-01-01');
    const middle = e('goodDeed', '2026-06-01');
    const s = scoreMember(rubric, 'm1', [late, early, middle]);
    const line = s.lines.find((l) => l.ruleId === 'goodDeed');
    expect(line?.counted.map((c) => c.entryId)).toEqual([early.id, middle.id]);
    expect(line?.overCap).toEqual([late.id]);
  });

  it('other members’ records are not counted', () => {
    const s = scoreMember(rubric, 'm1', [e('research', '2026-01-01', { memberId: 'm2' })]);
    expect(s.lines.every((l) => l.counted.length === 0)).toBe(true);
  });

  it('the standard rubric weighs key proposals (重点提案) apart and scores co-signatures (联名)', () => {
    const key = e('proposal', '2026-04-01', { proposal: { feedback: null, key: true } });
    const plain = e('proposal', '2026-04-02', { proposal: { feedback: null, key: false } });
    const cosigned = e('cosigned', '2026-04-03');
    const s = scoreMember(rubric, 'm1', [key, plain, cosigned]);
    expect(s.lines.find((l) => l.ruleId === 'keyProposal')?.counted).toEqual([{ entryId: key.id, points: 2 }]);
    expect(s.lines.find((l) => l.ruleId === 'proposal')?.counted.map((c) => c.entryId)).toEqual([key.id, plain.id]);
    expect(s.lines.find((l) => l.ruleId === 'cosigned')?.counted).toEqual([{ entryId: cosigned.id, points: 1 }]);
    // A rubric may weigh them otherwise: the flag is part of a rule.
    const keyRule = { ...rubric.rules.find((r) => r.id === 'keyProposal'), points: 3 };
    expect(RubricBody.safeParse({ ...standardRubric(2026), rules: [keyRule] }).success).toBe(true);
  });
});
