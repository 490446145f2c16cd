/**
 * A secret poll's paper ballots: entered by staff as anonymous batches (no voter), capped by the
 * checked-in hall voters who have not voted online, counted at close and kept across a restart.
 */
import { randomUUID } from 'node:crypto';
import type { BallotContent, PollSettings } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  type ClientSocket,
  choice,
  demo,
  joinAs,
  must,
  openPoll,
  request,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
let convener: ClientSocket;
let staff: ClientSocket;
/** Members checked in at the hall (none of them online at first). */
let hall: string[] = [];
/** A member who is online only, never in the hall. */
let remote = '';

const batch = (pollId: string, entries: Array<{ content: BallotContent; count: number }>, batchId = randomUUID()) => ({
  pollId,
  batchId,
  entries,
});
const paperCount = async (pollId: string) => (await server.app.models.Poll.findById(pollId).lean())?.paperCount ?? 0;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
  staff = await joinAs(server, demo.staffId);
  const members = await server.app.models.Member.find({ kind: 'member' }).sort({ _id: 1 }).lean();
  const voters = members.map((m) => m._id).filter((id) => !['m-chen-liqun', 'm-he-jun', 'm-zhu-wenbin'].includes(id));
  hall = voters.slice(0, 4);
  remote = voters[4] ?? '';
  expect(hall).toHaveLength(4);
  expect(remote).not.toBe('');
  for (const memberId of hall) await must(staff, 'checkin:member', { memberId });
});
afterAll(async () => {
  await server.close();
});

