import type { AuditEntryView, AuditJson, AuditQuery } from '@yitang/shared';
import { auditPageSize } from '@yitang/shared';
import { type Models, trusted } from '../db/models';
import { isDuplicateKey } from '../errors';
import { Serial } from '../lib/serial';
import type { Logger } from '../logger';
import type { AuditEntryDoc } from './audit.model';
import { CHAIN_VERSION, type ChainProblem, entryHash, GENESIS, walk, wellFormed } from './chain';

export interface AuditRecord {
  /** Who did it; null for the system (or a sign-in attempt with no account behind it). */
  actor: { id: string; name: string } | null;
  /** What was done, e.g. `auth.login`, `poll:open`, `minutes.transition`. */
  action: string;
  /** What it was done to: a session, a poll, a login name. */
  target?: string | null;
  details?: { [key: string]: AuditJson };
}

export interface Audit {
  /**
   * Appends one entry. Never rejects: a failure is logged (as an error) so a caller's action is
   * not undone by its audit line; the entry is retried while another writer holds its seq.
   */
  record(entry: AuditRecord): Promise<void>;
  list(query: AuditQuery): Promise<AuditEntryView[]>;
  /** Every break in the chain, in order, and how many entries were read. */
  verify(): Promise<{ checked: number; problems: ChainProblem[] }>;
  /**
   * Calls `fn` with each entry once it is stored. Entries of REST calls and room events are
   * appended behind the answer, so a test waits on this rather than polling the log.
   */
  onRecorded(fn: (entry: AuditEntryView) => void): () => void;
}

/** Appends that lose the race for a seq this many times in a row give up (and log it). */
const maxAttempts = 100;

export const presentEntry = (e: AuditEntryDoc): AuditEntryView => ({
  seq: e._id,
  at: e.at.toISOString(),
  actor: e.actor ? { id: e.actor.id, name: e.actor.name } : null,
  action: e.action,
  target: e.target,
  details: e.details ?? {},
  prevHash: e.prevHash,
  hash: e.hash,
});

/** An entry seen outside the database (the server logs 'audit head'): the log must still hold it. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** How often at most the server logs the head of the chain, so a cut tail can be found later. */
const headLogEveryMs = 60_000;

export async function verifyLog(
  models: Models,
  key: Buffer,
  head?: AuditHead,
): Promise<{ checked: number; problems: ChainProblem[] }> {
  const problems: ChainProblem[] = [];
  const it = walk(models.AuditEntry.find({}).sort({ _id: 1 }).lean<AuditEntryDoc>().cursor(), key);
  for (;;) {
    const step = await it.next();
    if (step.done) {
      if (head) {
        const seen = await models.AuditEntry.findById(head.seq, { hash: 1 }).lean();
        if (!seen) {
          const message = `entry ${head.seq}, logged as the head, is gone: the end of the log was cut`;
          problems.push({ seq: head.seq, problem: 'cut', message });
        } else if (seen.hash !== head.hash) {
          const message = `entry ${head.seq} is not the entry logged as the head`;
          problems.push({ seq: head.seq, problem: 'edited', message });
        }
      }
      return { checked: step.value, problems };
    }
    problems.push(step.value);
  }
}

export function createAudit(deps: {
  models: Models;
  logger: Logger;
  /** The chain's HMAC key (lib/server-key.ts 'audit chain'), never in the database. */
  key: Buffer;
  /** The clock of the head's log lines. */
  now?: () => number;
}): Audit {
  const { AuditEntry } = deps.models;
  const now = deps.now ?? Date.now;
  let headLoggedAt = Number.NEGATIVE_INFINITY;
  const listeners = new Set<(entry: AuditEntryView) => void>();
  // One append at a time in this process: its own appends never race each other for a seq.
  const serial = new Serial();

  /**
   * The chain's last entry as this process last saw it, read once (`undefined` until then): the
   * embedded FerretDB does not push a sort down, so finding the head each time read and sorted the
   * whole log on every sign-in. Entries another node appended meanwhile are found when their seq
   * is taken (a duplicate key), by walking forward one `_id` at a time.
   */
  let known: { _id: number; hash: string } | null | undefined;
  const readHead = async () => {
    const head = await AuditEntry.findOne({}, { _id: 1, hash: 1 }).sort({ _id: -1 }).lean();
    return head ? { _id: head._id, hash: head.hash } : null;
  };
  const catchUp = async (from: { _id: number; hash: string } | null) => {
    let head = from;
    for (;;) {
      const next = await AuditEntry.findById((head?._id ?? 0) + 1, { _id: 1, hash: 1 }).lean();
      if (!next) return head;
      head = { _id: next._id, hash: next.hash };
    }
  };

  const appendOnce = async (given: AuditRecord): Promise<boolean> => {
    const entry = wellFormed(given);
    if (known === undefined) known = await readHead();
    const head = known;
    const content = {
      _id: (head?._id ?? 0) + 1,
      v: CHAIN_VERSION,
      at: new Date(),
      actor: entry.actor ? { id: entry.actor.id, name: entry.actor.name } : null,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ?? {},
    };
    const prevHash = head?.hash ?? GENESIS;
    try {
      const hash = entryHash(content, prevHash, deps.key);
      await AuditEntry.create({ ...content, prevHash, hash });
      known = { _id: content._id, hash };
      for (const fn of listeners) {
        try {
          fn(presentEntry({ ...content, prevHash, hash }));
        } catch (err) {
          deps.logger.error({ err }, 'an audit listener failed');
        }
      }
      // The head outside the database: audit:verify --head <seq>:<hash> then finds a cut tail.
      if (now() - headLoggedAt >= headLogEveryMs) {
        headLoggedAt = now();
        deps.logger.info({ auditHead: `${content._id}:${hash}` }, 'audit head');
      }
      return true;
    } catch (err) {
      // Another node appended this seq first: find the new head and chain onto it.
      if (isDuplicateKey(err)) {
        known = await catchUp(head);
        return false;
      }
      throw err;
    }
  };

  return {
    record(entry) {
      return serial
        .run(async () => {
          for (let i = 0; i < maxAttempts; i++) if (await appendOnce(entry)) return;
          throw new Error('no free audit seq after many attempts');
        })
        .catch((err: unknown) => deps.logger.error({ err, action: entry.action }, 'audit entry not written'));
    },

    async list(query) {
      const filter: Record<string, unknown> = {};
      if (query.action) filter.action = query.action;
      if (query.actor) filter['actor.id'] = query.actor;
      if (query.target) filter.target = query.target;
      if (query.before) filter._id = trusted({ $lt: query.before });
      const docs = await AuditEntry.find(filter).sort({ _id: -1 }).limit(auditPageSize).lean<AuditEntryDoc[]>();
      return docs.map(presentEntry);
    },

    verify: () => verifyLog(deps.models, deps.key),

    onRecorded(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
