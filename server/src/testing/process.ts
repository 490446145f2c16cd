/**
 * Test support for behaviour that is about the process: the real server, spawned the way a user
 * starts it (`src/demo-main.ts` while SEED_DEMO is on, as `npm start` does; `src/main.ts`, the
 * production entry, with SEED_DEMO=0), and raw TCP exchanges with it. Waits are on output, sockets and exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Resolves with the exit code and signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  alive(): boolean;
}

/**
 * The entry `npm start` would run (scripts/start.sh): the demo one unless SEED_DEMO turns the demo
 * off. Only the demo entry can seed; the production entry imports nothing from seed/.
 */
export function serverEntry(seedDemo: string | undefined): string {
  return ['0', 'false', 'no'].includes(seedDemo ?? '1') ? 'src/main.ts' : 'src/demo-main.ts';
}

/** Starts `node --import tsx src/demo-main.ts` (or `src/main.ts` with SEED_DEMO=0) with `env` on a free port; resolves once it listens. */
export function startServerProcess(env: Record<string, string | undefined>): Promise<ServerProcess> {
  // An undefined value removes that variable (e.g. MONGODB_URI, for the embedded database).
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env })) {
    if (v !== undefined) merged[k] = v;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', serverEntry(merged.SEED_DEMO)], {
    cwd: serverDir,
    env: merged,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Yitang is running at (http:\/\/[^\s/]+:(\d+))/.exec(out);
      if (m?.[1] && m[2]) {
        resolve({
          child,
          url: m[1],
          port: Number(m[2]),
          exited,
          output: () => out,
          alive: () => child.exitCode === null && child.signalCode === null,
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`server exited before listening:\n${out}`)));
  });
}

/**
 * Writes `bytes` to a raw TCP connection and resolves with everything the server sent back once
 * the server closed the connection, or once `until` holds for what arrived (then it is closed).
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  until: (received: string) => boolean = () => false,
  /** Gives up (closing the connection) after this long without a byte either way. */
  idleMs = 0,
): Promise<{ received: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    if (idleMs > 0) {
      socket.setTimeout(idleMs);
      socket.on('timeout', () => finish(false));
    }
    let received = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ received, closedByServer });
    };
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c: Buffer) => {
      received += c.toString('latin1');
      if (until(received)) finish(false);
    });
    // A reset is the server closing too (e.g. it died, or destroyed the socket).
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('end', () => finish(true));
  });
}

/** An HTTP/1.1 WebSocket upgrade request for `target`, as a browser would send it. */
export function upgradeRequest(target: string, extraHeaders: Record<string, string> = {}): string {
  const headers = {
    Host: '127.0.0.1',
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    ...extraHeaders,
  };
  return `GET ${target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;
}
