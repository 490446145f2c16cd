import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BallotContent, PollSettings } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { BallotSeal, loadBallotSecret } from './ballot-seal';

const base = { question: 'Q', secret: true, electorate: 'members', quorum: { type: 'none' } };
const majority = { rule: 'simple', base: 'cast' };
const options = ['a', 'b', 'c'].map((id) => ({ id, label: id.toUpperCase() }));
const settings = {
  yesno: PollSettings.parse({ ...base, kind: 'yesno', majority }),
  single: PollSettings.parse({ ...base, kind: 'single', majority, options }),
  multiple: PollSettings.parse({ ...base, kind: 'multiple', majority, options, maxChoices: 2 }),
  ranking: PollSettings.parse({ ...base, kind: 'ranking', majority, options }),
  score: PollSettings.parse({ ...base, kind: 'score', majority, options, scoreRange: { min: -5, max: 95 } }),
};

const cases: Array<[keyof typeof settings, BallotContent[]]> = [
  ['yesno', (['yes', 'no', 'abstain'] as const).map((choice) => ({ kind: 'yesno', choice }))],
  [
    'single',
    [
      { kind: 'single', optionId: 'c' },
      { kind: 'single', optionId: null },
    ],
  ],
  [
    'multiple',
    [
      { kind: 'multiple', optionIds: ['a', 'c'] },
      { kind: 'multiple', optionIds: [] },
    ],
  ],
  [
    'ranking',
    [
      { kind: 'ranking', ranking: ['c', 'a', 'b'] },
      { kind: 'ranking', ranking: [] },
    ],
  ],
  [
    'score',
    [
      { kind: 'score', scores: { a: -5, b: 95, c: 0 } },
      { kind: 'score', scores: {} },
    ],
  ],
];

describe('BallotSeal', () => {
  const seal = new BallotSeal(randomBytes(32));

  it.each(cases)('opens what it sealed, every %s ballot sealed to the same length', (kind, contents) => {
    const s = settings[kind];
    const sealed = contents.map((c) => seal.seal(s, 'p-1', c));
    expect(sealed.map((x) => seal.open(s, 'p-1', x))).toEqual(contents);
    expect(new Set(sealed.map((x) => x.length)).size).toBe(1);
    // The same choice twice: unrelated ciphertexts.
    expect(seal.seal(s, 'p-1', contents[0] as BallotContent)).not.toBe(sealed[0]);
  });

  it('refuses a ballot moved to another poll, sealed with another secret, or altered', () => {
    const s = settings.yesno;
    const sealed = seal.seal(s, 'p-1', { kind: 'yesno', choice: 'yes' });
    expect(() => seal.open(s, 'p-2', sealed)).toThrow();
    expect(() => new BallotSeal(randomBytes(32)).open(s, 'p-1', sealed)).toThrow();
    const raw = Buffer.from(sealed, 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => seal.open(s, 'p-1', raw.toString('base64'))).toThrow();
  });

  it.each(cases)('opens a sealed paper batch of %s ballots, its length set by how many only', (kind, contents) => {
    const s = settings[kind];
    const sealed = seal.sealBatch(s, 'p-1', contents);
    expect(seal.openBatch(s, 'p-1', sealed)).toEqual(contents);
    // The same number of other ballots: the same length.
    const others = contents.map(() => contents[contents.length - 1] as BallotContent);
    expect(seal.sealBatch(s, 'p-1', others)).toHaveLength(sealed.length);
    expect(() => seal.openBatch(s, 'p-2', sealed)).toThrow();
  });
});

describe('loadBallotSecret', () => {
  it('generates the secret once into the data dir, readable by its owner only, and reads it back', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'yitang-seal-'));
    try {
      const first = await loadBallotSecret({ dataDir: dir });
      expect(first).toHaveLength(32);
      expect((await stat(path.join(dir, 'ballot.key'))).mode & 0o777).toBe(0o600);
      expect(await loadBallotSecret({ dataDir: dir })).toEqual(first);
      expect((await readFile(path.join(dir, 'ballot.key'), 'utf8')).trim()).toBe(first.toString('base64'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('derives the secret from BALLOT_SECRET when it is set, the same on every node', async () => {
    const a = await loadBallotSecret({ secret: 'x'.repeat(40), dataDir: '/nonexistent' });
    expect(a).toEqual(await loadBallotSecret({ secret: 'x'.repeat(40), dataDir: '/elsewhere' }));
    expect(a).not.toEqual(await loadBallotSecret({ secret: 'y'.repeat(40), dataDir: '/nonexistent' }));
  });
});
