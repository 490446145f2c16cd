import { describe, expect, it } from 'vitest';
import { aggregateDutyReport, DutyReportCriteria, defaultDutyReportCriteria } from './duty-report';

const criteria = [
  { id: 'a', label: '履职态度', weight: 40, max: 100 },
  { id: 'b', label: '作风纪律', weight: 60, max: 20 },
];

describe('aggregateDutyReport', () => {
  it('no sheets: no means and no total', () => {
    expect(aggregateDutyReport(criteria, [])).toEqual({
      scorers: 0,
      trimmed: false,
      criteria: [
        { id: 'a', label: '履职态度', mean: null },
        { id: 'b', label: '作风纪律', mean: null },
      ],
      total: null,
    });
  });

  it('four scorers: the mean of all, each criterion scaled by its maximum and weight', () => {
    // a: (60+70+80+90)/4 = 75 → 75/100×40 = 30; b: (10+12+14+20)/4 = 14 → 14/20×60 = 42.
    const r = aggregateDutyReport(criteria, [
      { a: 60, b: 10 },
      { a: 70, b: 12 },
      { a: 80, b: 14 },
      { a: 90, b: 20 },
    ]);
    expect(r).toMatchObject({ scorers: 4, trimmed: false, total: 72 });
    expect(r.criteria.map((c) => c.mean)).toEqual([75, 14]);
  });

  it('five scorers: each criterion drops one highest and one lowest, whoever gave them', () => {
    // a: 0 60 70 80 100 → 60 70 80 → 70 → 28; b: 2 10 12 14 20 → 10 12 14 → 12 → 36.
    const r = aggregateDutyReport(criteria, [
      { a: 0, b: 20 },
      { a: 100, b: 2 },
      { a: 60, b: 10 },
      { a: 70, b: 12 },
      { a: 80, b: 14 },
    ]);
    expect(r).toMatchObject({ scorers: 5, trimmed: true, total: 64 });
    expect(r.criteria.map((c) => c.mean)).toEqual([70, 12]);
  });

  it('means round to two decimals before they are weighed', () => {
    const r = aggregateDutyReport([{ id: 'a', label: 'x', weight: 100, max: 100 }], [{ a: 1 }, { a: 1 }, { a: 2 }]);
    expect(r.criteria[0]?.mean).toBe(1.33);
    expect(r.total).toBe(1.33);
  });
});

describe('criteria', () => {
  it('the defaults are valid and add up to 100', () => {
    expect(DutyReportCriteria.safeParse(defaultDutyReportCriteria).success).toBe(true);
  });
  it('weights that do not add up to 100, or repeated ids, are refused', () => {
    expect(DutyReportCriteria.safeParse([{ ...criteria[0], weight: 50 }, criteria[1]]).success).toBe(false);
    expect(DutyReportCriteria.safeParse([criteria[0], { ...criteria[1], id: 'a' }]).success).toBe(false);
  });
});
