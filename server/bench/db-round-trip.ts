/**
 * `pnpm --filter @yitang/server exec tsx bench/db-round-trip.ts [rounds]`: what one database
 * command costs the server's own CPU, beside one round trip of the same size to a plain Node TCP
 * echo process. Not a scenario with a target: it explains the tally fan-out's per-vote cost
 * (docs/performance.md). Uses the embedded FerretDB, or MONGODB_URI.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDatabase } from '../src/db/embedded';

const rounds = Number(process.argv[2] ?? 2000);

async function measure(label: string, one: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i += 1) await one(-1 - i);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i += 1) await one(i);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / rounds;
  console.log(
    `${label.padEnd(34)} CPU ${((cpu.user + cpu.system) / rounds).toFixed(0).padStart(5)} µs ` +
      `(system ${(cpu.system / rounds).toFixed(0).padStart(4)} µs), wall ${(wall * 1000).toFixed(0).padStart(5)} µs`,
  );
}

// A Node echo process: what a round trip over loopback costs when the other side is cheap.
const echo = spawn(
  process.execPath,
  [
    '-e',
    "const s=require('node:net').createServer(c=>c.on('data',d=>c.write(d)));s.listen(0,'127.0.0.1',()=>process.send(s.address().port))",
  ],
  { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
);
const echoPort = await new Promise<number>((resolve) => echo.once('message', (p) => resolve(Number(p))));
const sock = createConnection(echoPort, '127.0.0.1');
sock.setNoDelay(true);
await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
const message = Buffer.alloc(200, 0x61);
await measure('TCP echo round trip, 200 bytes', async () => {
  const answered = new Promise<void>((resolve) => sock.once('data', () => resolve()));
  sock.write(message);
  await answered;
});
sock.destroy();
echo.kill();

const dataDir = mkdtempSync(path.join(tmpdir(), 'yitang-rt-'));
const embedded = process.env.MONGODB_URI ? null : await startEmbeddedDatabase({ dataDir });
const client = await MongoClient.connect(process.env.MONGODB_URI ?? embedded?.uri ?? '');
try {
  const db = client.db(`rt_${Date.now()}`);
  const ballots = db.collection<{ _id: string; [field: string]: unknown }>('ballots');
  await measure('database ping', () => db.command({ ping: 1 }));
  await measure('insertOne (a ballot)', (i) =>
    ballots.insertOne({
      _id: `p-1:m-${i}`,
      pollId: 'p-1',
      voterId: `m-${i}`,
      ballotId: `b-${i}`,
      content: { choice: 'yes' },
      castAt: new Date(),
    }),
  );
  await db.dropDatabase();
} finally {
  await client.close();
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
