import { describe, expect, it } from 'vitest';
import { activityDutyRecords, attendanceRecord } from './activity.duty';
import type { ActivityDoc, ActivityInvitation } from './activity.model';

const invited = (memberId: string, more: Partial<ActivityInvitation> = {}): ActivityInvitation => ({
  memberId,
  name: memberId,
  answer: 'attend',
  leaveReason: null,
  leave: null,
  answeredAt: null,
  ...more,
});

const activity = (kind: ActivityDoc['kind'], state: ActivityDoc['state'] = 'closed') => ({
  _id: 'act-1',
  kind,
  title: '背街小巷视察',
  date: '2026-05-12',
  state,
  invitations: [
    invited('m-a'),
    invited('m-b', { answer: 'leave', leaveReason: '出差', leave: 'approved' }),
    invited('m-c', { answer: 'leave', leaveReason: '有事', leave: 'refused' }),
    invited('m-d', { answer: 'pending' }),
  ],
});

describe('activity duty records', () => {
  it('maps each kind to its duty kind; a staff visit earns nothing', () => {
    const kinds = (
      ['research', 'inspection', 'training', 'supervision', 'appraisal', 'attendMeeting', 'sector', 'visit'] as const
    ).map((k) => attendanceRecord(activity(k), 'm-a')?.kind ?? null);
    expect(kinds).toEqual(['research', 'inspection', 'training', 'activity', 'activity', 'activity', 'activity', null]);
    expect(attendanceRecord(activity('inspection'), 'm-a')).toMatchObject({
      id: 'act:act-1:m-a',
      date: '2026-05-12',
      source: 'activity',
      title: '参加视察《背街小巷视察》',
    });
  });

  it('after close: attendance, absence without approved leave, approved leave retires the absence', () => {
    const records = activityDutyRecords(activity('inspection'), new Set(['m-a']));
    expect(records.map((r) => [r.id, r.kind, r.retired ?? false])).toEqual([
      ['act:act-1:m-a', 'inspection', false],
      ['act:act-1:m-b:absent', 'absence', true],
      ['act:act-1:m-c:absent', 'absence', false],
      ['act:act-1:m-d:absent', 'absence', false],
    ]);
  });

  it('nothing before close, and no absence from a visit', () => {
    expect(activityDutyRecords(activity('inspection', 'scheduled'), new Set(['m-a']))).toEqual([]);
    expect(activityDutyRecords(activity('visit'), new Set(['m-a']))).toEqual([]);
  });
});
