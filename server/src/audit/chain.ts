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

/**
 * The value with every lone UTF-16 surrogate replaced by U+FFFD, at every depth (keys too). BSON
 * stores strings as UTF-8, where a lone surrogate cannot exist, so the database would keep
 * U+FFFD while the hash covered the surrogate, and the entry would look edited forever. What is
 * hashed must be what is stored. (String.prototype.toWellFormed is not in this TypeScript lib.)
 */
export function wellFormed<T>(value: T): T {
  return clean(value) as T;
}

const loneSurrogate = /\p{Cs}/gu;

function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(loneSurrogate, '\uFFFD');
  if (Array.isArray(value)) return value.map(clean);
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), clean(v)]));
}

/** The first `max` code points of `text`: slicing UTF-16 units could split a surrogate pair. */
export const clip = (text: string, max: number) => Array.from(text).slice(0, max).join('');

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
