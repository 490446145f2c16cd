import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The key of the server's embedded media server: the media test reads its rooms with it. */
    livekit: { apiKey: string; apiSecret: string };
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts Yitang the way a user does (server/src/demo-main.ts, built client, demo data) on a free port
 * with a fresh data directory, and hands its URL to the browser tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'yitang-e2e-'));
  const livekit = { apiKey: `e2e${randomBytes(4).toString('hex')}`, apiSecret: randomBytes(32).toString('hex') };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/demo-main.ts'], {
    cwd: path.join(root, 'server'),
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      YITANG_DATA_DIR: dataDir,
      MONGODB_DB: `e2e_${Date.now()}`,
      SEED_DEMO: '1',
      LOG_LEVEL: 'warn',
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  // E2E_SERVER_LOG=<file> keeps the server's whole output there, to read after a failing run.
  const logFile = process.env.E2E_SERVER_LOG;
  if (logFile) {
    const keep = (chunk: Buffer) => appendFileSync(logFile, chunk);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Yitang is running at (\S+?)\/?\s/.exec(output);
      if (m?.[1]) resolve(m[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
  project.provide('baseUrl', url);
  project.provide('livekit', livekit);
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
}
