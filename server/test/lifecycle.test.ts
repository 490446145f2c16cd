import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  choice,
  demo,
  joinAs,
  must,
  next,
  openPoll,
  request,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('session lifecycle: scheduled → live → closed', () => {
  it('refuses live business before the start, and lets only chairs start', async () => {
    const member = await join('m-zhou-min');
    expect(await request(member, 'hand:raise', { pointOfOrder: false })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_NOT_LIVE' },
    });
    expect(await request(member, 'session:start', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Preparation is allowed before the start: agenda edits and poll drafts.
    const convener = await join(demo.firstConvenerId);
    const edited = await must(convener, 'agenda:add', {
      title: '补充议程:摊位区选址',
      plannedMinutes: 10,
      afterItemId: 'a3',
    });
    expect(edited.agenda.map((a) => a.title)).toContain('补充议程:摊位区选址');
    const draft = await must(convener, 'poll:create', { settings: yesNoPoll('是否同意设置临时摊位区?') });
    expect(draft.stage).toBe('draft');

    const sawLive = next(member, 'session:updated', (d) => d.session.state === 'live');
    const started = await must(convener, 'session:start', {});
    expect(started).toMatchObject({ state: 'live', currentItemId: 'a1' });
    expect(started.currentItemStartedAt).not.toBeNull();
    expect((await sawLive).session.startedAt).toBe(started.startedAt);
    expect(await request(convener, 'session:start', {})).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION' },
    });
  });

  it('moves through the agenda with an item timer everyone follows', async () => {
    const convener = await join(demo.firstConvenerId);
    const member = await join('m-xu-jing');
    const follow = next(member, 'session:updated', (d) => d.session.currentItemId === 'a2');
    const moved = await must(convener, 'agenda:goto', { itemId: 'a2' });
    const seen = await follow;
    expect(seen.session.currentItemStartedAt).toBe(moved.currentItemStartedAt);
    expect(await request(member, 'agenda:goto', { itemId: 'a3' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // The current item cannot be removed; another can, and the order can change.
    expect(await request(convener, 'agenda:remove', { itemId: 'a2' })).toMatchObject({ ok: false });
    const reordered = await must(convener, 'agenda:reorder', {
      itemIds: moved.agenda.map((a) => a.id).reverse(),
    });
    expect(reordered.agenda.at(-1)?.id).toBe('a1');
    const updated = await must(convener, 'agenda:update', { itemId: 'a3', plannedMinutes: 25 });
    expect(updated.agenda.find((a) => a.id === 'a3')?.plannedMinutes).toBe(25);
  });

  it('stores everything at close and then refuses every change', async () => {
    const convener = await join(demo.firstConvenerId);
    const member = await join('m-lin-feng');
    await must(member, 'suggestion:submit', { text: '建议统一油烟净化设施' });
    await must(member, 'hand:raise', { pointOfOrder: false });
    await must(convener, 'speaker:grant', { memberId: null });
    const poll = await openPoll(convener, yesNoPoll('收尾表决'));
    await must(member, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') });
    await must(convener, 'outcome:save', {
      outcomeId: null,
      text: '六月底前完成油烟净化设施改造',
      department: '市市场监督管理局',
      deadline: '2027-06-30',
      pollId: poll.id,
      suggestionIds: [],
      record: true,
    });

    const sawClosed = next(member, 'session:updated', (d) => d.session.state === 'closed');
    const closed = await must(convener, 'session:close', {});
    expect(closed.state).toBe('closed');
    await sawClosed;

    const m = server.app.models;
    const attendance = await m.Attendance.find({ sessionId: demo.sessionId }).lean();
    expect(attendance.map((a) => a.memberId)).toEqual(expect.arrayContaining([demo.firstConvenerId, 'm-lin-feng']));
    const speeches = await m.SpeakingRecord.find({ sessionId: demo.sessionId }).lean();
    expect(speeches).toEqual([expect.objectContaining({ memberId: 'm-lin-feng', itemId: 'a2' })]);
    expect(await m.Suggestion.countDocuments({ sessionId: demo.sessionId })).toBe(1);
    expect(await m.Outcome.countDocuments({ sessionId: demo.sessionId, status: 'recorded' })).toBe(1);
    const storedPoll = await m.Poll.findById(poll.id).lean();
    expect(storedPoll).toMatchObject({ stage: 'closed', tally: { yes: 1 } });
    expect(storedPoll?.result).not.toBeNull();
    const session = await m.Session.findById(demo.sessionId).lean();
    expect(session).toMatchObject({ state: 'closed', speakers: { queue: [], speaker: null } });

    const refusedAfterClose = [
      request(member, 'suggestion:submit', { text: '会后补充' }),
      request(member, 'hand:raise', { pointOfOrder: false }),
      request(convener, 'agenda:add', { title: '会后', plannedMinutes: 5, afterItemId: null }),
      request(convener, 'poll:create', { settings: yesNoPoll('会后表决') }),
      request(convener, 'outcome:save', {
        outcomeId: null,
        text: 'x',
        department: 'y',
        deadline: null,
        pollId: null,
        suggestionIds: [],
        record: false,
      }),
    ];
    for (const res of await Promise.all(refusedAfterClose)) {
      expect(res).toMatchObject({ ok: false, error: { code: 'SESSION_CLOSED' } });
    }
    // Reading still works; the result can still be published.
    const snap = await must(member, 'room:snapshot', {});
    expect(snap.session.state).toBe('closed');
    expect((await must(convener, 'poll:publish', { pollId: poll.id })).stage).toBe('published');
  });
});
