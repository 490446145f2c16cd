/**
 * `pnpm bench [--quick] [scenario…]`: runs the benchmark scenarios against the real database
 * (MONGODB_URI, or the embedded FerretDB in a temporary folder) and prints one JSON line per
 * figure: {"scenario","metric","unit","ours","baseline","ratio","target"}. Servers under test and
 * load generators run in processes of their own (bench/lib/rpc.ts). Notes (generator load, …)
 * go to stderr. BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server under test there;
 * BENCH_HEAP_DIR=<dir> heap snapshots of the idle-capacity servers before and after the joins;
 * BENCH_IDLE_PARTICIPANTS=<n> changes the idle-capacity size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../src/db/connect';
import { startEmbeddedDatabase } from '../src/db/embedded';
import { createModels, ensureIndexes } from '../src/db/models';
import { ballotPersistence } from './ballot-persistence';
import { dataScale } from './data-scale';
import { idleCapacity } from './idle-capacity';
import type { BenchContext } from './lib/context';
import { liveRoom } from './live-room';
import { media } from './media';
import { minutesLoad } from './minutes-load';
import { minutesRelay } from './minutes-relay';
import { roomFill } from './room-fill';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const wanted = (...names: string[]) => only.length === 0 || names.some((n) => only.includes(n));

const dataDir = mkdtempSync(path.join(tmpdir(), 'yitang-bench-'));
const embedded = process.env.MONGODB_URI ? null : await startEmbeddedDatabase({ dataDir });
const uri = process.env.MONGODB_URI ?? embedded?.uri ?? '';
const dbName = `bench_${Date.now()}`;
const conn = await connectDatabase(uri, dbName);
const models = createModels(conn);
await ensureIndexes(models);
const ctx: BenchContext = {
  conn,
  models,
  uri,
  dbName,
  quick,
  cpuProfDir: process.env.BENCH_CPU_PROF,
  postgresUrl: embedded?.postgresUrl,
};
try {
  if (wanted('minutes-load')) await minutesLoad(conn, { operations: quick ? 20_000 : 200_000 });
  if (wanted('ballot-persistence'))
    await ballotPersistence(ctx, { ballots: quick ? 500 : 2000, rounds: quick ? 3 : 5 });
  if (wanted('tally-fanout', 'vote-burst')) {
    await liveRoom(ctx, {
      sizes:
        only.length > 0 && !only.includes('tally-fanout')
          ? [quick ? 500 : 2000]
          : quick
            ? [100, 250, 500]
            : [500, 1000, 2000],
      durationMs: quick ? 5_000 : 10_000,
      burstSize: quick ? 500 : 2000,
    });
  }
  if (wanted('minutes-relay')) {
    await minutesRelay(ctx, { docs: quick ? 5 : 20, editors: 10, rate: 5, durationMs: quick ? 8_000 : 30_000 });
  }
  if (wanted('room-fill')) await roomFill(ctx, { sizes: quick ? [500, 1000] : [2000, 5000] });
  // Long (it writes millions of documents): only when named.
  if (only.includes('data-scale'))
    await dataScale(ctx, { levels: quick ? [0, 10_000, 100_000] : [0, 100_000, 1_000_000], restarts: 5 });
  // Starts its own server and media server: only when named.
  if (only.includes('media')) await media(ctx, { listeners: quick ? 10 : 50, durationMs: quick ? 5_000 : 15_000 });
  if (wanted('idle-capacity'))
    await idleCapacity(ctx, { participants: Number(process.env.BENCH_IDLE_PARTICIPANTS ?? (quick ? 500 : 5000)) });
} finally {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
