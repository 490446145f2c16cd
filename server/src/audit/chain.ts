import { createHmac } from 'node:crypto';
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

/**
 * Version 2: HMAC-SHA256 under the audit key (an HKDF subkey of the server secret, which is not
 * in the database). Version 1 was a plain SHA-256 that anyone able to write to the database could
 * recompute over a rewritten log; there were no deployments, so v1 entries are simply reported.
 */
export const CHAIN_VERSION = 2;

/** HMAC over the canonical entry (version, seq, time, actor, action, target, details) and the previous hash. */
export function entryHash(e: Content, prevHash: string, key: Buffer): string {
  const text = canonical([
    e.v,
    e._id,
    e.at.toISOString(),
    e.actor ? { id: e.actor.id, name: e.actor.name } : null,
    e.action,
    e.target,
    e.details ?? {},
  ]);
  return createHmac('sha256', key).update(`${text}\n${prevHash}`).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: 'edited' | 'missing' | 'relinked' | 'cut';
  message: string;
}

/**
 * Walks the log in sequence order and reports where it breaks: an entry whose content no longer
 * gives its hash (edited, or moved to another seq), a gap in the sequence (removed), or an
 * entry whose previous hash is not the hash before it (removed, reordered or spliced). Without
 * `key` no hash can be recomputed over a rewritten log. Removing entries from the very end leaves
 * no trace in the chain itself: the head the server logs is compared separately (verifyLog).
 */
export async function* walk(entries: AsyncIterable<AuditEntryDoc>, key: Buffer): AsyncGenerator<ChainProblem, number> {
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
    if (e.v !== CHAIN_VERSION) {
      yield { seq: e._id, problem: 'edited', message: `entry ${e._id} is not a keyed (v${CHAIN_VERSION}) entry` };
    } else if (entryHash(e, e.prevHash, key) !== e.hash) {
      yield { seq: e._id, problem: 'edited', message: `entry ${e._id} was changed after it was written` };
    }
    prev = e.hash;
    expected = e._id + 1;
  }
  return count;
}
