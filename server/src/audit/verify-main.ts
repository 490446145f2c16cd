/**
 * `pnpm audit:verify [--head <seq>:<hash>]`: checks the audit log's hash chain in the database the
 * server uses (MONGODB_URI and MONGODB_DB, or the embedded FerretDB in YITANG_DATA_DIR while the
 * server is stopped) and prints every place it breaks. It runs on the server host: the chain's
 * key comes from BALLOT_SECRET or the key file in YITANG_DATA_DIR, as the server's does. With
 * `--head`, a head the server logged ('audit head'), it also finds a log whose end was cut.
 * Exit code 0: intact; 1: broken; 2: could not check.
 */
import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../db/embedded';
import { createModels } from '../db/models';
import { serverSubkey } from '../lib/server-key';
import { loadBallotSecret } from '../polls/ballot-seal';
import { type AuditHead, verifyLog } from './audit.service';

/** `--head 12:ab…` or `--head=12:ab…`; undefined when absent. */
function headArgument(argv: string[]): AuditHead | undefined {
  const at = argv.findIndex((a) => a === '--head' || a.startsWith('--head='));
  if (at < 0) return undefined;
  const arg = argv[at] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[at + 1] ?? '');
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value);
  if (!match) throw new Error(`--head: expected <seq>:<64 hex digits>, as in the server's 'audit head' line`);
  return { seq: Number(match[1]), hash: match[2] ?? '' };
}

async function main(): Promise<number> {
  const config = loadConfig();
  const head = headArgument(process.argv.slice(2));
  const secret = await loadBallotSecret({ secret: config.BALLOT_SECRET, dataDir: config.YITANG_DATA_DIR });
  const key = serverSubkey(secret, 'audit chain');
  let embedded: EmbeddedDatabase | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ dataDir: config.YITANG_DATA_DIR, binary: config.FERRETDB_BIN });
    uri = embedded.uri;
  }
  try {
    const conn = await connectDatabase(uri, config.MONGODB_DB);
    try {
      const { checked, problems } = await verifyLog(createModels(conn), key, head);
      for (const p of problems) console.log(`BROKEN at seq ${p.seq} (${p.problem}): ${p.message}`);
      if (problems.length === 0) {
        console.log(`audit log intact: ${checked} entries, chain verified from seq 1`);
        return 0;
      }
      console.log(`audit log BROKEN: ${problems.length} problem(s) in ${checked} entries`);
      return 1;
    } finally {
      await conn.close();
    }
  } finally {
    await embedded?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exitCode = 2;
  },
);
