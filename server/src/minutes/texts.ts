import type { PollResult, PollSettings, PollTally } from '@yitang/shared';
import { resultText } from './review/labels';

/**
 * The texts of the blocks the room inserts into the minutes, in one place for the live writer and
 * the demo history: Chinese punctuation throughout (：，（）), each block's label once.
 */

/** "3秒", "2分钟", "2分5秒". */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}秒`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m}分钟` : `${m}分${s % 60}秒`;
}

/** "发言：周敏（3分钟）", or "程序动议：…" for a point of order. */
export function speechText(name: string, durationSeconds: number, pointOfOrder = false): string {
  return `${pointOfOrder ? '程序动议' : '发言'}：${name}（${durationText(durationSeconds)}）`;
}

/** "意见建议（孙建华）：建议先摸清摊位数量". */
export function suggestionText(authorName: string, text: string): string {
  return `意见建议（${authorName}）：${text}`;
}

/** What a poll's line is made of (a live poll's view or its stored record). */
export interface PollLine {
  settings: PollSettings;
  result: PollResult | null;
  tally: PollTally | null;
}

/**
 * One line for the minutes saying what a closed poll decided, in the same words as the exports,
 * e.g. "是否同意…？——通过：同意 2，反对 1，弃权 0".
 */
export function describePoll(poll: PollLine): string {
  return `${poll.settings.question}——${resultText(poll.settings, poll.result, poll.tally)}`;
}

/** "表决：" and the poll's line. */
export function pollText(poll: PollLine): string {
  return `表决：${describePoll(poll)}`;
}

/** "协商成果：…（责任部门：…，完成时限：…）". */
export function outcomeText(o: { text: string; department?: string | null; deadline?: string | null }): string {
  const parts = [o.department && `责任部门：${o.department}`, o.deadline && `完成时限：${o.deadline}`].filter(Boolean);
  return `协商成果：${o.text}${parts.length ? `（${parts.join('，')}）` : ''}`;
}
