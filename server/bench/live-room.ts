import { rawCollection } from '../src/db/models';
import { yesNoPoll } from '../src/testing';
import type { ConnectArg, VoteArg, VoteResult } from './gen-room';
import type { BenchContext } from './lib/context';
import { note, serverCpu, startOurs } from './lib/context';
import { liveSession, type Person, quantile, signedInMembers, split } from './lib/fixtures';
import { Child, type CpuReading } from './lib/rpc';
import { WireClient } from './lib/wire-client';
import { report } from './report';

/** Participants per generator process. */
const perGenerator = 1000;

interface Run {
  votes: VoteResult[];
  cpuMicros: number;
  /** Generator CPU during the vote, as a share of one core (the busiest generator). */
  generatorLoad: number;
}

async function generators(n: number): Promise<Child[]> {
  return Promise.all(Array.from({ length: Math.ceil(n / perGenerator) }, () => Child.start('gen-room.ts')));
}

async function connectAll(gens: Child[], url: string, sessionId: string, people: ConnectArg['people']) {
  const parts = split(people, gens.length);
  await Promise.all(
    gens.map((g, i) =>
      g.call('connect', { url, sessionId, people: parts[i] ?? [], concurrency: 16 } satisfies ConnectArg),
    ),
  );
}

async function voteAll(server: Child, gens: Child[], arg: VoteArg): Promise<Run> {
  const g0 = await Promise.all(gens.map((g) => g.call<CpuReading>('cpu')));
  const t0 = performance.now();
  const { result: votes, cpuMicros } = await serverCpu(server, () =>
    Promise.all(gens.map((g) => g.call<VoteResult>('vote', arg))),
  );
  const wallMicros = (performance.now() - t0) * 1000;
  const g1 = await Promise.all(gens.map((g) => g.call<CpuReading>('cpu')));
  const generatorLoad = Math.max(...g1.map((c, i) => (c.micros - (g0[i]?.micros ?? 0)) / wallMicros));
  return { votes, cpuMicros, generatorLoad };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const all = (runs: VoteResult[], pick: (r: VoteResult) => number[]) => runs.flatMap(pick);

/**
 * Tally fan-out (500 / 1,000 / 2,000 participants voting in one room within a window) and the
 * vote burst (the largest size: everyone casts within 10 s), ours beside bare Socket.IO.
 */
export async function liveRoom(
  ctx: BenchContext,
  opts: { sizes: number[]; durationMs: number; burstSize: number },
): Promise<void> {
  const voteArg = (pollId: string, n: number, durationMs = opts.durationMs): VoteArg => ({
    pollId,
    durationMs,
    resendEvery: 10,
    observers: Math.min(20, n),
    tailMs: 300,
  });

  // Every server under test (ours and both baselines) first runs a short vote that is not
  // measured, so no figure includes compiling the code at its first use.
  const warmUpMs = Math.max(1000, opts.durationMs / 5);

  for (const n of opts.sizes) {
    const tag = `${n}-${Date.now().toString(36)}`;
    const [convener] = await signedInMembers(ctx.models, `bench-c${tag}`, 1);
    const voters = await signedInMembers(ctx.models, `bench-v${tag}`, n);
    if (!convener) throw new Error('no convener');
    const sessionId = `bench-s${tag}`;
    await liveSession(ctx.models, sessionId, convener.memberId);
    // A plenary: every committee member may enter (since a2e5d6f a session admits only its
    // conveners, invitees and staff otherwise).
    await rawCollection(ctx.models.Session).updateOne({ _id: sessionId }, { $set: { openToAll: true } });

    // Ours: the real server, real sign-in cookies, the real poll.
    const ours = await startOurs(ctx);
    let oursRun: Run;
    let lost = 0;
    let doubled = 0;
    try {
      const gens = await generators(n);
      const chair = await WireClient.connect(ours.info.url, { cookie: convener.cookie });
      await chair.must('room:join', { sessionId });
      await connectAll(
        gens,
        ours.info.url,
        sessionId,
        voters.map((v: Person) => ({ memberId: v.memberId, cookie: v.cookie })),
      );
      // A warm-up vote first, as for each baseline: the figures are of a server past its start.
      const warm = await chair.must<{ id: string }>('poll:create', { settings: yesNoPoll(`预热 ${n}`) });
      await chair.must('poll:open', { pollId: warm.id });
      await voteAll(ours, gens, { ...voteArg(warm.id, n, warmUpMs), observers: 0 });
      await chair.must('poll:close', { pollId: warm.id });
      const draft = await chair.must<{ id: string }>('poll:create', { settings: yesNoPoll(`表决 ${n}`) });
      await chair.must('poll:open', { pollId: draft.id });
      oursRun = await voteAll(ours, gens, voteArg(draft.id, n));
      const closed = await chair.must<{ tally: { ballots: number } }>('poll:close', { pollId: draft.id });
      const stored = await ctx.models.Ballot.countDocuments({ pollId: draft.id });
      const refused = sum(oursRun.votes.map((v) => v.refused));
      lost = refused + Math.max(0, n - stored);
      doubled =
        Math.max(0, stored - n) +
        Math.abs(closed.tally.ballots - stored) +
        sum(oursRun.votes.map((v) => v.resendMismatch));
      await chair.close();
      await Promise.all(gens.map((g) => g.call('close').then(() => g.stop())));
    } finally {
      await ours.call('stop').catch(() => undefined);
      await ours.stop();
    }

    // Baseline: bare Socket.IO, same participants, same casts, the same coalesced frames.
    const bare = await Child.start<{ url: string }>('server-bare-io.ts', {
      env: { BENCH_BROADCAST: '1' },
      cpuProfDir: ctx.cpuProfDir,
    });
    let bareRun: Run;
    try {
      const gens = await generators(n);
      await connectAll(
        gens,
        bare.info.url,
        sessionId,
        voters.map((v) => ({ memberId: v.memberId, query: `member=${encodeURIComponent(v.memberId)}` })),
      );
      await voteAll(bare, gens, { ...voteArg('p-bare-warm', n, warmUpMs), observers: 0 });
      bareRun = await voteAll(bare, gens, voteArg('p-bare', n));
      await Promise.all(gens.map((g) => g.call('close').then(() => g.stop())));
    } finally {
      await bare.stop();
    }

    const delivered = (r: Run) => sum(r.votes.map((v) => v.delivered));
    report({
      scenario: 'tally-fanout',
      metric: `server CPU per delivered message, ${n} participants`,
      unit: 'µs',
      ours: oursRun.cpuMicros / delivered(oursRun),
      baseline: bareRun.cpuMicros / delivered(bareRun),
      target: 1.25,
    });
    const seenP99 = (r: Run) =>
      quantile(
        all(r.votes, (v) => v.tallySeenMs),
        0.99,
      );
    report({
      scenario: 'tally-fanout',
      metric: `cast-to-tally-seen p99, ${n} participants`,
      unit: 'ms',
      ours: seenP99(oursRun),
      baseline: seenP99(bareRun),
      target: 1.5,
    });
    const framesPerSecond = (r: Run) => Math.max(...r.votes.flatMap((v) => v.frameRates));
    report({
      scenario: 'tally-fanout',
      metric: `tally frames per client per second (max over clients, first frame to last; baseline = the limit), ${n} participants`,
      unit: 'frames/s',
      ours: framesPerSecond(oursRun),
      baseline: 10,
      target: 1,
    });
    const unseen = sum(oursRun.votes.map((v) => v.unseen));
    if (unseen > 0) note(`tally-fanout ${n}: ${unseen} observers missed a voter in the frames`);
    note(
      `tally-fanout ${n}: busiest generator used ${(oursRun.generatorLoad * 100).toFixed(0)}% (ours) / ` +
        `${(bareRun.generatorLoad * 100).toFixed(0)}% (bare) of a core; server CPU ${(oursRun.cpuMicros / 1e6).toFixed(2)} s / ` +
        `${(bareRun.cpuMicros / 1e6).toFixed(2)} s; delivered ${delivered(oursRun)} / ${delivered(bareRun)}`,
    );

    if (n === opts.burstSize) {
      // Vote burst: the same run of ours, against bare Socket.IO that acks once the raw driver
      // has stored the ballot (one insertOne each, no broadcast). Two more bare runs are
      // notes: acking from memory (the baseline before the durable one), and the durable one
      // broadcasting the same tally frames as ours.
      const bareAcks = async (env: Record<string, string>, pollId: string) => {
        const server = await Child.start<{ url: string }>('server-bare-io.ts', {
          env: { BENCH_MONGODB_URI: ctx.uri, BENCH_DB: ctx.dbName, ...env },
        });
        try {
          const gens = await generators(n);
          await connectAll(
            gens,
            server.info.url,
            sessionId,
            voters.map((v) => ({ memberId: v.memberId, query: `member=${encodeURIComponent(v.memberId)}` })),
          );
          await voteAll(server, gens, { ...voteArg(`${pollId}-warm`, n, warmUpMs), observers: 0 });
          const warmCounted = await server.call<number>('counted');
          const run = await voteAll(server, gens, { ...voteArg(pollId, n), observers: 0 });
          const countedHere = (await server.call<number>('counted')) - warmCounted;
          await Promise.all(gens.map((g) => g.call('close').then(() => g.stop())));
          return { run, counted: countedHere };
        } finally {
          await server.call('stop').catch(() => undefined);
          await server.stop();
        }
      };
      const durableRun = await bareAcks({ BENCH_BROADCAST: '0', BENCH_DURABLE: '1' }, `p-durable-${tag}`);
      const memoryRun = await bareAcks({ BENCH_BROADCAST: '0', BENCH_DURABLE: '0' }, `p-memory-${tag}`);
      const durableFanRun = await bareAcks({ BENCH_BROADCAST: '1', BENCH_DURABLE: '1' }, `p-durable-fan-${tag}`);
      const ackRun = durableRun.run;
      const bareCounted = durableRun.counted;
      const ackP99 = (r: Run) =>
        quantile(
          all(r.votes, (v) => v.ackMs),
          0.99,
        );
      const seconds = opts.durationMs / 1000;
      report({
        scenario: 'vote-burst',
        metric: `ack p99, ${n} voters within ${seconds} s (baseline: bare Socket.IO acking after the raw driver's insertOne)`,
        unit: 'ms',
        ours: ackP99(oursRun),
        baseline: ackP99(ackRun),
        target: 2,
      });
      const p50 = (r: Run) =>
        quantile(
          all(r.votes, (v) => v.ackMs),
          0.5,
        );
      note(
        `vote-burst: ack p50 / p99 ours ${p50(oursRun).toFixed(1)} / ${ackP99(oursRun).toFixed(1)} ms; ` +
          `bare durable ${p50(ackRun).toFixed(1)} / ${ackP99(ackRun).toFixed(1)} ms; ` +
          `bare from memory ${p50(memoryRun.run).toFixed(1)} / ${ackP99(memoryRun.run).toFixed(1)} ms; ` +
          `bare durable broadcasting the same frames ${p50(durableFanRun.run).toFixed(1)} / ${ackP99(durableFanRun.run).toFixed(1)} ms; ` +
          `server CPU ours ${(oursRun.cpuMicros / 1e6).toFixed(2)} s, bare durable ${(ackRun.cpuMicros / 1e6).toFixed(2)} s, ` +
          `bare durable broadcasting ${(durableFanRun.run.cpuMicros / 1e6).toFixed(2)} s`,
      );
      // The fan-out's CPU beside a baseline that also stores each ballot before its ack: the
      // write-through's cost, which bare Socket.IO does not pay, is then on both sides.
      const perDelivery = (r: Run) => r.cpuMicros / delivered(r);
      note(
        `tally-fanout ${n}: server CPU per delivered message ours ${perDelivery(oursRun).toFixed(1)} µs, ` +
          `bare durable broadcasting the same frames ${perDelivery(durableFanRun.run).toFixed(1)} µs ` +
          `(${(perDelivery(oursRun) / perDelivery(durableFanRun.run)).toFixed(2)}×), ` +
          `bare ${perDelivery(bareRun).toFixed(1)} µs (durable broadcasting / bare ` +
          `${(perDelivery(durableFanRun.run) / perDelivery(bareRun)).toFixed(2)}×)`,
      );
      report({
        scenario: 'vote-burst',
        metric: `ack p99, ${n} voters within ${seconds} s (absolute; baseline = 50 ms)`,
        unit: 'ms',
        ours: ackP99(oursRun),
        baseline: 50,
        target: 1,
      });
      report({
        scenario: 'vote-burst',
        metric: 'lost ballots (acknowledged but not stored, or refused; ratio = the count)',
        unit: 'ballots',
        ours: lost,
        baseline: n - bareCounted,
        ratio: lost,
        target: 0,
      });
      report({
        scenario: 'vote-burst',
        metric: 'doubled ballots (stored twice, tally ≠ stored, re-send answered differently; ratio = the count)',
        unit: 'ballots',
        ours: doubled,
        baseline: Math.max(0, bareCounted - n),
        ratio: doubled,
        target: 0,
      });
    }
  }
}
