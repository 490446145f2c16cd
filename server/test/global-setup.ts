import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import 'vitest';
import type { TestProject } from 'vitest/node';
import { type EmbeddedDatabase, startEmbeddedDatabase } from '../src/db/embedded';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One database server for the whole integration run: MONGODB_URI when given (a real MongoDB),
 * otherwise the embedded FerretDB in a temporary folder, on the backend YITANG_EMBEDDED_DB names
 * (postgresql or sqlite; unset: the default, as `npm start`). Each test file uses its own database.
 * The throwaway PostgreSQL skips fsync: nothing here must outlive a power cut.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return async () => undefined;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'yitang-it-'));
  const db: EmbeddedDatabase = await startEmbeddedDatabase({
    dataDir,
    postgresSettings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
  });
  project.provide('mongoUri', db.uri);
  return async () => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
