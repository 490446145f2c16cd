/**
 * A real redis-server (from Debian) for tests of several nodes and of Redis going away. Waits
 * are on its output and its exit, never on time.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './index';

export interface RedisServer {
  url: string;
  port: number;
  /** Kills it at once (SIGKILL), as a crash or a lost host would, and waits for its exit. */
  kill(): Promise<void>;
  /** Stops it (SIGTERM) if still running and removes its directory. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `kill`), empty; resolves once it accepts connections. */
  restart(): Promise<void>;
}

function redisBinary(): string {
  for (const candidate of ['redis-server', '/usr/sbin/redis-server', '/usr/bin/redis-server']) {
    if (!spawnSync(candidate, ['--version'], { stdio: 'ignore' }).error) return candidate;
  }
  throw new Error(
    'this test needs redis-server, which is not installed: run scripts/setup.sh --browser, ' +
      'or apt-get install redis-server',
  );
}

/** Starts redis-server on a free port without persistence; resolves once it accepts connections. */
export async function startRedisServer(prefix = 'yitang-redis-'): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const port = await freePort();
  let child = await spawnRedis(port, dir);
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    }
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => end('SIGKILL'),
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      await end('SIGKILL');
      child = await spawnRedis(port, dir);
    },
  };
}

async function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child: ChildProcess = spawn(
    redisBinary(),
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', () => reject(new Error(`redis-server exited before it was ready:\n${output}`)));
  });
  return child;
}
