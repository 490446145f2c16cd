import { describe, expect, it } from 'vitest';
import { caretColors, memberColor, peersOf } from './peers';
import { syncState } from './syncState';

describe('minutes presence', () => {
  it('gives each member one stable colour the caret accepts', () => {
    expect(memberColor('m-li-na')).toBe(memberColor('m-li-na'));
    for (const id of ['m-li-na', 'm-chen-liqun', 'o-wang-haitao', 's-li-na', '']) {
      expect(memberColor(id)).toMatch(/^#[0-9a-f]{6}$/);
      expect(caretColors).toContain(memberColor(id));
    }
  });

  it('lists each person once, editing if any tab edits, yourself first', () => {
    const states = new Map<number, unknown>([
      [1, { user: { memberId: 'm-b', name: '王海涛', color: '#1f5fbf', editing: false } }],
      [2, { user: { memberId: 'm-a', name: '李娜', color: '#9f1c20', editing: false } }],
      [3, { user: { memberId: 'm-b', name: '王海涛', color: '#1f5fbf', editing: true } }],
      [4, { cursor: null }],
      [5, { user: { name: 'no id' } }],
    ]);
    const peers = peersOf(states, 'm-b');
    expect(peers.map((p) => [p.memberId, p.editing, p.self])).toEqual([
      ['m-b', true, true],
      ['m-a', false, false],
    ]);
  });
});

describe('sync line', () => {
  it('says synced only when connected and caught up', () => {
    expect(syncState('connected', true, true)).toBe('synced');
    expect(syncState('connected', false, true)).toBe('syncing');
  });

  it('tells an editor who lost the connection that edits wait, even while the provider retries', () => {
    expect(syncState('offline', false, true)).toBe('offline');
    expect(syncState('connecting', false, true)).toBe('offline');
    expect(syncState('connecting', false, false)).toBe('connecting');
    expect(syncState('refused', false, true)).toBe('refused');
  });
});
