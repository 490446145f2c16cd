import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { repoRoot } from '../config';

/** The FerretDB release the embedded database is built from (see scripts/setup.sh). */
export const FERRETDB_VERSION = 'v1.24.2';

export class EmbeddedDatabaseError extends Error {}

export interface EmbeddedDatabase {
  /** Connection string without a database name: `mongodb://127.0.0.1:PORT/`. */
  uri: string;
  stop(): Promise<void>;
}

/** Where to look for the FerretDB binary, in order. */
export function ferretdbCandidates(explicit?: string): string[] {
  const list = [path.join(repoRoot, '.tools', 'bin', 'ferretdb')];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir) list.push(path.join(dir, 'ferretdb'));
  }
  return explicit ? [explicit] : list;
}

export function findFerretdb(explicit?: string): string | undefined {
  return ferretdbCandidates(explicit).find((p) => existsSync(p));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function pingOnce(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 250, connectTimeoutMS: 250 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Starts FerretDB (SQLite backend) with its data under `dataDir`, bound to loopback with
 * telemetry off, and resolves once it answers a ping. The process is ours: `stop()` ends it.
 */
export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  binary?: string;
  timeoutMs?: number;
}): Promise<EmbeddedDatabase> {
  const binary = findFerretdb(opts.binary);
  if (!binary) {
    throw new EmbeddedDatabaseError(
      'No database: MONGODB_URI is not set and the embedded FerretDB binary was not found ' +
        `(looked in ${ferretdbCandidates(opts.binary).slice(0, 2).join(', ')} and PATH). ` +
        'Run `npm run setup` to build it (needs Go), set FERRETDB_BIN, or set MONGODB_URI to a MongoDB server.',
    );
  }
  const sqliteDir = path.join(opts.dataDir, 'ferretdb');
  mkdirSync(sqliteDir, { recursive: true });
  const port = await freePort();
  const uri = `mongodb://127.0.0.1:${port}/`;
  const log = createWriteStream(path.join(opts.dataDir, 'ferretdb.log'), { flags: 'a' });
  const child: ChildProcess = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${sqliteDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      `--state-dir=${opts.dataDir}`,
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exit;
    clearTimeout(timer);
    log.end();
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (!exited && Date.now() < deadline) {
    if (await pingOnce(uri)) return { uri, stop };
  }
  await stop();
  throw new EmbeddedDatabaseError(
    exited
      ? `The embedded FerretDB (${binary}) exited during start (${JSON.stringify(exited)}); see ${path.join(opts.dataDir, 'ferretdb.log')}.`
      : `The embedded FerretDB did not answer within ${opts.timeoutMs ?? 20_000} ms; see ${path.join(opts.dataDir, 'ferretdb.log')}.`,
  );
}
