import { describe, expect, it } from 'vitest';
import { builderFormOf, emptyBuilderForm, newOptionId, settingsFromForm, shareOfPercent } from './pollBuilder';

describe('poll builder', () => {
  it('builds a yes/no poll without option fields', () => {
    const result = settingsFromForm({ ...emptyBuilderForm(), question: '  是否同意?  ' });
    expect(result).toEqual({
      ok: true,
      settings: {
        kind: 'yesno',
        question: '是否同意?',
        secret: false,
        electorate: 'members',
        quorum: { type: 'none' },
        majority: { rule: 'simple', base: 'cast' },
      },
    });
  });

  it('builds a multiple-choice poll with a share quorum and a two-thirds rule', () => {
    const form = {
      ...emptyBuilderForm(),
      kind: 'multiple' as const,
      question: '选出两项措施',
      options: [
        { id: 'o1', label: '临时摊位区' },
        { id: 'o2', label: '油烟净化' },
        { id: 'o3', label: '错峰经营' },
      ],
      maxChoices: '2',
      quorumType: 'share' as const,
      quorumPercent: '66.67',
      majorityRule: 'twoThirds' as const,
      electorate: 'all' as const,
      secret: true,
    };
    const result = settingsFromForm(form);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings).toMatchObject({
      kind: 'multiple',
      maxChoices: 2,
      quorum: { type: 'share', share: 0.6667 },
    });
    expect(builderFormOf(result.settings)).toMatchObject({ quorumPercent: '66.67', maxChoices: '2', secret: true });
  });

  it('forces the simple rule on ranking and score polls', () => {
    const result = settingsFromForm({
      ...emptyBuilderForm(),
      kind: 'score',
      question: '打分',
      options: [
        { id: 'o1', label: 'A' },
        { id: 'o2', label: 'B' },
      ],
      scoreMin: '1',
      scoreMax: '5',
      majorityRule: 'absolute',
    });
    expect(result.ok && result.settings.majority.rule).toBe('simple');
    expect(result.ok && result.settings.kind === 'score' && result.settings.scoreRange).toEqual({ min: 1, max: 5 });
  });

  it('flags the fields that are wrong', () => {
    const result = settingsFromForm({
      ...emptyBuilderForm(),
      kind: 'multiple',
      question: '',
      options: [
        { id: 'o1', label: 'A' },
        { id: 'o2', label: '' },
      ],
      maxChoices: '3',
      quorumType: 'ballots',
      quorumMin: 'x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(new Set(result.fields)).toEqual(new Set(['question', 'options', 'maxChoices', 'quorum']));
    const score = settingsFromForm({
      ...emptyBuilderForm(),
      kind: 'score',
      question: 'q',
      scoreMin: '5',
      scoreMax: '5',
    });
    expect(score.ok === false && score.fields).toContain('scoreRange');
  });

  it('reads a percent share with at most two decimals', () => {
    expect(shareOfPercent('50')).toBe(0.5);
    expect(shareOfPercent('33.33')).toBe(0.3333);
    expect(shareOfPercent('100')).toBe(1);
    expect(shareOfPercent('0')).toBeNull();
    expect(shareOfPercent('100.5')).toBeNull();
    expect(shareOfPercent('12.345')).toBeNull();
  });

  it('makes unique option ids', () => {
    expect(newOptionId([{ id: 'o1' }, { id: 'o3' }])).toBe('o4');
    expect(newOptionId([{ id: 'o2' }, { id: 'o3' }])).toBe('o4');
    expect(newOptionId([])).toBe('o1');
  });
});
