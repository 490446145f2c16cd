/**
 * Benchmark processes: the servers under test and the load generators each run in a process of
 * their own (a forked tsx script). The parent calls named commands over Node's IPC channel.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';

interface Request {
  id: number;
  cmd: string;
  arg: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
interface Ready {
  ready: true;
  info: unknown;
}

const benchDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** In a child: answers the parent's commands, then tells it `info` once ready. */
export function serve(handlers: Record<string, (arg: never) => unknown>, info: unknown = null): void {
  const send = (m: Reply | Ready) => process.send?.(m);
  process.on('message', (raw: Request) => {
    const handler = handlers[raw.cmd] as ((arg: unknown) => unknown) | undefined;
    if (!handler) {
      send({ id: raw.id, ok: false, error: `unknown command ${raw.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(raw.arg))
      .then(
        (result) => send({ id: raw.id, ok: true, result: result ?? null }),
        (err: unknown) =>
          send({ id: raw.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
  // The parent going away ends the child too; SIGTERM exits normally so --cpu-prof writes.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
  send({ ready: true, info });
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** Write a V8 CPU profile of this process into the folder (node --cpu-prof). */
  cpuProfDir?: string;
}

/** A forked benchmark process and its commands. */
export class Child<Info = unknown> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly proc: ChildProcess,
    readonly info: Info,
  ) {
    proc.on('message', (m: Reply | Ready) => {
      if (!('id' in m)) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${name}: ${m.error}`));
    });
    proc.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code})`));
      this.pending.clear();
    });
  }

  /** Forks `bench/<script>` and resolves once it reports ready. */
  static start<I = unknown>(script: string, opts: ChildOptions = {}): Promise<Child<I>> {
    const execArgv = ['--import', 'tsx', '--expose-gc', '--max-old-space-size=6144'];
    // Extra Node flags for every forked process, e.g. --trace-gc (each process's lines start with its pid).
    const extra = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    execArgv.push(...extra);
    if (opts.cpuProfDir) execArgv.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
    const proc = fork(path.join(benchDir, script), [], {
      execArgv,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      cwd: path.dirname(benchDir),
    });
    if (extra.length > 0) console.error(`bench: ${script} is pid ${proc.pid}`);
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited before ready (${code})`));
      proc.once('exit', onExit);
      proc.on('message', (m: Reply | Ready) => {
        if (!('ready' in m)) return;
        proc.off('exit', onExit);
        resolve(new Child<I>(script, proc, m.info as I));
      });
    });
  }

  call<T = unknown>(cmd: string, arg: unknown = null): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ id, cmd, arg } satisfies Request);
    });
  }

  /** Asks the child to exit (SIGTERM lets --cpu-prof write its profile) and waits for it. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.once('exit', () => resolve());
      this.proc.kill('SIGTERM');
    });
  }
}

/** Server-side CPU, read with process.cpuUsage() inside the server process. */
export interface CpuReading {
  /** user + system, microseconds since the process started. */
  micros: number;
}

export interface MemReading {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** The `cpu` and `mem` commands every server process answers. */
export const processHandlers = {
  cpu: (): CpuReading => {
    const u = process.cpuUsage();
    return { micros: u.user + u.system };
  },
  /** After a full garbage collection (the child runs with --expose-gc). */
  mem: (): MemReading => {
    for (let i = 0; i < 3; i += 1) globalThis.gc?.();
    const m = process.memoryUsage();
    return { heapUsed: m.heapUsed, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers };
  },
  /** Writes a heap snapshot (for finding what a connection holds); returns its file name. */
  heapSnapshot: (dir: string): string => writeHeapSnapshot(path.join(dir, `${process.pid}-${Date.now()}.heapsnapshot`)),
};
