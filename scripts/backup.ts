// `pnpm backup [file]`: a consistent backup of the embedded database (on PostgreSQL), taken while
// the server runs, and beside it `<file>.ballot.key`, a copy of the data directory's ballot.key:
// without it no sealed ballot can be opened, and with it whoever holds the database can open
// them, so it is a file of its own, to be kept apart from the database backup (docs/security.md).
// `pnpm restore <file>` (scripts/restore.ts) brings both back.
//
// The embedded PostgreSQL ships without pg_dump, so this is a dump of our own: one REPEATABLE READ
// READ ONLY transaction (one snapshot: every table as of the same instant, writes go on meanwhile)
// reads each FerretDB table (one schema per MongoDB database, one table per collection, plus
// FerretDB's metadata table) with its column types and index definitions, into a gzip'd file of
// JSON lines. A real MongoDB is backed up with mongodump instead (README, "Backups").
import { once } from 'node:events';
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { repoRoot } from '../server/src/config';
import { chooseBackend, openEmbeddedPostgres } from '../server/src/db/embedded';

export const BACKUP_FORMAT = 'yitang-backup';
export const BACKUP_VERSION = 1;
/** The key file of a data directory (polls/ballot-seal.ts), and where its copy goes beside a backup. */
export const KEY_FILE = 'ballot.key';
export const keyCopyOf = (file: string) => `${file}.ballot.key`;

/** The first line of a backup. */
export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  backend: 'postgresql';
  createdAt: string;
  postgres: string;
  /** Whether the data directory had a ballot.key (then its copy is `<file>.ballot.key`). */
  ballotKey: boolean;
}

/** The lines after it, in order: a schema, then each of its tables and that table's rows. */
export type BackupLine =
  | { schema: string }
  | { table: string; schema: string; columns: { name: string; type: string }[]; indexes: string[] }
  | { row: (string | null)[] }
  | { end: true; tables: number; rows: number };

/** The data directory the server uses: YITANG_DATA_DIR, else `.data` in the repository (config.ts). */
export function dataDirFromEnv(): string {
  return path.resolve(process.env.YITANG_DATA_DIR || path.join(repoRoot, '.data'));
}

/** A path given on the command line, relative to where `pnpm` was run (pnpm runs us in server/). */
export function argPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

const quote = (ident: string) => `"${ident.replaceAll('"', '""')}"`;

export async function backup(dataDir: string, file: string): Promise<{ tables: number; rows: number }> {
  if (!existsSync(dataDir)) throw new Error(`There is no data directory ${dataDir} to back up.`);
  const backend = chooseBackend(dataDir, undefined);
  if (backend !== 'postgresql' || !existsSync(path.join(dataDir, 'postgres', 'PG_VERSION'))) {
    throw new Error(
      `The embedded database in ${dataDir} is on SQLite, which pnpm backup cannot copy consistently while ` +
        'FerretDB writes to it. Stop the server and copy the whole data directory, or move to the PostgreSQL ' +
        'backend (YITANG_EMBEDDED_DB=postgresql, a new data directory).',
    );
  }
  const keyPath = path.join(dataDir, KEY_FILE);
  const ballotKey = existsSync(keyPath);
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial, { mode: 0o600 });
  gzip.pipe(out);
  const write = async (line: BackupHeader | BackupLine) => {
    if (!gzip.write(`${JSON.stringify(line)}\n`)) await once(gzip, 'drain');
  };
  const pg = await openEmbeddedPostgres(dataDir);
  const { client } = pg;
  let tables = 0;
  let rows = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const version = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    await write({
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      backend: 'postgresql',
      createdAt: new Date().toISOString(),
      postgres: version.rows[0]?.v ?? '',
      ballotKey,
    });
    const schemas = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public') ORDER BY nspname`,
    );
    for (const { name: schema } of schemas.rows) {
      await write({ schema });
      const list = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`,
        [schema],
      );
      for (const { name: table } of list.rows) {
        const columns = await client.query<{ name: string; type: string }>(
          `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
             FROM pg_attribute a
            WHERE a.attrelid = (quote_ident($1) || '.' || quote_ident($2))::regclass
              AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
          [schema, table],
        );
        const indexes = await client.query<{ def: string }>(
          'SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname',
          [schema, table],
        );
        await write({ table, schema, columns: columns.rows, indexes: indexes.rows.map((r) => r.def) });
        tables++;
        const select = columns.rows.map((c) => `${quote(c.name)}::text`).join(', ');
        await client.query(`DECLARE dump NO SCROLL CURSOR FOR SELECT ${select} FROM ${quote(schema)}.${quote(table)}`);
        for (;;) {
          const batch = await client.query({ text: 'FETCH 2000 FROM dump', rowMode: 'array' });
          for (const row of batch.rows as (string | null)[][]) await write({ row });
          rows += batch.rows.length;
          if (batch.rows.length < 2000) break;
        }
        await client.query('CLOSE dump');
      }
    }
    await write({ end: true, tables, rows });
    await client.query('COMMIT');
  } catch (err) {
    gzip.destroy();
    out.destroy();
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await pg.close();
  }
  gzip.end();
  await once(out, 'finish');
  if (ballotKey) writeFileSync(keyCopyOf(file), readFileSync(keyPath), { mode: 0o600 });
  renameSync(partial, file);
  return { tables, rows };
}

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const file = argPath(process.argv[2] ?? `yitang-backup-${stamp}.jsonl.gz`);
  const dataDir = dataDirFromEnv();
  const { tables, rows } = await backup(dataDir, file);
  console.log(`Backed up ${dataDir} to ${file}: ${rows} documents in ${tables} tables.`);
  if (!existsSync(path.join(dataDir, KEY_FILE))) {
    console.log(
      'Note: there is no ballot.key in the data directory: this server takes its secret from BALLOT_SECRET. ' +
        'Keep that secret safe too: without it no sealed ballot can be opened.',
    );
  } else {
    console.log(
      `The ballot key is in ${keyCopyOf(file)}: without it no sealed ballot can be opened, and with it whoever ` +
        'holds the database can open them. Keep it apart from the backup, as safe as the server.',
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(`backup: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
