import { randomUUID } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { type LoginFailureReason, type LoginFailureView, limits } from '@yitang/shared';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type Models, trusted } from '../db/models';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { loginFailureKeepSeconds } from './auth.model';

/** A refused sign-in that says when to try again. */
export class LoginLocked extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many failed sign-ins; try again later.');
  }
}

export interface LoginLimits {
  /**
   * Runs one password sign-in attempt under the limits. A point is taken from the address's
   * budget, then the name's, before `attempt` runs, so parallel guesses cannot all slip in under
   * the check; a success gives both back. An address out of budget charges the name nothing, so
   * nobody can lock every account from one address. Refused attempts are logged and stored.
   */
  guard<T>(username: string, address: string, attempt: () => Promise<T>): Promise<T>;
  /** The most recent refused sign-ins, newest first. */
  recent(limit?: number): Promise<LoginFailureView[]>;
  close(): Promise<void>;
}

interface Stores {
  account: RateLimiterAbstract;
  address: RateLimiterAbstract;
  close(): Promise<void>;
}

const window = limits.loginFailureWindowSeconds;

/** The name's budget key: sign-in trims the name (LoginBody), and case never makes a new budget. */
export const accountKey = (username: string) => username.trim().toLowerCase();

/** Expands an IPv6 address to its eight groups (an embedded IPv4 tail counts as two). */
function ipv6Groups(address: string): string[] {
  const plain = address.split('%')[0] ?? address;
  const split = (part: string) =>
    part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const [head = '', tail] = plain.split('::');
  const left = split(head);
  if (tail === undefined) return left;
  const right = split(tail);
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

/**
 * The address's budget key. One IPv6 host usually holds a whole /64 and may take any address in
 * it, so v6 budgets are per /64; v4 (and v4 mapped into v6) per address.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(address)) return address;
  const prefix = ipv6Groups(address)
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

const memoryLimiter = (keyPrefix: string, points: number) =>
  new RateLimiterMemory({ keyPrefix, points, duration: window });

function memoryStores(): Stores {
  return {
    account: memoryLimiter('login-account', limits.loginFailuresPerAccount),
    address: memoryLimiter('login-address', limits.loginFailuresPerAddress),
    close: async () => undefined,
  };
}

/**
 * With several nodes the counts live in Redis, so a guesser cannot spread tries over nodes. While
 * Redis is unreachable each node counts in its own memory (the insurance limiter) instead of
 * answering every sign-in with an error: the limits then hold per node, not across nodes.
 */
async function redisStores(url: string, logger: Logger): Promise<Stores> {
  // Loaded only here: a single node never loads the Redis client (as in cluster/index.ts).
  const { createClient } = await import('redis');
  // No offline queue: while Redis is away a command fails at once (and the insurance counts),
  // rather than waiting for a reconnect that may never come.
  const client = createClient({ url, disableOfflineQueue: true });
  client.on('error', (err: unknown) => logger.error({ err }, 'login-limit redis error'));
  await client.connect();
  const opts = (keyPrefix: string, points: number) => ({
    storeClient: client,
    useRedisPackage: true,
    keyPrefix,
    points,
    duration: window,
    insuranceLimiter: memoryLimiter(`insurance:${keyPrefix}`, points),
  });
  return {
    account: new RateLimiterRedis(opts('yitang:login-account', limits.loginFailuresPerAccount)),
    address: new RateLimiterRedis(opts('yitang:login-address', limits.loginFailuresPerAddress)),
    // destroy, not close: close waits for Redis to answer what is pending, which a dead Redis never does.
    close: async () => client.destroy(),
  };
}

/** rate-limiter-flexible rejects with its result object when the budget is spent. */
const spent = (err: unknown): err is RateLimiterRes => err instanceof RateLimiterRes;

/** Refused sign-ins whose audit entries may wait at once; beyond, they are only logged. */
const maxPendingAudit = 100;

export function createLoginLimits(deps: {
  models: Models;
  logger: Logger;
  redisUrl?: string;
  /** Told of every refused sign-in (the audit log); not awaited, at most `maxPendingAudit` at once. */
  onFailure?: (failure: LoginFailureView) => Promise<void> | void;
}): LoginLimits {
  const { models, logger } = deps;
  const stores: Promise<Stores> = deps.redisUrl ? redisStores(deps.redisUrl, logger) : Promise.resolve(memoryStores());
  // A Redis that is down at start is reported on the first sign-in, not as an unhandled rejection.
  stores.catch((err: unknown) => logger.error({ err }, 'login limits unavailable'));
  // A locked name or address is stored once per window, not once per try: a script hammering a
  // locked account would otherwise write a row and an audit entry per request.
  const lockNoted = new RateLimiterMemory({ keyPrefix: 'login-lock-noted', points: 1, duration: window });
  let pendingAudit = 0;

  const tellAudit = (failure: LoginFailureView) => {
    if (!deps.onFailure) return;
    if (pendingAudit >= maxPendingAudit) {
      logger.warn({ failure }, 'refused sign-in not audited: too many waiting');
      return;
    }
    pendingAudit += 1;
    void (async () => deps.onFailure?.(failure))()
      .catch((err: unknown) => logger.error({ err }, 'could not audit a refused sign-in'))
      .finally(() => {
        pendingAudit -= 1;
      });
  };

  const record = async (username: string, address: string, reason: LoginFailureReason) => {
    const at = new Date();
    logger.warn({ username, address, reason }, 'sign-in refused');
    try {
      await models.LoginFailure.create({ _id: randomUUID(), at, username, address, reason });
      // Pruned here, as FerretDB has no TTL index; writes are few (budgets, one per lock), and
      // with the index on `at` finding nothing to delete is cheap.
      const cutoff = new Date(at.getTime() - loginFailureKeepSeconds * 1000);
      await models.LoginFailure.deleteMany({ at: trusted({ $lt: cutoff }) });
    } catch (err) {
      logger.error({ err }, 'could not store a refused sign-in');
    }
    tellAudit({ at: at.toISOString(), username, address, reason });
  };

  /** Stores a refusal by the limits unless this locked key was stored already in this window. */
  const recordLocked = async (lockKey: string, username: string, address: string) => {
    const first = await lockNoted.consume(lockKey).then(
      () => true,
      () => false,
    );
    if (first) await record(username, address, 'rateLimited');
  };

  const locked = (err: RateLimiterRes) => new LoginLocked(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));

  return {
    async guard(username, address, attempt) {
      const s = await stores.catch(() => {
        throw new AppError('UNAVAILABLE', 'Sign-in is unavailable just now.');
      });
      const account = accountKey(username);
      const from = addressKey(address);
      try {
        await s.address.consume(from);
      } catch (err) {
        if (!spent(err)) throw err;
        await recordLocked(`address:${from}`, username, address);
        throw locked(err);
      }
      try {
        await s.account.consume(account);
      } catch (err) {
        // The address keeps its point: guessing at a locked name is still guessing from there.
        if (!spent(err)) throw err;
        await recordLocked(`account:${account}`, username, address);
        throw locked(err);
      }
      try {
        const result = await attempt();
        // A success clears the name's count and gives the address back its point.
        await Promise.all([s.account.delete(account), s.address.reward(from, 1)]);
        return result;
      } catch (err) {
        if (err instanceof AppError && err.code === 'BAD_CREDENTIALS')
          await record(username, address, 'badCredentials');
        else await Promise.all([s.account.reward(account, 1), s.address.reward(from, 1)]);
        throw err;
      }
    },

    async recent(limit = 200) {
      const docs = await models.LoginFailure.find({}).sort({ at: -1, _id: 1 }).limit(limit).lean();
      return docs.map((d) => ({ at: d.at.toISOString(), username: d.username, address: d.address, reason: d.reason }));
    },

    async close() {
      const s = await stores.catch(() => null);
      await s?.close();
    },
  };
}
