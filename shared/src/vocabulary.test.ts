import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ActivityKind, activityKindNames } from './activities/activity';
import { TrackingStatus, trackingStatusNames } from './closedloop/tracking';
import {
  MemberStatus,
  memberStatusNames,
  SessionMode,
  SessionRole,
  sessionModeNames,
  sessionRoleNames,
} from './domain';
import { DutyKind, dutyKindNames, ProposalFeedback, proposalFeedbackNames } from './duty/ledger';
import { Grade, gradeNames, MinimumId, minimumNames } from './duty/rubric';
import { minutesRoomAuthor, RoomEventKind, roomEventKindNames } from './minutes';
import { ProposalState, proposalStateNames, ReplyClass, replyClassNames } from './proposals/machine';
import { figureKeys, figureNames, levelLabels, ReportLevel, RoomLevel, roomLevelNames } from './reports/dashboard';
import { AdoptionLevel, adoptionLevelNames } from './social-reports/machine';
import type { Vocabulary } from './vocabulary';
import { YesNoOutcome, yesNoOutcomeNames } from './voting/evaluate';

/** Every vocabulary with the values it must name. */
const vocabularies: Array<[string, readonly string[], Vocabulary<string>]> = [
  ['sessionModeNames', SessionMode.options, sessionModeNames],
  ['memberStatusNames', MemberStatus.options, memberStatusNames],
  ['sessionRoleNames', SessionRole.options, sessionRoleNames],
  ['dutyKindNames', DutyKind.options, dutyKindNames],
  ['proposalFeedbackNames', ProposalFeedback.options, proposalFeedbackNames],
  ['minimumNames', MinimumId.options, minimumNames],
  ['gradeNames', Grade.options, gradeNames],
  ['activityKindNames', ActivityKind.options, activityKindNames],
  ['proposalStateNames', ProposalState.options, proposalStateNames],
  ['replyClassNames', ReplyClass.options, replyClassNames],
  ['adoptionLevelNames', AdoptionLevel.options, adoptionLevelNames],
  ['levelLabels', ReportLevel.options, levelLabels],
  ['roomLevelNames', RoomLevel.options, roomLevelNames],
  ['figureNames', figureKeys, figureNames],
  ['roomEventKindNames', RoomEventKind.options, roomEventKindNames],
  ['trackingStatusNames', TrackingStatus.options, trackingStatusNames],
  ['yesNoOutcomeNames', YesNoOutcome.options, yesNoOutcomeNames],
];

const han = /[\u4e00-\u9fff]/;
/** ASCII punctuation a Chinese text should write full-width: ： ， ； ？ ！ （ ）. */
const asciiPunctuation = /[:,;?!()]/;

/** What is wrong with a vocabulary: values without a name, names without a value, Chinese ones not Chinese. */
function problems(values: readonly string[], names: Vocabulary<string>): string[] {
  const out: string[] = [];
  for (const lang of ['zh-CN', 'en'] as const) {
    for (const value of values) if (!names[lang][value]?.trim()) out.push(`${lang} ${value}: no name`);
    for (const key of Object.keys(names[lang])) if (!values.includes(key)) out.push(`${lang} ${key}: no such value`);
  }
  for (const value of values) {
    const text = names['zh-CN'][value] ?? '';
    if (text !== '' && !han.test(text)) out.push(`zh-CN ${value}: not Chinese`);
    if (asciiPunctuation.test(text)) out.push(`zh-CN ${value}: ASCII punctuation`);
  }
  return out;
}

describe('the domain vocabulary (labels defined once, in shared)', () => {
  it.each(vocabularies)(
    '%s names every value in both languages, the Chinese in Chinese punctuation',
    (_n, values, names) => {
      expect(problems(values, names)).toEqual([]);
    },
  );

  it('the room’s name in 谁写了什么 too', () => {
    expect(
      problems(['room'], {
        'zh-CN': { room: minutesRoomAuthor.names['zh-CN'] },
        en: { room: minutesRoomAuthor.names.en },
      }),
    ).toEqual([]);
  });

  it('would notice a missing name, a stray one, English in Chinese, or ASCII punctuation', () => {
    const broken: Vocabulary<string> = { 'zh-CN': { a: '甲(乙)', b: 'B', c: '丙' }, en: { a: 'A', b: 'B' } };
    expect(problems(['a', 'b'], broken)).toEqual([
      'zh-CN c: no such value',
      'zh-CN a: ASCII punctuation',
      'zh-CN b: not Chinese',
    ]);
    expect(problems(['a', 'b', 'c'], broken)).toContain('en c: no name');
  });
});

// A name missing for a value does not compile (the vocabulary is keyed by the enum).
const _missing: Vocabulary<z.infer<typeof MemberStatus>> = {
  // @ts-expect-error `left` has no Chinese name
  'zh-CN': { serving: '在任', suspended: '暂停' },
  en: { serving: 'Serving', suspended: 'Suspended', left: 'Left' },
};
void _missing;
