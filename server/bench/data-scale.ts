/**
 * `pnpm bench data-scale`: the live-room and after-session operations on a database holding the
 * demo's committee and held year only (level 0), then years of history on top of it (gen-data.ts:
 * each level's count of documents in EACH big collection), timed through the real server (its own
 * process, real Socket.IO and HTTP with real sign-in cookies), each beside the same operation at
 * level 0 of the same run.
 *
 * Level 0 is a twin database of its own that keeps only the demo, and each level is measured in
 * rounds that alternate the twin and the loaded database (BENCH_DATA_ROUNDS, default 2). So a
 * machine whose load changes while millions of documents are written and read weighs on both
 * sides of every ratio alike, instead of on the loaded side only.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import * as Y from 'yjs';
import { createAuthService, SESSION_COOKIE } from '../src/auth/auth.service';
import { connectDatabase } from '../src/db/connect';
import { createModels, ensureIndexes, type Models, rawCollection } from '../src/db/models';
import { createMemberService } from '../src/members/member.service';
import { sessionYear } from '../src/rooms/room.model';
import { chinaDate } from '../src/scoring/ledger';
import { demo, seedDemo } from '../src/seed/demo';
import { minutesProvider, synced, yesNoPoll } from '../src/testing';
import { generateHistory, historyPeople, PER_SESSION } from './gen-data';
import { type BenchContext, note } from './lib/context';
import { liveSession } from './lib/fixtures';
import { Child } from './lib/rpc';
import { WireClient } from './lib/wire-client';
import { report } from './report';

interface ServerInfo {
  url: string;
  readyMs: number;
  phases: { create: number; listen: number; warm: number };
  warmed: number;
}

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const now = () => performance.now();

/** One database the bench measures: its models, its name and its people's sign-in cookies. */
interface Side {
  label: string;
  dbName: string;
  models: Models;
  chairCookie: string;
  staffCookie: string;
  joiners: Array<{ id: string; cookie: string }>;
  held: string[];
  /** Who the generated history is about (the loaded database's only). */
  people: Awaited<ReturnType<typeof historyPeople>>;
}

