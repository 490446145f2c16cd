/**
 * Room fill: n participants join one live session as fast as the server takes them, through the
 * same fixed window of joins in flight for ours and for bare Socket.IO, in the same run. Figures:
 * the whole fill's time (ours against bare), and the time per join in each tenth of the fill
 * (the last tenth against the first: flat when nothing grows with the room).
 *
 * The same file is the load generator (started by the scenario with BENCH_ROOM_FILL_GEN=1): each
 * generator process connects its share over the Socket.IO wire protocol (lib/wire-client.ts),
 * stamps when each join's ack arrived, and keeps the connections open until told to close.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { limits } from '@yitang/shared';
import { rawCollection } from '../src/db/models';
import type { BenchContext } from './lib/context';
import { note, serverCpu, startOurs } from './lib/context';
import { liveSession, type Person, quantile, signedInMembers, split } from './lib/fixtures';
import { Child, type CpuReading, processHandlers, serve } from './lib/rpc';
import { ackOk, WireClient } from './lib/wire-client';
import { report } from './report';

/** Participants per generator process (as the other live-room scenarios). */
const perGenerator = 1000;
/** Joins in flight at once, over all generators: the same for ours and bare. */
const window = 64;
/** Joined before the clock starts: the room is loaded and the join path compiled. */
const warmCount = 20;

interface FillArg {
  url: string;
  sessionId: string;
  people: Array<{ memberId: string; cookie?: string; query?: string }>;
  concurrency: number;
}

/** One join as the generator saw it: when its ack came (ms since the epoch) and how long it took. */
interface Joined {
  at: number;
  ms: number;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * CPU (µs) used so far by the embedded database's processes (FerretDB and the PostgreSQL server
 * with its backends) that descend from this bench process, read from /proc: a join's reads and
 * writes cost CPU there too, on the same two cores. 0 with MONGODB_URI or off Linux.
 */
function databaseCpu(): number {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  const procs = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const d of dirs) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      procs.set(Number(d), {
        ppid: Number(fields[1]),
        comm: stat.slice(stat.indexOf('(') + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = procs.get(pid)?.ppid, i = 0; p && i < 64; p = procs.get(p)?.ppid, i += 1)
      if (p === process.pid) return true;
    return false;
  };
  let ticks = 0;
  for (const [pid, p] of procs) if (/^(ferretdb|postgres)/.test(p.comm) && descends(pid)) ticks += p.ticks;
  return (ticks * 1e6) / 100; // USER_HZ is 100 on Linux
}

// ── generator (child process) ────────────────────────────────────────────────

if (process.env.BENCH_ROOM_FILL_GEN === '1') {
  const clients: WireClient[] = [];
  const fill = async (arg: FillArg): Promise<Joined[]> => {
    const joined: Joined[] = [];
    let next = 0;
    const worker = async () => {
      while (next < arg.people.length) {
        const p = arg.people[next++];
        if (!p) break;
        const t = now();
        const client = await WireClient.connect(arg.url, { cookie: p.cookie, query: p.query });
        clients.push(client);
        const res = await client.request('room:join', { sessionId: arg.sessionId });
        if (!ackOk(res)) throw new Error(`join refused for ${p.memberId}: ${res.slice(0, 200)}`);
        const at = now();
        joined.push({ at, ms: at - t });
      }
    };
    await Promise.all(Array.from({ length: arg.concurrency }, worker));
    return joined;
  };
  serve({
    ...processHandlers,
    fill: (arg: FillArg) => fill(arg),
    /** Frames received by all connections (presence frames, acks): to see the generator keep up. */
    received: () => clients.reduce((n, c) => n + c.received, 0),
    close: async () => {
      await Promise.all(clients.splice(0).map((c) => c.close()));
    },
  });
}

// ── scenario (the bench process) ─────────────────────────────────────────────

