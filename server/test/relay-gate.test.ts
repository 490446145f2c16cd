/**
 * With several nodes, a minutes upgrade claims its room's lease before the document is loaded
 * (cluster/relay.ts). That claim is only for someone the app would let in: an upgrade with no
 * sign-in or from a foreign Origin is refused first, and moves no lease. A real server process
 * with real Redis (from Debian), against this run's database.
 */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ownerKey } from '../src/cluster/cluster';
import { connectDatabase } from '../src/db/connect';
import { demo, type RedisServer, signIn, startRedisServer, uniqueDbName } from '../src/testing';
import { rawExchange, type ServerProcess, startServerProcess, upgradeRequest } from '../src/testing/process';

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('relaygate');
const nodeId = 'gate-a';

let redis: RedisServer | undefined;
let proc: ServerProcess | undefined;

beforeAll(async () => {
  redis = await startRedisServer('yitang-relaygate-');
  proc = await startServerProcess({
    MONGODB_URI: mongoUri,
    MONGODB_DB: dbName,
    SEED_DEMO: '1',
    REDIS_URL: redis.url,
    NODE_ID: nodeId,
    BALLOT_SECRET: randomBytes(32).toString('hex'),
  });
}, 60_000);

afterAll(async () => {
  if (proc?.alive()) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
  await redis?.stop();
  const conn = await connectDatabase(mongoUri, dbName);
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

/** The node holding the demo session's lease, as Redis has it. */
async function leaseHolder(): Promise<string | null> {
  if (!redis) throw new Error('no Redis');
  const client = createClient({ url: redis.url });
  await client.connect();
  try {
    return await client.get(ownerKey(demo.sessionId));
  } finally {
    await client.quit();
  }
}

/** A raw minutes upgrade for the demo session (scheduled: no node claimed it at start). */
function minutesUpgrade(port: number, headers: Record<string, string>, untilAnswered = false) {
  const request = upgradeRequest(`/minutes/${demo.sessionId}`, headers);
  // A refusal is awaited until the server closes the connection: none may stay open.
  return rawExchange(port, request, (received) => untilAnswered && received.includes('\r\n\r\n'));
}

describe('the relay in front of the minutes socket', () => {
  it('refuses a stranger before claiming the lease; a signed-in member still claims it', async () => {
    if (!proc) throw new Error('no server');
    expect(await leaseHolder()).toBeNull();

    const noCookie = await minutesUpgrade(proc.port, {});
    expect(noCookie).toEqual({ received: expect.stringMatching(/^HTTP\/1\.1 401 /), closedByServer: true });
    const forged = await minutesUpgrade(proc.port, { Cookie: 'yitang_session=not-a-sign-in' });
    expect(forged).toEqual({ received: expect.stringMatching(/^HTTP\/1\.1 401 /), closedByServer: true });
    const cookie = await signIn(proc.url, demo.recorderId);
    const foreign = await minutesUpgrade(proc.port, { Cookie: cookie, Origin: 'https://evil.example' });
    expect(foreign).toEqual({ received: expect.stringMatching(/^HTTP\/1\.1 403 /), closedByServer: true });
    // None of them moved the room's lease to this node.
    expect(await leaseHolder()).toBeNull();

    // The same upgrade signed in is let through, and claims the lease: the check above can fail.
    const member = await minutesUpgrade(proc.port, { Cookie: cookie }, true);
    expect(member.received).toMatch(/^HTTP\/1\.1 101 /);
    expect(await leaseHolder()).toBe(nodeId);
  }, 60_000);
});
