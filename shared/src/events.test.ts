import { describe, expect, it } from 'vitest';
import { SessionRole } from './domain';
import { clientEventSchemas, eventRoles, liveOnlyEvents, mutedRefused, readOnlyEvents } from './events';

describe('event contract', () => {
  it('gives every event a role rule, and only names real events in the special sets', () => {
    const names = Object.keys(clientEventSchemas).sort();
    expect(Object.keys(eventRoles).sort()).toEqual(names);
    for (const set of [liveOnlyEvents, readOnlyEvents, mutedRefused]) {
      for (const e of set) expect(names).toContain(e);
    }
    for (const roles of Object.values(eventRoles)) {
      for (const r of roles) expect(SessionRole.options).toContain(r);
    }
  });

  it('refuses extra fields and bad content on vote:cast', () => {
    const schema = clientEventSchemas['vote:cast'];
    const good = {
      pollId: 'p1',
      ballotId: '0b6f4f1e-8d1a-4a53-9a39-6f0d3c0a4a11',
      content: { kind: 'yesno', choice: 'yes' },
    };
    expect(schema.safeParse(good).success).toBe(true);
    expect(schema.safeParse({ ...good, content: { kind: 'yesno', choice: 'maybe' } }).success).toBe(false);
    expect(schema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ ...good, ballotId: 'not-a-uuid' }).success).toBe(false);
  });

  it('trims and caps suggestions', () => {
    const schema = clientEventSchemas['suggestion:submit'];
    expect(schema.safeParse({ text: '   ' }).success).toBe(false);
    expect(schema.safeParse({ text: '建'.repeat(2001) }).success).toBe(false);
    expect(schema.parse({ text: ' 建议设置临时摊位区 ' })).toEqual({ text: '建议设置临时摊位区' });
  });

  it('keeps muted and read-only rules consistent with roles', () => {
    // Only conveners (and staff) steer; members never may close a session or open a poll.
    expect(eventRoles['session:close']).not.toContain('member');
    expect(eventRoles['poll:open']).not.toContain('member');
    expect(eventRoles['vote:paper']).toEqual(['staff']);
  });
});