describe('paper ballot batches of a secret poll', () => {
  it('counts a batch once, refuses one over the allowance, and closes with voters equal to ballots', async () => {
    const poll = await openPoll(convener, yesNoPoll('无记名:纸质票批次', { secret: true }));
    // An online ballot from someone in the hall uses up their paper allowance; one from outside does not.
    const inHallOnline = await joinAs(server, hall[0] ?? '');
    await must(inHallOnline, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') });
    await must(await joinAs(server, remote), 'vote:cast', {
      pollId: poll.id,
      ballotId: randomUUID(),
      content: choice('no'),
    });

    // Allowance: 4 in the hall − 1 who voted online = 3.
    const first = batch(poll.id, [{ content: choice('yes'), count: 2 }]);
    const receipt = await must(staff, 'vote:paperBatch', first);
    expect(receipt).toMatchObject({ pollId: poll.id, batchId: first.batchId, count: 2, paperCount: 2 });
    // A re-send (the ack was lost) gets the same receipt and counts once.
    expect(await must(staff, 'vote:paperBatch', first)).toEqual(receipt);
    expect(await paperCount(poll.id)).toBe(2);

    const over = await request(staff, 'vote:paperBatch', batch(poll.id, [{ content: choice('no'), count: 2 }]));
    expect(over).toMatchObject({ ok: false, error: { code: 'PAPER_LIMIT' } });
    expect(over.ok ? '' : over.error.message).toMatch(/\b1\b/);
    expect(await paperCount(poll.id)).toBe(2);

    // A ballot that does not fit the poll is refused whole.
    const bad = await request(
      staff,
      'vote:paperBatch',
      batch(poll.id, [{ content: { kind: 'single', optionId: null }, count: 1 }]),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_BALLOT' } });

    await must(staff, 'vote:paperBatch', batch(poll.id, [{ content: choice('no'), count: 1 }]));
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally).toMatchObject({ yes: 3, no: 2, abstain: 0, ballots: 5 });
    expect(closed.voters.length + closed.paperBallots).toBe(closed.ballots);
    expect(closed.paperBallots).toBe(3);
    // After the close the batches say how many and who entered them, not what.
    const stored = await server.app.models.Poll.findById(poll.id).lean();
    expect(stored?.paperBatches?.map((b) => [b.count, b.enteredBy, b.sealed])).toEqual([
      [2, demo.staffId, undefined],
      [1, demo.staffId, undefined],
    ]);

    // The audit log has who entered a batch and how many, never what.
    await vi.waitFor(async () => {
      const entries = await server.app.models.AuditEntry.find({ action: 'vote:paperBatch' }).lean();
      const mine = entries.find((e) => e.details.batchId === first.batchId);
      expect(mine).toMatchObject({ actor: { id: demo.staffId }, details: { pollId: poll.id, count: 2 } });
      expect(JSON.stringify(mine?.details)).not.toMatch(/yes|content|entries/);
    });
  });

  it('lets two staff racing batches not exceed the allowance together', async () => {
    const poll = await openPoll(convener, yesNoPoll('无记名:并发录入', { secret: true }));
    const otherDesk = await joinAs(server, demo.staffId);
    // hall[0] is online; they have not voted in this poll, so the allowance is all 4. Held by the
    // room's per-poll queue of batches (FerretDB 1.24 applies a conditional update non-atomically:
    // with the queue and the room's own check removed, both batches pass here); on MongoDB the
    // update's filter holds it too.
    const results = await Promise.all([
      request(staff, 'vote:paperBatch', batch(poll.id, [{ content: choice('yes'), count: 3 }])),
      request(otherDesk, 'vote:paperBatch', batch(poll.id, [{ content: choice('no'), count: 3 }])),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'PAPER_LIMIT')).toHaveLength(1);
    expect(await paperCount(poll.id)).toBe(3);
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally?.ballots).toBe(3);
  });

  it('refuses the online ballot of a hall voter once paper ballots fill every hall place', async () => {
    const poll = await openPoll(convener, yesNoPoll('无记名:纸质票已满', { secret: true }));
    await must(staff, 'vote:paperBatch', batch(poll.id, [{ content: choice('no'), count: 4 }]));
    // hall[0] is online and in the hall: all 4 hall places hold a paper ballot, so theirs is one.
    const inHall = await joinAs(server, hall[0] ?? '');
    expect(
      await request(inHall, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });
    // Someone who is not in the hall votes online as ever.
    await must(await joinAs(server, remote), 'vote:cast', {
      pollId: poll.id,
      ballotId: randomUUID(),
      content: choice('yes'),
    });
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally).toMatchObject({ yes: 1, no: 4, ballots: 5 });
    expect(closed.voters).toEqual([remote]);
  });

  it('refuses per-member paper ballots in a secret poll, and batches in a named one', async () => {
    const secret = await openPoll(convener, yesNoPoll('无记名:逐人纸质票', { secret: true }));
    expect(
      await request(staff, 'vote:paper', {
        pollId: secret.id,
        ballotId: randomUUID(),
        memberId: hall[1] ?? '',
        content: choice('no'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await server.app.models.VoterMark.countDocuments({ pollId: secret.id })).toBe(0);

    const named = await openPoll(convener, yesNoPoll('记名:批次'));
    expect(
      await request(staff, 'vote:paperBatch', batch(named.id, [{ content: choice('yes'), count: 1 }])),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // Members cannot enter paper ballots.
    expect(
      await request(
        await joinAs(server, remote),
        'vote:paperBatch',
        batch(secret.id, [{ content: choice('yes'), count: 1 }]),
      ),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('takes every kind of ballot, blanks included', async () => {
    const settings: PollSettings = {
      kind: 'single',
      question: '无记名:单选纸质票',
      secret: true,
      electorate: 'members',
      quorum: { type: 'none' },
      majority: { rule: 'simple', base: 'cast' },
      options: [
        { id: 'a', label: '甲' },
        { id: 'b', label: '乙' },
      ],
    };
    const poll = await openPoll(convener, settings);
    await must(
      staff,
      'vote:paperBatch',
      batch(poll.id, [
        { content: { kind: 'single', optionId: 'a' }, count: 2 },
        { content: { kind: 'single', optionId: null }, count: 1 },
      ]),
    );
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally?.ballots).toBe(3);
    expect(JSON.stringify(closed.tally)).toContain('"a":2');
  });

  it('keeps the batches, their count and the allowance across a restart', async () => {
    const poll = await openPoll(convener, yesNoPoll('无记名:重启', { secret: true }));
    const first = batch(poll.id, [
      { content: choice('yes'), count: 1 },
      { content: choice('abstain'), count: 1 },
    ]);
    await must(staff, 'vote:paperBatch', first);
    await server.restart();
    const desk = await joinAs(server, demo.staffId);
    const chair = await joinAs(server, demo.firstConvenerId);
    // The re-send after the restart is recognised; the allowance left is 4 − 2.
    expect(await must(desk, 'vote:paperBatch', first)).toMatchObject({ count: 2, paperCount: 2 });
    expect(await request(desk, 'vote:paperBatch', batch(poll.id, [{ content: choice('no'), count: 3 }]))).toMatchObject(
      { ok: false, error: { code: 'PAPER_LIMIT' } },
    );
    await must(desk, 'vote:paperBatch', batch(poll.id, [{ content: choice('no'), count: 2 }]));
    const closed = await must(chair, 'poll:close', { pollId: poll.id });
    expect(closed.tally).toMatchObject({ yes: 1, no: 2, abstain: 1, ballots: 4 });
    expect(closed.paperBallots).toBe(4);
    expect(closed.voters.length + closed.paperBallots).toBe(closed.ballots);
  });
});
