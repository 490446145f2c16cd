// Times the three reads issue 14 measured — find by _id, a guarded update by _id, find({pollId}) —
// on a collection of 100,000 ballots, on each embedded backend (SQLite, PostgreSQL), median of 5,
// in milliseconds. Run on a quiet machine:
//   pnpm --silent --filter @yitang/server exec tsx ../scripts/measure-embedded.ts [documents]
// (`pnpm bench data-scale`, the whole-app version, is later work; this is the storage alone.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../server/src/db/connect';
import { type EmbeddedBackend, startEmbeddedDatabase } from '../server/src/db/embedded';

const N = Number(process.argv[2] ?? 100_000);
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

async function measure(backend: EmbeddedBackend): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `yitang-measure-${backend}-`));
  const db = await startEmbeddedDatabase({ dataDir, backend, timeoutMs: 60_000 });
  const conn = await connectDatabase(db.uri, 'measure');
  try {
    if (!conn.db) throw new Error('no database');
    const ballots = conn.db.collection<{ _id: string; pollId: string; memberId: string; state: string }>('ballots');
    // As the model declares: an index on pollId (and _id's own).
    await ballots.createIndex({ pollId: 1 });
    const ids: string[] = [];
    for (let start = 0; start < N; start += 10_000) {
      const docs = Array.from({ length: Math.min(10_000, N - start) }, (_, i) => {
        const _id = `b-${start + i}`;
        ids.push(_id);
        // 30-ballot polls, as the figures.
        return { _id, pollId: `p${Math.floor((start + i) / 30)}`, memberId: `m${(start + i) % 400}`, state: 'open' };
      });
      await ballots.insertMany(docs, { ordered: false });
    }
    const id = ids[Math.floor(N * 0.77)];
    const pollId = `p${Math.floor((N * 0.55) / 30)}`;
    let flip = 0;
    return {
      'find by _id': await time(() => ballots.findOne({ _id: id })),
      'guarded update by _id': await time(() => {
        const [from, to] = flip++ % 2 === 0 ? ['open', 'closed'] : ['closed', 'open'];
        return ballots.updateOne({ _id: id, state: from }, { $set: { state: to } });
      }),
      'find({pollId})': await time(() => ballots.find({ pollId }).toArray()),
    };
  } finally {
    await conn.close();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Record<string, Record<string, number>> = {};
for (const backend of ['sqlite', 'postgresql'] as const) results[backend] = await measure(backend);
console.log(`${N.toLocaleString('en')} documents, median of ${RUNS}, ms`);
console.log('| backend | find by `_id` | guarded update by `_id` | `find({pollId})` |');
console.log('|---|---:|---:|---:|');
for (const [backend, r] of Object.entries(results)) {
  const cells = Object.values(r).map((ms) => ms.toFixed(1));
  console.log(`| ${backend} | ${cells.join(' | ')} |`);
}
