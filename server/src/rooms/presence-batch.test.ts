import type { PresenceChange, PresenceEntry } from '@yitang/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PresenceBatch } from './presence-batch';

const person = (memberId: string, over: Partial<PresenceEntry> = {}): PresenceEntry => ({
  memberId,
  name: memberId,
  role: 'member',
  online: true,
  inHall: false,
  muted: false,
  ...over,
});

/** A room's presence map and the frames its batch sends; the clock is vitest's. */
function room() {
  const present = new Map<string, PresenceEntry>();
  const frames: Omit<PresenceChange, 'counts'>[] = [];
  const batch = new PresenceBatch({
    intervalMs: 250,
    deliveriesPerSecond: 1000,
    recipients: () => present.size,
    current: (id) => present.get(id) ?? null,
    send: (change) => frames.push(change),
  });
  const set = (id: string, entry: PresenceEntry | null) => {
    if (entry) present.set(id, entry);
    else present.delete(id);
    batch.changed(id);
  };
  return { present, frames, batch, set };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('presence batch', () => {
  it('sends the first change at once and coalesces the ones that follow within the interval', () => {
    const r = room();
    r.set('a', person('a'));
    expect(r.frames).toEqual([{ entries: [person('a')], left: [] }]);

    vi.advanceTimersByTime(100);
    for (let i = 0; i < 300; i += 1) r.set(`n${i}`, person(`n${i}`));
    r.set('a', person('a', { muted: true }));
    expect(r.frames).toHaveLength(1); // nothing more before the interval is over

    vi.advanceTimersByTime(149);
    expect(r.frames).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(r.frames).toHaveLength(2);
    expect(r.frames[1]?.entries).toHaveLength(301);
    expect(r.frames[1]?.entries.at(-1)).toEqual(person('a', { muted: true }));
    expect(r.frames[1]?.left).toEqual([]);
  });

  it('shows a member who came and went within one interval only as left, and one who came back as present', () => {
    const r = room();
    r.set('a', person('a'));
    r.set('b', person('b'));
    r.set('b', null);
    r.set('a', null);
    r.set('a', person('a', { inHall: true }));
    vi.advanceTimersByTime(250);
    expect(r.frames).toEqual([
      { entries: [person('a')], left: [] },
      { entries: [person('a', { inHall: true })], left: ['b'] },
    ]);
  });

  it('sends at once again after a quiet interval, and never more often than the interval', () => {
    const r = room();
    r.set('a', person('a'));
    vi.advanceTimersByTime(1000);
    r.set('b', person('b'));
    expect(r.frames).toHaveLength(2);
    // A steady trickle, one change every 50 ms for 2 s: at most one frame per 250 ms.
    for (let i = 0; i < 40; i += 1) {
      vi.advanceTimersByTime(50);
      r.set(`t${i}`, person(`t${i}`));
    }
    vi.advanceTimersByTime(250);
    const trickle = r.frames.slice(2);
    expect(trickle.length).toBeLessThanOrEqual(2000 / 250 + 1);
    expect(trickle.flatMap((f) => f.entries.map((e) => e.memberId))).toEqual(
      Array.from({ length: 40 }, (_, i) => `t${i}`),
    );
  });

  it('sends less often in a large room: frames × people present stay within the budget', () => {
    const r = room();
    for (let i = 0; i < 5000; i += 1) r.present.set(`p${i}`, person(`p${i}`));
    expect(r.batch.interval()).toBe(5000);
    r.set('a', person('a'));
    r.set('b', person('b')); // waits the interval of a room of 5,002
    vi.advanceTimersByTime(5001);
    expect(r.frames).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(r.frames.map((f) => f.entries.map((e) => e.memberId))).toEqual([['a'], ['b']]);
    // A room of a couple of hundred keeps the plain rate.
    for (let i = 0; i < 4800; i += 1) r.present.delete(`p${i}`);
    expect(r.batch.interval()).toBe(250);
  });

  it('sends nothing once disposed', () => {
    const r = room();
    r.set('a', person('a'));
    r.set('b', person('b'));
    r.batch.dispose();
    vi.advanceTimersByTime(1000);
    expect(r.frames).toHaveLength(1);
  });
});
