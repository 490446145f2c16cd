/**
 * Requests a stranger can send that once stopped or wedged the real server process (issue 12),
 * each kept as a regression test. The fuzz suite (fuzz.test.ts) looks for new ones.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { roomOfUpgrade } from '../src/cluster/relay';
import { connectDatabase } from '../src/db/connect';
import { demo, signIn, uniqueDbName } from '../src/testing';
import { rawExchange, type ServerProcess, startServerProcess, upgradeRequest } from '../src/testing/process';

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('hostile');
let proc: ServerProcess;

beforeAll(async () => {
  proc = await startServerProcess({ MONGODB_URI: mongoUri, MONGODB_DB: dbName, SEED_DEMO: '1' });
});
afterAll(async () => {
  if (proc?.alive()) {
    proc.child.kill('SIGTERM');
    await proc.exited;
  }
  const conn = await connectDatabase(mongoUri, dbName);
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

/** The process is still there and serving. */
async function stillServing(): Promise<void> {
  const res = await fetch(`${proc.url}/healthz`);
  expect(res.status).toBe(200);
  expect(proc.alive()).toBe(true);
}

const statusOf = (received: string) => /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];

describe('a hostile upgrade request', () => {
  it.each([
    ['//', '404'],
    ['//minutes/x', '404'],
    ['/minutes/%FF', '400'],
    ['/minutes/%E0%A4%A', '400'],
  ])('%s is refused with a %s and the server lives on', async (target, status) => {
    const { received, closedByServer } = await rawExchange(proc.port, upgradeRequest(target));
    expect(closedByServer).toBe(true);
    expect(statusOf(received)).toBe(status);
    await stillServing();
  });

  it.each(['/no-such-socket', '/socket.io', '/socket.iox/', '/minutes'])(
    'to an unknown path (%s) is answered 404 and closed at once, not left open',
    async (target) => {
      const { received, closedByServer } = await rawExchange(proc.port, upgradeRequest(target));
      expect(closedByServer).toBe(true);
      expect(statusOf(received)).toBe('404');
    },
    5_000,
  );
});

describe('a Socket.IO connection that never signs in', () => {
  // It kept its WebSocket for Socket.IO's default connectTimeout (45 s), answering pings.
  it('is closed within about 10 s, however well it answers pings', async () => {
    const ws = new WebSocket(`${proc.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const frames: string[] = [];
    ws.on('message', (data: Buffer) => {
      const frame = data.toString();
      frames.push(frame);
      if (frame === '0' || frame.startsWith('0{')) ws.send('40'); // engine.io open: join '/'
      if (frame === '2') ws.send('3'); // engine.io ping: pong
    });
    const t0 = performance.now();
    await new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const ms = performance.now() - t0;
    // Refused (no cookie), then closed by the server.
    expect(frames.some((f) => f.startsWith('44') && f.includes('UNAUTHENTICATED'))).toBe(true);
    expect(ms).toBeLessThan(15_000);
  }, 30_000);
});

describe('a broken percent-escape in a REST path', () => {
  it('is a 400 BAD_REQUEST, not a 500', async () => {
    const res = await fetch(`${proc.url}/api/sessions/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    await stillServing();
  });
});

describe('an upload that is not multipart', () => {
  // Found by the fuzz suite: busboy's "Boundary not found" went to the error handler as a 500.
  it('to the hotline ticket import is a 400, not a 500', async () => {
    const cookie = await signIn(proc.url, demo.staffId);
    const res = await fetch(`${proc.url}/api/hotline/imports`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'multipart/form-data' },
      body: '{',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});

describe("the cluster relay's reading of an upgrade URL", () => {
  it('never throws, whatever the request target', () => {
    expect(roomOfUpgrade('//')).toBeNull();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (target) => {
        roomOfUpgrade(target);
        roomOfUpgrade(`/${target}`);
        roomOfUpgrade(`/minutes/${target}`);
      }),
      { numRuns: 2_000 },
    );
  });
});
