/**
 * Issue 19: the queue kept the hand of someone who had left. A hand now leaves the queue when its
 * owner has been gone for `handKeptAfterLeavingMs` (shortened here), and stays when they come back
 * in time (a phone changing network keeps its place).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, joinAs, must, next, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);
const queueOf = (s: { queue: Array<{ memberId: string }> }) => s.queue.map((q) => q.memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), config: { HAND_KEPT_AFTER_LEAVING_MS: 3000 } });
  await must(await join(demo.firstConvenerId), 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

describe('a raised hand of someone who left', () => {
  it('leaves the queue once its owner has been gone a while, and stays for one who comes back', async () => {
    const convener = await join(demo.firstConvenerId);
    const gone = await join('m-gao-ya');
    const blip = await join('m-han-lei');
    await must(gone, 'hand:raise', { pointOfOrder: false });
    const queued = await must(blip, 'hand:raise', { pointOfOrder: false });
    expect(queueOf(queued)).toEqual(['m-gao-ya', 'm-han-lei']);

    // m-gao-ya closes the page for good; then m-han-lei's phone drops and reconnects soon after.
    const lowered = next(convener, 'speakers:updated', (d) => !queueOf(d.speakers).includes('m-gao-ya'));
    const goneLeft = next(convener, 'presence:changed', (d) => d.left.includes('m-gao-ya'));
    gone.disconnect();
    await goneLeft;
    const blipLeft = next(convener, 'presence:changed', (d) => d.left.includes('m-han-lei'));
    blip.disconnect();
    await blipLeft;
    const back = await join('m-han-lei');
    expect(queueOf((await lowered).speakers)).toEqual(['m-han-lei']);
    // The one who came back is still queued.
    const snap = await must(back, 'room:snapshot', {});
    expect(queueOf(snap.speakers)).toEqual(['m-han-lei']);
  });
});
