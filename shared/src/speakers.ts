import type { QueueEntry, SpeakerQueue } from './domain';

export type QueueResult = { ok: true; speakers: SpeakerQueue } | { ok: false; error: 'NOT_FOUND' | 'BAD_REQUEST' };

/**
 * Raises a hand. A point of order goes ahead of every ordinary hand (behind earlier points of
 * order); raising again only upgrades an ordinary hand to a point of order.
 */
export function raiseHand(s: SpeakerQueue, memberId: string, pointOfOrder: boolean, at: string): SpeakerQueue {
  const existing = s.queue.find((q) => q.memberId === memberId);
  if (existing && (existing.pointOfOrder || !pointOfOrder)) return s;
  const rest = s.queue.filter((q) => q.memberId !== memberId);
  const entry: QueueEntry = { memberId, pointOfOrder, raisedAt: existing?.raisedAt ?? at };
  if (!pointOfOrder) return { ...s, queue: [...rest, entry] };
  const firstOrdinary = rest.findIndex((q) => !q.pointOfOrder);
  const at2 = firstOrdinary === -1 ? rest.length : firstOrdinary;
  return { ...s, queue: [...rest.slice(0, at2), entry, ...rest.slice(at2)] };
}

export function lowerHand(s: SpeakerQueue, memberId: string): SpeakerQueue {
  return { ...s, queue: s.queue.filter((q) => q.memberId !== memberId) };
}

/** Reorders the queue; `memberIds` must name every queued member exactly once. */
export function reorderQueue(s: SpeakerQueue, memberIds: string[]): QueueResult {
  const byId = new Map(s.queue.map((q) => [q.memberId, q]));
  if (memberIds.length !== s.queue.length || new Set(memberIds).size !== memberIds.length) {
    return { ok: false, error: 'BAD_REQUEST' };
  }
  const queue: QueueEntry[] = [];
  for (const id of memberIds) {
    const q = byId.get(id);
    if (!q) return { ok: false, error: 'NOT_FOUND' };
    queue.push(q);
  }
  return { ok: true, speakers: { ...s, queue } };
}

/**
 * Gives the floor to `memberId`, or to the head of the queue when null. The new speaker leaves the
 * queue. The caller ends any current turn first (and records it).
 */
export function grantFloor(
  s: SpeakerQueue,
  memberId: string | null,
  turn: { itemId: string | null; startedAt: string; endsAt: string },
): QueueResult {
  const chosen = memberId ?? s.queue[0]?.memberId;
  if (!chosen) return { ok: false, error: 'NOT_FOUND' };
  const pointOfOrder = s.queue.find((q) => q.memberId === chosen)?.pointOfOrder ?? false;
  return {
    ok: true,
    speakers: {
      queue: s.queue.filter((q) => q.memberId !== chosen),
      speaker: { memberId: chosen, ...turn, pointOfOrder },
    },
  };
}

export function endTurn(s: SpeakerQueue): SpeakerQueue {
  return { ...s, speaker: null };
}
