import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, joinAs, must, next, request, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  await must(await join(demo.firstConvenerId), 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

const queueOf = (s: { queue: Array<{ memberId: string }> }) => s.queue.map((q) => q.memberId);

describe('speaker queue', () => {
  it('queues hands, lets a point of order jump, and lets conveners reorder, grant and remove', async () => {
    const convener = await join(demo.firstConvenerId);
    const [a, b, c] = await Promise.all(['m-gao-ya', 'm-han-lei', 'm-tang-li'].map(join));
    if (!a || !b || !c) throw new Error('sockets');
    await must(a, 'hand:raise', { pointOfOrder: false });
    await must(b, 'hand:raise', { pointOfOrder: false });
    const seen = next(a, 'speakers:updated', (d) => d.speakers.queue[0]?.memberId === 'm-tang-li');
    const afterPoint = await must(c, 'hand:raise', { pointOfOrder: true });
    expect(queueOf(afterPoint)).toEqual(['m-tang-li', 'm-gao-ya', 'm-han-lei']);
    expect((await seen).speakers.queue[0]?.pointOfOrder).toBe(true);

    expect(await request(a, 'queue:reorder', { memberIds: ['m-gao-ya', 'm-tang-li', 'm-han-lei'] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const reordered = await must(convener, 'queue:reorder', { memberIds: ['m-han-lei', 'm-tang-li', 'm-gao-ya'] });
    expect(queueOf(reordered)).toEqual(['m-han-lei', 'm-tang-li', 'm-gao-ya']);

    const granted = await must(convener, 'speaker:grant', { memberId: null });
    expect(granted.speaker?.memberId).toBe('m-han-lei');
    expect(Date.parse(granted.speaker?.endsAt ?? '') - Date.parse(granted.speaker?.startedAt ?? '')).toBe(180_000);

    const removed = await must(convener, 'queue:remove', { memberId: 'm-gao-ya' });
    expect(queueOf(removed)).toEqual(['m-tang-li']);
    const lowered = await must(c, 'hand:lower', {});
    expect(queueOf(lowered)).toEqual([]);

    // Only the speaker or a convener ends a turn; the turn is recorded.
    expect(await request(a, 'speaker:end', {})).toMatchObject({ ok: false, error: { code: 'NOT_SPEAKER' } });
    const ended = await must(b, 'speaker:end', {});
    expect(ended.speaker).toBeNull();
    const records = await server.app.models.SpeakingRecord.find({
      memberId: 'm-han-lei',
      sessionId: demo.sessionId,
    }).lean();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ sessionId: demo.sessionId, itemId: 'a1' });
  });

  it('ends a turn by itself when the server-owned countdown runs out, also across a restart', async () => {
    const convener = await join(demo.firstConvenerId);
    await join('m-xiao-bo');
    await must(convener, 'speaker:limit', { seconds: 15 });
    const granted = await must(convener, 'speaker:grant', { memberId: 'm-xiao-bo' });
    const endsAt = Date.parse(granted.speaker?.endsAt ?? '');
    expect(endsAt - Date.parse(granted.speaker?.startedAt ?? '')).toBe(15_000);
    // The process restarts mid-turn; the rebuilt room owns the countdown again.
    server.closeSockets();
    await server.restart();
    const watcher = await join('m-xiao-bo');
    const snap = await must(watcher, 'room:snapshot', {});
    expect(snap.speakers.speaker?.memberId).toBe('m-xiao-bo');
    // Wait for the server's own end-of-turn broadcast (an event, not a sleep).
    const over = await next(watcher, 'speakers:updated', (d) => d.speakers.speaker === null);
    expect(Date.parse(over.serverNow)).toBeGreaterThanOrEqual(endsAt);
    const record = await server.app.models.SpeakingRecord.findOne({
      memberId: 'm-xiao-bo',
      sessionId: demo.sessionId,
    }).lean();
    expect(record?.durationSeconds).toBe(15);
    await must(await join(demo.firstConvenerId), 'speaker:limit', { seconds: 180 });
  }, 30_000);

  it('keeps the queue and the speaker across a restart', async () => {
    const convener = await join(demo.firstConvenerId);
    const a = await join('m-cao-ming');
    await must(convener, 'speaker:limit', { seconds: 600 });
    await must(a, 'hand:raise', { pointOfOrder: false });
    await must(convener, 'speaker:grant', { memberId: 'm-cao-ming' });
    const b = await join('m-peng-hui');
    await must(b, 'hand:raise', { pointOfOrder: false });
    server.closeSockets();
    await server.restart();
    const again = await join('m-peng-hui');
    const snap = await must(again, 'room:snapshot', {});
    expect(snap.speakers.speaker?.memberId).toBe('m-cao-ming');
    expect(queueOf(snap.speakers)).toEqual(['m-peng-hui']);
  });
});
