import { describe, expect, it } from 'vitest';
import { clientEventSchemas, eventRoles } from './events';

describe('event contract', () => {
  it('gives every event a role rule', () => {
    expect(Object.keys(eventRoles).sort()).toEqual(Object.keys(clientEventSchemas).sort());
  });

  it('refuses extra fields and bad choices on vote:cast', () => {
    const schema = clientEventSchemas['vote:cast'];
    const good = { pollId: 'p1', ballotId: '0b6f4f1e-8d1a-4a53-9a39-6f0d3c0a4a11', choice: 'yes' };
    expect(schema.safeParse(good).success).toBe(true);
    expect(schema.safeParse({ ...good, choice: 'maybe' }).success).toBe(false);
    expect(schema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ ...good, ballotId: 'not-a-uuid' }).success).toBe(false);
  });

  it('trims and caps poll questions', () => {
    const schema = clientEventSchemas['poll:open'];
    expect(schema.safeParse({ question: '   ' }).success).toBe(false);
    expect(schema.safeParse({ question: '同意'.repeat(101) }).success).toBe(false);
    expect(schema.parse({ question: ' 是否同意整治方案? ' })).toEqual({ question: '是否同意整治方案?' });
  });
});
