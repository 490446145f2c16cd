import { describe, expect, it } from 'vitest';
import { BallotContent, type BallotRefusal, isBlankBallot, validateBallot } from './ballot';
import type { PollSettings } from './settings';
import { multiple, ranking, score, single, yesno } from './test-fixtures';

const yn = yesno();
const one = single(['a', 'b', 'c']);
const many = multiple(['a', 'b', 'c', 'd'], 2);
const rank = ranking(['a', 'b', 'c']);
const sc = score(['a', 'b', 'c'], 1, 5);

describe('validateBallot accepts', () => {
  it.each<[string, PollSettings, BallotContent, boolean]>([
    ['yes', yn, { kind: 'yesno', choice: 'yes' }, false],
    ['no', yn, { kind: 'yesno', choice: 'no' }, false],
    ['abstain (blank)', yn, { kind: 'yesno', choice: 'abstain' }, true],
    ['single option', one, { kind: 'single', optionId: 'b' }, false],
    ['single blank (null)', one, { kind: 'single', optionId: null }, true],
    ['multiple, k choices', many, { kind: 'multiple', optionIds: ['d', 'a'] }, false],
    ['multiple, fewer than k', many, { kind: 'multiple', optionIds: ['c'] }, false],
    ['multiple, none (blank)', many, { kind: 'multiple', optionIds: [] }, true],
    ['complete ranking', rank, { kind: 'ranking', ranking: ['c', 'a', 'b'] }, false],
    ['empty ranking (blank)', rank, { kind: 'ranking', ranking: [] }, true],
    ['complete scores at the bounds', sc, { kind: 'score', scores: { a: 1, b: 5, c: 3 } }, false],
    ['empty scores (blank)', sc, { kind: 'score', scores: {} }, true],
  ])('%s', (_name, settings, content, blank) => {
    expect(BallotContent.parse(content)).toEqual(content);
    expect(validateBallot(settings, content)).toEqual({ ok: true });
    expect(isBlankBallot(content)).toBe(blank);
  });
});

describe('validateBallot refuses', () => {
  it.each<[string, PollSettings, BallotContent, BallotRefusal]>([
    ['yesno ballot on single poll', one, { kind: 'yesno', choice: 'yes' }, 'KIND_MISMATCH'],
    ['single ballot on yesno poll', yn, { kind: 'single', optionId: 'a' }, 'KIND_MISMATCH'],
    ['ranking ballot on multiple poll', many, { kind: 'ranking', ranking: ['a'] }, 'KIND_MISMATCH'],
    ['multiple ballot on ranking poll', rank, { kind: 'multiple', optionIds: [] }, 'KIND_MISMATCH'],
    ['single ballot on score poll', sc, { kind: 'single', optionId: 'a' }, 'KIND_MISMATCH'],
    ['score ballot on single poll', one, { kind: 'score', scores: {} }, 'KIND_MISMATCH'],
    ['single unknown', one, { kind: 'single', optionId: 'z' }, 'UNKNOWN_OPTION'],
    ['single names a yesno choice', one, { kind: 'single', optionId: 'yes' }, 'UNKNOWN_OPTION'],
    ['multiple unknown', many, { kind: 'multiple', optionIds: ['a', 'z'] }, 'UNKNOWN_OPTION'],
    ['multiple duplicate', many, { kind: 'multiple', optionIds: ['a', 'a'] }, 'DUPLICATE_OPTION'],
    ['multiple over k', many, { kind: 'multiple', optionIds: ['a', 'b', 'c'] }, 'TOO_MANY_CHOICES'],
    ['multiple unknown before too many', many, { kind: 'multiple', optionIds: ['a', 'b', 'z'] }, 'UNKNOWN_OPTION'],
    ['ranking unknown', rank, { kind: 'ranking', ranking: ['a', 'b', 'z'] }, 'UNKNOWN_OPTION'],
    ['ranking duplicate', rank, { kind: 'ranking', ranking: ['a', 'b', 'a'] }, 'DUPLICATE_OPTION'],
    ['ranking partial', rank, { kind: 'ranking', ranking: ['a', 'b'] }, 'INCOMPLETE_RANKING'],
    ['ranking one of three', rank, { kind: 'ranking', ranking: ['c'] }, 'INCOMPLETE_RANKING'],
    ['score unknown', sc, { kind: 'score', scores: { a: 1, b: 2, z: 3 } }, 'UNKNOWN_OPTION'],
    ['score below min', sc, { kind: 'score', scores: { a: 0, b: 2, c: 3 } }, 'SCORE_OUT_OF_RANGE'],
    ['score above max', sc, { kind: 'score', scores: { a: 1, b: 6, c: 3 } }, 'SCORE_OUT_OF_RANGE'],
    ['score out of range before incomplete', sc, { kind: 'score', scores: { a: 9 } }, 'SCORE_OUT_OF_RANGE'],
    ['score partial', sc, { kind: 'score', scores: { a: 1, b: 2 } }, 'INCOMPLETE_SCORES'],
  ])('%s → %s', (_name, settings, content, reason) => {
    expect(validateBallot(settings, content)).toEqual({ ok: false, reason });
  });
});

describe('BallotContent schema', () => {
  it.each([
    ['unknown kind', { kind: 'approval', optionIds: [] }],
    ['extra key', { kind: 'yesno', choice: 'yes', optionId: 'a' }],
    ['bad choice', { kind: 'yesno', choice: 'maybe' }],
    ['empty option id', { kind: 'single', optionId: '' }],
    ['missing optionId', { kind: 'single' }],
    ['fractional score', { kind: 'score', scores: { a: 1.5 } }],
    ['too many ids', { kind: 'multiple', optionIds: Array.from({ length: 21 }, (_, i) => `o${i}`) }],
    [
      'too many scores',
      { kind: 'score', scores: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`o${i}`, 1])) },
    ],
    ['bad id characters', { kind: 'ranking', ranking: ['a b'] }],
  ])('refuses %s', (_name, input) => {
    expect(BallotContent.safeParse(input).success).toBe(false);
  });

  // As it arrives off the wire: JSON.parse makes `__proto__` an own key, which a record would
  // drop silently, turning the ballot into a blank one.
  it.each([
    ['a lone __proto__ score', '{"kind":"score","scores":{"__proto__":5}}'],
    ['__proto__ beside real scores', '{"kind":"score","scores":{"a":1,"__proto__":5}}'],
  ])('refuses %s instead of storing a blank ballot', (_name, json) => {
    expect(BallotContent.safeParse(JSON.parse(json)).success).toBe(false);
  });
});
