/**
 * Two (or more) nodes of this process on one real Redis and the run's database, seeded with the
 * demo committee: for tests of what crosses nodes (cut-off, membership changes). Each node is a
 * whole server with its own Redis connections and its address announced, as in production.
 */
import type { Connection } from 'mongoose';
import { createServer, type YitangApp } from '../app';
import { type Cluster, createCluster } from '../cluster/cluster';
import { connectDatabase } from '../db/connect';
import { createModels, ensureIndexes } from '../db/models';
import { createLogger } from '../logger';
import { seedDemo } from '../seed/demo';
import { type RedisServer, startRedisServer } from './redis';

export interface InProcessNode {
  app: YitangApp;
  cluster: Cluster;
  url: string;
}

export interface InProcessNodes<Ids extends readonly string[] = string[]> {
  conn: Connection;
  redis: RedisServer;
  /** One node per id, in the order of the ids. */
  nodes: { [K in keyof Ids]: InProcessNode };
  /** Closes every node, drops the database and stops Redis. */
  close(): Promise<void>;
}

export async function startInProcessNodes<const Ids extends readonly string[]>(opts: {
  mongoUri: string;
  dbName: string;
  nodeIds: Ids;
  redisPrefix?: string;
  /**
   * Each node on a database connection of its own, as separate processes are: what one node
   * writes through mongoose is then not counted on the others' connections (db/write-epochs.ts).
   */
  connectionPerNode?: boolean;
}): Promise<InProcessNodes<Ids>> {
  const logger = createLogger('silent');
  const redis = await startRedisServer(opts.redisPrefix);
  const conn = await connectDatabase(opts.mongoUri, opts.dbName);
  const nodes: InProcessNode[] = [];
  const close = async () => {
    for (const n of nodes) {
      await n.app.close();
      await n.cluster.close();
    }
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
    await redis.stop();
  };
  try {
    const models = createModels(conn);
    await ensureIndexes(models);
    await seedDemo(models);
    for (const nodeId of opts.nodeIds) {
      const cluster = await createCluster({ redisUrl: redis.url, nodeId, logger });
      const app = createServer({
        config: {
          ALLOWED_ORIGINS: [],
          CLIENT_DIST: '/nonexistent',
          COOKIE_SECURE: false,
          DEMO_LOGIN: true,
          CHROMIUM_PATH: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          SNAPSHOT_PRESENCE_MAX: undefined,
        },
        conn: opts.connectionPerNode ? conn.useDb(opts.dbName, { useCache: false }) : conn,
        logger,
        cluster,
      });
      const url = await app.listen(0, '127.0.0.1');
      nodes.push({ app, cluster, url });
      await cluster.announce(url);
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { conn, redis, nodes: nodes as { [K in keyof Ids]: InProcessNode }, close };
}
