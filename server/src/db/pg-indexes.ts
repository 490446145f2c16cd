import type pg from 'pg';

/**
 * Indexes that FerretDB's PostgreSQL backend can use.
 *
 * FerretDB 1.24 keeps each collection in a table `"<database>"."<table>"` whose one column `_jsonb`
 * holds the document, and turns `createIndex({ pollId: 1 })` into a btree index on
 * `((_jsonb -> 'pollId'))`. Its queries never use that: an equality filter is pushed down as
 * `_jsonb -> $1 @> $2` (a dotted path as `_jsonb #> $1 @> $2`), and only a GIN index on the same
 * expression serves `@>`. Only the update by `_id` (`WHERE _jsonb -> '_id' = $2`) uses a btree.
 *
 * So the embedded database gets an event trigger: whenever a btree index is created on such an
 * expression (by FerretDB, for any createIndex or for a new collection's `_id`), a GIN index on
 * each of its keys is created beside it, once per table and key (a compound index gives one per
 * field; PostgreSQL combines them with a BitmapAnd when that pays). The key is a parameter in
 * FerretDB's statements, so the database also gets `plan_cache_mode = force_custom_plan`: a
 * generic plan would not know which expression the filter is on and could never pick the index.
 *
 * Nothing here is seen through the MongoDB protocol: MongoDB itself, or FerretDB on SQLite, just
 * has the indexes the models declare.
 */

/** The SQL that installs the trigger (idempotent; needs a superuser, which the embedded one is). */
export const GIN_TRIGGER_SQL = `
CREATE OR REPLACE FUNCTION yitang_gin_for_index(idx oid) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  am text;
  tbl oid;
  rel text;
  n integer;
  natts integer;
  expr text;
  keys text[];
  target text;
  gin_name text;
  made integer := 0;
BEGIN
  SELECT a.amname, i.indrelid, i.indnatts INTO am, tbl, natts
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
   WHERE i.indexrelid = idx;
  IF am IS DISTINCT FROM 'btree' THEN
    RETURN 0;
  END IF;
  SELECT relname INTO rel FROM pg_class WHERE oid = tbl;
  FOR n IN 1..natts LOOP
    expr := pg_get_indexdef(idx, n, false);
    -- FerretDB writes each key as _jsonb -> 'a' [-> 'b' ...].
    IF expr !~ '^\\(*_jsonb( -> ''[^'']*''::text)+\\)*$' THEN
      CONTINUE;
    END IF;
    SELECT array_agg(m[1]) INTO keys FROM regexp_matches(expr, '-> ''([^'']*)''::text', 'g') AS m;
    IF array_length(keys, 1) = 1 THEN
      target := format('(_jsonb -> %L)', keys[1]);
    ELSE
      target := format('(_jsonb #> %L::text[])', keys);
    END IF;
    gin_name := left(rel, 40) || '_' || left(md5(rel || '/' || array_to_string(keys, '.')), 10) || '_gin';
    IF NOT EXISTS (
      SELECT 1 FROM pg_class c WHERE c.relname = gin_name
         AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = tbl)
    ) THEN
      EXECUTE format('CREATE INDEX %I ON %s USING gin (%s)', gin_name, tbl::regclass, target);
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END
$fn$;

CREATE OR REPLACE FUNCTION yitang_gin_on_create_index() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands()
              WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    PERFORM yitang_gin_for_index(cmd.objid);
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS yitang_gin_indexes;
CREATE EVENT TRIGGER yitang_gin_indexes ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION yitang_gin_on_create_index();
`;

/** Every btree index on a FerretDB table (a table with a `_jsonb` column) outside the system schemas. */
const FERRETDB_BTREES = `
SELECT i.indexrelid AS idx
  FROM pg_index i
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace s ON s.oid = t.relnamespace
 WHERE s.nspname NOT IN ('pg_catalog', 'information_schema')
   AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = t.oid AND a.attname = '_jsonb' AND NOT a.attisdropped)`;

/**
 * Prepares the FerretDB database `database` on the embedded PostgreSQL (through `client`, a
 * superuser connection to it): custom plans, the trigger, and the GIN indexes that tables made
 * before the trigger lack. Returns how many GIN indexes it created.
 */
export async function prepareFerretdbDatabase(client: pg.Client, database: string): Promise<number> {
  const ident = `"${database.replaceAll('"', '""')}"`;
  await client.query(`ALTER DATABASE ${ident} SET plan_cache_mode = force_custom_plan`);
  await client.query(GIN_TRIGGER_SQL);
  const res = await client.query<{ made: number }>(
    `SELECT coalesce(sum(yitang_gin_for_index(idx)), 0)::integer AS made FROM (${FERRETDB_BTREES}) b`,
  );
  return res.rows[0]?.made ?? 0;
}
