/**
 * Our server for `data-scale`, in a process of its own: `createServer` on the bench database as
 * server-ours.ts, and the time it took from `createServer` to ready (listening, live rooms loaded
 * by `warmRooms`): the room's load after a restart.
 */

import pino from 'pino';
import { createServer } from '../src/app';
import { connectDatabase } from '../src/db/connect';
import { processHandlers, serve } from './lib/rpc';

const uri = process.env.BENCH_MONGODB_URI ?? '';
const dbName = process.env.BENCH_DB ?? '';
const conn = await connectDatabase(uri, dbName);
const t0 = performance.now();
const app = createServer({
  config: {
    ALLOWED_ORIGINS: [],
    CLIENT_DIST: '/nonexistent',
    COOKIE_SECURE: false,
    DEMO_LOGIN: false,
    CHROMIUM_PATH: '/usr/bin/chromium',
  },
  conn,
  logger: pino({ level: 'error', base: { app: 'yitang' } }, pino.destination(2)),
});
const url = await app.listen(0, '127.0.0.1');
const warmed = await app.warmRooms();
const readyMs = performance.now() - t0;

serve(
  {
    ...processHandlers,
    stop: async () => {
      await app.close();
      await conn.close();
    },
  },
  { url, readyMs, warmed },
);
