import type { MinutesStatus, SessionRole } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import {
  actionState,
  effectiveStatus,
  type MinutesStanding,
  mayComment,
  mayExport,
  mayResolveComments,
  maySnapshot,
  mayWriteMinutes,
  readOnlyReason,
  stepState,
} from './rules';

const statuses: MinutesStatus[] = ['draft', 'inReview', 'approved', 'published'];

describe('permission to write the minutes', () => {
  it('lets the conveners and the recorder write while drafted or in review', () => {
    for (const role of ['firstConvener', 'secondConvener', 'recorder'] as const) {
      expect(mayWriteMinutes(role, 'draft')).toBe(true);
      expect(mayWriteMinutes(role, 'inReview')).toBe(true);
      expect(mayWriteMinutes(role, 'approved')).toBe(false);
      expect(mayWriteMinutes(role, 'published')).toBe(false);
    }
  });

  it('keeps everyone else reading, whatever the status', () => {
    const readers: SessionRole[] = [
      'member',
      'departmentRep',
      'stakeholder',
      'citizenRep',
      'leader',
      'staff',
      'observer',
    ];
    for (const role of readers) for (const status of statuses) expect(mayWriteMinutes(role, status)).toBe(false);
  });

  it('does not write before the role or the status is known', () => {
    expect(mayWriteMinutes(undefined, 'draft')).toBe(false);
    expect(mayWriteMinutes('recorder', null)).toBe(false);
  });

  it('says why the editor is read-only', () => {
    expect(readOnlyReason('recorder', 'draft')).toBeNull();
    expect(readOnlyReason('member', 'draft')).toBe('role');
    expect(readOnlyReason('recorder', 'approved')).toBe('frozen');
    expect(readOnlyReason('member', 'published')).toBe('frozen');
    expect(readOnlyReason(undefined, 'draft')).toBe('loading');
    expect(readOnlyReason('recorder', null)).toBe('loading');
  });

  it('treats an unloaded status of a session not yet closed as a draft', () => {
    expect(effectiveStatus(null, 'live')).toBe('draft');
    expect(effectiveStatus(null, 'scheduled')).toBe('draft');
    expect(effectiveStatus(null, 'closed')).toBeNull();
    expect(effectiveStatus(null, undefined)).toBeNull();
    expect(effectiveStatus({ status: 'approved' }, 'live')).toBe('approved');
  });
});

describe('review steps and transitions', () => {
  const base: MinutesStanding = {
    role: 'firstConvener',
    staffAccount: false,
    memberId: 'm-chen',
    status: 'draft',
    sessionState: 'closed',
    approvals: [],
  };

  it('marks the steps before, at and after the status', () => {
    expect(stepState('draft', 'approved')).toBe('done');
    expect(stepState('inReview', 'approved')).toBe('done');
    expect(stepState('approved', 'approved')).toBe('current');
    expect(stepState('published', 'approved')).toBe('todo');
  });

  it('lets conveners and staff submit a closed session for review', () => {
    expect(actionState('review', base)).toBe('ready');
    expect(actionState('review', { ...base, role: 'staff' })).toBe('ready');
    expect(actionState('review', { ...base, role: 'recorder' })).toBe('hidden');
    // A staff account steers whatever its role in the session (here the recorder).
    expect(actionState('review', { ...base, role: 'recorder', staffAccount: true })).toBe('ready');
    expect(actionState('review', { ...base, role: 'member' })).toBe('hidden');
    expect(actionState('review', { ...base, sessionState: 'live' })).toBe('notClosed');
    expect(actionState('review', { ...base, status: 'inReview' })).toBe('hidden');
  });

  it('lets each convener approve once, in review only', () => {
    const inReview = { ...base, status: 'inReview' as const };
    expect(actionState('approve', inReview)).toBe('ready');
    expect(actionState('approve', { ...inReview, role: 'secondConvener' })).toBe('ready');
    expect(actionState('approve', { ...inReview, role: 'staff' })).toBe('hidden');
    expect(actionState('approve', { ...inReview, approvals: ['m-chen'] })).toBe('approvedByYou');
    expect(actionState('approve', { ...inReview, approvals: ['m-wang'] })).toBe('ready');
    expect(actionState('approve', base)).toBe('hidden');
  });

  it('lets conveners and staff publish approved minutes', () => {
    const approved = { ...base, status: 'approved' as const };
    expect(actionState('publish', approved)).toBe('ready');
    expect(actionState('publish', { ...approved, role: 'staff' })).toBe('ready');
    expect(actionState('publish', { ...approved, role: 'recorder' })).toBe('hidden');
    expect(actionState('publish', { ...approved, role: 'recorder', staffAccount: true })).toBe('ready');
    expect(actionState('approve', { ...approved, status: 'inReview', role: 'staff', staffAccount: true })).toBe(
      'hidden',
    );
    expect(actionState('publish', { ...approved, status: 'published' })).toBe('hidden');
    expect(actionState('publish', { ...approved, status: 'inReview' })).toBe('hidden');
  });

  it('opens comments in review to every participant; chairs and the recorder resolve them', () => {
    expect(mayComment('citizenRep', 'inReview')).toBe(true);
    expect(mayComment('citizenRep', 'draft')).toBe(false);
    expect(mayComment('firstConvener', 'approved')).toBe(false);
    expect(mayComment(undefined, 'inReview')).toBe(false);
    expect(mayResolveComments('secondConvener')).toBe(true);
    expect(mayResolveComments('recorder')).toBe(true);
    expect(mayResolveComments('member')).toBe(false);
  });

  it('offers snapshots to writers and staff, exports once published', () => {
    expect(maySnapshot('recorder', 'draft')).toBe(true);
    expect(maySnapshot('staff', 'inReview')).toBe(true);
    expect(maySnapshot('member', 'draft')).toBe(false);
    expect(maySnapshot('member', 'draft', true)).toBe(true);
    expect(maySnapshot('firstConvener', 'approved')).toBe(false);
    expect(mayExport('published')).toBe(true);
    expect(mayExport('approved')).toBe(false);
  });
});
