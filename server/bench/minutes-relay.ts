import { limits } from '@yitang/shared';
import type { EditArg, EditResult, MinutesConnectArg } from './gen-minutes';
import { type BenchContext, note, serverCpu, startOurs } from './lib/context';
import { liveSession, quantile, signedInMembers, split } from './lib/fixtures';
import { Child, type CpuReading, type MemReading } from './lib/rpc';
import { report } from './report';

interface RelayRun {
  results: EditResult[];
  cpuMicros: number;
  heapStart: number;
  heapEnd: number;
  generatorLoad: number;
}

const generatorsCount = 2;

/**
 * Heap after everyone left: read after the documents' unload delay, then again each second
 * until it stops falling (a benchmark may wait on time; tests may not).
 */
async function settledHeap(server: Child): Promise<number> {
  while ((await server.call<number>('sockets')) > 0) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, limits.minutesUnloadDelayMs + 1000));
  let last = (await server.call<MemReading>('mem')).heapUsed;
  for (let i = 0; i < 20; i += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    const h = (await server.call<MemReading>('mem')).heapUsed;
    if (h >= last * 0.99) return Math.min(h, last);
    last = h;
  }
  return last;
}

async function relay(
  server: Child<{ url: string }>,
  kind: MinutesConnectArg['kind'],
  docs: MinutesConnectArg['docs'],
  warmup: MinutesConnectArg['docs'],
  edit: EditArg,
): Promise<RelayRun> {
  const gens = await Promise.all(Array.from({ length: generatorsCount }, () => Child.start('gen-minutes.ts')));
  try {
    // Warm-up: one document edited briefly and left, so code loaded on first use is not counted.
    const [first] = gens;
    if (!first) throw new Error('no generator');
    await first.call('connect', { kind, url: server.info.url, docs: warmup } satisfies MinutesConnectArg);
    await first.call('edit', { durationMs: 1000, updatesPerSecond: edit.updatesPerSecond } satisfies EditArg);
    await first.call('close');
    const heapStart = await settledHeap(server);

    const parts = split(docs, gens.length);
    await Promise.all(
      gens.map((g, i) =>
        g.call('connect', { kind, url: server.info.url, docs: parts[i] ?? [] } satisfies MinutesConnectArg),
      ),
    );
    const g0 = await Promise.all(gens.map((g) => g.call<CpuReading>('cpu')));
    const t0 = performance.now();
    const { result: results, cpuMicros } = await serverCpu(server, () =>
      Promise.all(gens.map((g) => g.call<EditResult>('edit', edit))),
    );
    const wall = (performance.now() - t0) * 1000;
    const g1 = await Promise.all(gens.map((g) => g.call<CpuReading>('cpu')));
    await Promise.all(gens.map((g) => g.call('close')));
    const heapEnd = await settledHeap(server);
    const generatorLoad = Math.max(...g1.map((c, i) => (c.micros - (g0[i]?.micros ?? 0)) / wall));
    return { results, cpuMicros, heapStart, heapEnd, generatorLoad };
  } finally {
    await Promise.all(gens.map((g) => g.stop()));
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

  const ours = await startOurs(ctx);
  let oursRun: RelayRun;
  try {
    oursRun = await relay(ours, 'ours', docs, warmup, edit);
  } finally {
    await ours.call('stop').catch(() => undefined);
    await ours.stop();
  }
  const yws = await Child.start<{ url: string }>('server-yws.ts');
  let ywsRun: RelayRun;
  try {
    ywsRun = await relay(
      yws,
      'yws',
      docs.map((d) => ({ ...d, room: `yws-${d.room}` })),
      warmup.map((d) => ({ ...d, room: `yws-${d.room}` })),
      edit,
    );
  } finally {
    await yws.stop();
  }

  const updates = (r: RelayRun) => r.results.reduce((n, x) => n + x.updates, 0);
  const size = `${opts.docs} documents × ${opts.editors} editors × ${opts.rate}/s`;
  report({
    scenario: 'minutes-relay',
    metric: `server CPU per update, ${size}`,
    unit: 'µs',
    ours: oursRun.cpuMicros / updates(oursRun),
    baseline: ywsRun.cpuMicros / updates(ywsRun),
    target: 1.1,
  });
  const p99 = (r: RelayRun) =>
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
  const missing = (r: RelayRun) => r.results.reduce((n, x) => n + x.missing, 0);
  note(
    `minutes-relay: updates ${updates(oursRun)} / ${updates(ywsRun)}, missing deliveries ${missing(oursRun)} / ${missing(ywsRun)}; ` +
      `busiest generator ${(oursRun.generatorLoad * 100).toFixed(0)}% / ${(ywsRun.generatorLoad * 100).toFixed(0)}% of a core; ` +
      `@y/websocket-server heap ${(ywsRun.heapStart / 1e6).toFixed(1)} → ${(ywsRun.heapEnd / 1e6).toFixed(1)} MB`,
  );
}
