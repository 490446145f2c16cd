import { limits } from '@yitang/shared';
import type { ConnectArg } from './gen-room';
import { type BenchContext, note, startOurs } from './lib/context';
import { liveSession, signedInMembers, split } from './lib/fixtures';
import { Child, type MemReading } from './lib/rpc';
import { report } from './report';

const perGenerator = 1000;

/**
 * The heap once the broadcasts of the last arrivals have been written out: read each second
 * until it stops falling (a benchmark may wait on time; tests may not).
 */
async function settled(server: Child): Promise<MemReading> {
  let last = await server.call<MemReading>('mem');
  for (let i = 0; i < 30; i += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    const m = await server.call<MemReading>('mem');
    if (m.heapUsed >= last.heapUsed * 0.99) return m.heapUsed < last.heapUsed ? m : last;
    last = m;
  }
  return last;
}

/** Heap growth per connection: `n` participants join one room and stay, doing nothing. */
async function heapPerConnection(
  server: Child<{ url: string }>,
  sessionId: string,
  warm: ConnectArg['people'],
  people: ConnectArg['people'],
): Promise<{ perConnection: number; rssPerConnection: number; joinMs: number }> {
  const gens = await Promise.all(
    Array.from({ length: Math.ceil(people.length / perGenerator) }, () => Child.start('gen-room.ts')),
  );
  try {
    const [first] = gens;
    if (!first) throw new Error('no generator');
    // A first group joins before the count: the room is loaded and the join path is compiled,
    // so the figure is what each further connection holds, not code warming up.
    await first.call('connect', { url: server.info.url, sessionId, people: warm, concurrency: 4 } satisfies ConnectArg);
    const before = await server.call<MemReading>('mem');
    const heapDir = process.env.BENCH_HEAP_DIR;
    if (heapDir) note(`heap snapshot before: ${await server.call<string>('heapSnapshot', heapDir)}`);
    const t0 = performance.now();
    const parts = split(people, gens.length);
    await Promise.all(
      gens.map((g, i) =>
        g.call('connect', {
          url: server.info.url,
          sessionId,
          people: parts[i] ?? [],
          concurrency: 16,
        } satisfies ConnectArg),
      ),
    );
    const joinMs = performance.now() - t0;
    const after = await settled(server);
    if (heapDir) note(`heap snapshot after: ${await server.call<string>('heapSnapshot', heapDir)}`);
    await Promise.all(gens.map((g) => g.call('close')));
    return {
      perConnection: (after.heapUsed - before.heapUsed) / people.length,
      rssPerConnection: (after.rss - before.rss) / people.length,
      joinMs,
    };
  } finally {
    await Promise.all(gens.map((g) => g.stop()));
  }
}

/** Idle capacity: `participants` presence-only participants in one room; ours beside bare Socket.IO. */
export async function idleCapacity(ctx: BenchContext, opts: { participants: number }): Promise<void> {
  const tag = Date.now().toString(36);
  const warmCount = 100;
  const [chair, ...everyone] = await signedInMembers(ctx.models, `bench-i${tag}`, opts.participants + warmCount + 1);
  if (!chair) throw new Error('no people');
  const warm = everyone.slice(0, warmCount);
  const people = everyone.slice(warmCount);
  const sessionId = `bench-i${tag}`;
  await liveSession(ctx.models, sessionId, chair.memberId);

  const ours = await startOurs(ctx);
  let oursRun: Awaited<ReturnType<typeof heapPerConnection>>;
  try {
    oursRun = await heapPerConnection(ours, sessionId, warm, people);
  } finally {
    await ours.call('stop').catch(() => undefined);
    await ours.stop();
  }
  const asQuery = (p: { memberId: string }) => ({
    memberId: p.memberId,
    query: `member=${encodeURIComponent(p.memberId)}`,
  });
  const bare = await Child.start<{ url: string }>('server-bare-io.ts', { env: { BENCH_BROADCAST: '0' } });
  let bareRun: Awaited<ReturnType<typeof heapPerConnection>>;
  try {
    bareRun = await heapPerConnection(bare, sessionId, warm.map(asQuery), people.map(asQuery));
  } finally {
    await bare.stop();
  }
  report({
    scenario: 'idle-capacity',
    metric: `heap per connection, ${opts.participants} presence-only participants in one room (after ${warmCount})`,
    unit: 'KB',
    ours: oursRun.perConnection / 1024,
    baseline: bareRun.perConnection / 1024,
    target: 1.3,
  });
  note(
    `idle-capacity: RSS per connection ${(oursRun.rssPerConnection / 1024).toFixed(1)} / ${(bareRun.rssPerConnection / 1024).toFixed(1)} KB; ` +
      `all joined in ${(oursRun.joinMs / 1000).toFixed(1)} s / ${(bareRun.joinMs / 1000).toFixed(1)} s (ours: presence frames coalesced, at most ${limits.presenceFramesPerSecond} a second and ${limits.presenceDeliveriesPerSecond} deliveries a second)`,
  );
}
