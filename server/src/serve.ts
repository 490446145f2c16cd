import { hostname } from 'node:os';
import { createServer } from './app';
import type { Cluster } from './cluster/cluster';
import { ClusterError } from './cluster/errors';
import { type Config, ConfigError, loadConfig } from './config';
import { connectDatabase, DatabaseUnreachableError } from './db/connect';
import { type EmbeddedDatabase, EmbeddedDatabaseError, startEmbeddedDatabase } from './db/embedded';
import { createModels, ensureIndexes, type Models } from './db/models';
import { createLogger, type Logger } from './logger';
import {
  createMedia,
  type EmbeddedMedia,
  EmbeddedMediaError,
  MEDIA_WEBHOOK_PATH,
  type Media,
  startEmbeddedMedia,
} from './media';
import { loadBallotSecret } from './polls/ballot-seal';
import { backfillDutyYears } from './scoring/duty-years';
import { backfillSessionYears } from './sessions/session-years';

/** How long a SIGTERM may take before the process exits regardless (systemd waits 90 s). */
const STOP_DEADLINE_MS = 10_000;

export interface ServeOptions {
  /**
   * Runs once the database is open and its indexes are built, before the server listens and
   * before it looks for an empty database. The demo entry (demo-main.ts) seeds the demo here;
   * the production entry (main.ts) writes nothing.
   */
  prepare?: (models: Models, config: Config, logger: Logger) => Promise<void>;
}

/** Reads the configuration, opens the database, listens. Everything else lives in app.ts. */
async function serve(opts: ServeOptions): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // A stray rejected promise is a bug to log, not a reason to drop every live room.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  let embedded: EmbeddedDatabase | null = null;
  let cluster: Cluster | null = null;
  let embeddedMedia: EmbeddedMedia | null = null;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ dataDir: config.YITANG_DATA_DIR, binary: config.FERRETDB_BIN });
    uri = embedded.uri;
    logger.info({ dataDir: config.YITANG_DATA_DIR }, 'embedded FerretDB started');
  }
  try {
    const conn = await connectDatabase(uri, config.MONGODB_DB);
    await ensureIndexes(createModels(conn));
    await backfillSessionYears(conn, createModels(conn));
    await backfillDutyYears(conn, createModels(conn));
    await opts.prepare?.(createModels(conn), config, logger);
    if (config.REDIS_URL) {
      const nodeId = config.NODE_ID ?? `${hostname()}-${process.pid}`;
      // Loaded only here: a single node needs no Redis client.
      const { createCluster } = await import('./cluster/cluster');
      cluster = await createCluster({ redisUrl: config.REDIS_URL, nodeId, logger });
      logger.info({ nodeId }, 'joined the cluster through Redis');
    }
    const ballotSecret = await loadBallotSecret({ secret: config.BALLOT_SECRET, dataDir: config.YITANG_DATA_DIR });
    // Voice and video: a LiveKit deployment of the user's own, else one started here like the database.
    let media: Media | undefined;
    if (config.MEDIA === 'on') {
      const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = config;
      if (url && apiKey && apiSecret) {
        media = createMedia({ server: { url, apiKey, apiSecret }, logger });
      } else if (cluster) {
        // Each node's own media server would split a session's participants between them.
        logger.warn('voice and video are off: several nodes need one shared LiveKit (set LIVEKIT_URL)');
      } else {
        embeddedMedia = await startEmbeddedMedia({
          binary: config.LIVEKIT_BIN,
          ...(apiKey && apiSecret ? { key: { apiKey, apiSecret } } : {}),
        });
        media = createMedia({ server: embeddedMedia, logger });
        logger.info({ url: embeddedMedia.url }, 'embedded media server (LiveKit) started');
      }
    }
    const app = createServer({
      config,
      conn,
      logger,
      ballotSecret,
      ...(cluster ? { cluster } : {}),
      ...(media ? { media } : {}),
    });
    const url = await app.listen(config.PORT, config.HOST);
    // The embedded media server's webhooks (someone joined: give them the rights of the moment).
    embeddedMedia?.sendWebhooksTo(`${url}${MEDIA_WEBHOOK_PATH}`);
    await cluster?.announce(url);
    const live = await app.warmRooms();
    if (live > 0) logger.info({ live }, 'live rooms rebuilt from the database');
    // An empty database (no demo data, no account yet): the first administrator comes from this
    // link, printed here only; it is held in memory, so a restart prints a new one.
    const setupToken = await app.accounts.openSetup();
    if (setupToken) {
      console.log(`First start: open ${url}/setup/${setupToken} to create the administrator (works once).`);
    }
    console.log(`Yitang is running at ${url}/`);

    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      // A stop that cannot finish (a database that no longer answers) still ends the process,
      // well before a service manager gives up and kills it without the database's stop.
      setTimeout(() => {
        logger.error({ afterMs: STOP_DEADLINE_MS }, 'stop did not finish in time; exiting anyway');
        void Promise.all([embedded?.stop(), embeddedMedia?.stop()]).finally(() => process.exit(1));
      }, STOP_DEADLINE_MS).unref();
      try {
        await app.close();
        await cluster?.close();
        await conn.close();
      } catch (err) {
        logger.error({ err }, 'stop failed');
        process.exitCode = 1;
      }
      await embeddedMedia?.stop();
      await embedded?.stop();
      process.exit();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  } catch (err) {
    await cluster?.close();
    await embeddedMedia?.stop();
    await embedded?.stop();
    throw err;
  }
}

/**
 * Starts the server as the process's one job; a start that fails ends the process with exit code 1
 * and one line saying why (the whole error for an unexpected one).
 */
export function runServer(opts: ServeOptions = {}): void {
  serve(opts).catch((err: unknown) => {
    if (
      err instanceof ConfigError ||
      err instanceof DatabaseUnreachableError ||
      err instanceof EmbeddedDatabaseError ||
      err instanceof EmbeddedMediaError ||
      err instanceof ClusterError
    ) {
      console.error(`yitang: ${err.message}`);
    } else {
      console.error('yitang: failed to start:', err);
    }
    process.exit(1);
  });
}
