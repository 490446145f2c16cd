import { describe, expect, it } from 'vitest';
import { hindrance, mayEmit } from './permissions';

describe('permissions', () => {
  it('follows eventRoles for showing controls', () => {
    expect(mayEmit('firstConvener', 'poll:create')).toBe(true);
    expect(mayEmit('staff', 'poll:create')).toBe(false);
    expect(mayEmit('staff', 'vote:paper')).toBe(true);
    expect(mayEmit('member', 'hand:raise')).toBe(true);
    expect(mayEmit('recorder', 'hand:raise')).toBe(false);
    expect(mayEmit(undefined, 'room:snapshot')).toBe(false);
  });

  it('explains refusals by session state and muting, in the server order', () => {
    const member = { role: 'member' as const, state: 'live' as const, muted: false };
    expect(hindrance(member, 'hand:raise')).toBeNull();
    expect(hindrance({ ...member, state: 'scheduled' }, 'hand:raise')).toBe('notLive');
    expect(hindrance({ ...member, state: 'scheduled' }, 'agenda:add')).toBeNull();
    expect(hindrance({ ...member, state: 'closed', muted: true }, 'hand:raise')).toBe('closed');
    expect(hindrance({ ...member, state: 'closed' }, 'poll:publish')).toBeNull();
    expect(hindrance({ ...member, muted: true }, 'suggestion:submit')).toBe('muted');
    expect(hindrance({ ...member, muted: true }, 'vote:cast')).toBeNull();
    expect(hindrance({ ...member, state: 'scheduled', muted: true }, 'hand:raise')).toBe('notLive');
  });
});
