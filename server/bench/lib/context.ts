import type { Connection } from 'mongoose';
import type { Models } from '../../src/db/models';
import { Child, type CpuReading } from './rpc';

/** What every scenario gets from `pnpm bench`. */
export interface BenchContext {
  conn: Connection;
  models: Models;
  /** The database server and database the servers under test use (the same as `conn`). */
  uri: string;
  dbName: string;
  quick: boolean;
  /** When set, servers under test write CPU profiles here (BENCH_CPU_PROF=<dir>). */
  cpuProfDir?: string;
  /** The embedded PostgreSQL's superuser URL, when the bench runs on it (data-scale vacuums). */
  postgresUrl?: string;
}

/** Our server in its own process, on the bench database. */
export function startOurs(ctx: BenchContext) {
  return Child.start<{ url: string }>('server-ours.ts', {
    env: { BENCH_MONGODB_URI: ctx.uri, BENCH_DB: ctx.dbName },
    cpuProfDir: ctx.cpuProfDir,
  });
}

/** Server CPU (user + system) spent while `fn` runs, read inside the server process. */
export async function serverCpu<T>(server: Child, fn: () => Promise<T>): Promise<{ result: T; cpuMicros: number }> {
  const before = await server.call<CpuReading>('cpu');
  const result = await fn();
  const after = await server.call<CpuReading>('cpu');
  return { result, cpuMicros: after.micros - before.micros };
}

/** Notes for the reader go to stderr, so stdout stays one JSON line per figure. */
export const note = (text: string) => process.stderr.write(`note: ${text}\n`);
