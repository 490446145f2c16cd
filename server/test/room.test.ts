import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  connectSocket,
  demo,
  must,
  next,
  request,
  signIn,
  startTestServer,
  type TestServer,
} from '../src/testing';

let server: TestServer;
const sockets: ClientSocket[] = [];

async function joined(memberId: string): Promise<ClientSocket> {
  const socket = await connectSocket(server.url, await signIn(server.url, memberId));
  sockets.push(socket);
  await must(socket, 'room:join', { sessionId: demo.sessionId });
  return socket;
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

describe('presence', () => {
  it('shows a join to the others and a closed connection as a leave', async () => {
    const convener = await joined(demo.firstConvenerId);
    const sawJoin = next(convener, 'presence:joined', (d) => d.entry.memberId === 'm-zhou-min');
    const member = await joined('m-zhou-min');
    const join = await sawJoin;
    expect(join.entry).toMatchObject({ memberId: 'm-zhou-min', name: '周敏', role: 'member' });

    const snap = await must(member, 'room:snapshot', {});
    expect(snap.presence.map((p) => p.memberId)).toEqual(expect.arrayContaining([demo.firstConvenerId, 'm-zhou-min']));
    expect(snap.you.role).toBe('member');
    expect(snap.session.agenda).toHaveLength(3);

    // The transport closing (a closed tab) is enough: no leave event from the client.
    const sawLeave = next(convener, 'presence:left', (d) => d.memberId === 'm-zhou-min');
    member.disconnect();
    const left = await sawLeave;
    expect(left.seq).toBeGreaterThan(join.seq);
  });

  it('keeps a member present while another of their tabs is open', async () => {
    const watcher = await joined('m-gao-ya');
    const tab1 = await joined('m-lin-feng');
    await joined('m-lin-feng');
    let left = false;
    watcher.on('presence:left', (d) => {
      if (d.memberId === 'm-lin-feng') left = true;
    });
    tab1.disconnect();
    // A round trip after the disconnect is processed: the other tab still holds presence.
    const snap = await must(watcher, 'room:snapshot', {});
    expect(snap.presence.some((p) => p.memberId === 'm-lin-feng')).toBe(true);
    expect(left).toBe(false);
  });
});

describe('agenda', () => {
  it('lets a convener move to an item and everyone follows; members may not', async () => {
    const convener = await joined(demo.firstConvenerId);
    const member = await joined('m-xu-jing');
    const follow = next(member, 'agenda:current', (d) => d.currentItemId === 'a2');
    await must(convener, 'agenda:goto', { itemId: 'a2' });
    expect((await follow).currentItemId).toBe('a2');
    const refused = await request(member, 'agenda:goto', { itemId: 'a3' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await request(convener, 'agenda:goto', { itemId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('voting', () => {
  it('runs a yes/no/abstain poll end to end with a live tally and a stored result', async () => {
    const convener = await joined(demo.firstConvenerId);
    const second = await joined(demo.secondConvenerId);
    const alice = await joined('m-li-xiaoyan');
    const bob = await joined('m-sun-jianhua');

    const opened = next(alice, 'poll:opened');
    const poll = await must(convener, 'poll:open', { question: '是否同意先行整治占道经营?' });
    expect((await opened).poll.id).toBe(poll.id);

    // The other clients see the tally move.
    const tallyAfterAlice = next(second, 'poll:tally', (d) => d.pollId === poll.id && d.tally.yes === 1);
    const ballotId = randomUUID();
    const receipt = await must(alice, 'vote:cast', { pollId: poll.id, ballotId, choice: 'yes' });
    expect(receipt).toEqual({ pollId: poll.id, ballotId, choice: 'yes' });
    expect((await tallyAfterAlice).ballots).toBe(1);

    // A re-sent ballot (same ballotId) gets the same ack and is not counted twice.
    expect(await request(alice, 'vote:cast', { pollId: poll.id, ballotId, choice: 'yes' })).toEqual({
      ok: true,
      data: receipt,
    });
    // A second ballot from the same voter is refused.
    expect(await request(alice, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), choice: 'no' })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_VOTED' },
    });

    await must(bob, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), choice: 'no' });
    await must(second, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), choice: 'yes' });

    // Only conveners close.
    expect(await request(bob, 'poll:close', { pollId: poll.id })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const closedSeen = next(bob, 'poll:closed', (d) => d.poll.id === poll.id);
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed).toMatchObject({ state: 'closed', tally: { yes: 2, no: 1, abstain: 0 }, outcome: 'adopted' });
    expect((await closedSeen).poll).toEqual(closed);

    // The result is in MongoDB, and so are exactly three ballots.
    const stored = await server.app.models.Poll.findById(poll.id).lean();
    expect(stored).toMatchObject({
      state: 'closed',
      result: { tally: { yes: 2, no: 1, abstain: 0 }, outcome: 'adopted' },
    });
    expect(await server.app.models.Ballot.countDocuments({ pollId: poll.id })).toBe(3);

    // After the close: new ballots are refused, an old re-send still gets its ack.
    const late = await joined('m-wu-guoqiang');
    expect(await request(late, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), choice: 'no' })).toMatchObject({
      ok: false,
      error: { code: 'POLL_CLOSED' },
    });
    expect(await request(alice, 'vote:cast', { pollId: poll.id, ballotId, choice: 'yes' })).toEqual({
      ok: true,
      data: receipt,
    });
  });

  it('refuses a second ballot by database key even when both race in at once', async () => {
    const convener = await joined(demo.firstConvenerId);
    const voter = await joined('m-hu-zhiyong');
    const poll = await must(convener, 'poll:open', { question: '并发投票' });
    const results = await Promise.all(
      (['yes', 'no', 'abstain', 'yes', 'no'] as const).map((choice) =>
        request(voter, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), choice }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'ALREADY_VOTED')).toHaveLength(4);
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally.yes + closed.tally.no + closed.tally.abstain).toBe(1);
  });

  it('counts every acknowledged ballot when votes race the close', async () => {
    const convener = await joined(demo.firstConvenerId);
    const voters = await Promise.all(['m-zhu-wenbin', 'm-ma-li', 'm-he-jun', 'm-guo-hong', 'm-luo-bin'].map(joined));
    const poll = await must(convener, 'poll:open', { question: '投票与结束赛跑' });
    const votes = voters.map((v) =>
      request(v, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), choice: 'yes' }),
    );
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    const acks = await Promise.all(votes);
    const acked = acks.filter((a) => a.ok).length;
    expect(acks.every((a) => a.ok || a.error.code === 'POLL_CLOSED')).toBe(true);
    expect(closed.tally.yes).toBe(acked);
  });

  it('rebuilds open polls from MongoDB after a restart', async () => {
    const convener = await joined(demo.firstConvenerId);
    const voter = await joined('m-liang-xue');
    const poll = await must(convener, 'poll:open', { question: '重启之后' });
    const ballotId = randomUUID();
    await must(voter, 'vote:cast', { pollId: poll.id, ballotId, choice: 'abstain' });
    for (const s of sockets.splice(0)) s.close();

    await server.restart();
    const again = await joined('m-liang-xue');
    const snap = await must(again, 'room:snapshot', {});
    const rebuilt = snap.polls.find((p) => p.id === poll.id);
    expect(rebuilt).toMatchObject({ state: 'open', tally: { yes: 0, no: 0, abstain: 1 } });
    expect(snap.myBallots[poll.id]).toBe('abstain');
    // The re-send after the restart is recognised; a new ballot is still refused.
    expect(await request(again, 'vote:cast', { pollId: poll.id, ballotId, choice: 'abstain' })).toMatchObject({
      ok: true,
    });
    expect(await request(again, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), choice: 'yes' })).toMatchObject(
      { ok: false, error: { code: 'ALREADY_VOTED' } },
    );
  });
});
