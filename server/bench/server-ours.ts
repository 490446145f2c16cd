/**
 * Our server under test, in a process of its own: `createServer` on the bench database, port 0.
 * Answers `cpu` (process.cpuUsage inside this process), `mem` (heap after a full GC) and `stop`.
 */

import pino from 'pino';
import { createServer } from '../src/app';
import { connectDatabase } from '../src/db/connect';
import { processHandlers, serve } from './lib/rpc';

const uri = process.env.BENCH_MONGODB_URI ?? '';
const dbName = process.env.BENCH_DB ?? '';
const conn = await connectDatabase(uri, dbName);
const app = createServer({
  config: {
    ALLOWED_ORIGINS: [],
    CLIENT_DIST: '/nonexistent',
    COOKIE_SECURE: false,
    DEMO_LOGIN: false,
    CHROMIUM_PATH: '/usr/bin/chromium',
  },
  conn,
  // Warnings and errors to stderr: stdout carries only the figures' JSON lines.
  logger: pino({ level: 'warn', base: { app: 'yitang' } }, pino.destination(2)),
});
const url = await app.listen(0, '127.0.0.1');
await app.warmRooms();

serve(
  {
    ...processHandlers,
    /** How many sockets the server holds (to wait until every client is gone). */
    sockets: () => app.io.of('/').sockets.size,
    stop: async () => {
      await app.close();
      await conn.close();
    },
  },
  { url },
);
