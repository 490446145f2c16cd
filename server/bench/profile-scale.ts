/**
 * What one data-scale operation reads, on a database kept between runs (issue 14):
 *
 *   tsx bench/profile-scale.ts build <dir> <level>   demo seed + gen-data.ts history (level
 *                                                    documents in each big collection), vacuumed
 *   tsx bench/profile-scale.ts probe <dir>           our server in this process on it: the
 *                                                    minutes loads' database commands (filter,
 *                                                    time), the plan FerretDB runs for each find
 *                                                    and the pages PostgreSQL touches for it
 *
 * PROBE_ROUNDS=n repeats the minutes loads on a new server n times; PROBE_OP=room probes a join,
 * a vote, a poll's close, a restart and the first join after it instead (PROBE_MEMBERS=a,b: the
 * joiners; demo members have a sector, generated ones do not).
 *
 * Run from server/ (`pnpm --silent --filter @yitang/server exec tsx bench/profile-scale.ts …`).
 * The embedded PostgreSQL is kept in `<dir>`, so a million documents are generated once and the
 * probe can be repeated on them while a read is changed.
 */
import type { CommandStartedEvent, CommandSucceededEvent, Document } from 'mongodb';
import pg from 'pg';
import pino from 'pino';
import * as Y from 'yjs';
import { createServer } from '../src/app';
import { createAuthService, SESSION_COOKIE } from '../src/auth/auth.service';
import { connectDatabase } from '../src/db/connect';
import { startEmbeddedDatabase } from '../src/db/embedded';
import { createModels, ensureIndexes, rawCollection } from '../src/db/models';
import { createMemberService } from '../src/members/member.service';
import { chinaDate } from '../src/scoring/ledger';
import { demo, seedDemo } from '../src/seed/demo';
import { minutesProvider, synced, yesNoPoll } from '../src/testing';
import { generateHistory, historyPeople, PER_SESSION } from './gen-data';
import { liveSession } from './lib/fixtures';
import { WireClient } from './lib/wire-client';

const [mode, dir, levelArg] = process.argv.slice(2);
if ((mode !== 'build' && mode !== 'probe') || !dir) {
  console.error('usage: profile-scale.ts build <dir> <level> | probe <dir>');
  process.exit(2);
}
const DB = 'scale';
const db = await startEmbeddedDatabase({ dataDir: dir, backend: 'postgresql' });
const conn = await connectDatabase(db.uri, DB, 5_000, { monitorCommands: mode === 'probe' });
const models = createModels(conn);
try {
  if (mode === 'build') await build(Number(levelArg ?? 1_000_000));
  else await probe();
} finally {
  await conn.close();
  await db.stop();
}

