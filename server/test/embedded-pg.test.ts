/**
 * The embedded database on PostgreSQL (issue 14): its hot reads and guarded updates are served by
 * indexes at 100,000 documents (EXPLAIN, as FerretDB runs them); a guarded update is not atomic
 * there, inserts on a unique key are; and its PostgreSQL dies with the server however it dies.
 * Runs on its own embedded PostgreSQL whatever backend the rest of the suite uses.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../src/db/connect';
import { type EmbeddedDatabase, postgresBinaries, startEmbeddedDatabase } from '../src/db/embedded';
import { createModels, ensureIndexes, type Models } from '../src/db/models';
import { startServerProcess } from '../src/testing/process';

const DB = 'hot_indexes';
const N = 100_000;
const dirs: string[] = [];
let db: EmbeddedDatabase;
let conn: Connection;
let models: Models;
let sql: pg.Client;

const tempDir = () => {
  const d = realpathSync(mkdtempSync(path.join(tmpdir(), 'yitang-pg-')));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  db = await startEmbeddedDatabase({ dataDir: tempDir(), backend: 'postgresql', timeoutMs: 60_000 });
  conn = await connectDatabase(db.uri, DB);
  models = createModels(conn);
  await ensureIndexes(models);
  sql = new pg.Client({ connectionString: db.postgresUrl });
  await sql.connect();
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await conn?.close();
  await db?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a PostgreSQL plan, depth first. */
function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The PostgreSQL plan FerretDB runs for `find(filter)` on `collection` (its explain returns it). */
async function findPlan(collection: string, filter: Record<string, unknown>): Promise<PlanNode[]> {
  const res = await conn.db?.command({ explain: { find: collection, filter } });
  expect(res?.filterPushdown).toBe(true);
  return nodes(res?.queryPlanner.Plan as PlanNode);
}

/** The table FerretDB keeps `collection` in (its metadata table maps the names). */
async function tableOf(collection: string): Promise<string> {
  const res = await sql.query<{ table: string }>(
    `SELECT _jsonb->>'table' AS table FROM "${DB}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1`,
    [collection],
  );
  const table = res.rows[0]?.table;
  if (!table) throw new Error(`no table for ${collection}`);
  return table;
}

const usesIndex = (plan: PlanNode[]) =>
  plan.some((n) => /Index/.test(n['Node Type']) && n['Index Name']) && !plan.some((n) => n['Node Type'] === 'Seq Scan');

/** `N` documents whose `field` takes 2,000 values (50 documents each), written in bulk. */
async function fill(collection: string, field: string, extra: Record<string, unknown> = {}): Promise<ObjectId[]> {
  const col = conn.db?.collection(collection);
  if (!col) throw new Error('no database');
  const ids: ObjectId[] = [];
  for (let start = 0; start < N; start += 10_000) {
    const docs = Array.from({ length: 10_000 }, (_, i) => ({
      [field]: `v${(start + i) % 2_000}`,
      at: new Date(),
      ...extra,
    }));
    const res = await col.insertMany(docs, { ordered: false });
    ids.push(...Object.values(res.insertedIds));
  }
  return ids;
}

