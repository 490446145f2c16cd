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
  const convener = await join(demo.firstConvenerId);
  await must(convener, 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

describe('presence', () => {
  it('shows a join to the others and a closed connection as a leave', async () => {
    const convener = await join(demo.firstConvenerId);
    const sawJoin = next(convener, 'presence:changed', (d) => d.entries.some((e) => e.memberId === 'm-zhou-min'));
    const member = await join('m-zhou-min');
    const joined = await sawJoin;
    expect(joined.entries.find((e) => e.memberId === 'm-zhou-min')).toMatchObject({
      memberId: 'm-zhou-min',
      name: '周敏',
      role: 'member',
      online: true,
    });

    const snap = await must(member, 'room:snapshot', {});
    expect(snap.presence.map((p) => p.memberId)).toEqual(expect.arrayContaining([demo.firstConvenerId, 'm-zhou-min']));
    expect(snap.you.role).toBe('member');
    expect(snap.hallCode).toBeNull();
    expect(snap.session.agenda).toHaveLength(3);

    // The transport closing (a closed tab) is enough: no leave event from the client.
    const sawLeave = next(convener, 'presence:changed', (d) => d.left.includes('m-zhou-min'));
    member.disconnect();
    const left = await sawLeave;
    expect(left.seq).toBeGreaterThan(joined.seq);
  });

  it('keeps a member present while another of their tabs is open', async () => {
    const watcher = await join('m-gao-ya');
    const tab1 = await join('m-lin-feng');
    await join('m-lin-feng');
    let left = false;
    watcher.on('presence:changed', (d) => {
      if (d.left.includes('m-lin-feng')) left = true;
    });
    tab1.disconnect();
    // A round trip after the disconnect is processed: the other tab still holds presence.
    const snap = await must(watcher, 'room:snapshot', {});
    expect(snap.presence.some((p) => p.memberId === 'm-lin-feng')).toBe(true);
    expect(left).toBe(false);
  });
});

describe('voting', () => {
  it('runs a yes/no/abstain poll end to end with a live tally and a stored result', async () => {
    const convener = await join(demo.firstConvenerId);
    const second = await join(demo.secondConvenerId);
    const alice = await join('m-li-xiaoyan');
    const bob = await join('m-sun-jianhua');

    const opened = next(alice, 'poll:updated', (d) => d.poll.stage === 'open');
    const poll = await openPoll(convener, yesNoPoll('是否同意先行整治占道经营?'));
    expect((await opened).poll.id).toBe(poll.id);
    // Every voter bob is told of, by the tally frames and then the close.
    const namedToBob: string[] = [];
    bob.on('poll:tally', (d) => {
      if (d.pollId === poll.id) namedToBob.push(...d.votersAdded);
    });

    // The other clients see the tally move.
    const tallyAfterAlice = next(second, 'poll:tally', (d) => d.pollId === poll.id && d.ballots === 1);
    const ballotId = randomUUID();
    const receipt = await must(alice, 'vote:cast', { pollId: poll.id, ballotId, content: choice('yes') });
    expect(receipt).toEqual({ pollId: poll.id, ballotId, paper: false });
    const frame = await tallyAfterAlice;
    expect(frame.tally).toMatchObject({ kind: 'yesno', yes: 1 });
    expect(frame.votersAdded).toEqual(['m-li-xiaoyan']);

    // A re-sent ballot (same ballotId) gets the same ack and is not counted twice.
    expect(await request(alice, 'vote:cast', { pollId: poll.id, ballotId, content: choice('yes') })).toEqual({
      ok: true,
      data: receipt,
    });
    // A second ballot from the same voter is refused.
    expect(
      await request(alice, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('no') }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });

    await must(bob, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('no') });
    await must(second, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') });

    // Only conveners close.
    expect(await request(bob, 'poll:close', { pollId: poll.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const closedSeen = next(bob, 'poll:updated', (d) => d.poll.id === poll.id && d.poll.stage === 'closed');
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed).toMatchObject({
      stage: 'closed',
      tally: { kind: 'yesno', yes: 2, no: 1, abstain: 0, ballots: 3 },
      result: { kind: 'yesno', outcome: 'adopted' },
    });
    // The close's broadcast is the whole poll but for its voters: it names only those no frame
    // named, so the room learns each voter once (the caller's ack has the whole list).
    const seen = (await closedSeen).poll;
    expect({ ...seen, voters: closed.voters }).toEqual(closed);
    namedToBob.push(...seen.voters);
    expect([...namedToBob].sort()).toEqual([...closed.voters].sort());
    expect(closed.voters).toHaveLength(3);

    // The result is in MongoDB, and so are exactly three ballots.
    const stored = await server.app.models.Poll.findById(poll.id).lean();
    expect(stored).toMatchObject({ stage: 'closed', result: { outcome: 'adopted' }, tally: { yes: 2, no: 1 } });
    expect(await server.app.models.Ballot.countDocuments({ pollId: poll.id })).toBe(3);

    // After the close: new ballots are refused, an old re-send still gets its ack.
    const late = await join('m-wu-guoqiang');
    expect(
      await request(late, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('no') }),
    ).toMatchObject({ ok: false, error: { code: 'POLL_CLOSED' } });
    expect(await request(alice, 'vote:cast', { pollId: poll.id, ballotId, content: choice('yes') })).toEqual({
      ok: true,
      data: receipt,
    });

    // Published: the lifecycle's last step; settings stayed frozen throughout.
    const published = await must(convener, 'poll:publish', { pollId: poll.id });
    expect(published.stage).toBe('published');
    expect(await request(convener, 'poll:update', { pollId: poll.id, settings: yesNoPoll('改题') })).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION' },
    });
  });

  it('refuses a second ballot by database key even when both race in at once', async () => {
    const convener = await join(demo.firstConvenerId);
    const voter = await join('m-hu-zhiyong');
    const poll = await openPoll(convener, yesNoPoll('并发投票'));
    const results = await Promise.all(
      (['yes', 'no', 'abstain', 'yes', 'no'] as const).map((c) =>
        request(voter, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice(c) }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'ALREADY_VOTED')).toHaveLength(4);
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.ballots).toBe(1);
  });

  it('counts every acknowledged ballot when votes race the close', async () => {
    const convener = await join(demo.firstConvenerId);
    const voters = await Promise.all(['m-zhu-wenbin', 'm-ma-li', 'm-he-jun', 'm-guo-hong', 'm-luo-bin'].map(join));
    const watcher = await join('m-gao-ya');
    const poll = await openPoll(convener, yesNoPoll('投票与结束赛跑'));
    const named: string[] = [];
    watcher.on('poll:tally', (d) => {
      if (d.pollId === poll.id) named.push(...d.votersAdded);
    });
    const closedSeen = next(watcher, 'poll:updated', (d) => d.poll.id === poll.id && d.poll.stage === 'closed');
    const votes = voters.map((v) =>
      request(v, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') }),
    );
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    const acks = await Promise.all(votes);
    const acked = acks.filter((a) => a.ok).length;
    expect(acks.every((a) => a.ok || a.error.code === 'POLL_CLOSED')).toBe(true);
    expect(closed.tally).toMatchObject({ yes: acked });
    // However the frames and the close fell, the room was told each counted voter once.
    named.push(...(await closedSeen).poll.voters);
    expect([...named].sort()).toEqual([...closed.voters].sort());
    expect(closed.voters).toHaveLength(acked);
  });

  it('names at the close only the voters no tally frame named', async () => {
    const convener = await join(demo.firstConvenerId);
    const voters = ['m-zhu-wenbin', 'm-ma-li', 'm-he-jun'];
    const sockets = await Promise.all(voters.map(join));
    const watcher = await join('m-gao-ya');
    const poll = await openPoll(convener, yesNoPoll('结束时不再重发投票人名单'));
    const framed = new Set<string>();
    const allFramed = new Promise<void>((resolve) => {
      watcher.on('poll:tally', (d) => {
        if (d.pollId !== poll.id) return;
        for (const id of d.votersAdded) framed.add(id);
        if (framed.size === voters.length) resolve();
      });
    });
    await Promise.all(
      sockets.map((v) => must(v, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') })),
    );
    await allFramed;
    const closedSeen = next(watcher, 'poll:updated', (d) => d.poll.id === poll.id && d.poll.stage === 'closed');
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect([...closed.voters].sort()).toEqual([...voters].sort());
    // A room of 2,000 would otherwise be sent the whole list again, 2,000 times over.
    expect((await closedSeen).poll.voters).toEqual([]);
    // A snapshot still lists them all.
    const snap = await must(watcher, 'room:snapshot', {});
    expect([...(snap.polls.find((p) => p.id === poll.id)?.voters ?? [])].sort()).toEqual([...voters].sort());
  });

  it('rebuilds open polls from MongoDB after a restart', async () => {
    const convener = await join(demo.firstConvenerId);
    const voter = await join('m-liang-xue');
    const poll = await openPoll(convener, yesNoPoll('重启之后'));
    const ballotId = randomUUID();
    await must(voter, 'vote:cast', { pollId: poll.id, ballotId, content: choice('abstain') });
    server.closeSockets();

    await server.restart();
    const again = await join('m-liang-xue');
    const snap = await must(again, 'room:snapshot', {});
    const rebuilt = snap.polls.find((p) => p.id === poll.id);
    expect(rebuilt).toMatchObject({ stage: 'open', tally: { abstain: 1, ballots: 1 }, voters: ['m-liang-xue'] });
    expect(snap.myBallots[poll.id]).toEqual(choice('abstain'));
    // The re-send after the restart is recognised; a new ballot is still refused.
    expect(await request(again, 'vote:cast', { pollId: poll.id, ballotId, content: choice('abstain') })).toMatchObject({
      ok: true,
    });
    expect(
      await request(again, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('yes') }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });
  });
});
