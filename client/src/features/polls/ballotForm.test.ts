import { isBlankBallot, type PollSettings, validateBallot } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { ballotFromForm, blankBallot, initialBallotForm, moveRank, toggleChoice, toggleRank } from './ballotForm';

const common = {
  question: '整治方案',
  secret: false,
  electorate: 'members',
  quorum: { type: 'none' },
  majority: { rule: 'simple', base: 'cast' },
} as const;
const options = [
  { id: 'o1', label: '方案一' },
  { id: 'o2', label: '方案二' },
  { id: 'o3', label: '方案三' },
];
const yesno: PollSettings = { kind: 'yesno', ...common };
const single: PollSettings = { kind: 'single', ...common, options };
const multiple: PollSettings = { kind: 'multiple', ...common, options, maxChoices: 2 };
const ranking: PollSettings = { kind: 'ranking', ...common, options };
const score: PollSettings = { kind: 'score', ...common, options, scoreRange: { min: 0, max: 10 } };

describe('ballot form to BallotContent', () => {
  it('yesno: the choice, none refused', () => {
    expect(ballotFromForm(yesno, { kind: 'yesno', choice: 'no' })).toEqual({
      ok: true,
      content: { kind: 'yesno', choice: 'no' },
    });
    expect(ballotFromForm(yesno, initialBallotForm(yesno))).toEqual({ ok: false, problem: 'NO_CHOICE' });
  });

  it('single: one option; nothing picked is not a ballot (blank has its own button)', () => {
    expect(ballotFromForm(single, { kind: 'single', optionId: 'o2' })).toEqual({
      ok: true,
      content: { kind: 'single', optionId: 'o2' },
    });
    expect(ballotFromForm(single, initialBallotForm(single))).toEqual({ ok: false, problem: 'NO_CHOICE' });
    expect(ballotFromForm(single, { kind: 'single', optionId: 'nope' })).toEqual({ ok: false, problem: 'INVALID' });
  });

  it('multiple: capped at maxChoices, sent in offered order', () => {
    let ids = toggleChoice([], 'o3', 2);
    ids = toggleChoice(ids, 'o1', 2);
    expect(toggleChoice(ids, 'o2', 2)).toEqual(['o3', 'o1']); // a third is refused
    expect(ballotFromForm(multiple, { kind: 'multiple', optionIds: ids })).toEqual({
      ok: true,
      content: { kind: 'multiple', optionIds: ['o1', 'o3'] },
    });
    expect(toggleChoice(ids, 'o3', 2)).toEqual(['o1']);
    expect(ballotFromForm(multiple, { kind: 'multiple', optionIds: ['o1', 'o2', 'o3'] })).toEqual({
      ok: false,
      problem: 'TOO_MANY_CHOICES',
    });
    expect(ballotFromForm(multiple, { kind: 'multiple', optionIds: [] })).toEqual({ ok: false, problem: 'NO_CHOICE' });
  });

  it('ranking: starts unranked and is sent only when every option has its place', () => {
    const form = initialBallotForm(ranking);
    expect(form).toEqual({ kind: 'ranking', order: [] });
    expect(ballotFromForm(ranking, form)).toEqual({ ok: false, problem: 'NO_CHOICE' });
    const two = toggleRank(toggleRank([], 'o3'), 'o1');
    expect(two).toEqual(['o3', 'o1']);
    expect(ballotFromForm(ranking, { kind: 'ranking', order: two })).toEqual({ ok: false, problem: 'NOT_RANKED' });
    // Taking one out keeps the others' order.
    expect(toggleRank(['o3', 'o1', 'o2'], 'o1')).toEqual(['o3', 'o2']);
    expect(ballotFromForm(ranking, { kind: 'ranking', order: toggleRank(two, 'o2') })).toEqual({
      ok: true,
      content: { kind: 'ranking', ranking: ['o3', 'o1', 'o2'] },
    });
  });

  it('ranking: a complete ordering, moved with up and down', () => {
    const moved = moveRank(['o1', 'o2', 'o3'], 2, -1);
    expect(moved).toEqual(['o1', 'o3', 'o2']);
    expect(moveRank(moved, 0, -1)).toEqual(moved);
    expect(moveRank(moved, 2, 1)).toEqual(moved);
    const result = ballotFromForm(ranking, { kind: 'ranking', order: moved });
    expect(result).toEqual({ ok: true, content: { kind: 'ranking', ranking: ['o1', 'o3', 'o2'] } });
    expect(ballotFromForm(ranking, { kind: 'ranking', order: ['o1', 'o2', 'o2'] })).toEqual({
      ok: false,
      problem: 'INVALID',
    });
  });

  it('score: every option, whole numbers in range', () => {
    expect(ballotFromForm(score, { kind: 'score', scores: { o1: '10', o2: ' 0 ', o3: '7' } })).toEqual({
      ok: true,
      content: { kind: 'score', scores: { o1: 10, o2: 0, o3: 7 } },
    });
    expect(ballotFromForm(score, { kind: 'score', scores: { o1: '10', o2: '3' } })).toEqual({
      ok: false,
      problem: 'INCOMPLETE_SCORES',
    });
    expect(ballotFromForm(score, { kind: 'score', scores: { o1: '11', o2: '3', o3: '1' } })).toEqual({
      ok: false,
      problem: 'SCORE_OUT_OF_RANGE',
    });
    expect(ballotFromForm(score, { kind: 'score', scores: { o1: '2.5', o2: '3', o3: '1' } })).toEqual({
      ok: false,
      problem: 'SCORE_NOT_WHOLE',
    });
    expect(ballotFromForm(score, { kind: 'score', scores: {} })).toEqual({ ok: false, problem: 'NO_CHOICE' });
  });

  it('gives a valid blank ballot of every kind', () => {
    for (const settings of [yesno, single, multiple, ranking, score]) {
      const blank = blankBallot(settings.kind);
      expect(isBlankBallot(blank)).toBe(true);
      expect(validateBallot(settings, blank)).toEqual({ ok: true });
    }
  });
});
