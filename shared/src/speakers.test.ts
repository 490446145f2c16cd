import { describe, expect, it } from 'vitest';
import type { SpeakerQueue } from './domain';
import { grantFloor, lowerHand, raiseHand, reorderQueue } from './speakers';

const empty: SpeakerQueue = { queue: [], speaker: null };
const ids = (s: SpeakerQueue) => s.queue.map((q) => `${q.memberId}${q.pointOfOrder ? '!' : ''}`);

describe('speaker queue', () => {
  it('queues hands in order and lets a point of order jump ahead of ordinary hands', () => {
    let s = raiseHand(empty, 'a', false, 't1');
    s = raiseHand(s, 'b', false, 't2');
    s = raiseHand(s, 'c', true, 't3');
    s = raiseHand(s, 'd', true, 't4');
    expect(ids(s)).toEqual(['c!', 'd!', 'a', 'b']);
    // Raising again does not lose the place; a point of order upgrades an ordinary hand.
    expect(ids(raiseHand(s, 'a', false, 't5'))).toEqual(['c!', 'd!', 'a', 'b']);
    expect(ids(raiseHand(s, 'b', true, 't5'))).toEqual(['c!', 'd!', 'b!', 'a']);
    expect(ids(lowerHand(s, 'd'))).toEqual(['c!', 'a', 'b']);
  });

  it('grants the floor to the head of the queue or to a named member', () => {
    let s = raiseHand(raiseHand(empty, 'a', false, 't1'), 'b', false, 't2');
    const turn = { itemId: 'a1', startedAt: 't3', endsAt: 't4' };
    const head = grantFloor(s, null, turn);
    expect(head.ok && head.speakers.speaker?.memberId).toBe('a');
    expect(head.ok && ids(head.speakers)).toEqual(['b']);
    const named = grantFloor(s, 'b', turn);
    expect(named.ok && named.speakers.speaker?.memberId).toBe('b');
    s = empty;
    expect(grantFloor(s, null, turn)).toEqual({ ok: false, error: 'NOT_FOUND' });
  });

  it.each([
    [['b', 'a'], true],
    [['a'], false],
    [['a', 'a'], false],
    [['a', 'x'], false],
  ])('reorders to %j: %s', (order, accepted) => {
    const s = raiseHand(raiseHand(empty, 'a', false, 't1'), 'b', false, 't2');
    expect(reorderQueue(s, order).ok).toBe(accepted);
  });
});
