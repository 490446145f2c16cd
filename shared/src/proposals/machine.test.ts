import { describe, expect, it } from 'vitest';
import {
  addMonths,
  inProposalPeriod,
  isProposalOverdue,
  mayTakeProposalAction,
  ProposalAction,
  ProposalActionType,
  ProposalActor,
  ProposalState,
  proposalActionsFor,
  proposalActors,
  proposalNumber,
  proposalTransition,
} from './machine';
import { statsRow } from './stats';

/** Every legal state × action pair and where it leads (feedback sampled as 满意). */
const legal: Record<string, ProposalState> = {
  'draft:invite': 'draft',
  'draft:acceptCosign': 'draft',
  'draft:declineCosign': 'draft',
  'draft:submit': 'submitted',
  'submitted:accept': 'accepted',
  'submitted:reject': 'notAccepted',
  'submitted:toLetter': 'letter',
  'submitted:merge': 'merged',
  'accepted:assign': 'assigned',
  'accepted:markKey': 'accepted',
  'assigned:requestReassign': 'reassignRequested',
  'assigned:reply': 'replied',
  'assigned:markKey': 'assigned',
  'assigned:chase': 'assigned',
  'reassignRequested:grantReassign': 'accepted',
  'reassignRequested:refuseReassign': 'assigned',
  'reassignRequested:markKey': 'reassignRequested',
  'replied:feedback': 'closed',
  'replied:markKey': 'replied',
};

const pairs = ProposalState.options.flatMap((state) =>
  ProposalActionType.options.map((action) => [state, action] as const),
);

const act = (type: ProposalActionType) => (type === 'feedback' ? { type, value: 'satisfied' as const } : { type });

describe('proposalTransition', () => {
  it('covers all 160 state × action pairs', () => {
    expect(pairs).toHaveLength(ProposalState.options.length * ProposalActionType.options.length);
    expect(pairs).toHaveLength(160);
  });

  it.each(pairs.filter(([s, a]) => `${s}:${a}` in legal))('%s + %s is legal', (state, action) => {
    expect(proposalTransition({ state, reassignRequests: 0 }, act(action))).toEqual({
      ok: true,
      state: legal[`${state}:${action}`],
    });
  });

  it.each(pairs.filter(([s, a]) => !(`${s}:${a}` in legal)))('%s + %s is refused', (state, action) => {
    expect(proposalTransition({ state, reassignRequests: 0 }, act(action))).toEqual({
      ok: false,
      error: 'ILLEGAL_TRANSITION',
    });
  });

  it.each([
    ['satisfied', 'closed'],
    ['basicallySatisfied', 'closed'],
    ['dissatisfied', 'assigned'],
  ] as const)('feedback %s → %s (不满意 sends it back to the department)', (value, state) => {
    expect(proposalTransition({ state: 'replied', reassignRequests: 0 }, { type: 'feedback', value })).toEqual({
      ok: true,
      state,
    });
  });

  it('refuses feedback without a value', () => {
    expect(proposalTransition({ state: 'replied', reassignRequests: 0 }, { type: 'feedback' }).ok).toBe(false);
  });

  it('lets the department ask to reassign only once', () => {
    expect(proposalTransition({ state: 'assigned', reassignRequests: 1 }, { type: 'requestReassign' })).toEqual({
      ok: false,
      error: 'ILLEGAL_TRANSITION',
    });
    // Asking once does not take away the other moves of an assigned proposal.
    expect(proposalTransition({ state: 'assigned', reassignRequests: 1 }, { type: 'reply' }).ok).toBe(true);
  });

  it('keeps the final states final', () => {
    for (const state of ['notAccepted', 'letter', 'merged', 'closed'] as const) {
      expect(
        ProposalActionType.options.filter((a) => proposalTransition({ state, reassignRequests: 0 }, act(a)).ok),
      ).toEqual([]);
    }
  });
});

