import { limits } from '@yitang/shared';
import type { EditArg, EditResult, MinutesConnectArg } from './gen-minutes';
import { type BenchContext, note, serverCpu, startOurs } from './lib/context';
import { liveSession, quantile, signedInMembers, split } from './lib/fixtures';
import { Child, type CpuReading, type MemReading } from './lib/rpc';
import { report } from './report';

/** One server under test with its own generators, measured over several editing phases. */
interface Side {
  server: Child<{ url: string }>;
  kind: MinutesConnectArg['kind'];
  gens: Child[];
  results: EditResult[];
  cpuMicros: number;
  /** Generator CPU and wall time over the phases, for the busiest-generator note. */
  genMicros: number[];
  wallMicros: number;
  heapStart: number;
  heapEnd: number;
}

const generatorsCount = 2;
/**
 * The editing time is split into this many phases per server, taken in turns (ours, baseline,
 * baseline, ours, …): on a shared machine a swing in load then falls on both, not on one.
 */
const phases = 3;

/**
 * Heap after everyone left: read after the documents' unload delay, then again each second
 * until it has not fallen for three seconds running (a benchmark may wait on time; tests may
 * not). Our server's `sockets` counts Socket.IO sockets, not minutes sockets, so the unload of
 * its documents (close handshakes, the unload delay, the final compaction) may still be under
 * way at the first reading; a single steady second is not enough to tell.
 */
async function settledHeap(server: Child): Promise<number> {
  while ((await server.call<number>('sockets')) > 0) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, limits.minutesUnloadDelayMs + 1000));
  let low = (await server.call<MemReading>('mem')).heapUsed;
  let steady = 0;
  for (let i = 0; i < 30 && steady < 3; i += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    const h = (await server.call<MemReading>('mem')).heapUsed;
    steady = h >= low * 0.99 ? steady + 1 : 0;
    low = Math.min(low, h);
  }
  return low;
}

/** Starts the generators, edits the warm-up document and leaves it, reads the heap, connects. */
async function prepare(
  server: Child<{ url: string }>,
  kind: MinutesConnectArg['kind'],
  docs: MinutesConnectArg['docs'],
  warmup: MinutesConnectArg['docs'],
  edit: EditArg,
): Promise<Side> {
  const gens = await Promise.all(Array.from({ length: generatorsCount }, () => Child.start('gen-minutes.ts')));
  // Warm-up: one document edited briefly and left, so code loaded on first use is not counted.
  const [first] = gens;
  if (!first) throw new Error('no generator');
  await first.call('connect', { kind, url: server.info.url, docs: warmup } satisfies MinutesConnectArg);
  await first.call('edit', { durationMs: 1000, updatesPerSecond: edit.updatesPerSecond } satisfies EditArg);
  await first.call('close');
  const heapStart = await settledHeap(server);
  const heapDir = process.env.BENCH_HEAP_DIR;
  if (heapDir) note(`${kind} heap snapshot at the start: ${await server.call<string>('heapSnapshot', heapDir)}`);
  const parts = split(docs, gens.length);
  await Promise.all(
    gens.map((g, i) =>
      g.call('connect', { kind, url: server.info.url, docs: parts[i] ?? [] } satisfies MinutesConnectArg),
    ),
  );
  return {
    server,
    kind,
    gens,
    results: [],
    cpuMicros: 0,
    genMicros: gens.map(() => 0),
    wallMicros: 0,
    heapStart,
    heapEnd: 0,
  };
}

/** One editing phase on one server: every editor types at the rate for `edit.durationMs`. */
async function phase(side: Side, edit: EditArg): Promise<void> {
  const g0 = await Promise.all(side.gens.map((g) => g.call<CpuReading>('cpu')));
  const t0 = performance.now();
  const { result, cpuMicros } = await serverCpu(side.server, () =>
    Promise.all(side.gens.map((g) => g.call<EditResult>('edit', edit))),
  );
  side.wallMicros += (performance.now() - t0) * 1000;
  const g1 = await Promise.all(side.gens.map((g) => g.call<CpuReading>('cpu')));
  g1.forEach((c, i) => {
    side.genMicros[i] = (side.genMicros[i] ?? 0) + c.micros - (g0[i]?.micros ?? 0);
  });
  side.results.push(...result);
  side.cpuMicros += cpuMicros;
}

/** Everyone leaves; the heap is read once the documents are unloaded. */
async function finish(side: Side): Promise<void> {
  try {
    await Promise.all(side.gens.map((g) => g.call('close')));
    side.heapEnd = await settledHeap(side.server);
    const heapDir = process.env.BENCH_HEAP_DIR;
    if (heapDir)
      note(`${side.kind} heap snapshot after leaving: ${await side.server.call<string>('heapSnapshot', heapDir)}`);
  } finally {
    await Promise.all(side.gens.map((g) => g.stop()));
  }
}

