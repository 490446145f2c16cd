import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MeResponse } from '@yitang/shared';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../src/db/connect';
import { uniqueDbName } from '../src/testing';
import { type ServerProcess, startServerProcess } from '../src/testing/process';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const running: ServerProcess[] = [];
afterAll(async () => {
  for (const p of running) {
    if (!p.alive()) continue;
    p.child.kill('SIGTERM');
    await p.exited;
  }
});

/** Runs server/src/main.ts with the given environment until it exits. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { ...process.env, LOG_LEVEL: 'silent', PORT: '0', MONGODB_URI: 'mongodb://127.0.0.1:1/', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('first start in production', () => {
  it('prints a one-time setup link on an empty database and writes no account until it is used', async () => {
    const dbName = uniqueDbName('setup');
    const proc = await startServerProcess({ MONGODB_URI: inject('mongoUri'), MONGODB_DB: dbName, SEED_DEMO: '0' });
    running.push(proc);
    const m = /(http:\/\/\S+\/setup\/([A-Za-z0-9_-]{43}))/.exec(proc.output());
    if (!m?.[1] || !m[2]) throw new Error(`no setup link in:\n${proc.output()}`);
    const conn = await connectDatabase(inject('mongoUri'), dbName);
    try {
      expect(await conn.collection('members').countDocuments()).toBe(0);
      expect(await conn.collection('credentials').countDocuments()).toBe(0);
      expect(await conn.collection('committees').countDocuments()).toBe(0);

      const res = await fetch(`${proc.url}/api/setup/${m[2]}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '市政协办公室', login: 'office', password: 'correct-horse-1' }),
      });
      expect(res.status).toBe(200);
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const me = MeResponse.parse(await (await fetch(`${proc.url}/api/auth/me`, { headers: { cookie } })).json());
      expect(me.member).toMatchObject({ name: '市政协办公室', kind: 'staff' });
      expect(me.demoLogin).toBe(false);
      expect(await conn.collection('members').countDocuments()).toBe(1);
      const again = await fetch(`${proc.url}/api/setup/${m[2]}`);
      expect(again.status).toBe(410);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });

  it('prints no setup link when the database has accounts (the demo data)', async () => {
    const dbName = uniqueDbName('setup');
    const proc = await startServerProcess({ MONGODB_URI: inject('mongoUri'), MONGODB_DB: dbName, SEED_DEMO: '1' });
    running.push(proc);
    expect(proc.output()).not.toMatch(/\/setup\//);
    const conn = await connectDatabase(inject('mongoUri'), dbName);
    await conn.dropDatabase();
    await conn.close();
  });

  it('refuses demo sign-in beyond loopback, in one line, with every other problem', async () => {
    const res = await runMain({ DEMO_LOGIN: '1', HOST: '0.0.0.0', SEED_DEMO: '0', LOG_LEVEL: 'loud' });
    expect(res.code).toBe(1);
    const line = res.stderr.split('\n').find((l) => l.includes('DEMO_LOGIN'));
    expect(line).toMatch(/HOST/);
    expect(line).toMatch(/0\.0\.0\.0/);
    expect(res.stderr).toContain('LOG_LEVEL');
  });

  it('refuses the default demo setup (SEED_DEMO=1) on a public address too, and allows it with DEMO_LOGIN=0', async () => {
    const refused = await runMain({ HOST: '::' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/DEMO_LOGIN.*HOST/);
    // Demo data without demo sign-in may listen anywhere: it then fails only on the database.
    const allowed = await runMain({ HOST: '0.0.0.0', DEMO_LOGIN: '0' });
    expect(allowed.code).toBe(1);
    expect(allowed.stderr).toMatch(/Cannot reach the database/);
    expect(allowed.stderr).not.toMatch(/DEMO_LOGIN/);
  });
});
