/**
 * `pnpm audit:verify`: checks the audit log's hash chain in the database the server uses
 * (MONGODB_URI and MONGODB_DB, or the embedded FerretDB in YITANG_DATA_DIR while the server is
 * stopped) and prints every place it breaks. Exit code 0: intact; 1: broken; 2: could not check.
 */
import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../db/connect';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../db/embedded';
import { createModels } from '../db/models';
import { verifyLog } from './audit.service';

async function main(): Promise<number> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ dataDir: config.YITANG_DATA_DIR, binary: config.FERRETDB_BIN });
    uri = embedded.uri;
  }
  try {
    const conn = await connectDatabase(uri, config.MONGODB_DB);
    try {
      const { checked, problems } = await verifyLog(createModels(conn));
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
