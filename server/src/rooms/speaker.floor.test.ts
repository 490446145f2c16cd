import type { Speaker, SpeakerQueue } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { queueOutcome, stageOf, turnRecord, turnTimeLeft } from './speaker.floor';

const turn = (over: Partial<Speaker> = {}): Speaker => ({
  memberId: 'm-li',
  itemId: 'a-1',
  startedAt: '2026-03-01T09:00:00.000Z',
  endsAt: '2026-03-01T09:03:00.000Z',
  pointOfOrder: false,
  ...over,
});

const at = (iso: string) => new Date(iso);

describe('turnRecord', () => {
  it('lasts from the start to the moment the turn ends, in whole seconds', () => {
    const r = turnRecord('s-1', turn(), at('2026-03-01T09:01:10.400Z'));
    expect(r).toEqual({
      _id: 's-1:m-li:2026-03-01T09:00:00.000Z',
      sessionId: 's-1',
      memberId: 'm-li',
      itemId: 'a-1',
      startedAt: at('2026-03-01T09:00:00.000Z'),
      durationSeconds: 70,
      pointOfOrder: false,
    });
  });

  it('stops at the time limit when the turn is ended after its time was up', () => {
    expect(turnRecord('s-1', turn(), at('2026-03-01T09:10:00.000Z')).durationSeconds).toBe(180);
  });

  it('never counts below zero (a clock that stepped back)', () => {
    expect(turnRecord('s-1', turn(), at('2026-03-01T08:59:00.000Z')).durationSeconds).toBe(0);
  });

  it('keeps a point of order, and reads an older turn without the flag as an ordinary one', () => {
    expect(turnRecord('s-1', turn({ pointOfOrder: true }), at('2026-03-01T09:00:05.000Z')).pointOfOrder).toBe(true);
    const { pointOfOrder: _, ...old } = turn();
    expect(turnRecord('s-1', old as Speaker, at('2026-03-01T09:00:05.000Z')).pointOfOrder).toBe(false);
  });

  it('gives each turn its own id, so a turn recorded twice is one record', () => {
    const a = turnRecord('s-1', turn(), at('2026-03-01T09:01:00.000Z'));
    const again = turnRecord('s-1', turn(), at('2026-03-01T09:02:00.000Z'));
    const next = turnRecord('s-1', turn({ startedAt: '2026-03-01T09:05:00.000Z' }), at('2026-03-01T09:06:00.000Z'));
    expect(again._id).toBe(a._id);
    expect(next._id).not.toBe(a._id);
  });
});

describe('turnTimeLeft', () => {
  it('is the time until the limit, and zero once it has passed', () => {
    const endsAt = Date.parse('2026-03-01T09:03:00.000Z');
    expect(turnTimeLeft(turn(), endsAt - 1500)).toBe(1500);
    expect(turnTimeLeft(turn(), endsAt)).toBe(0);
    expect(turnTimeLeft(turn(), endsAt + 60_000)).toBe(0);
  });
});

describe('stageOf', () => {
  it('names the speaker and everyone in the queue', () => {
    const s: SpeakerQueue = {
      speaker: turn({ memberId: 'm-wang' }),
      queue: [
        { memberId: 'm-li', pointOfOrder: false, raisedAt: '2026-03-01T09:00:01.000Z' },
        { memberId: 'm-zhao', pointOfOrder: true, raisedAt: '2026-03-01T09:00:02.000Z' },
      ],
    };
    expect([...stageOf(s)].sort()).toEqual(['m-li', 'm-wang', 'm-zhao']);
    expect(stageOf({ speaker: null, queue: [] }).size).toBe(0);
  });
});

describe('queueOutcome', () => {
  const s: SpeakerQueue = { speaker: null, queue: [] };

  it('passes a queue through', () => {
    expect(queueOutcome(s)).toBe(s);
    expect(queueOutcome({ ok: true, speakers: s })).toBe(s);
  });

  it('turns a refusal of the rules into the matching error', () => {
    expect(() => queueOutcome({ ok: false, error: 'NOT_FOUND' })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
    );
    expect(() => queueOutcome({ ok: false, error: 'BAD_REQUEST' })).toThrow(AppError);
    expect(() => queueOutcome({ ok: false, error: 'BAD_REQUEST' })).toThrow('The queue cannot change that way.');
  });
});
