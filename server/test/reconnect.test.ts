/**
 * A client that drops for a moment comes back by itself, joins again, and finds in its snapshot
 * everything it missed, once; a ballot whose ack the drop swallowed is counted once.
 */
import { randomUUID } from 'node:crypto';
import type { Ack, BallotReceipt } from '@yitang/shared';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  choice,
  connectSocket,
  demo,
  joinAs,
  must,
  next,
  openPoll,
  request,
  signIn,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

/** Like `connectSocket`, but the client reconnects by itself, quickly, as a browser tab does. */
async function connectReconnecting(memberId: string): Promise<ClientSocket> {
  const cookie = await signIn(server.url, memberId);
  const socket: ClientSocket = ioClient(server.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: true,
    reconnectionDelay: 50,
    reconnectionDelayMax: 100,
    extraHeaders: { cookie },
  });
  server.sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Cuts the transport under the socket (as a network drop would) and resolves once it is back. */
function dropAndReconnect(socket: ClientSocket): { dropped: Promise<string>; back: Promise<void> } {
  const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
  // The manager reconnects the transport, then the socket completes its own handshake.
  const back = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.io.engine.close();
  return { dropped, back };
}

/** Every sequenced delta a socket receives, by event. */
function recordDeltas(socket: ClientSocket): Array<{ event: string; seq: number; id: string | null }> {
  const seen: Array<{ event: string; seq: number; id: string | null }> = [];
  socket.onAny((event: string, payload: unknown) => {
    if (typeof payload !== 'object' || payload === null || !('seq' in payload)) return;
    const p = payload as { seq: number; suggestion?: { id: string }; poll?: { id: string } };
    seen.push({ event, seq: p.seq, id: p.suggestion?.id ?? p.poll?.id ?? null });
  });
  return seen;
}

