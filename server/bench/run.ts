/**
 * `pnpm bench [--quick] [scenario…]`: runs the benchmark scenarios against the real database
 * (MONGODB_URI, or the embedded FerretDB in a temporary folder) and prints one JSON line per
 * figure: {"scenario","metric","unit","ours","baseline","ratio","target"}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../src/db/connect';
import { startEmbeddedDatabase } from '../src/db/embedded';
import { minutesLoad } from './minutes-load';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const wanted = (name: string) => only.length === 0 || only.includes(name);

const dataDir = mkdtempSync(path.join(tmpdir(), 'yitang-bench-'));
const embedded = process.env.MONGODB_URI ? null : await startEmbeddedDatabase({ dataDir });
const uri = process.env.MONGODB_URI ?? embedded?.uri ?? '';
const conn = await connectDatabase(uri, `bench_${Date.now()}`);
try {
  if (wanted('minutes-load')) await minutesLoad(conn, { operations: quick ? 20_000 : 200_000 });
} finally {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
