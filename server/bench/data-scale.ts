/**
 * `pnpm bench data-scale`: the live-room and after-session operations on a database holding the
 * demo's committee and held year only (level 0), then years of history on top of it (gen-data.ts:
 * each level's count of documents in EACH big collection), timed through the real server (its own
 * process, real Socket.IO and HTTP with real sign-in cookies), each beside the same operation at
 * level 0 of the same run.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import * as Y from 'yjs';
import { createAuthService, SESSION_COOKIE } from '../src/auth/auth.service';
import { rawCollection } from '../src/db/models';
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
  warmed: number;
}

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const now = () => performance.now();

export async function dataScale(ctx: BenchContext, opts: { levels: number[]; restarts: number }): Promise<void> {
  const { models } = ctx;
  // BENCH_DATA_LEVELS=0,2000 (documents in each big collection) while developing.
  const levels = process.env.BENCH_DATA_LEVELS?.split(',').map(Number) ?? opts.levels;
  const at = new Date();
  await seedDemo(models, at);
  const heldYear = Number(chinaDate(at).slice(0, 4));
  const roomIds = (
    await rawCollection(models.Room)
      .find({}, { projection: { _id: 1 } })
      .toArray()
  ).map((r) => r._id);
  const people = await historyPeople(models, { convenerId: demo.firstConvenerId, staffId: demo.staffId, roomIds });
  const auth = createAuthService(models, createMemberService(models));
  const cookieOf = async (memberId: string) => `${SESSION_COOKIE}=${await auth.startSession(memberId)}`;
  const chairCookie = await cookieOf(demo.firstConvenerId);
  const staffCookie = await cookieOf(demo.staffId);
  // Committee members of the demo, each with history at the larger levels.
  const joinerIds = people.pool.filter((id) => id.startsWith('m-') && id !== demo.firstConvenerId).slice(0, RUNS);
  const joiners = await Promise.all(joinerIds.map(async (id) => ({ id, cookie: await cookieOf(id) })));
  const held = (
    await rawCollection(models.Session)
      .find({ state: 'closed' }, { projection: { _id: 1 } })
      .toArray()
  )
    .map((s) => s._id)
    .filter((id) => id.startsWith('s-year-'))
    .slice(0, RUNS);

  const startServer = () =>
    Child.start<ServerInfo>('data-scale-server.ts', {
      env: { BENCH_MONGODB_URI: ctx.uri, BENCH_DB: ctx.dbName },
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
  async function measure(level: number): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    const sessionId = `ds-live-${level}`;
    await liveSession(models, sessionId, demo.firstConvenerId);
    // A plenary: every committee member may enter (the fixture's session invites nobody).
    await rawCollection(models.Session).updateOne(
      { _id: sessionId },
      { $set: { openToAll: true, year: sessionYear(new Date()) } },
    );
    let server = await startServer();
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
        server = await startServer();
        ready.push(server.info.readyMs);
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

  const total = Math.max(...levels) / PER_SESSION;
  let sessions = 0;
  let baseline: Map<string, number[]> | null = null;
  for (const level of levels) {
    const target = Math.round(level / PER_SESSION);
    if (target > sessions) {
      const t0 = now();
      const written = await generateHistory(models, people, { from: sessions, to: target, total, heldYear });
      const s = (now() - t0) / 1000;
      note(
        `data-scale: generated ${target - sessions} past sessions, ${written} documents in ${s.toFixed(1)} s (${Math.round(written / s)} docs/s); load ${loadavg()}`,
      );
      sessions = target;
      await settle();
    }
    note(`data-scale: measuring level ${level} (load ${loadavg()})`);
    const samples = await measure(level);
    if (!baseline) {
      baseline = samples;
      for (const [metric, xs] of samples) note(`data-scale level 0: ${metric} ${median(xs).toFixed(1)} ms`);
      continue;
    }
    for (const [metric, xs] of samples) {
      report({
        scenario: 'data-scale',
        metric: `${metric}, ${level.toLocaleString('en')} documents in each big collection (median of ${xs.length})`,
        unit: 'ms',
        ours: median(xs),
        baseline: median(baseline.get(metric) ?? []),
        target: 1.5,
      });
    }
  }
}

/** The machine's load average (1, 5, 15 minutes), recorded beside the figures. */
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
