import { randomUUID } from 'node:crypto';
import { type LoginFailureReason, type LoginFailureView, limits } from '@yitang/shared';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Models } from '../db/models';
import { AppError } from '../errors';
import type { Logger } from '../logger';

/** A refused sign-in that says when to try again. */
export class LoginLocked extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', 'Too many failed sign-ins; try again later.');
  }
}

export interface LoginLimits {
  /**
   * Runs one password sign-in attempt under the limits. A point is taken from the name's and the
   * address's budgets before `attempt` runs, so parallel guesses cannot all slip in under the
   * check; a success gives both back. Refused attempts are logged and stored for staff.
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

function memoryStores(): Stores {
  return {
    account: new RateLimiterMemory({
      keyPrefix: 'login-account',
      points: limits.loginFailuresPerAccount,
      duration: window,
    }),
    address: new RateLimiterMemory({
      keyPrefix: 'login-address',
      points: limits.loginFailuresPerAddress,
      duration: window,
    }),
    close: async () => undefined,
  };
}

/** With several nodes the counts live in Redis, so a guesser cannot spread tries over nodes. */
async function redisStores(url: string, logger: Logger): Promise<Stores> {
  // Loaded only here: a single node never loads the Redis client (as in cluster/index.ts).
  const { createClient } = await import('redis');
  const client = createClient({ url });
  client.on('error', (err: unknown) => logger.error({ err }, 'login-limit redis error'));
  await client.connect();
  const opts = (keyPrefix: string, points: number) =>
    ({ storeClient: client, useRedisPackage: true, keyPrefix, points, duration: window }) as const;
  return {
    account: new RateLimiterRedis(opts('yitang:login-account', limits.loginFailuresPerAccount)),
    address: new RateLimiterRedis(opts('yitang:login-address', limits.loginFailuresPerAddress)),
    close: async () => {
      await client.close();
    },
  };
}

/** rate-limiter-flexible rejects with its result object when the budget is spent. */
const spent = (err: unknown): err is RateLimiterRes => err instanceof RateLimiterRes;

export function createLoginLimits(deps: {
  models: Models;
  logger: Logger;
  redisUrl?: string;
  /** Told of every refused sign-in (the audit log). */
  onFailure?: (failure: LoginFailureView) => Promise<void> | void;
}): LoginLimits {
  const { models, logger } = deps;
  const stores: Promise<Stores> = deps.redisUrl ? redisStores(deps.redisUrl, logger) : Promise.resolve(memoryStores());
  // A Redis that is down at start is reported on the first sign-in, not as an unhandled rejection.
  stores.catch((err: unknown) => logger.error({ err }, 'login limits unavailable'));

  const record = async (username: string, address: string, reason: LoginFailureReason) => {
    const at = new Date();
    logger.warn({ username, address, reason }, 'sign-in refused');
    try {
      await models.LoginFailure.create({ _id: randomUUID(), at, username, address, reason });
      await deps.onFailure?.({ at: at.toISOString(), username, address, reason });
    } catch (err) {
      logger.error({ err }, 'could not store a refused sign-in');
    }
  };

  return {
    async guard(username, address, attempt) {
      const s = await stores.catch(() => {
        throw new AppError('UNAVAILABLE', 'Sign-in is unavailable just now.');
      });
      const account = username.toLowerCase();
      const taken: Array<[RateLimiterAbstract, string]> = [];
      try {
        await s.account.consume(account);
        taken.push([s.account, account]);
        await s.address.consume(address);
        taken.push([s.address, address]);
      } catch (err) {
        // The point taken from the other budget stays taken: a locked attempt still counts.
        if (!spent(err)) throw err;
        await record(username, address, 'rateLimited');
        throw new LoginLocked(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
      }
      try {
        const result = await attempt();
        // A success clears the name's count and gives the address back its point.
        await Promise.all([s.account.delete(account), s.address.reward(address, 1)]);
        return result;
      } catch (err) {
        if (err instanceof AppError && err.code === 'BAD_CREDENTIALS')
          await record(username, address, 'badCredentials');
        else await Promise.all(taken.map(([store, key]) => store.reward(key, 1)));
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