/**
 * Minutes relay: `docs` documents × `editors` editors × `rate` updates a second, each update
 * with a caret (awareness) change; ours (minutes socket: auth, authorship, update log with
 * compaction) beside @y/websocket-server 0.1.1 (no persistence).
 */
export async function minutesRelay(
  ctx: BenchContext,
  opts: { docs: number; editors: number; rate: number; durationMs: number },
): Promise<void> {
  const tag = Date.now().toString(36);
  const people = await signedInMembers(ctx.models, `bench-e${tag}`, opts.docs * opts.editors + 1);
  const sessions: MinutesConnectArg['docs'] = [];
  for (let d = 0; d <= opts.docs; d += 1) {
    const group = people.slice(d * opts.editors, (d + 1) * opts.editors);
    const [chair, ...recorders] = group;
    if (!chair) break;
    const sessionId = `bench-m${tag}-${d}`;
    await liveSession(
      ctx.models,
      sessionId,
      chair.memberId,
      recorders.map((r) => ({ memberId: r.memberId, role: 'recorder' as const })),
    );
    sessions.push({ room: sessionId, cookies: group.map((p) => p.cookie) });
  }
  const warmup = sessions.slice(opts.docs);
  const docs = sessions.slice(0, opts.docs);
  const edit: EditArg = { durationMs: opts.durationMs, updatesPerSecond: opts.rate };

  const phaseEdit: EditArg = { durationMs: opts.durationMs / phases, updatesPerSecond: opts.rate };
  const ours = await startOurs(ctx);
  let yws: Child<{ url: string }> | null = null;
  const sides: Side[] = [];
  let oursRun: Side;
  let ywsRun: Side;
  try {
    // Profiled like ours when BENCH_CPU_PROF is set, so the two profiles can be compared.
    yws = await Child.start<{ url: string }>('server-yws.ts', { cpuProfDir: ctx.cpuProfDir });
    oursRun = await prepare(ours, 'ours', docs, warmup, edit);
    sides.push(oursRun);
    ywsRun = await prepare(
      yws,
      'yws',
      docs.map((d) => ({ ...d, room: `yws-${d.room}` })),
      warmup.map((d) => ({ ...d, room: `yws-${d.room}` })),
      edit,
    );
    sides.push(ywsRun);
    for (let i = 0; i < phases; i += 1) {
      const order = i % 2 === 0 ? [oursRun, ywsRun] : [ywsRun, oursRun];
      for (const side of order) await phase(side, phaseEdit);
    }
    await finish(oursRun);
    await finish(ywsRun);
  } finally {
    for (const side of sides) await Promise.all(side.gens.map((g) => g.stop().catch(() => undefined)));
    await ours.call('stop').catch(() => undefined);
    await ours.stop();
    await yws?.stop();
  }

  const updates = (r: Side) => r.results.reduce((n, x) => n + x.updates, 0);
  const size = `${opts.docs} documents × ${opts.editors} editors × ${opts.rate}/s`;
  report({
    scenario: 'minutes-relay',
    metric: `server CPU per update, ${size}`,
    unit: 'µs',
    ours: oursRun.cpuMicros / updates(oursRun),
    baseline: ywsRun.cpuMicros / updates(ywsRun),
    target: 1.1,
  });
  const p99 = (r: Side) =>
    quantile(
      r.results.flatMap((x) => x.relayMs),
      0.99,
    );
  report({
    scenario: 'minutes-relay',
    metric: `relay p99 (author → each other editor), ${size}`,
    unit: 'ms',
    ours: p99(oursRun),
    baseline: p99(ywsRun),
    target: 1.2,
  });
  report({
    scenario: 'minutes-relay',
    metric: 'server heap after everyone left (baseline = heap at the start)',
    unit: 'MB',
    ours: oursRun.heapEnd / 1e6,
    baseline: oursRun.heapStart / 1e6,
    target: 1.1,
  });
  const load = (r: Side) => ((Math.max(...r.genMicros) / r.wallMicros) * 100).toFixed(0);
  const missing = (r: Side) => r.results.reduce((n, x) => n + x.missing, 0);
  note(
    `minutes-relay: updates ${updates(oursRun)} / ${updates(ywsRun)}, missing deliveries ${missing(oursRun)} / ${missing(ywsRun)}; ` +
      `busiest generator ${load(oursRun)}% / ${load(ywsRun)}% of a core; ${phases} phases each, in turns; ` +
      `@y/websocket-server heap ${(ywsRun.heapStart / 1e6).toFixed(1)} → ${(ywsRun.heapEnd / 1e6).toFixed(1)} MB`,
  );
}
