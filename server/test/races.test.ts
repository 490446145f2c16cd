/**
 * Property tests of the ballot races, with real sockets against the real server. fast-check's
 * scheduler decides the interleaving: each participant is a sequence of steps (round trips that
 * take real time, and fire-and-forget emits), and the scheduler picks whose step runs next, so
 * ballots and closes meet at the server in many orders. No sleeps.
 */
import { randomUUID } from 'node:crypto';
import { type Ack, type BallotReceipt, MembersResponse, type PollView } from '@yitang/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  choice,
  connectSocket,
  demo,
  must,
  openPoll,
  request,
  signIn,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
let voterIds: string[] = [];
const MAX_VOTERS = 8;

/** A fresh tab, joined: every run has its own sockets, so none nears its rate limit. */
async function tab(memberId: string, open: ClientSocket[]): Promise<ClientSocket> {
  const cookie = cookies.get(memberId);
  if (!cookie) throw new Error(`no cookie for ${memberId}`);
  const socket = await connectSocket(server.url, cookie);
  open.push(socket);
  await must(socket, 'room:join', { sessionId: demo.sessionId });
  return socket;
}

/** A step that takes one real round trip on `socket`. */
const roundTrip = (socket: ClientSocket, label: string) => ({
  label,
  builder: async () => {
    await must(socket, 'room:snapshot', {});
  },
});

const Choice = fc.constantFrom('yes' as const, 'no' as const, 'abstain' as const);

/** Counts a poll's stored votes: named ballots, or the "who voted" marks of a secret poll. */
async function storedVotes(poll: PollView, voterId?: string): Promise<number> {
  const filter = voterId ? { pollId: poll.id, _id: `${poll.id}:${voterId}` } : { pollId: poll.id };
  return poll.settings.secret
    ? server.app.models.VoterMark.countDocuments(filter)
    : server.app.models.Ballot.countDocuments(filter);
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const { members } = MembersResponse.parse(await (await fetch(`${server.url}/api/auth/demo-identities`)).json());
  voterIds = members
    .filter((m) => m.kind === 'member' && m.id !== demo.firstConvenerId)
    .map((m) => m.id)
    .slice(0, MAX_VOTERS);
  for (const id of [demo.firstConvenerId, ...voterIds]) cookies.set(id, await signIn(server.url, id));
  const convener = await connectSocket(server.url, cookies.get(demo.firstConvenerId));
  await must(convener, 'room:join', { sessionId: demo.sessionId });
  await must(convener, 'session:start', {});
  convener.close();
});
afterAll(async () => {
  await server.close();
});

