/**
 * The demo entry (`npm start` while SEED_DEMO is on, as it is by default): the same server as
 * main.ts, with the demo committee, members and live session seeded first (once; safe to repeat).
 * Production starts main.ts, which imports nothing from seed/.
 */
import { seedDemo } from './seed/demo';
import { runServer } from './serve';

runServer({
  prepare: async (models, config) => {
    if (config.SEED_DEMO) await seedDemo(models);
  },
});
