import { describe, expect, it } from 'vitest';
import { splitRoomEventText } from './minutes';

describe('a room event text split into its label and the rest', () => {
  it('takes the label the server writes, in Chinese or older ASCII punctuation, with its aside', () => {
    expect(splitRoomEventText('发言：周敏（3分钟）')).toEqual({ label: '发言', text: '周敏（3分钟）' });
    expect(splitRoomEventText('发言:周敏(3秒)')).toEqual({ label: '发言', text: '周敏(3秒)' });
    expect(splitRoomEventText('程序动议：周敏（40秒）')).toEqual({ label: '程序动议', text: '周敏（40秒）' });
    expect(splitRoomEventText('意见建议（孙建华）：先摸清摊位数量')).toEqual({
      label: '意见建议（孙建华）',
      text: '先摸清摊位数量',
    });
    expect(splitRoomEventText('表决：是否同意？——通过：同意 2，反对 1，弃权 0')).toEqual({
      label: '表决',
      text: '是否同意？——通过：同意 2，反对 1，弃权 0',
    });
  });

  it('leaves a text without a label whole', () => {
    expect(splitRoomEventText('王建国：建议设置夜间限时经营。')).toEqual({
      label: null,
      text: '王建国：建议设置夜间限时经营。',
    });
    expect(splitRoomEventText('发言人名单待定')).toEqual({ label: null, text: '发言人名单待定' });
  });
});
