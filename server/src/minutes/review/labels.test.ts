import type { PollSettings } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { resultText } from './labels';

const common = {
  question: '选址',
  secret: false,
  electorate: 'members',
  quorum: { type: 'none' },
} as const;
const options = [
  { id: 'a', label: '方案甲' },
  { id: 'b', label: '方案乙' },
];
const q = { required: 0, reached: true };

describe('vote result text', () => {
  it('says whether a yes/no poll passed, with the counts', () => {
    const settings: PollSettings = { kind: 'yesno', ...common, majority: { rule: 'simple', base: 'cast' } };
    const result = { kind: 'yesno', quorum: q, ballots: 3, base: 3, votesNeeded: null, outcome: 'adopted' } as const;
    expect(resultText(settings, result, { kind: 'yesno', ballots: 3, yes: 2, no: 1, abstain: 0 })).toBe(
      '通过：同意 2，反对 1，弃权 0',
    );
    expect(resultText(settings, { ...result, outcome: 'rejected' }, null)).toBe('未通过：共 3 票');
    expect(resultText(settings, null, null)).toBe('未计票');
  });

  it('names the winner of a single-choice poll by its label, with the standings', () => {
    const settings: PollSettings = { kind: 'single', ...common, options, majority: { rule: 'simple', base: 'cast' } };
    const standings = [
      { optionId: 'b', votes: 5 },
      { optionId: 'a', votes: 3 },
    ];
    const base = { kind: 'single', quorum: q, ballots: 8, base: 8, votesNeeded: null, standings } as const;
    expect(resultText(settings, { ...base, outcome: { type: 'elected', winner: 'b' } }, null)).toBe(
      '选出：方案乙（方案乙 5 票，方案甲 3 票）',
    );
    expect(resultText(settings, { ...base, outcome: { type: 'tie', tied: ['a', 'b'] } }, null)).toMatch(
      /^并列第一：方案甲、方案乙/,
    );
  });

  it('lists the elected and the tied of a multiple-choice poll', () => {
    const settings: PollSettings = {
      kind: 'multiple',
      ...common,
      options: [...options, { id: 'c', label: '方案丙' }],
      maxChoices: 2,
      majority: { rule: 'simple', base: 'cast' },
    };
    const standings = [
      { optionId: 'a', votes: 4 },
      { optionId: 'b', votes: 2 },
      { optionId: 'c', votes: 2 },
    ];
    const text = resultText(
      settings,
      {
        kind: 'multiple',
        quorum: q,
        ballots: 5,
        base: 5,
        votesNeeded: null,
        standings,
        outcome: { type: 'decided', elected: ['a'], tied: ['b', 'c'], tiedSeats: 1 },
      },
      null,
    );
    expect(text).toBe('选出：方案甲；并列争 1 席：方案乙、方案丙（方案甲 4 票，方案乙 2 票，方案丙 2 票）');
  });

  it('shows score averages', () => {
    const settings: PollSettings = {
      kind: 'score',
      ...common,
      options,
      scoreRange: { min: 1, max: 5 },
      majority: { rule: 'simple', base: 'cast' },
    };
    const text = resultText(
      settings,
      {
        kind: 'score',
        quorum: q,
        ballots: 3,
        base: 3,
        votesNeeded: null,
        standings: [
          { optionId: 'a', sum: 13, count: 3, average: 13 / 3 },
          { optionId: 'b', sum: 0, count: 0, average: null },
        ],
        outcome: { type: 'elected', winner: 'a' },
      },
      null,
    );
    expect(text).toBe('选出：方案甲（方案甲 平均 4.33 分，方案乙 未评分）');
  });
});