interface Fill {
  totalMs: number;
  /** Per-join time (ms) in each tenth of the fill, in the order the acks came. */
  tenths: number[];
  /** Median connect-to-ack time (ms) of the joins of each tenth. */
  latency: number[];
  serverCpuS: number;
  /** The embedded database's CPU during the fill (s; 0 with MONGODB_URI). */
  databaseCpuS: number;
  /** The busiest generator's CPU during the fill, as a share of one core. */
  generatorLoad: number;
}

/** Per-join time in each tenth of the fill: the acks' times, from the start, cut into ten. */
export function tenthsOf(startAt: number, joined: Joined[]): { tenths: number[]; latency: number[] } {
  const sorted = [...joined].sort((a, b) => a.at - b.at);
  const n = sorted.length;
  const tenths: number[] = [];
  const latency: number[] = [];
  let prevAt = startAt;
  let prevEnd = 0;
  for (let k = 1; k <= 10; k += 1) {
    const end = Math.round((k * n) / 10);
    const slice = sorted.slice(prevEnd, end);
    const last = slice[slice.length - 1];
    if (!last) {
      tenths.push(Number.NaN);
      latency.push(Number.NaN);
      continue;
    }
    tenths.push((last.at - prevAt) / slice.length);
    latency.push(
      quantile(
        slice.map((j) => j.ms),
        0.5,
      ),
    );
    prevAt = last.at;
    prevEnd = end;
  }
  return { tenths, latency };
}

async function fillRoom(
  server: Child<{ url: string }>,
  sessionId: string,
  warm: FillArg['people'],
  people: FillArg['people'],
) {
  const gens = await Promise.all(
    Array.from({ length: Math.ceil(people.length / perGenerator) }, () =>
      Child.start('room-fill.ts', { env: { BENCH_ROOM_FILL_GEN: '1' } }),
    ),
  );
  try {
    const [first] = gens;
    if (!first) throw new Error('no generator');
    await first.call('fill', { url: server.info.url, sessionId, people: warm, concurrency: 4 } satisfies FillArg);
    const parts = split(people, gens.length);
    const perGen = Math.max(1, Math.round(window / gens.length));
    const g0 = await Promise.all(gens.map((g) => g.call<CpuReading>('cpu')));
    const d0 = databaseCpu();
    const t0 = now();
    const { result, cpuMicros } = await serverCpu(server, () =>
      Promise.all(
        gens.map((g, i) =>
          g.call<Joined[]>('fill', {
            url: server.info.url,
            sessionId,
            people: parts[i] ?? [],
            concurrency: perGen,
          } satisfies FillArg),
        ),
      ),
    );
    const databaseCpuS = (databaseCpu() - d0) / 1e6;
    const joined = result.flat();
    const totalMs = Math.max(...joined.map((j) => j.at)) - t0;
    const g1 = await Promise.all(gens.map((g) => g.call<CpuReading>('cpu')));
    const generatorLoad = Math.max(...g1.map((c, i) => (c.micros - (g0[i]?.micros ?? 0)) / (totalMs * 1000)));
    await Promise.all(gens.map((g) => g.call('close')));
    return {
      totalMs,
      ...tenthsOf(t0, joined),
      serverCpuS: cpuMicros / 1e6,
      databaseCpuS,
      generatorLoad,
    } satisfies Fill;
  } finally {
    await Promise.all(gens.map((g) => g.stop()));
  }
}

const fixed = (xs: number[], digits = 2) => xs.map((x) => x.toFixed(digits)).join(' ');

