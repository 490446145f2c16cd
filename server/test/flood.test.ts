/**
 * A socket that floods the server is refused (RATE_LIMITED) and then dropped; nobody else notices.
 */
import { type Ack, limits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, joinAs, must, next, request, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

describe('a flooding socket', () => {
  it('gets RATE_LIMITED, is disconnected, and the others carry on', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const bystander = await joinAs(server, 'm-xu-jing');
    const flooder = await joinAs(server, 'm-han-lei');

    const sawLeave = next(bystander, 'presence:changed', (d) => d.left.includes('m-han-lei'));
    const dropped = new Promise<string>((resolve) => flooder.once('disconnect', resolve));

    // Far more than the bucket holds, all at once, none awaited.
    const sent = limits.socketBurst + limits.socketRefusalsBeforeDisconnect * 3;
    const acks: Ack<unknown>[] = [];
    for (let i = 0; i < sent; i += 1) void request(flooder, 'room:snapshot', {}).then((a) => acks.push(a));

    // Meanwhile: another member's events, one after another, and the health check.
    const bystanderAcks: Ack<unknown>[] = [];
    const bystanderWork = (async () => {
      for (let i = 0; i < 10; i += 1) {
        bystanderAcks.push(
          i % 2 === 0
            ? await request(bystander, 'hand:raise', { pointOfOrder: false })
            : await request(bystander, 'hand:lower', {}),
        );
      }
    })();
    const health = fetch(`${server.url}/healthz`);

    expect(await dropped).toBe('io server disconnect');
    await sawLeave;
    await bystanderWork;

    const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    const answered = acks.filter((a) => a.ok).length;
    // The bucket let about a burst through (plus the little that refilled meanwhile) and refused
    // the rest, each refusal answered at once, until the refusal limit dropped the socket. Events
    // admitted but still running at the drop lose their acks with the connection.
    expect(limited).toBe(limits.socketRefusalsBeforeDisconnect);
    expect(answered).toBeLessThan(limits.socketBurst + 10);
    expect(acks.length).toBeLessThan(sent);
    expect(acks.every((a) => a.ok || a.error.code === 'RATE_LIMITED')).toBe(true);
    expect(flooder.connected).toBe(false);

    expect(bystanderAcks).toHaveLength(10);
    expect(bystanderAcks.filter((a) => !a.ok)).toEqual([]);
    const healthz = await health;
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toEqual({ ok: true });

    // After the flood: the room still answers everyone else, and the flooder is gone from it.
    const snap = await must(convener, 'room:snapshot', {});
    expect(snap.presence.map((p) => p.memberId)).not.toContain('m-han-lei');
    expect(snap.presence.map((p) => p.memberId)).toContain('m-xu-jing');
    expect(await request(bystander, 'room:snapshot', {})).toMatchObject({ ok: true });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('lets the same member back in on a fresh connection with a fresh allowance', async () => {
    const again = await joinAs(server, 'm-han-lei');
    const acks = await Promise.all(Array.from({ length: 10 }, () => request(again, 'room:snapshot', {})));
    expect(acks.every((a) => a.ok)).toBe(true);
  });
});
