import { describe, expect, it } from 'vitest';
import { quietHoursEnd, urgentNotifyKinds } from './notify';

/** An instant given in China time. */
const china = (local: string) => new Date(`${local}+08:00`);

describe('quietHoursEnd', () => {
  it('is null outside quiet hours and without them', () => {
    expect(quietHoursEnd(china('2026-03-02T12:00:00'), { from: '22:00', to: '07:30' })).toBeNull();
    expect(quietHoursEnd(china('2026-03-02T07:30:00'), { from: '22:00', to: '07:30' })).toBeNull();
    expect(quietHoursEnd(china('2026-03-02T23:00:00'), null)).toBeNull();
  });

  it('ends the next morning for a span that passes midnight', () => {
    expect(quietHoursEnd(china('2026-03-02T22:00:00'), { from: '22:00', to: '07:30' })).toEqual(
      china('2026-03-03T07:30:00'),
    );
    expect(quietHoursEnd(china('2026-03-03T06:59:30'), { from: '22:00', to: '07:30' })).toEqual(
      china('2026-03-03T07:30:00'),
    );
  });

  it('ends the same day for a span within the day', () => {
    expect(quietHoursEnd(china('2026-03-02T12:15:00'), { from: '12:00', to: '14:00' })).toEqual(
      china('2026-03-02T14:00:00'),
    );
  });

  it('counts in China time whatever the instant’s UTC date', () => {
    // 2026-03-02T23:30 in China is 15:30 UTC the same day; 01:00 China is 17:00 UTC the day before.
    expect(quietHoursEnd(new Date('2026-03-02T17:00:00Z'), { from: '23:00', to: '06:00' })).toEqual(
      china('2026-03-03T06:00:00'),
    );
  });
});

describe('urgent kinds', () => {
  it('are the hour before a session and the floor', () => {
    expect([...urgentNotifyKinds].sort()).toEqual(['floorYours', 'sessionHourBefore']);
  });
});
