import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectDatabase } from '../src/db/connect';
import { startEmbeddedDatabase } from '../src/db/embedded';
import { createModels, ensureIndexes } from '../src/db/models';
import { demo, seedDemo } from '../src/seed/demo';
import { demoHistorySize } from '../src/seed/demo-history';
import { uniqueDbName } from '../src/testing';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'yitang-start-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs server/src/main.ts with the given environment until it exits. */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('start-up', () => {
  it('says in one line what to do when the database is unreachable', async () => {
    const res = await runMain({ MONGODB_URI: 'mongodb://127.0.0.1:1/', PORT: '0' });
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^yitang: Cannot reach the database at mongodb:\/\/127\.0\.0\.1:1\/ .*MONGODB_URI/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists every configuration problem at once', async () => {
    const res = await runMain({ PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('PORT');
    expect(res.stderr).toContain('MONGODB_URI');
    expect(res.stderr).toContain('LOG_LEVEL');
  });

  it('says what TRUST_PROXY takes instead of crashing inside Express on true or a hop count', async () => {
    for (const value of ['true', '1', '10.0.0.0/33']) {
      const res = await runMain({ TRUST_PROXY: value, MONGODB_URI: 'mongodb://127.0.0.1:1' });
      expect(res.code, value).toBe(1);
      expect(res.stderr, value).toContain('TRUST_PROXY: expected proxy addresses or subnets');
    }
  });

  it('keeps the embedded database across a restart', async () => {
    const dataDir = tempDir();
    const first = await startEmbeddedDatabase({ dataDir });
    const conn = await connectDatabase(first.uri, 'persist');
    await conn.collection('notes').insertOne({ _id: 'n1' as never, text: '重启后仍在' });
    await conn.close();
    await first.stop();

    const second = await startEmbeddedDatabase({ dataDir });
    const again = await connectDatabase(second.uri, 'persist');
    expect(await again.collection('notes').findOne({ text: '重启后仍在' })).toMatchObject({ text: '重启后仍在' });
    await again.close();
    await second.stop();
  });

  it('names the ways out when the embedded database binary is missing', async () => {
    await expect(startEmbeddedDatabase({ dataDir: tempDir(), binary: '/nonexistent/ferretdb' })).rejects.toThrow(
      /MONGODB_URI/,
    );
  });
});

describe('demo data', () => {
  it('is created once: a second run adds nothing and keeps what changed since', async () => {
    const conn = await connectDatabase(inject('mongoUri'), uniqueDbName('seed'));
    const models = createModels(conn);
    await ensureIndexes(models);
    await seedDemo(models);
    const counts = async () => ({
      members: await models.Member.countDocuments(),
      sectors: await models.Sector.countDocuments(),
      sessions: await models.Session.countDocuments(),
      rooms: await models.Room.countDocuments(),
    });
    const before = await counts();
    // The main seed's 36 accounts, 2 sessions and 5 rooms (city, two towns, the village and the
    // economy group's); the held year (demo-history.ts) adds officials, rooms and closed sessions.
    expect(before).toEqual({
      members: 36 + demoHistorySize.members,
      sectors: 8,
      sessions: 2 + demoHistorySize.sessions,
      rooms: 5 + demoHistorySize.rooms,
    });
    await models.Session.updateOne({ _id: demo.sessionId }, { $set: { currentItemId: 'a3' } });
    await seedDemo(models);
    expect(await counts()).toEqual(before);
    const session = await models.Session.findById(demo.sessionId).lean();
    expect(session).toMatchObject({
      currentItemId: 'a3',
      firstConvenerId: demo.firstConvenerId,
      secondConvenerId: demo.secondConvenerId,
    });
    expect(session?.agenda).toHaveLength(3);
    const second = await models.Member.findById(demo.secondConvenerId).lean();
    expect(second?.title).toContain('局长');
    await conn.dropDatabase();
    await conn.close();
  });
});