describe('one voter, two ballots', () => {
  it('accepts exactly one, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.record({
          secret: fc.boolean(),
          /** Both ballots from one tab, or one from each of two tabs of the same member. */
          twoTabs: fc.boolean(),
          choices: fc.tuple(Choice, Choice),
          /** Round trips each side makes before and after emitting its ballot. */
          before: fc.tuple(fc.nat(2), fc.nat(2)),
          after: fc.tuple(fc.nat(2), fc.nat(2)),
        }),
        async (s, plan) => {
          const open: ClientSocket[] = [];
          try {
            const voter = voterIds[0] ?? '';
            const convener = await tab(demo.firstConvenerId, open);
            const poll = await openPoll(convener, yesNoPoll('同一人两张票', { secret: plan.secret }));
            const first = await tab(voter, open);
            const tabs = [first, plan.twoTabs ? await tab(voter, open) : first] as const;
            const ballots = plan.choices.map((c) => ({ pollId: poll.id, ballotId: randomUUID(), content: choice(c) }));

            const acks: Array<Promise<Ack<BallotReceipt>>> = [];
            const sequences = ([0, 1] as const).map((i) => {
              const socket = tabs[i];
              const ballot = ballots[i];
              if (!ballot) throw new Error('two ballots');
              return s.scheduleSequence([
                ...Array.from({ length: plan.before[i] }, (_, k) => roundTrip(socket, `tab ${i} wait ${k}`)),
                {
                  label: `tab ${i} sends ${plan.choices[i]}`,
                  builder: async () => {
                    acks[i] = request(socket, 'vote:cast', ballot);
                  },
                },
                ...Array.from({ length: plan.after[i] }, (_, k) => roundTrip(socket, `tab ${i} then ${k}`)),
              ]);
            });
            const ran = await s.waitFor(Promise.all(sequences.map((q) => q.task)));
            expect(ran.every((r) => r.done)).toBe(true);
            const results = await Promise.all(acks);
            expect(results).toHaveLength(2);

            const ok = results.flatMap((r, i) => (r.ok ? [i] : []));
            expect(ok).toHaveLength(1);
            const refused = results.find((r) => !r.ok);
            expect(refused).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });
            const winner = ok[0] ?? 0;
            expect(results[winner]).toEqual({
              ok: true,
              data: { pollId: poll.id, ballotId: ballots[winner]?.ballotId, paper: false },
            });
            expect(await storedVotes(poll, voter)).toBe(1);

            const closed = await must(convener, 'poll:close', { pollId: poll.id });
            const won = plan.choices[winner] ?? 'yes';
            expect(closed.voters).toEqual([voter]);
            expect(closed.tally).toMatchObject({ ballots: 1, [won]: 1 });
          } finally {
            for (const socket of open) socket.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('ballots racing the close', () => {
  it('counts every acknowledged ballot and refuses every other one with POLL_CLOSED', async () => {
    const seen = { acked: 0, late: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.record({
          secret: fc.boolean(),
          voters: fc.array(fc.record({ choice: Choice, wait: fc.nat(2) }), { minLength: 1, maxLength: MAX_VOTERS }),
          /** Round trips the convener makes before sending the close. */
          closeAfter: fc.nat(3),
        }),
        async (s, plan) => {
          const open: ClientSocket[] = [];
          try {
            const convener = await tab(demo.firstConvenerId, open);
            const poll = await openPoll(convener, yesNoPoll('投票与结束赛跑', { secret: plan.secret }));
            const ids = voterIds.slice(0, plan.voters.length);
            const sockets = await Promise.all(ids.map((id) => tab(id, open)));
            const ballots = plan.voters.map((v) => ({
              pollId: poll.id,
              ballotId: randomUUID(),
              content: choice(v.choice),
            }));

            const acks: Array<Promise<Ack<BallotReceipt>>> = [];
            const closing: Array<Promise<Ack<PollView>>> = [];
            const sequences = sockets.map((socket, i) =>
              s.scheduleSequence([
                ...Array.from({ length: plan.voters[i]?.wait ?? 0 }, (_, k) =>
                  roundTrip(socket, `voter ${i} wait ${k}`),
                ),
                {
                  label: `voter ${i} sends`,
                  builder: async () => {
                    const ballot = ballots[i];
                    if (ballot) acks[i] = request(socket, 'vote:cast', ballot);
                  },
                },
              ]),
            );
            sequences.push(
              s.scheduleSequence([
                ...Array.from({ length: plan.closeAfter }, (_, k) => roundTrip(convener, `convener wait ${k}`)),
                {
                  label: 'convener closes',
                  builder: async () => {
                    closing.push(request(convener, 'poll:close', { pollId: poll.id }));
                  },
                },
              ]),
            );
            const ran = await s.waitFor(Promise.all(sequences.map((q) => q.task)));
            expect(ran.every((r) => r.done)).toBe(true);
            const results = await Promise.all(acks);
            expect(results).toHaveLength(ids.length);
            const [closedAck] = await Promise.all(closing);
            if (!closedAck?.ok) throw new Error(`poll:close refused: ${JSON.stringify(closedAck)}`);
            const closed = closedAck.data;

            // Every ballot is either counted or refused as late; nothing else.
            for (const r of results) expect(r.ok || r.error.code === 'POLL_CLOSED', JSON.stringify(r)).toBe(true);
            const acked = ids.filter((_, i) => results[i]?.ok);
            seen.acked += acked.length;
            seen.late += ids.length - acked.length;

            // The closed tally is exactly the acknowledged ballots.
            expect(closed.stage).toBe('closed');
            expect(closed.ballots).toBe(acked.length);
            expect([...closed.voters].sort()).toEqual([...acked].sort());
            const count = (c: 'yes' | 'no' | 'abstain') =>
              plan.voters.filter((v, i) => v.choice === c && results[i]?.ok).length;
            expect(closed.tally).toMatchObject({
              ballots: acked.length,
              yes: count('yes'),
              no: count('no'),
              abstain: count('abstain'),
            });
            expect(await storedVotes(closed)).toBe(acked.length);

            // After the close the answers stand: re-sends of counted ballots get their receipt,
            // late ones stay refused.
            const again = await Promise.all(
              sockets.map((socket, i) => {
                const ballot = ballots[i];
                if (!ballot) throw new Error('one ballot per voter');
                return request(socket, 'vote:cast', ballot);
              }),
            );
            expect(again.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(
              results.map((r) => (r.ok ? 'ok' : r.error.code)),
            );
          } finally {
            for (const socket of open) socket.close();
          }
        },
      ),
      { numRuns: 15 },
    );
    // Over the runs, both sides of the race happened (a property that never sees a late ballot
    // proves little about them).
    expect(seen.acked).toBeGreaterThan(0);
    expect(seen.late).toBeGreaterThan(0);
  });
});
