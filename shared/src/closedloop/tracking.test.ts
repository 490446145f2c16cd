import { describe, expect, it } from 'vitest';
import {
  isOverdue,
  mayTakeTrackingAction,
  TrackingAction,
  TrackingActionType,
  TrackingActor,
  TrackingStatus,
  trackingActors,
  trackingTransition,
} from './tracking';

const sample = (type: TrackingActionType): TrackingAction =>
  type === 'return' ? { type, reason: '路灯仍有两盏不亮' } : { type };

const legal: Record<string, TrackingStatus> = {
  'assigned:start': 'inProgress',
  'returned:start': 'inProgress',
  'inProgress:report': 'reportedDone',
  'reportedDone:verify': 'verified',
  'reportedDone:return': 'returned',
  'verified:close': 'closed',
};

const pairs = TrackingStatus.options.flatMap((status) =>
  TrackingActionType.options.map((action) => [status, action] as const),
);

describe('trackingTransition', () => {
  it('covers all 30 status × action pairs', () => {
    expect(pairs).toHaveLength(30);
  });

  it.each(pairs.filter(([s, a]) => `${s}:${a}` in legal))('%s + %s is legal', (status, action) => {
    expect(trackingTransition(status, sample(action))).toEqual({ ok: true, status: legal[`${status}:${action}`] });
  });

  it.each(pairs.filter(([s, a]) => !(`${s}:${a}` in legal)))('%s + %s is refused', (status, action) => {
    expect(trackingTransition(status, sample(action))).toEqual({ ok: false, error: 'ILLEGAL_TRANSITION' });
  });

  it('refuses a return with a blank reason', () => {
    expect(trackingTransition('reportedDone', { type: 'return', reason: ' ' })).toEqual({
      ok: false,
      error: 'ILLEGAL_TRANSITION',
    });
    expect(TrackingAction.safeParse({ type: 'return' }).success).toBe(false);
  });
});

describe('trackingActors', () => {
  it('lets the department start and report, conveners verify/return/close, staff close', () => {
    const allowed = TrackingActionType.options.flatMap((a) =>
      TrackingActor.options.filter((r) => mayTakeTrackingAction(r, a)).map((r) => `${r}:${a}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'department:start',
        'department:report',
        'convener:verify',
        'convener:return',
        'convener:close',
        'staff:close',
      ].sort(),
    );
    expect(Object.keys(trackingActors).sort()).toEqual([...TrackingActionType.options].sort());
  });
});

describe('isOverdue', () => {
  const today = '2025-03-10';

  it.each([
    ['2025-03-10', false],
    ['2025-03-09', true],
    ['2025-03-11', false],
    ['2024-12-31', true],
  ] as const)('in progress, deadline %s → %s', (deadline, overdue) => {
    expect(isOverdue({ status: 'inProgress', deadline }, today)).toBe(overdue);
  });

  it('is never overdue without a deadline', () => {
    expect(TrackingStatus.options.some((status) => isOverdue({ status, deadline: null }, today))).toBe(false);
  });

  it('is overdue past the deadline only while awaiting the department', () => {
    const overdue = TrackingStatus.options.filter((status) => isOverdue({ status, deadline: '2025-03-09' }, today));
    expect(overdue).toEqual(['assigned', 'inProgress', 'returned']);
  });

  it('is never overdue once closed', () => {
    expect(isOverdue({ status: 'closed', deadline: '2000-01-01' }, today)).toBe(false);
  });
});
