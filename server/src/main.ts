/**
 * The production entry: reads the configuration, opens the database, listens (serve.ts). It never
 * writes demo data: an empty database gets the one-time setup link. The demo is demo-main.ts, which
 * `npm start` runs while SEED_DEMO is on. Nothing reachable from here imports seed/
 * (import-graph.test.ts checks it).
 */
import { runServer } from './serve';

runServer({
  prepare: async (_models, config, logger) => {
    if (config.SEED_DEMO) {
      logger.warn('SEED_DEMO is on, but src/main.ts never seeds: the demo starts from src/demo-main.ts (npm start)');
    }
  },
});
