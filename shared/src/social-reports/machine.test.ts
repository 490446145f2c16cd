import { describe, expect, it } from 'vitest';
import {
  type AdoptionLevel,
  awaitsDecision,
  isAdopted,
  isFinal,
  mayTakeSocialReportAction,
  SocialReportAction,
  SocialReportActionType,
  SocialReportActor,
  type SocialReportStanding,
  SocialReportState,
  socialReportActors,
  socialReportTransition,
} from './machine';

const sample = (type: SocialReportActionType): SocialReportAction => {
  switch (type) {
    case 'withdraw':
      return { type };
    case 'edit':
      return { type, title: '关于老城区停车难的建议', content: '据走访，老城区夜间停车位缺口约三成。' };
    case 'adopt':
      return { type, level: 'city' };
    case 'decline':
      return { type, reason: '内容与已采用信息重复' };
    case 'raise':
      return { type, level: 'province' };
    case 'instruct':
      return { type, instruction: { leader: '王市长', level: 'city', text: '请住建局研究落实', date: '2026-05-12' } };
    case 'result':
      return { type, text: '新增停车位 320 个' };
  }
};

/** The standing each state is tested from: adopted ones at city level. */
const standing = (state: SocialReportState): SocialReportStanding => ({
  state,
  level: state === 'adopted' || state === 'instructed' || state === 'concluded' ? 'city' : null,
});

const legal: Record<string, [SocialReportState, AdoptionLevel | null]> = {
  'submitted:withdraw': ['withdrawn', null],
  'submitted:edit': ['submitted', null],
  'submitted:adopt': ['adopted', 'city'],
  'submitted:decline': ['declined', null],
  'adopted:edit': ['adopted', 'city'],
  'adopted:raise': ['adopted', 'province'],
  'adopted:instruct': ['instructed', 'city'],
  'adopted:result': ['concluded', 'city'],
  'instructed:raise': ['instructed', 'province'],
  'instructed:instruct': ['instructed', 'city'],
  'instructed:result': ['concluded', 'city'],
};

const pairs = SocialReportState.options.flatMap((state) =>
  SocialReportActionType.options.map((action) => [state, action] as const),
);

describe('socialReportTransition', () => {
  it('covers all 42 state × action pairs', () => {
    expect(pairs).toHaveLength(42);
    for (const key of Object.keys(legal)) expect(pairs.map(([s, a]) => `${s}:${a}`)).toContain(key);
  });

  it.each(pairs.filter(([s, a]) => `${s}:${a}` in legal))('%s + %s is legal', (state, action) => {
    const [next, level] = legal[`${state}:${action}`] ?? ['submitted', null];
    expect(socialReportTransition(standing(state), sample(action))).toEqual({ ok: true, state: next, level });
  });

  it.each(pairs.filter(([s, a]) => !(`${s}:${a}` in legal)))('%s + %s is refused', (state, action) => {
    expect(socialReportTransition(standing(state), sample(action))).toEqual({ ok: false, error: 'ILLEGAL_TRANSITION' });
  });

  it('raises only to a higher level, never sideways or down', () => {
    const at = (level: AdoptionLevel): SocialReportStanding => ({ state: 'adopted', level });
    expect(socialReportTransition(at('city'), { type: 'raise', level: 'national' })).toMatchObject({
      ok: true,
      level: 'national',
    });
    expect(socialReportTransition(at('province'), { type: 'raise', level: 'province' }).ok).toBe(false);
    expect(socialReportTransition(at('national'), { type: 'raise', level: 'city' }).ok).toBe(false);
  });

  it('refuses blank reasons, texts and instructions the parser would refuse too', () => {
    const s = standing('submitted');
    expect(socialReportTransition(s, { type: 'decline', reason: '  ' }).ok).toBe(false);
    expect(socialReportTransition(s, { type: 'edit', title: ' ', content: '内容' }).ok).toBe(false);
    expect(socialReportTransition(standing('adopted'), { type: 'result', text: ' ' }).ok).toBe(false);
    expect(SocialReportAction.safeParse({ type: 'decline', reason: '  ' }).success).toBe(false);
    expect(SocialReportAction.safeParse({ type: 'adopt', level: 'county' }).success).toBe(false);
    expect(
      SocialReportAction.safeParse({
        type: 'instruct',
        instruction: { leader: '王市长', level: 'city', text: '阅', date: '2026-02-30' },
      }).success,
    ).toBe(false);
  });
});

describe('socialReportActors', () => {
  it('lets the author withdraw and staff do everything else', () => {
    const allowed = SocialReportActionType.options.flatMap((a) =>
      SocialReportActor.options.filter((r) => mayTakeSocialReportAction(r, a)).map((r) => `${r}:${a}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'author:withdraw',
        'staff:edit',
        'staff:adopt',
        'staff:decline',
        'staff:raise',
        'staff:instruct',
        'staff:result',
      ].sort(),
    );
    expect(Object.keys(socialReportActors).sort()).toEqual([...SocialReportActionType.options].sort());
  });
});

describe('state questions', () => {
  it.each(SocialReportState.options)('%s', (state) => {
    expect(awaitsDecision(state)).toBe(state === 'submitted');
    expect(isAdopted(state)).toBe(['adopted', 'instructed', 'concluded'].includes(state));
    expect(isFinal(state)).toBe(['concluded', 'declined', 'withdrawn'].includes(state));
  });
});
