import { describe, expect, it } from 'vitest';
import { acceptsBallots, PollAction, PollStage, pollTransition } from './lifecycle';

const legal: Record<string, PollStage> = {
  'draft:edit': 'draft',
  'draft:open': 'open',
  'open:close': 'closed',
  'closed:publish': 'published',
};

const pairs = PollStage.options.flatMap((stage) => PollAction.options.map((action) => [stage, action] as const));

describe('pollTransition', () => {
  it('covers all 16 stage × action pairs', () => {
    expect(pairs).toHaveLength(16);
  });

  it.each(pairs.filter(([s, a]) => `${s}:${a}` in legal))('%s + %s is legal', (stage, action) => {
    expect(pollTransition(stage, action)).toEqual({ ok: true, stage: legal[`${stage}:${action}`] });
  });

  it.each(pairs.filter(([s, a]) => !(`${s}:${a}` in legal)))('%s + %s is refused', (stage, action) => {
    expect(pollTransition(stage, action)).toEqual({ ok: false, error: 'ILLEGAL_TRANSITION' });
  });

  it('accepts ballots only while open', () => {
    expect(PollStage.options.filter(acceptsBallots)).toEqual(['open']);
  });
});
