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
  await must(await join(demo.firstConvenerId), 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

describe('hybrid sessions', () => {
  it('checks people in by name and by the hall code, and takes their paper ballots into one tally', async () => {
    const staff = await join(demo.staffId);
    const convener = await join(demo.firstConvenerId);
    const online = await join('m-zeng-qing');

    // Staff see the hall code; members do not.
    const staffSnap = await must(staff, 'room:snapshot', {});
    expect(staffSnap.hallCode).toMatch(/^\d{6}$/);
    const code = staffSnap.hallCode ?? '';

    // By name: someone without a phone.
    const found = await must(staff, 'checkin:search', { query: '宋' });
    expect(found.map((m) => m.id)).toContain('m-song-tao');
    const seen = next(online, 'presence:changed', (d) => d.entries.some((e) => e.memberId === 'm-song-tao'));
    const entry = await must(staff, 'checkin:member', { memberId: 'm-song-tao' });
    expect(entry).toMatchObject({ inHall: true, online: false, role: 'member' });
    expect((await seen).entries.find((e) => e.memberId === 'm-song-tao')?.inHall).toBe(true);
    expect(await request(online, 'checkin:member', { memberId: 'm-song-tao' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // By code, typed on one's own phone; a wrong code is refused.
    const phone = await join('m-tian-jia');
    expect(await request(phone, 'checkin:code', { code: code === '000000' ? '000001' : '000000' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CODE' },
    });
    expect(await must(phone, 'checkin:code', { code })).toMatchObject({ inHall: true, online: true });

    // One tally: an online ballot and a paper ballot entered by staff.
    const poll = await openPoll(convener, yesNoPoll('现场与线上同步表决'));
    await must(online, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') });
    const paper = await must(staff, 'vote:paper', {
      pollId: poll.id,
      ballotId: randomUUID(),
      memberId: 'm-song-tao',
      content: choice('no'),
    });
    expect(paper.paper).toBe(true);
    // Paper ballots only for people in the hall; and still one ballot per voter.
    expect(
      await request(staff, 'vote:paper', {
        pollId: poll.id,
        ballotId: randomUUID(),
        memberId: 'm-zeng-qing',
        content: choice('no'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_IN_HALL' } });
    expect(
      await request(staff, 'vote:paper', {
        pollId: poll.id,
        ballotId: randomUUID(),
        memberId: 'm-song-tao',
        content: choice('yes'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });

    const stored = await server.app.models.Ballot.findOne({ pollId: poll.id, voterId: 'm-song-tao' }).lean();
    expect(stored).toMatchObject({ paper: true, enteredBy: demo.staffId });
    const attendance = await server.app.models.Attendance.findById(`${demo.sessionId}:m-song-tao`).lean();
    expect(attendance).toMatchObject({ inHall: true, checkedInBy: demo.staffId });

    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally).toMatchObject({ yes: 1, no: 1, ballots: 2 });
    // The present electorate counts people in the hall too.
    expect(closed.presentElectorate).toBeGreaterThanOrEqual(4);

    // A secret poll takes paper ballots only as an anonymous batch (see paper-batch.test.ts):
    // one entered for a named member is refused, so no paper ballot is tied to anyone.
    const secretPoll = await openPoll(convener, yesNoPoll('无记名:现场纸质票', { secret: true }));
    expect(
      await request(staff, 'vote:paper', {
        pollId: secretPoll.id,
        ballotId: randomUUID(),
        memberId: 'm-song-tao',
        content: choice('no'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const batch = await must(staff, 'vote:paperBatch', {
      pollId: secretPoll.id,
      batchId: randomUUID(),
      entries: [{ content: choice('no'), count: 1 }],
    });
    expect(batch).toMatchObject({ count: 1, paperCount: 1 });
    expect(await server.app.models.VoterMark.countDocuments({ pollId: secretPoll.id })).toBe(0);

    // The voter sees, in their own records, which ballots were entered on paper and by whom.
    const song = await must(await join('m-song-tao'), 'room:snapshot', {});
    expect(song.myPaperBallots).toEqual({ [poll.id]: '周婷' });
    expect(song.myBallots[poll.id]).toEqual(choice('no'));
    const own = await must(online, 'room:snapshot', {});
    expect(own.myPaperBallots ?? {}).toEqual({});

    // A hall participant can also take a place in the one speaker queue.
    const queued = await must(phone, 'hand:raise', { pointOfOrder: false });
    expect(queued.queue.map((q) => q.memberId)).toContain('m-tian-jia');
  });
});
