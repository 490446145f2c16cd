/**
 * The embedded FerretDB never outlives the server that started it, however that server dies,
 * and a start stops a stale copy left on its data directory before launching its own
 * (issue 12: three copies were seen on one data directory after a few crashes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, findFerretdb, startEmbeddedDatabase } from '../src/db/embedded';
import { type ServerProcess, startServerProcess } from '../src/testing/process';

const dirs: string[] = [];
const procs: ServerProcess[] = [];
const children: ChildProcess[] = [];
const databases: EmbeddedDatabase[] = [];

const tempDir = () => {
  const d = realpathSync(mkdtempSync(path.join(tmpdir(), 'yitang-embedded-')));
  dirs.push(d);
  return d;
};

/** The FerretDB processes serving `dataDir`, read from /proc: pid and port. */
function ferretdbsOn(dataDir: string): { pid: number; port: number }[] {
  const found: { pid: number; port: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (!path.basename(args[0] ?? '').startsWith('ferretdb')) continue;
    if (!args.includes(`--state-dir=${dataDir}`)) continue;
    const port = Number(/--listen-addr=127\.0\.0\.1:(\d+)/.exec(args.join(' '))?.[1]);
    found.push({ pid: Number(entry), port });
  }
  return found;
}

/** Resolves when the server at `port` closes a connection opened to it now: it has stopped. */
function whenConnectionDrops(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => undefined);
    socket.once('connect', () => socket.once('close', () => resolve()));
    socket.once('close', (hadError) => {
      if (!socket.readyState || hadError) reject(new Error('could not connect to FerretDB'));
    });
  });
}

/** /proc has no events: a bounded re-check for a process that is not our child. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    try {
      // A zombie (exited, not yet reaped) has an empty command line.
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8') === '') return true;
    } catch {
      return true;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return false;
}

afterEach(async () => {
  for (const p of procs.splice(0)) {
    if (p.alive()) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
  for (const db of databases.splice(0)) await db.stop();
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await new Promise<void>((resolve) => c.once('exit', () => resolve()));
    }
  }
  // Whatever a failing run left behind on these directories.
  for (const d of dirs) {
    for (const f of ferretdbsOn(d)) process.kill(f.pid, 'SIGKILL');
  }
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the embedded database', () => {
  it('dies with the server when the server is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const proc = await startServerProcess({ MONGODB_URI: undefined, YITANG_DATA_DIR: dataDir });
    procs.push(proc);
    const running = ferretdbsOn(dataDir);
    expect(running).toHaveLength(1);
    const [db] = running;
    if (!db) throw new Error('no FerretDB');
    const dropped = whenConnectionDrops(db.port);

    proc.child.kill('SIGKILL');
    await proc.exited;
    await dropped;
    expect(await gone(db.pid)).toBe(true);
    expect(ferretdbsOn(dataDir)).toEqual([]);
  });

  it('left running by a crash is stopped by the next start, which then runs the only copy', async () => {
    const dataDir = tempDir();
    const binary = findFerretdb();
    if (!binary) throw new Error('FerretDB is not built (npm run setup)');
    // A copy the way an older server (or a SIGKILL of the whole process tree) leaves one.
    mkdirSync(path.join(dataDir, 'ferretdb'));
    const stale = spawn(
      binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dataDir}/ferretdb/`,
        '--listen-addr=127.0.0.1:0',
        '--telemetry=disable',
        '--debug-addr=-',
        `--state-dir=${dataDir}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(stale);
    const staleExit = new Promise<void>((resolve) => stale.once('exit', () => resolve()));
    // Running once it says it listens (its log goes to stderr).
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const onData = (c: Buffer) => {
        out += c.toString();
        if (/[Ll]istening/.test(out)) resolve();
      };
      stale.stdout?.on('data', onData);
      stale.stderr?.on('data', onData);
      stale.once('exit', () => reject(new Error(`stale FerretDB did not start:\n${out}`)));
    });
    expect(ferretdbsOn(dataDir).map((f) => f.pid)).toEqual([stale.pid]);

    const db = await startEmbeddedDatabase({ dataDir });
    databases.push(db);
    // Stopped by the start (it was ours to reap, so its exit is an event here).
    await staleExit;
    expect(stale.exitCode ?? stale.signalCode).not.toBeNull();
    const running = ferretdbsOn(dataDir);
    expect(running).toHaveLength(1);
    expect(running[0]?.pid).not.toBe(stale.pid);
  });

  it('is not taken over while the server that runs it is alive', async () => {
    const dataDir = tempDir();
    const proc = await startServerProcess({ MONGODB_URI: undefined, YITANG_DATA_DIR: dataDir });
    procs.push(proc);
    const before = ferretdbsOn(dataDir);
    expect(before).toHaveLength(1);
    await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(/in use by another Yitang server/);
    expect(ferretdbsOn(dataDir)).toEqual(before);
    expect((await fetch(`${proc.url}/readyz`)).status).toBe(200);
  });

  it('started twice on one data directory at once (once through a symlink), runs once', async () => {
    const dataDir = tempDir();
    const alias = path.join(tempDir(), 'data');
    symlinkSync(dataDir, alias);
    const starts = await Promise.allSettled(
      [dataDir, alias].map((d) => startServerProcess({ MONGODB_URI: undefined, YITANG_DATA_DIR: d })),
    );
    for (const s of starts) if (s.status === 'fulfilled') procs.push(s.value);
    const running = starts.filter((s) => s.status === 'fulfilled');
    const refused = starts.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    expect(running).toHaveLength(1);
    expect(refused).toEqual([expect.stringMatching(/in use by another Yitang server/)]);
    expect(ferretdbsOn(dataDir)).toHaveLength(1);
    const [winner] = running;
    if (winner?.status !== 'fulfilled') throw new Error('no server');
    expect((await fetch(`${winner.value.url}/readyz`)).status).toBe(200);
  });

  it('takes over the lock of a server that died, and refuses one of a server alive', async () => {
    const dataDir = tempDir();
    const first = await startServerProcess({ MONGODB_URI: undefined, YITANG_DATA_DIR: dataDir });
    procs.push(first);
    expect(Number(readFileSync(path.join(dataDir, 'yitang.lock'), 'utf8'))).toBe(first.child.pid);
    await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(/in use by another Yitang server/);
    first.child.kill('SIGKILL');
    await first.exited;
    // Its lock is left behind, naming a dead process: the next start takes it.
    const db = await startEmbeddedDatabase({ dataDir });
    databases.push(db);
    expect(Number(readFileSync(path.join(dataDir, 'yitang.lock'), 'utf8'))).toBe(process.pid);
    expect(ferretdbsOn(dataDir)).toHaveLength(1);
  });
});
