// `pnpm restore <file> [--without-key]`: brings a backup made by `pnpm backup` (scripts/backup.ts)
// back into an EMPTY data directory (YITANG_DATA_DIR): the ballot key from `<file>.ballot.key`
// first, then a new embedded PostgreSQL with every schema, table, row and index of the backup. A
// server started on that directory afterwards answers as the backed-up one did. A data directory
// that holds anything is refused: a restore never mixes with, or overwrites, live data.
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { openEmbeddedPostgres } from '../server/src/db/embedded';
import {
  argPath,
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupHeader,
  type BackupLine,
  dataDirFromEnv,
  KEY_FILE,
  keyCopyOf,
} from './backup';

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

interface Table {
  schema: string;
  table: string;
  columns: { name: string; type: string }[];
  indexes: string[];
  rows: (string | null)[][];
  count: number;
}

/** `CREATE [UNIQUE] INDEX name` made idempotent: the event trigger may have made a GIN index already. */
function ifNotExists(def: string): string {
  return def.replace(/^CREATE (UNIQUE )?INDEX /, (m) => `${m}IF NOT EXISTS `);
}

export async function restore(
  file: string,
  dataDir: string,
  opts: { withoutKey?: boolean } = {},
): Promise<{ tables: number; rows: number }> {
  if (!existsSync(file)) throw new Error(`There is no backup file ${file}.`);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(
      `The data directory ${dataDir} is not empty. A restore goes into an empty (or new) data directory only: ` +
        'set YITANG_DATA_DIR to a new one, or move this one away first.',
    );
  }
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const iter = lines[Symbol.asyncIterator]();
  const first = await iter.next();
  let header: BackupHeader;
  try {
    header = JSON.parse(first.done ? '' : first.value) as BackupHeader;
  } catch {
    throw new Error(`${file} is not a Yitang backup (made by pnpm backup).`);
  }
  if (header.format !== BACKUP_FORMAT || header.backend !== 'postgresql') {
    throw new Error(`${file} is not a Yitang backup (made by pnpm backup).`);
  }
  if (header.version > BACKUP_VERSION) {
    throw new Error(`${file} was made by a newer Yitang (backup format ${header.version}); update this one first.`);
  }

  const keyCopy = keyCopyOf(file);
  if (header.ballotKey && !existsSync(keyCopy) && !opts.withoutKey) {
    throw new Error(
      `The ballot key of this backup is missing: ${keyCopy} (made beside it by pnpm backup). Without it no sealed ` +
        'ballot can be opened. Put it there, or restore with --without-key (and BALLOT_SECRET, if that was the secret).',
    );
  }
  const created = !existsSync(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (header.ballotKey && existsSync(keyCopy)) {
    writeFileSync(path.join(dataDir, KEY_FILE), readFileSync(keyCopy), { mode: 0o600 });
  }
  let pg: Awaited<ReturnType<typeof openEmbeddedPostgres>> | null = null;
  try {
    pg = await openEmbeddedPostgres(dataDir);
    const { client } = pg;
    let table: Table | null = null;
    let tables = 0;
    let rows = 0;
    let ended: { tables: number; rows: number } | null = null;

    const flush = async (t: Table) => {
      if (t.rows.length === 0) return;
      // One array parameter per column, unnested side by side, each cast back to its type.
      const params = t.columns.map((_, i) => t.rows.map((r) => r[i] ?? null));
      const names = t.columns.map((c) => quote(c.name)).join(', ');
      const casts = t.columns.map((c, i) => `u.c${i}::${c.type}`).join(', ');
      const unnest = t.columns.map((_, i) => `$${i + 1}::text[]`).join(', ');
      const aliases = t.columns.map((_, i) => `c${i}`).join(', ');
      await client.query(
        `INSERT INTO ${quote(t.schema)}.${quote(t.table)} (${names}) SELECT ${casts} FROM unnest(${unnest}) AS u(${aliases})`,
        params,
      );
      t.count += t.rows.length;
      t.rows = [];
    };
    const finish = async (t: Table) => {
      await flush(t);
      // After the rows: building an index once is faster than keeping it up to date row by row.
      for (const def of t.indexes) await client.query(ifNotExists(def));
      tables++;
      rows += t.count;
    };

    await client.query('BEGIN');
    for (let next = await iter.next(); !next.done; next = await iter.next()) {
      if (ended) throw new Error(`${file} goes on after its end.`);
      const line = JSON.parse(next.value) as BackupLine;
      if ('row' in line) {
        if (!table) throw new Error(`${file} is damaged: a row before any table.`);
        table.rows.push(line.row);
        if (table.rows.length >= 1000) await flush(table);
      } else {
        if (table) await finish(table);
        table = null;
        if ('schema' in line && !('table' in line)) {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(line.schema)}`);
        } else if ('table' in line) {
          const cols = line.columns.map((c) => `${quote(c.name)} ${c.type}`).join(', ');
          await client.query(`CREATE TABLE ${quote(line.schema)}.${quote(line.table)} (${cols})`);
          table = { ...line, rows: [], count: 0 };
        } else if ('end' in line) {
          ended = line;
        }
      }
    }
    if (!ended) throw new Error(`${file} is cut short (no end mark): restore from a complete backup.`);
    if (ended.tables !== tables || ended.rows !== rows) {
      throw new Error(
        `${file} is damaged: it says ${ended.tables} tables and ${ended.rows} rows, it held ${tables} and ${rows}.`,
      );
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
    return { tables, rows };
  } catch (err) {
    // The directory was empty: leave it so, for the next try.
    await pg?.close();
    pg = null;
    if (created) rmSync(dataDir, { recursive: true, force: true });
    else for (const f of readdirSync(dataDir)) rmSync(path.join(dataDir, f), { recursive: true, force: true });
    throw err;
  } finally {
    await pg?.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const withoutKey = args.includes('--without-key');
  const arg = args.find((a) => !a.startsWith('--'));
  if (!arg) {
    throw new Error('Usage: pnpm restore <backup file> [--without-key]  (into YITANG_DATA_DIR, which must be empty)');
  }
  const file = argPath(arg);
  const dataDir = dataDirFromEnv();
  const { tables, rows } = await restore(file, dataDir, { withoutKey });
  console.log(`Restored ${file} into ${dataDir}: ${rows} documents in ${tables} tables. Start the server on it.`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`restore: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
