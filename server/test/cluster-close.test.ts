/**
 * A node stops right after its Redis came back: its Redis clients may still be reconnecting then,
 * with commands queued, and a close() in that moment stopped the reconnection and waited for
 * those answers for ever (seen once in fifteen soak runs, as a two-node suite's teardown that
 * timed out after its Redis was restarted).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type AccountsChange, createCluster } from '../src/cluster/cluster';
import { createLogger } from '../src/logger';
import { type RedisServer, startRedisServer } from '../src/testing/redis';

let redis: RedisServer | null = null;
afterAll(async () => {
  await redis?.stop();
});

describe('a node whose Redis went away and came back', () => {
  it('closes its Redis clients though they were still reconnecting with commands queued', async () => {
    redis = await startRedisServer('yitang-cluster-close-redis-');
    const cluster = await createCluster({ redisUrl: redis.url, nodeId: 'node-alone', logger: createLogger('silent') });
    await cluster.announce('http://127.0.0.1:9');
    const cut = new Promise<AccountsChange>((resolve) => cluster.onAccountsChanged(resolve));
    await redis.kill();
    expect((await cut).kind).toBe('noticesMissed');
    // Queued by the reconnecting commands client.
    cluster.membershipChanged('s-nowhere');
    cluster.accountsChanged({ kind: 'membersWritten' });
    await redis.restart();
    await cluster.close();
  });
});
