import { describe, expect, it } from 'vitest';
import { PollSettings, pollOptionIds } from './settings';

const base = {
  question: '是否同意在桥面加装路灯？',
  secret: false,
  electorate: 'members',
  quorum: { type: 'none' },
  majority: { rule: 'simple', base: 'cast' },
} as const;
const options = [
  { id: 'a', label: 'A' },
  { id: 'b', label: 'B' },
  { id: 'c', label: 'C' },
];

/** The messages of a refused input (fails the test if accepted). */
function refusal(input: unknown): string[] {
  const r = PollSettings.safeParse(input);
  expect(r.success).toBe(false);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe('PollSettings accepts', () => {
  it.each([
    ['yesno', { ...base, kind: 'yesno' }],
    ['single', { ...base, kind: 'single', options }],
    ['multiple', { ...base, kind: 'multiple', options, maxChoices: 3 }],
    ['ranking', { ...base, kind: 'ranking', options }],
    ['score', { ...base, kind: 'score', options, scoreRange: { min: 1, max: 5 } }],
    ['score -50..50', { ...base, kind: 'score', options, scoreRange: { min: -50, max: 50 } }],
    ['ballots quorum', { ...base, kind: 'yesno', quorum: { type: 'ballots', min: 5 } }],
    ['share quorum 1', { ...base, kind: 'yesno', quorum: { type: 'share', share: 1 } }],
    ['share quorum 0.6667', { ...base, kind: 'yesno', quorum: { type: 'share', share: 0.6667 } }],
    ['twoThirds present', { ...base, kind: 'single', options, majority: { rule: 'twoThirds', base: 'present' } }],
    ['all electorate, secret', { ...base, kind: 'yesno', secret: true, electorate: 'all' }],
  ])('%s', (_name, input) => {
    expect(PollSettings.safeParse(input).success).toBe(true);
  });

  it('trims the question and labels', () => {
    const s = PollSettings.parse({
      ...base,
      kind: 'single',
      question: '  Q  ',
      options: [{ id: 'a', label: ' A ' }, options[1]],
    });
    expect(s.question).toBe('Q');
    expect(pollOptionIds(s)).toEqual(['a', 'b']);
    expect(s.kind === 'single' && s.options[0]?.label).toBe('A');
  });

  it('gives yesno polls the fixed choices', () => {
    expect(pollOptionIds(PollSettings.parse({ ...base, kind: 'yesno' }))).toEqual(['yes', 'no', 'abstain']);
  });
});

describe('PollSettings refuses with a readable message', () => {
  it.each([
    ['maxChoices on yesno', { ...base, kind: 'yesno', maxChoices: 2 }, 'maxChoices is not allowed on a yesno poll'],
    ['options on yesno', { ...base, kind: 'yesno', options }, 'options is not allowed on a yesno poll'],
    [
      'scoreRange on single',
      { ...base, kind: 'single', options, scoreRange: { min: 1, max: 5 } },
      'scoreRange is not allowed on a single poll',
    ],
    [
      'maxChoices on ranking',
      { ...base, kind: 'ranking', options, maxChoices: 1 },
      'maxChoices is not allowed on a ranking poll',
    ],
    ['unknown kind', { ...base, kind: 'approval', options }, 'kind must be one of'],
    ['empty question', { ...base, kind: 'yesno', question: '   ' }, 'the question must not be empty'],
    ['long question', { ...base, kind: 'yesno', question: 'x'.repeat(201) }, 'the question has at most 200 characters'],
    ['one option', { ...base, kind: 'single', options: [{ id: 'a', label: 'A' }] }, 'at least 2 options'],
    [
      '21 options',
      { ...base, kind: 'single', options: Array.from({ length: 21 }, (_, i) => ({ id: `o${i}`, label: `O${i}` })) },
      'at most 20 options',
    ],
    ['missing options', { ...base, kind: 'single' }, 'this poll needs a list of options'],
    [
      'duplicate ids',
      { ...base, kind: 'single', options: [...options, { id: 'a', label: 'A2' }] },
      "option id 'a' is used twice",
    ],
    [
      'empty label',
      { ...base, kind: 'single', options: [{ id: 'a', label: ' ' }, options[1]] },
      'an option needs a label',
    ],
    [
      'long label',
      { ...base, kind: 'single', options: [{ id: 'a', label: 'x'.repeat(101) }, options[1]] },
      'at most 100 characters',
    ],
    [
      '__proto__ id',
      { ...base, kind: 'single', options: [{ id: '__proto__', label: 'P' }, options[1]] },
      "'__proto__' cannot be an option id",
    ],
    ['missing maxChoices', { ...base, kind: 'multiple', options }, 'needs maxChoices'],
    ['maxChoices 0', { ...base, kind: 'multiple', options, maxChoices: 0 }, 'maxChoices must be at least 1'],
    [
      'maxChoices > n',
      { ...base, kind: 'multiple', options, maxChoices: 4 },
      'maxChoices must not exceed the number of options',
    ],
    ['maxChoices 1.5', { ...base, kind: 'multiple', options, maxChoices: 1.5 }, 'maxChoices must be a whole number'],
    [
      'absolute on ranking',
      { ...base, kind: 'ranking', options, majority: { rule: 'absolute', base: 'cast' } },
      "only allow the 'simple'",
    ],
    [
      'twoThirds on score',
      {
        ...base,
        kind: 'score',
        options,
        scoreRange: { min: 1, max: 5 },
        majority: { rule: 'twoThirds', base: 'cast' },
      },
      "only allow the 'simple'",
    ],
    ['score min = max', { ...base, kind: 'score', options, scoreRange: { min: 3, max: 3 } }, 'min must be less than'],
    [
      'score span 101',
      { ...base, kind: 'score', options, scoreRange: { min: -1, max: 100 } },
      'spans at most 100 points',
    ],
    [
      'score max 101',
      { ...base, kind: 'score', options, scoreRange: { min: 95, max: 101 } },
      'scoreRange.max is at most 100',
    ],
    [
      'score fraction',
      { ...base, kind: 'score', options, scoreRange: { min: 0.5, max: 5 } },
      'scoreRange.min must be a whole number',
    ],
    ['no scoreRange', { ...base, kind: 'score', options }, 'expected object'],
    ['share 0', { ...base, kind: 'yesno', quorum: { type: 'share', share: 0 } }, 'quorum.share must be greater than 0'],
    [
      'share 1.01',
      { ...base, kind: 'yesno', quorum: { type: 'share', share: 1.01 } },
      'quorum.share must be at most 1',
    ],
    ['share 1/3', { ...base, kind: 'yesno', quorum: { type: 'share', share: 1 / 3 } }, 'at most 4 decimal places'],
    [
      'ballots quorum 0',
      { ...base, kind: 'yesno', quorum: { type: 'ballots', min: 0 } },
      'quorum.min must be at least 1',
    ],
    [
      'unknown quorum',
      { ...base, kind: 'yesno', quorum: { type: 'most' } },
      "quorum.type must be 'none', 'ballots' or 'share'",
    ],
    [
      'share key on ballots quorum',
      { ...base, kind: 'yesno', quorum: { type: 'ballots', min: 2, share: 0.5 } },
      'Unrecognized key',
    ],
    ['unknown rule', { ...base, kind: 'yesno', majority: { rule: 'most', base: 'cast' } }, 'Invalid option'],
    ['unknown electorate', { ...base, kind: 'yesno', electorate: 'guests' }, 'Invalid option'],
  ])('%s', (_name, input, message) => {
    expect(refusal(input).join(' | ')).toContain(message);
  });
});
