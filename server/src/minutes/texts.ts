import type { PollView } from '@yitang/shared';
import { resultText } from './review/labels';

/**
 * One line for the minutes saying what a closed poll decided, in the same words as the exports,
 * e.g. "是否同意…?——通过:同意 2,反对 1,弃权 0".
 */
export function describePoll(poll: PollView): string {
  return `${poll.settings.question}——${resultText(poll.settings, poll.result, poll.tally)}`;
}
