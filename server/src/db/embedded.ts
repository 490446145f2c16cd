import { type ChildProcess, spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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
 * Runs FerretDB ("$@") under a shell that holds the server's end of a pipe on stdin: when the
 * server goes, however it goes (SIGKILL included), the kernel closes that pipe, `cat` sees EOF,
 * and the shell stops FerretDB and waits for it. FerretDB's pid goes out on fd 3 for the pid
 * file. INT and HUP are ignored: a Ctrl-C or a closed terminal reaches the whole process group,
 * and the server stops its database itself (it closes the pipe) after its own last writes.
 */
const SUPERVISOR = `trap '' INT HUP
"$@" &
c=$!
echo "$c" >&3
exec 3>&-
cat >/dev/null
kill -TERM "$c" 2>/dev/null
wait "$c"`;

/** The pid file in the data directory: FerretDB's pid and the server's that runs it. */
const PID_FILE = 'ferretdb.pid';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The command line of a running process, or null (gone, a zombie, or no /proc). */
function commandLine(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw ? raw.split('\0') : null;
  } catch {
    return null;
  }
}

/** The real path of `p`, or `p` itself when it is gone. */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Whether `pid` is a FerretDB whose state directory is `dataDir` (a real path), checked in /proc,
 * never guessed. Its own argument is resolved too: a copy started through a symlink is the same.
 */
function isFerretdbOn(pid: number, dataDir: string): boolean {
  const args = commandLine(pid);
  if (args === null || !path.basename(args[0] ?? '').startsWith('ferretdb')) return false;
  const stateDir = args.find((a) => a.startsWith('--state-dir='))?.slice('--state-dir='.length);
  return stateDir !== undefined && (stateDir === dataDir || realPath(stateDir) === dataDir);
}

/** Whether `pid` is a live Node process: a server that may hold the data directory. */
function isLiveNode(pid: number): boolean {
  const args = commandLine(pid);
  return args !== null && path.basename(args[0] ?? '').startsWith('node');
}

/** The lock file in the data directory: the pid of the server that has it. */
const LOCK_FILE = 'yitang.lock';

function readLock(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

const inUse = (dataDir: string, pid: number) =>
  new EmbeddedDatabaseError(
    `The data directory ${dataDir} is in use by another Yitang server (pid ${pid}). ` +
      'Stop it first, or give this one its own YITANG_DATA_DIR.',
  );

/**
 * Takes the data directory for this process before anything looks for or launches a FerretDB
 * on it: of two servers starting on one directory at the same moment, exactly one gets it (the
 * other would otherwise stop the first one's FerretDB as stale, or run a second one on the same
 * SQLite files). The lock file is linked into place whole, so nobody ever reads it half written;
 * a lock whose server is dead (SIGKILL, a crash) is taken over. Returns the release.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  const mine = `${lockPath}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, lockPath);
        return () => {
          if (readLock(lockPath) === process.pid) rmSync(lockPath, { force: true });
        };
      } catch (err) {
        if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
      }
      const holder = readLock(lockPath);
      if (holder !== null && (holder === process.pid || isLiveNode(holder))) throw inUse(dataDir, holder);
      // Stale: read again just before removing it, so a lock another start took meanwhile stays.
      if (readLock(lockPath) === holder) rmSync(lockPath, { force: true });
    }
  } finally {
    rmSync(mine, { force: true });
  }
  throw new EmbeddedDatabaseError(`Could not lock the data directory ${dataDir}; try again.`);
}

/** Every FerretDB serving `dataDir`: the pid file's, and any other in /proc (older servers wrote none). */
function ferretdbsOn(dataDir: string, recorded: number | null): number[] {
  const pids = new Set<number>();
  if (recorded !== null) pids.add(recorded);
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc (not Linux): only the pid file is known.
  }
  for (const e of entries) if (/^\d+$/.test(e)) pids.add(Number(e));
  return [...pids].filter((pid) => pid !== process.pid && isFerretdbOn(pid, dataDir));
}

