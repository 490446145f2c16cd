import { Id } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { deliveryKey, presentDelivery } from './outbox';

describe('deliveryKey', () => {
  const topic = { kind: 'topic', status: 'declined', reason: '不属于协商范围' } as const;
  const tracking = {
    kind: 'tracking',
    trackingItemId: 'tr-o-1',
    status: 'reportedDone',
    text: '路灯已修复',
    department: '市城管局',
  } as const;

  it('is the same for the same change and a valid id', () => {
    const key = deliveryKey('HA-0001', topic, 0);
    expect(deliveryKey('HA-0001', { ...topic, reason: 'another wording' }, 0)).toBe(key);
    expect(Id.safeParse(key).success).toBe(true);
    expect(Id.safeParse(deliveryKey('X'.repeat(48), tracking, 12)).success).toBe(true);
  });

  it('differs by ticket, change, tracking item and occurrence', () => {
    const keys = [
      deliveryKey('HA-0001', topic, 0),
      deliveryKey('HA-0002', topic, 0),
      deliveryKey('HA-0001', { ...topic, status: 'closed', reason: null }, 0),
      deliveryKey('HA-0001', tracking, 1),
      deliveryKey('HA-0001', tracking, 2),
      deliveryKey('HA-0001', { ...tracking, trackingItemId: 'tr-o-2' }, 1),
      deliveryKey('HA-0001', { ...tracking, status: 'verified' }, 1),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('presentDelivery', () => {
  it('reads stored dates and absent fields', () => {
    const at = new Date('2025-03-01T08:00:00Z');
    const view = presentDelivery({
      _id: 'hd-1',
      ticketId: 'HA-0001',
      topicId: 'tp-hotline-HA-0001',
      change: { kind: 'topic', status: 'accepted', reason: null },
      body: '{}',
      state: 'pending',
      attempts: [{ at, statusCode: null, error: 'timed out', nextAttemptAt: new Date(at.getTime() + 1_000) }],
      roundStart: 0,
      nextAttemptAt: new Date(at.getTime() + 1_000),
      createdAt: at,
    });
    expect(view).toMatchObject({
      createdAt: '2025-03-01T08:00:00.000Z',
      nextAttemptAt: '2025-03-01T08:00:01.000Z',
      attempts: [{ at: '2025-03-01T08:00:00.000Z', statusCode: null, error: 'timed out' }],
    });
  });
});
