import { describe, expect, it } from 'vitest';
import { standardRubric } from './rubric';
import { rubricChanges, versionInForce } from './rubric-editor';

describe('rubricChanges', () => {
  const base = standardRubric(2026);

  it('finds nothing between a rubric and itself', () => {
    expect(rubricChanges(base, structuredClone(base))).toEqual([]);
  });

  it('names each changed field of a rule, each rule added or removed, minimums and settings', () => {
    const next = structuredClone(base);
    const spoke = next.rules.find((r) => r.id === 'spoke');
    if (!spoke) throw new Error('the standard rubric has a spoke rule');
    spoke.points = 2;
    spoke.kinds = ['spoke', 'suggested'];
    next.rules = next.rules.filter((r) => r.id !== 'training');
    next.rules.push({
      id: 'visit',
      label: '走访群众',
      kinds: ['activity'],
      points: 1,
      cap: null,
      onlyWithFeedback: false,
    });
    const research = next.minimums.find((m) => m.id === 'research');
    if (research) research.required = false;
    next.thresholds.excellent = 90;
    expect(rubricChanges(base, next)).toEqual([
      { target: 'rule', id: 'spoke', change: 'changed', field: 'kinds', before: 'spoke', after: 'spoke、suggested' },
      { target: 'rule', id: 'spoke', change: 'changed', field: 'points', before: '1', after: '2' },
      { target: 'rule', id: 'training', change: 'removed', field: null, before: '参加学习培训', after: null },
      { target: 'rule', id: 'visit', change: 'added', field: null, before: null, after: '走访群众' },
      { target: 'minimum', id: 'research', change: 'changed', field: 'required', before: 'true', after: 'false' },
      { target: 'setting', id: 'thresholds.excellent', change: 'changed', field: null, before: '85', after: '90' },
    ]);
  });

  it('treats an absent key-proposal flag as false', () => {
    const next = structuredClone(base);
    const proposal = next.rules.find((r) => r.id === 'proposal');
    if (proposal) proposal.onlyKeyProposals = false;
    expect(rubricChanges(base, next)).toEqual([]);
  });
});

describe('versionInForce', () => {
  it('is the highest version whose day has come; one without a day took force when stored', () => {
    const versions = [
      { version: 1, effectiveFrom: null },
      { version: 2, effectiveFrom: '2026-03-01' },
      { version: 3, effectiveFrom: '2026-07-01' },
    ];
    expect(versionInForce(versions, '2026-02-28')).toBe(1);
    expect(versionInForce(versions, '2026-03-01')).toBe(2);
    expect(versionInForce(versions, '2026-06-30')).toBe(2);
    expect(versionInForce(versions, '2026-07-01')).toBe(3);
    expect(versionInForce([{ version: 1, effectiveFrom: '2026-05-01' }], '2026-04-30')).toBeNull();
    expect(versionInForce([], '2026-04-30')).toBeNull();
  });
});