describe('proposalActors', () => {
  it('gives each action to exactly the roles of the table', () => {
    const allowed = ProposalActionType.options.flatMap((a) =>
      ProposalActor.options.filter((r) => mayTakeProposalAction(r, a)).map((r) => `${r}:${a}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'proposer:invite',
        'cosigner:acceptCosign',
        'cosigner:declineCosign',
        'proposer:submit',
        'staff:accept',
        'staff:reject',
        'staff:toLetter',
        'staff:merge',
        'staff:assign',
        'lead:requestReassign',
        'staff:grantReassign',
        'staff:refuseReassign',
        'lead:reply',
        'proposer:feedback',
        'staff:markKey',
        'staff:chase',
        'leader:chase',
      ].sort(),
    );
    expect(Object.keys(proposalActors).sort()).toEqual([...ProposalActionType.options].sort());
  });

  it('gives co-handling departments no action of their own', () => {
    expect(ProposalActionType.options.filter((a) => mayTakeProposalAction('coHandler', a))).toEqual([]);
  });

  it('lists the actions a role may take now', () => {
    expect(proposalActionsFor({ state: 'draft', reassignRequests: 0 }, ['proposer'])).toEqual(['invite', 'submit']);
    expect(proposalActionsFor({ state: 'assigned', reassignRequests: 0 }, ['lead'])).toEqual([
      'requestReassign',
      'reply',
    ]);
    expect(proposalActionsFor({ state: 'assigned', reassignRequests: 1 }, ['lead'])).toEqual(['reply']);
    expect(proposalActionsFor({ state: 'replied', reassignRequests: 0 }, ['proposer', 'staff'])).toEqual([
      'feedback',
      'markKey',
    ]);
  });
});

describe('action bodies', () => {
  it('requires a reason to reject, turn into a letter, ask to reassign or refuse that', () => {
    for (const type of ['reject', 'toLetter', 'requestReassign', 'refuseReassign']) {
      expect(ProposalAction.safeParse({ type }).success).toBe(false);
      expect(ProposalAction.safeParse({ type, reason: '  ' }).success).toBe(false);
      expect(ProposalAction.safeParse({ type, reason: '不属于本部门职责' }).success).toBe(true);
    }
  });

  it('refuses a co-signer or co-handling department named twice, and a bad deadline', () => {
    expect(ProposalAction.safeParse({ type: 'invite', memberIds: ['m-a', 'm-a'] }).success).toBe(false);
    expect(ProposalAction.safeParse({ type: 'assign', lead: 'dep-a', co: ['dep-b', 'dep-b'] }).success).toBe(false);
    expect(ProposalAction.safeParse({ type: 'assign', lead: 'dep-a', deadline: '2026-02-30' }).success).toBe(false);
    expect(ProposalAction.parse({ type: 'assign', lead: 'dep-a' })).toEqual({ type: 'assign', lead: 'dep-a', co: [] });
  });

  it('takes only the three feedback values', () => {
    expect(ProposalAction.safeParse({ type: 'feedback', value: 'great' }).success).toBe(false);
    expect(ProposalAction.safeParse({ type: 'feedback', value: 'dissatisfied' }).success).toBe(true);
  });
});

describe('period, number, deadline', () => {
  it('takes submissions inside the period, ends included; an open end is no bound', () => {
    const period = { opensOn: '2026-01-01', closesOn: '2026-02-28' };
    expect(inProposalPeriod(period, '2025-12-31')).toBe(false);
    expect(inProposalPeriod(period, '2026-01-01')).toBe(true);
    expect(inProposalPeriod(period, '2026-02-28')).toBe(true);
    expect(inProposalPeriod(period, '2026-03-01')).toBe(false);
    expect(inProposalPeriod({ opensOn: null, closesOn: null }, '2030-05-05')).toBe(true);
  });

  it('numbers by year and sequence', () => {
    expect(proposalNumber(2026, 7)).toBe('2026-007');
    expect(proposalNumber(2026, 1234)).toBe('2026-1234');
  });

  it.each([
    ['2026-01-15', 3, '2026-04-15'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2027-11-30', 3, '2028-02-29'],
    ['2026-01-31', 1, '2026-02-28'],
  ])('%s + %s months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('is overdue past the deadline only while on the department desk', () => {
    const overdue = ProposalState.options.filter((state) =>
      isProposalOverdue({ state, deadline: '2026-03-09' }, '2026-03-10'),
    );
    expect(overdue).toEqual(['assigned', 'reassignRequested']);
    expect(isProposalOverdue({ state: 'assigned', deadline: '2026-03-10' }, '2026-03-10')).toBe(false);
  });
});

describe('statistics', () => {
  it('counts on-time replies among those due, and satisfaction among feedback', () => {
    const base = { state: 'closed' as const, department: '市城市管理局', sector: null };
    const row = statsRow(
      'all',
      'all',
      [
        { ...base, deadline: '2026-04-01', firstReplyOn: '2026-03-20', feedback: 'satisfied' },
        { ...base, deadline: '2026-04-01', firstReplyOn: '2026-04-02', feedback: 'dissatisfied' },
        { ...base, state: 'assigned', deadline: '2026-09-01', firstReplyOn: null, feedback: null },
        { ...base, state: 'assigned', deadline: '2026-02-01', firstReplyOn: null, feedback: null },
      ],
      '2026-05-01',
    );
    expect(row).toMatchObject({ total: 4, due: 3, onTime: 1, onTimeRate: 0.333, satisfied: 1, dissatisfied: 1 });
    expect(row.satisfactionRate).toBe(0.5);
  });
});
