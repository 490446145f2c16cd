/**
 * A node stops even while Redis is gone: its Redis clients are reconnecting then, with commands
 * queued that they will never send, and a graceful close waited for those answers for ever (seen
 * once in fifteen soak runs, as a two-node suite's teardown that timed out).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type AccountsChange, createCluster } from '../src/cluster/cluster';
import { createLogger } from '../src/logger';
import { type RedisServer, startRedisServer } from '../src/testing/redis';

let redis: RedisServer | null = null;
afterAll(async () => {
  await redis?.stop();
});

describe('a node whose Redis is gone', () => {
  it('closes its Redis clients though they hold commands they could not send', async () => {
    redis = await startRedisServer('yitang-cluster-close-redis-');
    const cluster = await createCluster({ redisUrl: redis.url, nodeId: 'node-alone', logger: createLogger('silent') });
    await cluster.announce('http://127.0.0.1:9');
    const cut = new Promise<AccountsChange>((resolve) => cluster.onAccountsChanged(resolve));
    await redis.kill();
    expect((await cut).kind).toBe('noticesMissed');
    expect(cluster.hearsAccounts()).toBe(false);
    // Queued by the reconnecting commands client: never sent.
    cluster.membershipChanged('s-nowhere');
    cluster.accountsChanged({ kind: 'membersWritten' });
    await cluster.close();
  });
});
