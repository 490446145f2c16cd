import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Runs a child process ("$@") under a shell that holds the server's end of a pipe on stdin: when
 * the server goes, however it goes (SIGKILL included), the kernel closes that pipe, `cat` sees
 * EOF, and the shell stops the process with $STOP_SIGNAL and waits for it, killing it outright if
 * it is still there after $STOP_GRACE seconds (a media server drains its rooms on TERM, which with
 * participants cut off can take many minutes, and no server is left to wait). Its pid goes out on
 * fd 3. INT and HUP are ignored: a Ctrl-C or a closed terminal reaches the whole process group,
 * and the server stops its children itself (it closes the pipe) after its own last writes.
 * The embedded database (db/embedded.ts) and the embedded media server (media/embedded.ts) run so.
 */
const SUPERVISOR = `trap '' INT HUP
"$@" &
c=$!
echo "$c" >&3
exec 3>&-
cat >/dev/null
kill -"$STOP_SIGNAL" "$c" 2>/dev/null
(sleep "$STOP_GRACE"; kill -KILL "$c" 2>/dev/null) &
w=$!
wait "$c"
kill "$w" 2>/dev/null`;

/** A process run under the supervisor shell. */
export interface Supervised {
  /** Ends it (EOF on the supervisor's stdin, SIGKILL after 5 s) and resolves once it is gone. */
  stop(): Promise<void>;
  /** How it ended, or null while it runs. */
  exited(): { code: number | null; signal: NodeJS.Signals | null } | null;
}

export function supervise(opts: {
  /** The shell's $0, seen in `ps`. */
  name: string;
  /** The command and its arguments. */
  args: string[];
  /** How the shell asks it to stop: TERM, or INT (PostgreSQL's fast shutdown). */
  stopSignal: 'TERM' | 'INT';
  /** Seconds it gets to stop once asked before it is killed (30 by default). */
  stopGraceSeconds?: number;
  /** Its whole environment (the server's by default). */
  env?: NodeJS.ProcessEnv;
  /** Run as this user (root starting PostgreSQL, which refuses to run as root). */
  user?: { uid: number; gid: number };
  /** Each chunk of its stdout and stderr. */
  output: (chunk: Buffer) => void;
  onPid?: (pid: number) => void;
  /** Whether the process with this pid is still the one started (checked before a SIGKILL). */
  isOurs?: (pid: number) => boolean;
}): Supervised {
  const child: ChildProcess = spawn('/bin/sh', ['-c', SUPERVISOR, opts.name, ...opts.args], {
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: {
      ...(opts.env ?? process.env),
      STOP_SIGNAL: opts.stopSignal,
      STOP_GRACE: String(opts.stopGraceSeconds ?? 30),
    },
    ...(opts.user ?? {}),
  });
  child.stdout?.on('data', opts.output);
  child.stderr?.on('data', opts.output);
  // The pipe is only ever closed, never written: nothing to report if the shell is gone.
  child.stdin?.on('error', () => undefined);
  let pid: number | null = null;
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    pid = Number.parseInt(chunk.toString(), 10);
    opts.onPid?.(pid);
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  return {
    exited: () => exited,
    stop: async () => {
      if (exited) return;
      // EOF on the supervisor's stdin: it stops the process and waits for it.
      child.stdin?.end();
      const timer = setTimeout(() => {
        // Still running after 5 s: the process itself (if it is still ours), then its shell.
        if (pid !== null && (opts.isOurs?.(pid) ?? true)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // It went meanwhile.
          }
        }
        child.kill('SIGKILL');
      }, 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
