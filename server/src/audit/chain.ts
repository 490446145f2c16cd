import { createHash } from 'node:crypto';
import type { AuditEntryDoc } from './audit.model';

/** The previous hash of entry 1. */
export const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted at every depth: the same entry always gives the same text. */
export function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type Content = Omit<AuditEntryDoc, 'hash' | 'prevHash'>;

/** sha256 over the canonical entry (seq, time, actor, action, target, details) and the previous hash. */
export function entryHash(e: Content, prevHash: string): string {
  const text = canonical([
    e._id,
    e.at.toISOString(),
    e.actor ? { id: e.actor.id, name: e.actor.name } : null,
    e.action,
    e.target,
    e.details ?? {},
  ]);
  return createHash('sha256').update(`${text}\n${prevHash}`).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: 'edited' | 'missing' | 'relinked';
  message: string;
}

/**
 * Walks the log in sequence order and reports where it breaks: an entry whose content no longer
 * gives its hash (edited, or moved to another seq), a gap in the sequence (removed), or an
 * entry whose previous hash is not the hash before it (removed, reordered or spliced). Removing
 * entries from the very end leaves no trace in the chain itself; staff note the head they saw.
 */
export async function* walk(entries: AsyncIterable<AuditEntryDoc>): AsyncGenerator<ChainProblem, number> {
  let expected = 1;
  let prev = GENESIS;
  let count = 0;
  for await (const e of entries) {
    count += 1;
    if (e._id !== expected) {
      yield { seq: expected, problem: 'missing', message: `entries ${expected}–${e._id - 1} are missing` };
    }
    if (e.prevHash !== prev) {
      yield { seq: e._id, problem: 'relinked', message: `entry ${e._id} does not follow the entry before it` };
    }
    if (entryHash(e, e.prevHash) !== e.hash) {
      yield { seq: e._id, problem: 'edited', message: `entry ${e._id} was changed after it was written` };
    }
    prev = e.hash;
    expected = e._id + 1;
  }
  return count;
}
