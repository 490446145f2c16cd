/**
 * Baseline: a bare Socket.IO server, same options as ours, no database, no validation. It knows
 * the member from the handshake query. `room:join` joins a room and acks; `vote:cast` acks and
 * counts in memory; with BENCH_BROADCAST=1 it also broadcasts the same tally frames as ours,
 * coalesced to the same 10 frames a second.
 *
 * With BENCH_DURABLE=1 (and BENCH_MONGODB_URI, BENCH_DB: the bench's database server and
 * database) a voter's first cast is acknowledged only once the raw MongoDB driver has stored
 * the ballot: one `insertOne` per ballot, with no batching, of the document ours stores (the
 * `ballots` collection, `_id` pollId:voterId, ballotId, pollId, voterId, content, paper,
 * enteredBy, castAt), on the default write concern. A re-send from a voter already counted is
 * answered from memory, as ours answers it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { limits } from '@yitang/shared';
import { type Collection, MongoClient } from 'mongodb';
import { Server } from 'socket.io';
import type { BallotDoc } from '../src/polls/poll.model';
import { processHandlers, serve } from './lib/rpc';

const broadcast = process.env.BENCH_BROADCAST === '1';
const durable = process.env.BENCH_DURABLE === '1';
const mongo = durable ? await new MongoClient(process.env.BENCH_MONGODB_URI ?? '').connect() : null;
const ballots: Collection<BallotDoc> | null =
  mongo?.db(process.env.BENCH_DB ?? '').collection<BallotDoc>('ballots') ?? null;
const http = createServer();
const io = new Server(http, {
  maxHttpBufferSize: limits.maxSocketPayloadBytes,
  pingInterval: 10_000,
  pingTimeout: 5_000,
});

interface Poll {
  yes: number;
  no: number;
  abstain: number;
  ballots: number;
  voters: Set<string>;
  added: string[];
  timer: NodeJS.Timeout | null;
  lastFrameAt: number;
}
const polls = new Map<string, Poll>();
let counted = 0;

function frame(room: string, pollId: string, p: Poll): void {
  if (p.timer) return;
  const interval = 1000 / limits.tallyFramesPerSecond;
  p.timer = setTimeout(
    () => {
      p.timer = null;
      p.lastFrameAt = Date.now();
      const votersAdded = p.added.splice(0);
      io.to(room).emit('poll:tally', {
        pollId,
        ballots: p.ballots,
        tally: { kind: 'yesno', ballots: p.ballots, yes: p.yes, no: p.no, abstain: p.abstain },
        votersAdded,
      });
    },
    Math.max(0, p.lastFrameAt + interval - Date.now()),
  );
}

io.on('connection', (socket) => {
  const memberId = String(socket.handshake.query.member ?? socket.id);
  let room: string | null = null;
  socket.on('room:join', (p: { sessionId: string }, ack: (r: unknown) => void) => {
    room = `session:${p.sessionId}`;
    void socket.join(room);
    ack({ ok: true, data: { sessionId: p.sessionId } });
  });
  socket.on(
    'vote:cast',
    (
      p: { pollId: string; ballotId: string; content: { kind: 'yesno'; choice: 'yes' | 'no' | 'abstain' } },
      ack: (r: unknown) => void,
    ) => {
      let poll = polls.get(p.pollId);
      if (!poll) {
        poll = { yes: 0, no: 0, abstain: 0, ballots: 0, voters: new Set(), added: [], timer: null, lastFrameAt: 0 };
        polls.set(p.pollId, poll);
      }
      const receipt = { ok: true, data: { pollId: p.pollId, ballotId: p.ballotId, paper: false } };
      const count = (into: Poll) => {
        into.voters.add(memberId);
        into.ballots += 1;
        into[p.content.choice] += 1;
        into.added.push(memberId);
        counted += 1;
        if (broadcast && room) frame(room, p.pollId, into);
      };
      if (poll.voters.has(memberId)) {
        ack(receipt);
        return;
      }
      if (!ballots) {
        count(poll);
        ack(receipt);
        return;
      }
      const into = poll;
      ballots
        .insertOne({
          _id: `${p.pollId}:${memberId}`,
          ballotId: p.ballotId,
          pollId: p.pollId,
          voterId: memberId,
          content: p.content,
          paper: false,
          enteredBy: null,
          castAt: new Date(),
        })
        .then(
          () => {
            if (!into.voters.has(memberId)) count(into);
            ack(receipt);
          },
          (err: unknown) => ack({ ok: false, error: { code: 'INTERNAL', message: String(err).slice(0, 200) } }),
        );
    },
  );
});

await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;

serve(
  {
    ...processHandlers,
    sockets: () => io.of('/').sockets.size,
    counted: () => counted,
    stop: async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await mongo?.close();
    },
  },
  { url: `http://127.0.0.1:${port}` },
);