describe('a client that drops for a moment', () => {
  it('re-joins and its snapshot holds what it missed, exactly once, with no gap after', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const other = await joinAs(server, 'm-tang-li');
    const tab = await connectReconnecting('m-feng-gang');
    const before = await must(tab, 'room:join', { sessionId: demo.sessionId });
    const poll = await openPoll(convener, yesNoPoll('断线期间的投票'));
    const deltas = recordDeltas(tab);

    // The drop: the server sees the member leave.
    const left = next(convener, 'presence:changed', (d) => d.left.includes('m-feng-gang'));
    const { dropped, back } = dropAndReconnect(tab);
    // The engine closed under the socket (not a deliberate disconnect), so the manager reconnects.
    expect(await dropped).toBe('forced close');
    await left;

    // Meanwhile the others act.
    const suggestion = await must(other, 'suggestion:submit', { text: '断线期间提交的建议' });
    const ballotId = randomUUID();
    await must(other, 'vote:cast', { pollId: poll.id, ballotId, content: choice('yes') });
    const target = before.session.agenda.find((a) => a.id !== before.session.currentItemId);
    if (!target) throw new Error('the demo agenda has more than one item');
    await must(convener, 'agenda:goto', { itemId: target.id });

    // Back by itself; joins again (the client does this on every connect).
    await back;
    expect(tab.connected).toBe(true);
    const rejoined = next(convener, 'presence:changed', (d) =>
      d.entries.some((e) => e.memberId === 'm-feng-gang' && e.online),
    );
    const snap = await must(tab, 'room:join', { sessionId: demo.sessionId });
    const joinDelta = await rejoined;

    // Nothing reached the dropped client while it was away: the snapshot is its only source.
    expect(deltas.filter((d) => d.id === suggestion.id)).toEqual([]);
    // The snapshot already shows the return: the presence frame telling it went out before the
    // snapshot (the same seq) or, coalesced, right after it (the next seq, which repeats it).
    expect([snap.seq, snap.seq + 1]).toContain(joinDelta.seq);
    expect(snap.suggestions.filter((s) => s.id === suggestion.id)).toEqual([suggestion]);
    const missedPoll = snap.polls.filter((p) => p.id === poll.id);
    expect(missedPoll).toHaveLength(1);
    expect(missedPoll[0]).toMatchObject({ stage: 'open', ballots: 1, voters: ['m-tang-li'], tally: { yes: 1 } });
    expect(snap.session.currentItemId).toBe(target.id);
    expect(snap.presence.filter((p) => p.memberId === 'm-feng-gang')).toHaveLength(1);
    expect(snap.you).toMatchObject({ memberId: 'm-feng-gang', online: true });

    // From here on the deltas follow the snapshot without a gap or a repeat.
    const afterJoin = deltas.length;
    const nextSession = next(tab, 'session:updated');
    await must(convener, 'agenda:goto', { itemId: before.session.currentItemId ?? target.id });
    const moved = await nextSession;
    const seqs = deltas.slice(afterJoin).map((d) => d.seq);
    expect(seqs[0]).toBe(snap.seq + 1);
    expect(seqs).toEqual(seqs.map((_, i) => snap.seq + 1 + i));
    expect(seqs).toContain(moved.seq);
    expect(deltas.filter((d) => d.id === suggestion.id)).toEqual([]);
  });

  it('does not stay present when the connection drops while its join is being stored', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    // The drop lands inside the join's attendance write most of the time, not every time: a few
    // members try, so the window is hit (the bug showed in ~3 of 4 single attempts).
    const members = ['m-yuan-mei', 'm-pan-yong', 'm-dong-hai', 'm-tian-jia', 'm-xiao-bo', 'm-zeng-qing'];
    for (const memberId of members) {
      const socket = await connectSocket(server.url, await signIn(server.url, memberId));
      server.sockets.push(socket);
      const serverSide = server.app.io.sockets.sockets.get(socket.id ?? '');
      if (!serverSide) throw new Error('the server knows the socket');
      const serverSawDrop = new Promise<void>((resolve) => serverSide.once('disconnect', () => resolve()));

      // The join goes out and the transport is cut in the same tick: the server receives the
      // join, starts storing the attendance, and sees the connection close meanwhile.
      // The first presence frame that mentions the member: its arrival, or (arrival and leave
      // within one frame's window) only its leave.
      const seen = next(
        convener,
        'presence:changed',
        (d) => d.left.includes(memberId) || d.entries.some((e) => e.memberId === memberId),
      );
      void request(socket, 'room:join', { sessionId: demo.sessionId });
      socket.io.engine.close();
      await serverSawDrop;
      await seen;
    }

    // The server has handled every drop and every join (a join's presence change is its last
    // step but one, the undo follows in the same turn of the event loop). Nobody is connected as these members, so none may be shown present.
    const snap = await must(convener, 'room:snapshot', {});
    expect(snap.presence.filter((p) => members.includes(p.memberId)).map((p) => p.memberId)).toEqual([]);
  });

  it('counts once a ballot whose ack was lost in the drop and re-sent after it', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const tab = await connectReconnecting('m-deng-yun');
    await must(tab, 'room:join', { sessionId: demo.sessionId });
    const poll = await openPoll(convener, yesNoPoll('丢失回执的选票'));
    const ballot = { pollId: poll.id, ballotId: randomUUID(), content: choice('no') };

    // Sent, and the connection cut in the same tick: the packet goes out, its ack never comes.
    const counted = next(convener, 'poll:tally', (d) => d.pollId === poll.id && d.votersAdded.includes('m-deng-yun'));
    let firstAck: Ack<BallotReceipt> | null = null;
    void request(tab, 'vote:cast', ballot).then((a) => {
      firstAck = a;
    });
    const { dropped, back } = dropAndReconnect(tab);
    await dropped;
    // The server did get it: the room counted the voter.
    expect((await counted).ballots).toBe(1);

    await back;
    await must(tab, 'room:join', { sessionId: demo.sessionId });
    // The client re-sends the ballot it has no ack for, with the same ballotId.
    expect(await request(tab, 'vote:cast', ballot)).toEqual({
      ok: true,
      data: { pollId: poll.id, ballotId: ballot.ballotId, paper: false },
    });
    expect(firstAck).toBeNull();

    // Counted once: in the room, in the closed tally and in the database.
    const snap = await must(tab, 'room:snapshot', {});
    expect(snap.myBallots[poll.id]).toEqual(choice('no'));
    expect(snap.polls.find((p) => p.id === poll.id)).toMatchObject({ ballots: 1, voters: ['m-deng-yun'] });
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally).toMatchObject({ ballots: 1, no: 1, yes: 0, abstain: 0 });
    expect(await server.app.models.Ballot.countDocuments({ pollId: poll.id })).toBe(1);
  });
});