export async function dataScale(ctx: BenchContext, opts: { levels: number[]; restarts: number }): Promise<void> {
  const { models } = ctx;
  // BENCH_DATA_LEVELS=0,2000 (documents in each big collection) while developing.
  const levels = process.env.BENCH_DATA_LEVELS?.split(',').map(Number) ?? opts.levels;
  const rounds = Math.max(1, Number(process.env.BENCH_DATA_ROUNDS ?? 2));
  const at = new Date();
  const heldYear = Number(chinaDate(at).slice(0, 4));

  /** The demo's committee and held year in `m`, and the people the measurements act as. */
  async function prepare(label: string, dbName: string, m: Models): Promise<Side> {
    await seedDemo(m, at);
    const auth = createAuthService(m, createMemberService(m));
    const cookieOf = async (memberId: string) => `${SESSION_COOKIE}=${await auth.startSession(memberId)}`;
    const roomIds = (
      await rawCollection(m.Room)
        .find({}, { projection: { _id: 1 } })
        .toArray()
    ).map((r) => r._id);
    const people = await historyPeople(m, { convenerId: demo.firstConvenerId, staffId: demo.staffId, roomIds });
    // Committee members of the demo, each with history at the larger levels.
    const joinerIds = people.pool.filter((id) => id.startsWith('m-') && id !== demo.firstConvenerId).slice(0, RUNS);
    const held = (
      await rawCollection(m.Session)
        .find({ state: 'closed' }, { projection: { _id: 1 } })
        .toArray()
    )
      .map((x) => x._id)
      .filter((id) => id.startsWith('s-year-'))
      .slice(0, RUNS);
    return {
      label,
      dbName,
      models: m,
      chairCookie: await cookieOf(demo.firstConvenerId),
      staffCookie: await cookieOf(demo.staffId),
      joiners: await Promise.all(joinerIds.map(async (id) => ({ id, cookie: await cookieOf(id) }))),
      held,
      people,
    };
  }

  const loaded = await prepare('loaded', ctx.dbName, models);
  const twinName = `${ctx.dbName}_empty`;
  const twinConn = await connectDatabase(ctx.uri, twinName);
  const twinModels = createModels(twinConn);
  await ensureIndexes(twinModels);
  const twin = await prepare('empty', twinName, twinModels);

  const startServer = (side: Side) =>
    Child.start<ServerInfo>('data-scale-server.ts', {
      env: { BENCH_MONGODB_URI: ctx.uri, BENCH_DB: side.dbName },
      cpuProfDir: ctx.cpuProfDir,
    });

  async function http(url: string, path: string, cookie: string): Promise<number[]> {
    const times: number[] = [];
    // Five runs (still a median of five) when one takes seconds, so a slow figure does not stall the run.
    for (let i = 0; i < RUNS && !(i >= 5 && (times[0] ?? 0) > 5_000); i += 1) {
      const t0 = now();
      const res = await fetch(`${url}${path}`, { headers: { cookie } });
      const body = await res.text();
      times.push(now() - t0);
      if (!res.ok) throw new Error(`data-scale: GET ${path} answered ${res.status}: ${body.slice(0, 200)}`);
    }
    return times;
  }

  /** Every operation's samples (ms) at one level. */
  async function measure(side: Side, run: string): Promise<Map<string, number[]>> {
    const { models, chairCookie, staffCookie, joiners, held } = side;
    const out = new Map<string, number[]>();
    const sessionId = `ds-live-${run}`;
    await liveSession(models, sessionId, demo.firstConvenerId);
    // A plenary: every committee member may enter (the fixture's session invites nobody).
    await rawCollection(models.Session).updateOne(
      { _id: sessionId },
      { $set: { openToAll: true, year: sessionYear(new Date()) } },
    );
    let server = await startServer(side);
    try {
      const url = server.info.url;
      const chair = await WireClient.connect(url, { cookie: chairCookie });
      await chair.must('room:join', { sessionId });
      const clients: WireClient[] = [];
      const join: number[] = [];
      for (const j of joiners) {
        const client = await WireClient.connect(url, { cookie: j.cookie });
        const t0 = now();
        await client.must('room:join', { sessionId });
        join.push(now() - t0);
        clients.push(client);
      }
      out.set('join (ack)', join);
      const vote: number[] = [];
      const close: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        const poll = await chair.must<{ id: string }>('poll:create', { settings: yesNoPoll(`规模测试 ${round}`) });
        await chair.must('poll:open', { pollId: poll.id });
        for (const [i, client] of clients.entries()) {
          const t0 = now();
          await client.must('vote:cast', {
            pollId: poll.id,
            ballotId: randomUUID(),
            content: { kind: 'yesno', choice: i % 3 === 0 ? 'no' : 'yes' },
          });
          vote.push(now() - t0);
        }
        const t0 = now();
        await chair.must('poll:close', { pollId: poll.id });
        close.push(now() - t0);
      }
      out.set('vote (ack)', vote);
      out.set('poll close', close);
      await Promise.all([chair, ...clients].map((c) => c.close()));

      const minutes: number[] = [];
      for (const sid of held) {
        const doc = new Y.Doc();
        const t0 = now();
        const provider = minutesProvider(url, sid, doc, staffCookie);
        await synced(provider);
        minutes.push(now() - t0);
        provider.destroy();
        doc.destroy();
      }
      out.set('minutes document load (socket to synced)', minutes);
      out.set(
        "the year's dashboard",
        await http(url, `/api/reports/dashboard?from=${heldYear}-01-01&to=${heldYear}-12-31`, staffCookie),
      );
      out.set('archive (newest entries, no filter)', await http(url, '/api/minutes/archive', staffCookie));
      const word = encodeURIComponent('垃圾');
      out.set(
        'archive search in the held year',
        await http(url, `/api/minutes/archive?q=${word}&from=${heldYear}-01-01&to=${heldYear}-12-31`, staffCookie),
      );
      out.set('archive search, all years', await http(url, `/api/minutes/archive?q=${word}`, staffCookie));
      out.set('tracking list', await http(url, '/api/tracking', staffCookie));
      out.set("a member's duty page", await http(url, '/api/duty/me', joiners[0]?.cookie ?? ''));

      const ready: number[] = [];
      const firstJoin: number[] = [];
      for (let r = 0; r < opts.restarts; r += 1) {
        await server.call('stop');
        await server.stop();
        server = await startServer(side);
        ready.push(server.info.readyMs);
        const p = server.info.phases;
        note(
          `data-scale: ${side.label} restart ${r + 1}: ready in ${server.info.readyMs.toFixed(0)} ms (build ${p.create.toFixed(0)}, listen ${p.listen.toFixed(0)}, warm ${p.warm.toFixed(0)})`,
        );
        const client = await WireClient.connect(server.info.url, { cookie: joiners[r % joiners.length]?.cookie });
        const t0 = now();
        await client.must('room:join', { sessionId });
        firstJoin.push(now() - t0);
        await client.close();
      }
      out.set('restart to ready (live rooms loaded)', ready);
      out.set('first join after restart (ack)', firstJoin);
    } finally {
      await server.call('stop').catch(() => undefined);
      await server.stop();
      // The next level measures its own live session; this one is over.
      await rawCollection(models.Session).updateOne(
        { _id: sessionId },
        { $set: { state: 'closed', closedAt: new Date() } },
      );
    }
    return out;
  }

  /**
   * After a bulk load, the state years of use leave the embedded PostgreSQL in: vacuumed (GIN
   * indexes' pending entries merged; otherwise every indexed read scans them) and analysed (the
   * planner's statistics). Right after millions of inserts, autovacuum is still busy with exactly
   * that, and the figures measured meanwhile swing by 2× from run to run. Then a checkpoint: the
   * vacuum dirtied every page it read (hint bits, visibility map), gigabytes at 1,000,000 that the
   * checkpointer otherwise writes out during the next minutes, under the level's measurements.
   */
  async function settle(): Promise<void> {
    if (!ctx.postgresUrl) return;
    const sql = new pg.Client({ connectionString: ctx.postgresUrl });
    await sql.connect();
    try {
      let t0 = now();
      await sql.query('VACUUM ANALYZE');
      note(`data-scale: VACUUM ANALYZE after the load took ${((now() - t0) / 1000).toFixed(1)} s`);
      t0 = now();
      await sql.query('CHECKPOINT');
      note(`data-scale: the CHECKPOINT after it took ${((now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      await sql.end();
    }
  }

  /** Adds one measurement's samples to those of earlier rounds. */
  const merge = (into: Map<string, number[]>, from: Map<string, number[]>) => {
    for (const [metric, xs] of from) into.set(metric, [...(into.get(metric) ?? []), ...xs]);
  };

  const total = Math.max(...levels) / PER_SESSION;
  let sessions = 0;
  try {
    for (const level of levels) {
      if (level === 0) continue; // the twin is level 0, measured beside every other level
      const target = Math.round(level / PER_SESSION);
      if (target > sessions) {
        const t0 = now();
        const written = await generateHistory(models, loaded.people, { from: sessions, to: target, total, heldYear });
        const s = (now() - t0) / 1000;
        note(
          `data-scale: generated ${target - sessions} past sessions, ${written} documents in ${s.toFixed(1)} s (${Math.round(written / s)} docs/s); load ${loadavg()}`,
        );
        sessions = target;
        await settle();
      }
      const empty = new Map<string, number[]>();
      const full = new Map<string, number[]>();
      for (let round = 1; round <= rounds; round += 1) {
        note(`data-scale: level ${level}, round ${round}: the empty twin (load ${loadavg()})`);
        merge(empty, await measure(twin, `${level}-${round}-empty`));
        note(`data-scale: level ${level}, round ${round}: the loaded database (load ${loadavg()})`);
        merge(full, await measure(loaded, `${level}-${round}`));
      }
      for (const [metric, xs] of full) {
        const base = empty.get(metric) ?? [];
        note(
          `data-scale level ${level}: ${metric} ${median(xs).toFixed(1)} ms, empty twin ${median(base).toFixed(1)} ms`,
        );
        report({
          scenario: 'data-scale',
          metric: `${metric}, ${level.toLocaleString('en')} documents in each big collection (median of ${xs.length}, rounds alternating with the empty twin)`,
          unit: 'ms',
          ours: median(xs),
          baseline: median(base),
          target: 1.5,
        });
      }
    }
  } finally {
    await twinConn.dropDatabase().catch(() => undefined);
    await twinConn.close();
  }
}

/** The machine's load average (1, 5, 15 minutes), recorded beside the figures. */
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
