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
// BENCH_SLOW_MS=<ms>: every database command slower than that goes to stderr (what to fix).
const slowMs = Number(process.env.BENCH_SLOW_MS ?? 0);
const conn = await connectDatabase(uri, dbName, 5_000, { monitorCommands: slowMs > 0 });
if (slowMs > 0) {
  const started = new Map<number, { at: number; text: string }>();
  const client = conn.getClient();
  client.on('commandStarted', (e) => {
    const { lsid: _l, $db: _d, $clusterTime: _c, documents: _docs, ...rest } = e.command;
    started.set(e.requestId, { at: performance.now(), text: JSON.stringify(rest).slice(0, 300) });
  });
  const done = (e: { requestId: number }) => {
    const s = started.get(e.requestId);
    started.delete(e.requestId);
    const ms = s ? performance.now() - s.at : 0;
    if (s && ms >= slowMs) process.stderr.write(`slow ${ms.toFixed(0)} ms: ${s.text}\n`);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
}
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
const created = performance.now();
const url = await app.listen(0, '127.0.0.1');
const listening = performance.now();
const warmed = await app.warmRooms();
const readyMs = performance.now() - t0;
// Where the restart's time goes: building the app, its start-up work at listen, warming the rooms.
const phases = { create: created - t0, listen: listening - created, warm: performance.now() - listening };

serve(
  {
    ...processHandlers,
    stop: async () => {
      await app.close();
      await conn.close();
    },
  },
  { url, readyMs, warmed, phases },
);