/** `n` participants fill one room, ours beside bare Socket.IO, for each size (BENCH_FILL_SIZES overrides). */
export async function roomFill(ctx: BenchContext, opts: { sizes: number[] }): Promise<void> {
  // BENCH_FILL_SIZES=3000 (or 500,2000): other sizes than the run's, e.g. for a profile.
  const sizes = process.env.BENCH_FILL_SIZES ? process.env.BENCH_FILL_SIZES.split(',').map(Number) : opts.sizes;
  for (const n of sizes) {
    const tag = `${n}-${Date.now().toString(36)}`;
    const [chair, ...everyone] = await signedInMembers(ctx.models, `bench-f${tag}`, n + warmCount + 1);
    if (!chair) throw new Error('no people');
    const sessionId = `bench-f${tag}`;
    await liveSession(ctx.models, sessionId, chair.memberId);
    // A plenary: every committee member may enter (the big rooms are these).
    await rawCollection(ctx.models.Session).updateOne({ _id: sessionId }, { $set: { openToAll: true } });
    // Signed in earlier in the day, as members are when a sitting starts: the handshake finds
    // each sign-in's idle clock due a touch.
    await rawCollection(ctx.models.AuthSession).updateMany(
      {},
      { $set: { lastSeenAt: new Date(Date.now() - 30 * 60_000) } },
    );
    // The convener is in the room first, as in a real sitting: they get the whole presence list.
    const warm: Person[] = [chair, ...everyone.slice(0, warmCount)];
    const people = everyone.slice(warmCount);

    const ours = await startOurs(ctx);
    let oursFill: Fill;
    try {
      oursFill = await fillRoom(ours, sessionId, warm, people);
    } finally {
      await ours.call('stop').catch(() => undefined);
      await ours.stop();
    }
    const asQuery = (p: { memberId: string }) => ({
      memberId: p.memberId,
      query: `member=${encodeURIComponent(p.memberId)}`,
    });
    const bare = await Child.start<{ url: string }>('server-bare-io.ts', {
      env: { BENCH_BROADCAST: '0' },
      cpuProfDir: ctx.cpuProfDir,
    });
    let bareFill: Fill;
    try {
      bareFill = await fillRoom(bare, sessionId, warm.map(asQuery), people.map(asQuery));
    } finally {
      await bare.stop();
    }

    report({
      scenario: 'room-fill',
      metric: `fill time, ${n} participants joining one room (${window} joins in flight)`,
      unit: 's',
      ours: oursFill.totalMs / 1000,
      baseline: bareFill.totalMs / 1000,
      target: n <= 2000 ? 2 : 3,
    });
    const firstLast = (f: Fill) => ({ first: f.tenths[0] ?? Number.NaN, last: f.tenths[9] ?? Number.NaN });
    const o = firstLast(oursFill);
    report({
      scenario: 'room-fill',
      metric: `time per join in the last tenth against the first (ours), ${n} participants`,
      unit: 'ms',
      ours: o.last,
      baseline: o.first,
      target: 1.2,
    });
    note(
      `room-fill ${n}: per-join ms by tenth, ours ${fixed(oursFill.tenths)} / bare ${fixed(bareFill.tenths)}; ` +
        `median join latency ms by tenth, ours ${fixed(oursFill.latency, 1)} / bare ${fixed(bareFill.latency, 1)}`,
    );
    note(
      `room-fill ${n}: server CPU ${oursFill.serverCpuS.toFixed(2)} s / ${bareFill.serverCpuS.toFixed(2)} s, database CPU ${oursFill.databaseCpuS.toFixed(2)} s / ${bareFill.databaseCpuS.toFixed(2)} s; ` +
        `busiest generator used ${(oursFill.generatorLoad * 100).toFixed(0)}% (ours) / ${(bareFill.generatorLoad * 100).toFixed(0)}% (bare) of a core; ` +
        `bare per-join last/first tenth ${((bareFill.tenths[9] ?? 0) / (bareFill.tenths[0] ?? 1)).toFixed(2)}; ` +
        `last tenth against the median tenth (the first holds the warm-up and the room's first ${limits.snapshotPresenceMax} full snapshots): ` +
        `ours ${((oursFill.tenths[9] ?? 0) / quantile(oursFill.tenths, 0.5)).toFixed(2)}, bare ${((bareFill.tenths[9] ?? 0) / quantile(bareFill.tenths, 0.5)).toFixed(2)}`,
    );
  }
}
