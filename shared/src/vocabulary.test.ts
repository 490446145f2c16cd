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

describe('the domain vocabulary (labels defined once, in shared)', () => {
  it.each(vocabularies)('%s names every value in both languages', (_name, values, names) => {
    for (const lang of ['zh-CN', 'en'] as const) {
      expect(Object.keys(names[lang]).sort()).toEqual([...values].sort());
      for (const value of values) expect(names[lang][value]?.trim(), `${lang} ${value}`).toBeTruthy();
    }
  });

  it.each(vocabularies)('%s: the Chinese names are Chinese, in Chinese punctuation', (_name, values, names) => {
    for (const value of values) {
      const text = names['zh-CN'][value] ?? '';
      expect(text, value).toMatch(han);
      expect(text, value).not.toMatch(asciiPunctuation);
    }
  });

  it('the room’s name in 谁写了什么 too', () => {
    expect(minutesRoomAuthor.names['zh-CN']).toMatch(han);
    expect(minutesRoomAuthor.names['zh-CN']).not.toMatch(asciiPunctuation);
    expect(minutesRoomAuthor.names.en.trim()).not.toBe('');
  });

  it('would notice a missing name or ASCII punctuation', () => {
    const broken: Vocabulary<string> = { 'zh-CN': { a: '甲(乙)' }, en: { a: 'A' } };
    expect(Object.keys(broken['zh-CN'])).not.toEqual(['a', 'b']);
    expect(broken['zh-CN'].a).toMatch(asciiPunctuation);
  });
});

// A name missing for a value does not compile (the vocabulary is keyed by the enum).
const _missing: Vocabulary<z.infer<typeof MemberStatus>> = {
  // @ts-expect-error `left` has no Chinese name
  'zh-CN': { serving: '在任', suspended: '暂停' },
  en: { serving: 'Serving', suspended: 'Suspended', left: 'Left' },
};
void _missing;
