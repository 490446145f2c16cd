import { describe, expect, it } from 'vitest';
import { durationText, outcomeText, pollText, speechText, suggestionText } from './texts';

describe('the blocks the room inserts into the minutes', () => {
  it('say a speech once, with Chinese brackets and a duration in words', () => {
    expect(speechText('周敏', 180)).toBe('发言：周敏（3分钟）');
    expect(speechText('周敏', 125)).toBe('发言：周敏（2分5秒）');
    expect(speechText('周敏', 3)).toBe('发言：周敏（3秒）');
    expect(speechText('周敏', 40, true)).toBe('程序动议：周敏（40秒）');
    expect(durationText(-1)).toBe('0秒');
  });

  it('name a suggestion’s author, a poll’s result and an outcome’s department with Chinese punctuation', () => {
    expect(suggestionText('孙建华', '建议先摸清摊位数量')).toBe('意见建议（孙建华）：建议先摸清摊位数量');
    expect(
      pollText({
        settings: {
          kind: 'yesno',
          question: '是否同意划定夜间临时摊位区？',
          secret: false,
          electorate: 'members',
          quorum: { type: 'none' },
          majority: { rule: 'simple', base: 'cast' },
        },
        result: {
          kind: 'yesno',
          quorum: { required: 0, reached: true },
          ballots: 3,
          base: 3,
          votesNeeded: null,
          outcome: 'adopted',
        },
        tally: { kind: 'yesno', ballots: 3, yes: 2, no: 1, abstain: 0 },
      }),
    ).toBe('表决：是否同意划定夜间临时摊位区？——通过：同意 2，反对 1，弃权 0');
    expect(outcomeText({ text: '划定摊位区', department: '市场监管局', deadline: '2027-07-31' })).toBe(
      '协商成果：划定摊位区（责任部门：市场监管局，完成时限：2027-07-31）',
    );
    expect(outcomeText({ text: '划定摊位区', department: '', deadline: null })).toBe('协商成果：划定摊位区');
  });
});
