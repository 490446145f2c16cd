/**
 * Which filters FerretDB 1.24 pushes down to the embedded PostgreSQL, and the plan PostgreSQL
 * runs for them: `pnpm --silent --filter @yitang/server exec tsx bench/probe-pushdown.ts`. A fresh
 * embedded database, 20,000 documents with btree (and, by the trigger, GIN) indexes on `a`, `d`
 * and `n`, then FerretDB's own `explain` of each filter shape (docs/architecture.md, "Storage").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Document, MongoClient } from 'mongodb';
import { startEmbeddedDatabase } from '../src/db/embedded';

const dir = mkdtempSync(path.join(tmpdir(), 'yitang-probe-'));
const db = await startEmbeddedDatabase({ dataDir: dir, backend: 'postgresql' });
const client = await MongoClient.connect(db.uri);
try {
  const d = client.db('probe');
  const c = d.collection<Document>('t');
  const keys: Array<Record<string, 1>> = [{ a: 1 }, { d: 1 }, { n: 1 }, { a: 1, n: 1 }];
  for (const key of keys) await c.createIndex(key);
  await c.insertMany(
    Array.from({ length: 20_000 }, (_, i) => ({
      _id: `k${i}` as never,
      a: `v${i % 100}`,
      n: i,
      d: new Date(1e12 + i * 1e6),
      arr: [{ m: `v${i % 50}` }],
    })),
  );
  const shapes: Array<[string, Document, Document?]> = [
    ['equality, string', { a: 'v1' }],
    ['equality, number', { n: 5 }],
    ['equality, date', { d: new Date(1e12) }],
    ['$in', { a: { $in: ['v1', 'v2'] } }],
    ['_id $in', { _id: { $in: ['k1', 'k2'] } }],
    ['range, number', { n: { $gte: 5, $lt: 10 } }],
    ['range, date', { d: { $gte: new Date(1e12) } }],
    ['equality and range', { a: 'v1', n: { $gte: 5 } }],
    ['$or of equalities', { $or: [{ a: 'v1' }, { a: 'v2' }] }],
    ['dotted path into an array', { 'arr.m': 'v1' }],
    ['$ne', { a: { $ne: 'v1' } }],
    ['regex', { a: /^v1/ }],
    ['sort only', {}, { n: -1 }],
    ['equality and sort', { a: 'v1' }, { n: -1 }],
  ];
  for (const [name, filter, sort] of shapes) {
    const res = await d.command({ explain: { find: 't', filter, ...(sort ? { sort } : {}), limit: 10 } });
    const plan = JSON.stringify(res.queryPlanner);
    const nodes = [...plan.matchAll(/"Node Type":"([^"]*)"/g)].map((m) => m[1]).join(' > ');
    console.log(
      `${name}: filterPushdown ${res.filterPushdown}, sortPushdown ${res.sortPushdown}, limitPushdown ${res.limitPushdown}; ${nodes}`,
    );
  }
} finally {
  await client.close();
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
