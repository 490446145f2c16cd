import { describe, expect, it } from 'vitest';
import { addAgendaItem, removeAgendaItem, reorderAgenda, updateAgendaItem } from './agenda';
import type { AgendaItem } from './domain';

const items: AgendaItem[] = [
  { id: 'a1', title: '通报', plannedMinutes: 10 },
  { id: 'a2', title: '讨论', plannedMinutes: 40 },
];
const order = (r: ReturnType<typeof reorderAgenda>) => (r.ok ? r.agenda.map((a) => a.id) : r.error);

describe('agenda', () => {
  it('adds at the start, after an item, and refuses an unknown anchor or a duplicate id', () => {
    const x = { id: 'x', title: '新增', plannedMinutes: 5 };
    expect(order(addAgendaItem(items, x, null))).toEqual(['x', 'a1', 'a2']);
    expect(order(addAgendaItem(items, x, 'a1'))).toEqual(['a1', 'x', 'a2']);
    expect(order(addAgendaItem(items, x, 'zz'))).toBe('NOT_FOUND');
    expect(order(addAgendaItem(items, { ...x, id: 'a1' }, null))).toBe('BAD_REQUEST');
  });

  it('updates, removes (never the current item) and reorders', () => {
    const u = updateAgendaItem(items, 'a2', { plannedMinutes: 30 });
    expect(u.ok && u.agenda[1]).toEqual({ id: 'a2', title: '讨论', plannedMinutes: 30 });
    expect(order(removeAgendaItem(items, 'a1', 'a2'))).toEqual(['a2']);
    expect(order(removeAgendaItem(items, 'a2', 'a2'))).toBe('BAD_REQUEST');
    expect(order(reorderAgenda(items, ['a2', 'a1']))).toEqual(['a2', 'a1']);
    expect(order(reorderAgenda(items, ['a2']))).toBe('BAD_REQUEST');
  });
});