async function build(level: number): Promise<void> {
  await ensureIndexes(models);
  const at = new Date();
  await seedDemo(models, at);
  const roomIds = (
    await rawCollection(models.Room)
      .find({}, { projection: { _id: 1 } })
      .toArray()
  ).map((r) => r._id);
  const people = await historyPeople(models, { convenerId: demo.firstConvenerId, staffId: demo.staffId, roomIds });
  const total = Math.round(level / PER_SESSION);
  const t0 = performance.now();
  const written = await generateHistory(models, people, {
    from: 0,
    to: total,
    total,
    heldYear: Number(chinaDate(at).slice(0, 4)),
  });
  console.log(`generated ${written} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const sql = new pg.Client({ connectionString: db.postgresUrl });
  await sql.connect();
  try {
    await sql.query('VACUUM ANALYZE');
  } finally {
    await sql.end();
  }
}

interface Seen {
  name: string;
  collection: string;
  filter: Document;
  sort?: Document;
  ms: number;
}

async function probe(): Promise<void> {
  const client = conn.getClient();
  const started = new Map<number, { at: number; e: CommandStartedEvent }>();
  let seen: Seen[] = [];
  client.on('commandStarted', (e: CommandStartedEvent) => started.set(e.requestId, { at: performance.now(), e }));
  client.on('commandSucceeded', (e: CommandSucceededEvent) => {
    const s = started.get(e.requestId);
    started.delete(e.requestId);
    if (!s) return;
    const c = s.e.command;
    const name = s.e.commandName;
    const collection = String(c[name] ?? '');
    const filter = (c.filter ??
      c.q ??
      c.updates?.[0]?.q ??
      c.deletes?.[0]?.q ??
      c.pipeline?.[0]?.$match ??
      {}) as Document;
    seen.push({ name, collection, filter, sort: c.sort as Document | undefined, ms: performance.now() - s.at });
  });
  const startApp = () =>
    createServer({
      config: {
        ALLOWED_ORIGINS: [],
        CLIENT_DIST: '/nonexistent',
        COOKIE_SECURE: false,
        DEMO_LOGIN: false,
        CHROMIUM_PATH: '/usr/bin/chromium',
      },
      conn,
      logger: pino({ level: 'error' }, pino.destination(2)),
    });
  let app = startApp();
  let url = await app.listen(0, '127.0.0.1');
  await app.warmRooms();
  try {
    const auth = createAuthService(models, createMemberService(models));
    const cookie = `${SESSION_COOKIE}=${await auth.startSession(demo.staffId)}`;
    if (process.env.PROBE_OP === 'room') {
      await probeRoom(
        auth,
        (x) => (seen = x),
        () => seen,
        async () => {
          await app.close();
          app = startApp();
          url = await app.listen(0, '127.0.0.1');
          await app.warmRooms();
          return url;
        },
        url,
      );
      return;
    }
    const held = (
      await rawCollection(models.Session)
        .find({ state: 'closed' }, { projection: { _id: 1 } })
        .toArray()
    )
      .map((s) => s._id)
      .filter((id) => id.startsWith('s-year-'))
      .slice(0, 5);
    // PROBE_ROUNDS=n: the loads again on a new server (nothing resident) n times; medians at the end.
    const rounds = Number(process.env.PROBE_ROUNDS ?? 1);
    const byRound: number[][] = [];
    for (let round = 0; round < rounds; round += 1) {
      if (round > 0) {
        await app.close();
        app = startApp();
        url = await app.listen(0, '127.0.0.1');
        await app.warmRooms();
      }
      const times: number[] = [];
      byRound.push(times);
      for (const sid of held) {
        seen = [];
        const doc = new Y.Doc();
        const t0 = performance.now();
        const provider = minutesProvider(url, sid, doc, cookie);
        await synced(provider);
        const ms = performance.now() - t0;
        provider.destroy();
        doc.destroy();
        times.push(ms);
        console.log(`minutes load ${sid}: ${ms.toFixed(1)} ms`);
        for (const s of seen) {
          console.log(
            `  ${s.ms.toFixed(1).padStart(7)} ms ${s.name} ${s.collection} ${JSON.stringify(s.filter)}${s.sort ? ` sort ${JSON.stringify(s.sort)}` : ''}`,
          );
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    console.log(`medians by round: ${byRound.map((xs) => median(xs).toFixed(1)).join(', ')} ms`);
    // The plan of each distinct find of the last load, as FerretDB runs it.
    for (const s of seen.filter((x) => x.name === 'find')) await showPlan(s);
    // The same reads as SQL on PostgreSQL with their buffers: pages touched do not depend on the load.
    const sql = new pg.Client({ connectionString: db.postgresUrl });
    await sql.connect();
    try {
      for (const s of seen.filter((x) => x.name === 'find')) {
        const t = await sql.query<{ table: string }>(
          `SELECT _jsonb->>'table' AS table FROM "${DB}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = $1`,
          [s.collection],
        );
        const keys = Object.entries(s.filter);
        const where = keys.map((_, i) => `_jsonb->$${2 * i + 1} @> $${2 * i + 2}::jsonb`).join(' AND ');
        const params = keys.flatMap(([k, v]) => [k, JSON.stringify(v)]);
        const res = await sql.query<{ 'QUERY PLAN': Array<{ Plan: Document; 'Execution Time': number }> }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT _jsonb FROM "${DB}"."${t.rows[0]?.table}" WHERE ${where}`,
          params,
        );
        const top = res.rows[0]?.['QUERY PLAN'][0];
        const p = top?.Plan ?? {};
        console.log(
          `sql ${s.collection} ${JSON.stringify(s.filter)}: ${p['Actual Rows']} rows, ${top?.['Execution Time']} ms, shared hit ${p['Shared Hit Blocks']} read ${p['Shared Read Blocks']}`,
        );
      }
    } finally {
      await sql.end();
    }
  } finally {
    await app.close();
  }
}

/**
 * PROBE_OP=room: a member's join to a live plenary, a vote and a poll's close, then a restart
 * (the live room loaded by `warmRooms`) and the first join after it: each step's commands.
 */
async function probeRoom(
  auth: ReturnType<typeof createAuthService>,
  reset: (x: Seen[]) => void,
  current: () => Seen[],
  restart: () => Promise<string>,
  firstUrl: string,
): Promise<void> {
  const sessionId = `probe-live-${Date.now()}`;
  await liveSession(models, sessionId, demo.firstConvenerId);
  const cookieOf = async (id: string) => `${SESSION_COOKIE}=${await auth.startSession(id)}`;
  const chair = await WireClient.connect(firstUrl, { cookie: await cookieOf(demo.firstConvenerId) });
  await chair.must('room:join', { sessionId });
  const memberIds = (process.env.PROBE_MEMBERS ?? 'g-m-0001,g-m-0002').split(',');
  const cookies = await Promise.all(memberIds.map(cookieOf));
  const show = (what: string, ms: number) => {
    console.log(`${what}: ${ms.toFixed(1)} ms`);
    for (const x of current())
      console.log(
        `  ${x.ms.toFixed(1).padStart(7)} ms ${x.name} ${x.collection} ${JSON.stringify(x.filter)}${x.sort ? ` sort ${JSON.stringify(x.sort)}` : ''}`,
      );
  };
  const step = async (what: string, fn: () => Promise<unknown>) => {
    reset([]);
    const t0 = performance.now();
    await fn();
    show(what, performance.now() - t0);
  };
  let member: WireClient | null = null;
  await step('join (handshake and room:join)', async () => {
    member = await WireClient.connect(firstUrl, { cookie: cookies[0] });
    await member.must('room:join', { sessionId });
  });
  const poll = await chair.must<{ id: string }>('poll:create', { settings: yesNoPoll('探查') });
  await chair.must('poll:open', { pollId: poll.id });
  await step('vote', () =>
    (member as unknown as WireClient).must('vote:cast', {
      pollId: poll.id,
      ballotId: crypto.randomUUID(),
      content: { kind: 'yesno', choice: 'yes' },
    }),
  );
  await step('poll close', () => chair.must('poll:close', { pollId: poll.id }));
  await Promise.all([chair.close(), (member as unknown as WireClient).close()]);
  let url = firstUrl;
  await step('restart (createServer, listen, warmRooms)', async () => {
    url = await restart();
  });
  const warmed = current().filter((x) => x.name === 'find');
  await step('first join after restart', async () => {
    const again = await WireClient.connect(url, { cookie: cookies[1] });
    await again.must('room:join', { sessionId });
    await again.close();
  });
  for (const x of [...warmed, ...current().filter((y) => y.name === 'find')]) await showPlan(x);
  await rawCollection(models.Session).updateOne(
    { _id: sessionId },
    { $set: { state: 'closed', closedAt: new Date() } },
  );
}

/** The plan FerretDB runs for one find seen (with its sort). */
async function showPlan(s: Seen): Promise<void> {
  const res = await conn.db?.command({
    explain: { find: s.collection, filter: s.filter, ...(s.sort ? { sort: s.sort } : {}) },
  });
  const plan = JSON.stringify(res?.queryPlanner);
  const nodes = [...plan.matchAll(/"(?:Node Type|Index Name)":"([^"]*)"/g)].map((m) => m[1]).join(' > ');
  console.log(
    `plan ${s.collection} ${JSON.stringify(s.filter)}: pushdown ${res?.filterPushdown}, sort pushdown ${res?.sortPushdown}; ${nodes}`,
  );
}