describe('the embedded database on PostgreSQL', () => {
  const hot = [
    ['ballots by pollId', () => models.Ballot, 'pollId'],
    ['attendance by sessionId', () => models.Attendance, 'sessionId'],
    ['duty records by memberId', () => models.DutyEntry, 'memberId'],
    ['notifications by memberId', () => models.Notification, 'memberId'],
    ['minutes records by document (session)', () => models.MinutesUpdate, 'doc'],
  ] as const;

  for (const [what, model, field] of hot) {
    it(`reads ${what} through an index at ${N.toLocaleString('en')} documents`, async () => {
      const collection = model().collection.collectionName;
      const ids = await fill(collection, field, { status: 'open' });
      const plan = await findPlan(collection, { [field]: 'v1234' });
      expect(usesIndex(plan), JSON.stringify(plan)).toBe(true);
      expect(await conn.db?.collection(collection).countDocuments({ [field]: 'v1234' })).toBe(N / 2_000);

      if (collection !== 'ballots') return;
      // By _id, and the guarded update by _id: its read is the same pushed-down find (the guard
      // included), its write an UPDATE by _id, which the unique btree on _id serves.
      const id = ids[77_777];
      expect(usesIndex(await findPlan(collection, { _id: id }))).toBe(true);
      expect(usesIndex(await findPlan(collection, { _id: id, status: 'open' }))).toBe(true);
      const table = await tableOf(collection);
      const update = await sql.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (FORMAT JSON) UPDATE "${DB}"."${table}" SET _jsonb = _jsonb WHERE _jsonb->'_id' = $1`,
        [JSON.stringify(String(id))],
      );
      const updatePlan = nodes(update.rows[0]?.['QUERY PLAN'][0]?.Plan as PlanNode);
      expect(usesIndex(updatePlan), JSON.stringify(updatePlan)).toBe(true);
      const res = await conn.db
        ?.collection(collection)
        .updateOne({ _id: id, status: 'open' }, { $set: { status: 'closed' } });
      expect(res?.modifiedCount).toBe(1);
    }, 300_000);
  }

  it('applies a guarded update twice when two race (not atomic); a unique key lets exactly one insert win', async () => {
    // FerretDB 1.24 on PostgreSQL reads the document (no lock), checks the guard in Go, and writes
    // it back by _id. Hold the row's lock from PostgreSQL so both updates have read it before
    // either writes: both then find it `open` and both report a change.
    const clients = [new MongoClient(db.uri), new MongoClient(db.uri)];
    const [a, b] = clients.map((c) => c.db(DB).collection<{ _id: string; status: string; by?: string }>('races'));
    if (!a || !b) throw new Error('no clients');
    await a.insertOne({ _id: 'r1', status: 'open' });
    const table = await tableOf('races');
    const locker = new pg.Client({ connectionString: db.postgresUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM "${DB}"."${table}" WHERE _jsonb->'_id' = '"r1"' FOR UPDATE`);
    const racing = [a, b].map((col, i) =>
      col.updateOne({ _id: 'r1', status: 'open' }, { $set: { status: 'closed', by: `client ${i}` } }),
    );
    // Both are waiting for the row lock once both have read it: PostgreSQL shows them waiting.
    for (;;) {
      const waiting = await sql.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE %${table}%'`,
      );
      if (waiting.rowCount === 2) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await locker.query('COMMIT');
    await locker.end();
    const results = await Promise.all(racing);
    expect(results.map((r) => r.modifiedCount)).toEqual([1, 1]);

    // Inserts on a unique key are atomic: of four at once, exactly one is stored.
    const inserts = await Promise.allSettled(
      [a, b, a, b].map((col, i) => col.insertOne({ _id: 'u1', status: 'open', by: `insert ${i}` })),
    );
    expect(inserts.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(inserts.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: number }).code)).toEqual([
      11000, 11000, 11000,
    ]);
    for (const c of clients) await c.close();
  }, 60_000);

  it('refuses text with a NUL character, which jsonb cannot hold, as bad input rather than an internal error', async () => {
    const refused = { code: 'BAD_REQUEST', message: expect.stringContaining('U+0000') };
    await expect(models.Session.findById('s-\u0000').lean()).rejects.toMatchObject(refused);
    await expect(models.Session.updateOne({ _id: 's-1' }, { $set: { title: 'a\u0000b' } })).rejects.toMatchObject(
      refused,
    );
    await expect(models.Notification.create({ memberId: 'm-\u0000' })).rejects.toMatchObject(refused);
    // The same text without it reaches the database.
    expect(await models.Session.findById('s-0').lean()).toBeNull();
  });

  it.runIf(process.getuid?.() === 0)(
    'run as root, a new data directory its PostgreSQL cannot reach starts on SQLite, unless PostgreSQL is asked for',
    async () => {
      const closed = tempDir(); // mode 0700: the postgres user cannot pass through it
      const saved = process.env.YITANG_EMBEDDED_DB;
      delete process.env.YITANG_EMBEDDED_DB;
      try {
        const fallback = await startEmbeddedDatabase({ dataDir: path.join(closed, 'data') });
        await fallback.stop();
        expect(fallback.backend).toBe('sqlite');
        await expect(
          startEmbeddedDatabase({ dataDir: path.join(closed, 'asked'), backend: 'postgresql' }),
        ).rejects.toThrow(/cannot reach .*asked: .* is closed to other users/);
      } finally {
        if (saved !== undefined) process.env.YITANG_EMBEDDED_DB = saved;
      }
    },
    60_000,
  );

  it.runIf(process.getuid?.() === 0)(
    'run as root from a checkout under a closed directory, PostgreSQL runs from a copy of its programs the postgres user can reach',
    async () => {
      // The distribution as a checkout under mktemp's 0700 would hold it, with a version of its own
      // so that the copy this test makes is its own too.
      const closed = tempDir();
      const pkg = path.join(closed, 'checkout', 'linux-x64');
      const version = `0.0.0-test-${path.basename(closed)}`;
      cpSync(path.dirname(postgresBinaries().bin), path.join(pkg, 'native'), { recursive: true });
      writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ version }));
      const copy = path.join(tmpdir(), `yitang-postgres-${version}`);
      dirs.push(copy);
      const reached = await startEmbeddedDatabase({
        dataDir: tempDir(),
        backend: 'postgresql',
        postgresDistribution: path.join(pkg, 'native'),
        timeoutMs: 60_000,
      });
      try {
        const client = new pg.Client({ connectionString: reached.postgresUrl });
        await client.connect();
        const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
        await client.end();
        expect(rows[0]?.v).toMatch(/^17\./);
        expect(statSync(copy).uid).toBe(0);
        expect(statSync(copy).mode & 0o022).toBe(0);
      } finally {
        await reached.stop();
      }
    },
    90_000,
  );

  it('stops its PostgreSQL with the server when the server is killed with SIGKILL', async () => {
    const dataDir = tempDir();
    const proc = await startServerProcess({
      MONGODB_URI: undefined,
      YITANG_DATA_DIR: dataDir,
      YITANG_EMBEDDED_DB: 'postgresql',
      SEED_DEMO: '0',
    });
    const postmaster = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(commandOf(postmaster)).toContain('postgres');
    proc.child.kill('SIGKILL');
    await proc.exited;
    // Not our child: no event to wait on, a bounded re-check of /proc.
    for (let i = 0; i < 2_000 && commandOf(postmaster) !== null; i++) {
      await new Promise<void>((resolve) => setTimeout(resolve, 10));
    }
    expect(commandOf(postmaster)).toBeNull();
    expect(readdirSync(path.join(dataDir, 'postgres'))).not.toContain('postmaster.pid');
  }, 120_000);
});

/** A live process's command line, or null once it is gone (a zombie has an empty one). */
function commandOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') || null;
  } catch {
    return null;
  }
}
