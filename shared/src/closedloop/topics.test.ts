import { describe, expect, it } from 'vitest';
import {
  ConvenerSeat,
  TopicAction,
  TopicActionType,
  TopicSource,
  TopicState,
  type TopicStatus,
  topicTransition,
} from './topics';

/** One sample action per action type; `accept` once per convener seat. */
const actions: TopicAction[] = TopicActionType.options.flatMap((type): TopicAction[] => {
  if (type === 'accept') return ConvenerSeat.options.map((convener) => ({ type, convener }));
  if (type === 'decline') return [{ type, reason: '已有专项工作推进' }];
  return [{ type }];
});

const partialAcceptances: ConvenerSeat[][] = [[], ['first'], ['second']];

/** Every state; `proposed` once per acceptance so far. */
const statuses: TopicStatus[] = TopicState.options.flatMap((state): TopicStatus[] => {
  if (state === 'proposed') return partialAcceptances.map((acceptedBy) => ({ state, acceptedBy }));
  if (state === 'declined') return [{ state, acceptedBy: [] }];
  return [{ state, acceptedBy: ['first', 'second'] }];
});

const label = (a: TopicAction): string => (a.type === 'accept' ? `accept(${a.convener})` : a.type);
const key = (s: TopicStatus, a: TopicAction): string => `${s.state}[${s.acceptedBy.join(',')}] ${label(a)}`;

const legal: Record<string, Pick<TopicStatus, 'state' | 'acceptedBy'>> = {
  'proposed[] accept(first)': { state: 'proposed', acceptedBy: ['first'] },
  'proposed[] accept(second)': { state: 'proposed', acceptedBy: ['second'] },
  'proposed[first] accept(second)': { state: 'accepted', acceptedBy: ['first', 'second'] },
  'proposed[second] accept(first)': { state: 'accepted', acceptedBy: ['first', 'second'] },
  'proposed[] decline': { state: 'declined', acceptedBy: [] },
  'proposed[first] decline': { state: 'declined', acceptedBy: ['first'] },
  'proposed[second] decline': { state: 'declined', acceptedBy: ['second'] },
  'accepted[first,second] schedule': { state: 'scheduled', acceptedBy: ['first', 'second'] },
  'scheduled[first,second] hold': { state: 'deliberated', acceptedBy: ['first', 'second'] },
  'deliberated[first,second] startTracking': { state: 'inProgress', acceptedBy: ['first', 'second'] },
  'inProgress[first,second] close': { state: 'closed', acceptedBy: ['first', 'second'] },
};

const cases = statuses.flatMap((s) => actions.map((a) => ({ name: key(s, a), status: s, action: a })));

describe('topicTransition', () => {
  it('covers every status × action pair', () => {
    expect(cases).toHaveLength(9 * 7);
    expect(Object.keys(legal).every((k) => cases.some((c) => c.name === k))).toBe(true);
  });

  it.each(cases.filter((c) => c.name in legal))('$name is legal', ({ name, status, action }) => {
    expect(topicTransition(status, action)).toEqual({ ok: true, ...legal[name] });
  });

  it.each(cases.filter((c) => !(c.name in legal)))('$name is refused', ({ status, action }) => {
    expect(topicTransition(status, action)).toEqual({ ok: false, error: 'ILLEGAL_TRANSITION' });
  });

  it('reaches accepted only after both conveners, in either order', () => {
    const first = topicTransition({ state: 'proposed', acceptedBy: [] }, { type: 'accept', convener: 'second' });
    expect(first).toMatchObject({ ok: true, state: 'proposed' });
    if (!first.ok) return;
    expect(topicTransition(first, { type: 'accept', convener: 'first' })).toMatchObject({ state: 'accepted' });
  });

  it('refuses a decline with a blank reason', () => {
    expect(topicTransition({ state: 'proposed', acceptedBy: [] }, { type: 'decline', reason: '  ' })).toEqual({
      ok: false,
      error: 'ILLEGAL_TRANSITION',
    });
    expect(TopicAction.safeParse({ type: 'decline', reason: ' ' }).success).toBe(false);
    expect(TopicAction.safeParse({ type: 'decline' }).success).toBe(false);
  });

  it('knows every topic source', () => {
    expect(TopicSource.options).toEqual(['member', 'department', 'leader', 'citizen', 'hotline', 'governanceCentre']);
  });
});