function readPidFile(dataDir: string): { pid: number; owner: number } | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(dataDir, PID_FILE), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || !('pid' in parsed) || !('owner' in parsed)) return null;
    const { pid, owner } = parsed;
    return Number.isInteger(pid) && Number.isInteger(owner) ? { pid: Number(pid), owner: Number(owner) } : null;
  } catch {
    return null;
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone (it is not our child: no event). */
async function stopProcess(pid: number, dataDir: string): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone, or not ours to signal (then the launch below reports the clash).
    }
  };
  signal('SIGTERM');
  for (let waited = 0; isFerretdbOn(pid, dataDir); waited += 50) {
    if (waited === 5_000) signal('SIGKILL');
    if (waited >= 7_000) return;
    await delay(50);
  }
}

/**
 * Before a launch: a FerretDB left on this data directory by a server that died is stopped
 * (two on the same SQLite files corrupt them); one whose server is still alive is not touched.
 */
async function stopStaleFerretdb(dataDir: string): Promise<void> {
  const file = readPidFile(dataDir);
  if (file && file.owner !== process.pid && isFerretdbOn(file.pid, dataDir)) {
    // A server from before the lock file: alive, it still runs its FerretDB.
    if (isLiveNode(file.owner)) throw inUse(dataDir, file.owner);
  }
  await Promise.all(ferretdbsOn(dataDir, file?.pid ?? null).map((pid) => stopProcess(pid, dataDir)));
}

/**
 * Starts FerretDB (SQLite backend) with its data under `dataDir`, bound to loopback with
 * telemetry off, and resolves once it answers a ping. The process is ours: `stop()` ends it, and
 * it ends by itself when this process dies (see SUPERVISOR). A FerretDB a dead server left on
 * `dataDir` is stopped first.
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
  mkdirSync(path.join(opts.dataDir, 'ferretdb'), { recursive: true });
  // Real and absolute, so that a stale copy's command line is matched whatever the working
  // directory, and whichever symlink either start was given.
  const dataDir = realpathSync(opts.dataDir);
  const sqliteDir = path.join(dataDir, 'ferretdb');
  const unlock = lockDataDir(dataDir);
  try {
    await stopStaleFerretdb(dataDir);
  } catch (err) {
    unlock();
    throw err;
  }
  const port = await freePort();
  const uri = `mongodb://127.0.0.1:${port}/`;
  const log = createWriteStream(path.join(dataDir, 'ferretdb.log'), { flags: 'a' });
  const child: ChildProcess = spawn(
    '/bin/sh',
    [
      '-c',
      SUPERVISOR,
      'yitang-ferretdb',
      binary,
      '--handler=sqlite',
      `--sqlite-url=file:${sqliteDir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      `--state-dir=${dataDir}`,
      '--log-level=warn',
    ],
    { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // The pipe is only ever closed, never written: nothing to report if the shell is gone.
  child.stdin?.on('error', () => undefined);
  const pidFile = path.join(dataDir, PID_FILE);
  let ferretdbPid: number | null = null;
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    ferretdbPid = Number.parseInt(chunk.toString(), 10);
    writeFileSync(pidFile, JSON.stringify({ pid: ferretdbPid, owner: process.pid }));
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  const stop = async () => {
    if (!exited) {
      // EOF on the supervisor's stdin: it stops FerretDB and waits for it.
      child.stdin?.end();
      const timer = setTimeout(() => {
        if (ferretdbPid !== null && isFerretdbOn(ferretdbPid, dataDir)) {
          try {
            process.kill(ferretdbPid, 'SIGKILL');
          } catch {
            // It went meanwhile.
          }
        }
        child.kill('SIGKILL');
      }, 5_000);
      await exit;
      clearTimeout(timer);
    }
    if (readPidFile(dataDir)?.owner === process.pid) rmSync(pidFile, { force: true });
    // Last: the directory is free once its FerretDB is gone.
    unlock();
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
