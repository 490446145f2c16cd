import type { AgendaItem } from './domain';
import { limits } from './limits';

export type AgendaResult = { ok: true; agenda: AgendaItem[] } | { ok: false; error: 'NOT_FOUND' | 'BAD_REQUEST' };

/** Inserts an item after `afterItemId` (null: at the start). */
export function addAgendaItem(agenda: AgendaItem[], item: AgendaItem, afterItemId: string | null): AgendaResult {
  if (agenda.length >= limits.maxAgendaItems) return { ok: false, error: 'BAD_REQUEST' };
  if (agenda.some((a) => a.id === item.id)) return { ok: false, error: 'BAD_REQUEST' };
  if (afterItemId === null) return { ok: true, agenda: [item, ...agenda] };
  const at = agenda.findIndex((a) => a.id === afterItemId);
  if (at === -1) return { ok: false, error: 'NOT_FOUND' };
  return { ok: true, agenda: [...agenda.slice(0, at + 1), item, ...agenda.slice(at + 1)] };
}

export function updateAgendaItem(
  agenda: AgendaItem[],
  itemId: string,
  patch: Partial<Pick<AgendaItem, 'title' | 'plannedMinutes'>>,
): AgendaResult {
  if (!agenda.some((a) => a.id === itemId)) return { ok: false, error: 'NOT_FOUND' };
  return {
    ok: true,
    agenda: agenda.map((a) =>
      a.id === itemId
        ? { ...a, title: patch.title ?? a.title, plannedMinutes: patch.plannedMinutes ?? a.plannedMinutes }
        : a,
    ),
  };
}

/** Removes an item; the current item cannot be removed (move on first). */
export function removeAgendaItem(agenda: AgendaItem[], itemId: string, currentItemId: string | null): AgendaResult {
  if (!agenda.some((a) => a.id === itemId)) return { ok: false, error: 'NOT_FOUND' };
  if (itemId === currentItemId) return { ok: false, error: 'BAD_REQUEST' };
  return { ok: true, agenda: agenda.filter((a) => a.id !== itemId) };
}

/** Reorders the agenda; `itemIds` must name every item exactly once. */
export function reorderAgenda(agenda: AgendaItem[], itemIds: string[]): AgendaResult {
  const byId = new Map(agenda.map((a) => [a.id, a]));
  if (itemIds.length !== agenda.length || new Set(itemIds).size !== itemIds.length) {
    return { ok: false, error: 'BAD_REQUEST' };
  }
  const next: AgendaItem[] = [];
  for (const id of itemIds) {
    const item = byId.get(id);
    if (!item) return { ok: false, error: 'NOT_FOUND' };
    next.push(item);
  }
  return { ok: true, agenda: next };
}
