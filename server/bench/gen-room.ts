/**
 * Load generator for the live room, in a process of its own: many participants over the
 * Socket.IO wire protocol (lib/wire-client.ts), joining one session, then voting at a steady
 * rate while every participant counts the tally frames it receives and a few observers time
 * cast → tally-seen for the voters of this process.
 */
import { randomUUID } from 'node:crypto';
import { processHandlers, serve } from './lib/rpc';
import { ackOk, WireClient } from './lib/wire-client';

interface Participant {
  memberId: string;
  client: WireClient;
  frames: number;
  /** Arrival of the first and the last tally frame of the current vote (ms, `now()`). */
  firstFrameAt: number;
  lastFrameAt: number;
}

function countFrame(p: Participant): void {
  const t = now();
  if (p.frames === 0) p.firstFrameAt = t;
  p.lastFrameAt = t;
  p.frames += 1;
}

/**
 * Tally frames a second as this client saw them: the frames after its first one, over the time
 * from its first frame to its last. Counting every frame over a fixed window instead overstates
 * the rate by one frame per window (a frame at each end).
 */
function frameRate(p: Participant): number {
  const span = p.lastFrameAt - p.firstFrameAt;
  return p.frames > 1 && span > 0 ? (p.frames - 1) / (span / 1000) : 0;
}

export interface ConnectArg {
  url: string;
  sessionId: string;
  people: Array<{ memberId: string; cookie?: string; query?: string }>;
  concurrency: number;
}

export interface VoteArg {
  pollId: string;
  /** Casts are spread evenly over this window. */
  durationMs: number;
  /** Every `resendEvery`-th voter sends its ballot a second time (same ballotId) after the ack. */
  resendEvery: number;
  observers: number;
  /** Counts frames for this many ms after the last cast too. */
  tailMs: number;
}

export interface VoteResult {
  cast: number;
  ackMs: number[];
  refused: number;
  /** Re-sends not answered with the same receipt. */
  resendMismatch: number;
  tallySeenMs: number[];
  /** Observers that never saw some of this process's voters in a frame. */
  unseen: number;
  framesPerClient: number[];
  /** Each client's tally frames a second, first frame to last (see `frameRate`). */
  frameRates: number[];
  /** Incoming frames of all kinds (acks, tally frames, …) during the window. */
  delivered: number;
  windowMs: number;
}

const people: Participant[] = [];
const now = () => performance.timeOrigin + performance.now();

async function connect(arg: ConnectArg): Promise<{ joined: number; ms: number }> {
  const t0 = now();
  let next = 0;
  const worker = async () => {
    while (next < arg.people.length) {
      const p = arg.people[next++];
      if (!p) break;
      const client = await WireClient.connect(arg.url, { cookie: p.cookie, query: p.query });
      const res = await client.request('room:join', { sessionId: arg.sessionId });
      if (!ackOk(res)) throw new Error(`join refused for ${p.memberId}: ${res.slice(0, 200)}`);
      const participant: Participant = { memberId: p.memberId, client, frames: 0, firstFrameAt: 0, lastFrameAt: 0 };
      client.onEvent = (text) => {
        if (text.startsWith('42["poll:tally"')) countFrame(participant);
      };
      people.push(participant);
    }
  };
  await Promise.all(Array.from({ length: arg.concurrency }, worker));
  return { joined: people.length, ms: now() - t0 };
}

function vote(arg: VoteArg): Promise<VoteResult> {
  const castAt = new Map<string, number>();
  const ackMs: number[] = [];
  const tallySeenMs: number[] = [];
  let refused = 0;
  let resendMismatch = 0;
  for (const p of people) p.frames = 0;
  const received0 = people.reduce((n, p) => n + p.client.received, 0);

  // Observers (spread over the participants) time every voter of this process they see.
  const step = Math.max(1, Math.floor(people.length / Math.max(1, arg.observers)));
  const observers = people.filter((_, i) => i % step === 0).slice(0, arg.observers);
  const pendingSeen = new Map<Participant, Set<string>>();
  for (const o of observers) {
    const waiting = new Set(people.map((p) => p.memberId));
    pendingSeen.set(o, waiting);
    o.client.onEvent = (text) => {
      if (!text.startsWith('42["poll:tally"')) return;
      countFrame(o);
      const t = now();
      const [, frame] = JSON.parse(text.slice(2)) as [string, { pollId: string; votersAdded: string[] }];
      if (frame.pollId !== arg.pollId) return;
      for (const v of frame.votersAdded) {
        const at = castAt.get(v);
        if (at !== undefined && waiting.delete(v)) tallySeenMs.push(t - at);
      }
      if (waiting.size === 0) seenDone();
    };
  }

  let resolveAll: (r: VoteResult) => void = () => undefined;
  const done = new Promise<VoteResult>((resolve) => {
    resolveAll = resolve;
  });
  let acksLeft = people.length;
  let observersLeft = observers.length;
  const t0 = now();
  let lastFrameAt = t0;
  const finish = () => {
    if (acksLeft > 0 || observersLeft > 0) return;
    // Frames keep arriving for `tailMs` (the coalescer's last frames); count them too.
    setTimeout(() => {
      const windowMs = Math.max(lastFrameAt, t0 + arg.durationMs) - t0;
      resolveAll({
        cast: people.length,
        ackMs,
        refused,
        resendMismatch,
        tallySeenMs,
        unseen: [...pendingSeen.values()].filter((s) => s.size > 0).length,
        framesPerClient: people.map((p) => p.frames),
        frameRates: people.map(frameRate),
        delivered: people.reduce((n, p) => n + p.client.received, 0) - received0,
        windowMs,
      });
    }, arg.tailMs);
  };
  function seenDone() {
    observersLeft = [...pendingSeen.values()].filter((s) => s.size > 0).length;
    lastFrameAt = now();
    finish();
  }
  for (const p of people) {
    const onEvent = p.client.onEvent;
    p.client.onEvent = (text) => {
      onEvent?.(text);
      if (text.startsWith('42["poll:tally"')) lastFrameAt = now();
    };
  }

  // Casts at a steady rate: each voter at its slot in the window.
  const interval = arg.durationMs / people.length;
  people.forEach((p, i) => {
    setTimeout(async () => {
      const ballotId = randomUUID();
      const payload = { pollId: arg.pollId, ballotId, content: { kind: 'yesno', choice: i % 3 === 0 ? 'no' : 'yes' } };
      const sent = now();
      castAt.set(p.memberId, sent);
      const res = await p.client.request('vote:cast', payload);
      ackMs.push(now() - sent);
      if (!ackOk(res)) refused += 1;
      if (arg.resendEvery > 0 && i % arg.resendEvery === 0) {
        const again = await p.client.request('vote:cast', payload);
        if (!ackOk(again) || !again.includes(ballotId)) resendMismatch += 1;
      }
      acksLeft -= 1;
      finish();
    }, i * interval);
  });
  return done;
}

serve({
  ...processHandlers,
  connect: (arg: ConnectArg) => connect(arg),
  vote: (arg: VoteArg) => vote(arg),
  count: () => people.length,
  close: async () => {
    await Promise.all(people.splice(0).map((p) => p.client.close()));
  },
});
