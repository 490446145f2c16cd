import type { AdoptionLevel, SocialReportState } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { reportDutyRecords } from './social-report.duty';
import type { SocialReportDoc } from './social-report.model';

type Step = { action: 'adopt' | 'raise' | 'withdraw' | 'decline'; level?: AdoptionLevel; at: string };

/** A report submitted on 2026-03-02 (China time) that took the given steps. */
function report(state: SocialReportState, level: AdoptionLevel | null, steps: Step[]): SocialReportDoc {
  const submittedAt = new Date('2026-03-02T02:00:00Z');
  return {
    _id: 'sr-1',
    authorId: 'm-1',
    authorName: '马丽',
    state,
    level,
    original: { title: '老城区停车难', content: '内容' },
    edited: null,
    declineReason: null,
    instructions: [],
    result: null,
    attachments: [],
    trail: [
      { at: submittedAt, by: 'm-1', byName: '马丽', action: 'submit', state: 'submitted', level: null, note: null },
      ...steps.map((s) => ({
        at: new Date(s.at),
        by: 's-1',
        byName: '周婷',
        action: s.action,
        state,
        level: s.level ?? null,
        note: null,
      })),
    ],
    version: 1 + steps.length,
    submittedAt,
    updatedAt: submittedAt,
  };
}

const kept = (doc: SocialReportDoc) =>
  reportDutyRecords(doc)
    .filter((r) => !r.retired)
    .map((r) => [r.id, r.kind, r.date]);
const retired = (doc: SocialReportDoc) =>
  reportDutyRecords(doc)
    .filter((r) => r.retired)
    .map((r) => r.id);
const legacy = ['adopted', 'city', 'province', 'national'].map((k) => `sr:sr-1:${k}`);

describe('a 社情民意 report’s duty records', () => {
  it('a submitted report earns its 报送 record, dated the day it was submitted', () => {
    expect(kept(report('submitted', null, []))).toEqual([['sr:sr-1:submitted', 'socialReport', '2026-03-02']]);
  });

  it('a report raised city → province → national earns one level record, the national one', () => {
    const doc = report('adopted', 'national', [
      { action: 'adopt', level: 'city', at: '2026-03-05T02:00:00Z' },
      { action: 'raise', level: 'province', at: '2026-04-05T02:00:00Z' },
      { action: 'raise', level: 'national', at: '2026-05-05T20:00:00Z' },
    ]);
    expect(kept(doc)).toEqual([
      ['sr:sr-1:submitted', 'socialReport', '2026-03-02'],
      // Dated the raise that reached it, in China time (20:00 UTC is the next morning there).
      ['sr:sr-1:level', 'socialReportNational', '2026-05-06'],
    ]);
    expect(reportDutyRecords(doc).find((r) => r.id === 'sr:sr-1:level')?.follows).toBe(true);
  });

  it('a withdrawn report earns nothing: its 报送 record is retired', () => {
    const doc = report('withdrawn', null, [{ action: 'withdraw', at: '2026-03-03T02:00:00Z' }]);
    expect(kept(doc)).toEqual([]);
    expect(retired(doc)).toContain('sr:sr-1:submitted');
  });

  it('a declined report keeps its 报送 record and earns no level', () => {
    const doc = report('declined', null, [{ action: 'decline', at: '2026-03-03T02:00:00Z' }]);
    expect(kept(doc)).toEqual([['sr:sr-1:submitted', 'socialReport', '2026-03-02']]);
  });

  it('retires the records earlier versions wrote (one per level and an adopted one) whatever the state', () => {
    for (const doc of [report('submitted', null, []), report('adopted', 'city', [])]) {
      expect(retired(doc)).toEqual(expect.arrayContaining(legacy));
    }
  });
});
