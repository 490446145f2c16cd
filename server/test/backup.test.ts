/**
 * `pnpm backup` while the server runs, `pnpm restore` into a fresh data directory (issue 14 part
 * 5): a server started on the restored directory answers the same API calls with the same data,
 * opens the sealed ballots of a secret poll (ballot.key came along) and serves the minutes as
 * they were edited. Runs on the embedded PostgreSQL whatever backend the rest of the suite uses.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MembersResponse } from '@yitang/shared';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  type ClientSocket,
  choice,
  connectSocket,
  demo,
  minutesProvider,
  must,
  openPoll,
  signIn,
  synced,
  whenDoc,
  yesNoPoll,
} from '../src/testing';
import { type ServerProcess, startServerProcess } from '../src/testing/process';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'yitang-backup-')));
// Run as root, the embedded PostgreSQL runs as the user postgres, which must reach the data
// directories inside this one.
chmodSync(root, 0o755);
const procs: ServerProcess[] = [];
const sockets: ClientSocket[] = [];
const closers: (() => void)[] = [];

afterAll(async () => {
  for (const c of closers.splice(0)) c();
  for (const s of sockets.splice(0)) s.close();
  for (const p of procs) {
    if (p.alive()) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  rmSync(root, { recursive: true, force: true });
});

function start(dataDir: string): Promise<ServerProcess> {
  return startServerProcess({
    MONGODB_URI: undefined,
    MONGODB_DB: 'yitang',
    YITANG_DATA_DIR: dataDir,
    YITANG_EMBEDDED_DB: 'postgresql',
    BALLOT_SECRET: undefined,
    SEED_DEMO: '1',
  }).then((p) => {
    procs.push(p);
    return p;
  });
}

async function stop(p: ServerProcess): Promise<void> {
  p.child.kill('SIGTERM');
  expect((await p.exited).code).toBe(0);
}

/** Runs `pnpm backup`/`pnpm restore`'s script the way pnpm does (tsx, in server/); resolves with its output. */
function script(
  name: 'backup' | 'restore',
  args: string[],
  dataDir: string,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', `../scripts/${name}.ts`, ...args], {
    cwd: serverDir,
    env: { ...process.env, YITANG_DATA_DIR: dataDir, INIT_CWD: root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

const year = new Date().getFullYear();

/** The API answers compared before and after. */
async function answers(url: string, cookie: string): Promise<Record<string, unknown>> {
  const paths = [
    '/api/auth/demo-identities',
    `/api/sessions/${demo.sessionId}/detail`,
    `/api/sessions/${demo.sessionId}/minutes`,
    '/api/sessions',
    '/api/topics',
    '/api/tracking',
    '/api/notifications',
    '/api/duty/me',
    '/api/reports/rooms',
    `/api/reports/dashboard?from=${year}-01-01&to=${year}-12-31`,
  ];
  const out: Record<string, unknown> = {};
  for (const p of paths) {
    const res = await fetch(`${url}${p}`, { headers: { cookie } });
    out[p] = { status: res.status, body: await res.json() };
  }
  return out;
}

describe('backup and restore of the embedded database', () => {
  it('restores, into an empty data directory, a backup taken while the server ran: same answers, same ballots, same minutes', async () => {
    const first = path.join(root, 'first');
    const server = await start(first);
    const cookie = await signIn(server.url, demo.firstConvenerId);
    const convener = await connectSocket(server.url, cookie);
    sockets.push(convener);
    await must(convener, 'room:join', { sessionId: demo.sessionId });
    await must(convener, 'session:start', {});

    // A sealed ballot: only ballot.key opens it.
    const { members } = MembersResponse.parse(await (await fetch(`${server.url}/api/auth/demo-identities`)).json());
    const voterId = members.find((m) => m.kind === 'member' && m.id !== demo.firstConvenerId)?.id;
    if (!voterId) throw new Error('no voter in the demo');
    const voter = await connectSocket(server.url, await signIn(server.url, voterId));
    sockets.push(voter);
    await must(voter, 'room:join', { sessionId: demo.sessionId });
    const poll = await openPoll(convener, yesNoPoll('无记名:备份之前', { secret: true }));
    await must(voter, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice('no') });

    // A minutes edit, seen by a second editor (so the server has it), kept as a version.
    const edited = new Y.Doc();
    const provider = minutesProvider(server.url, demo.sessionId, edited, cookie);
    closers.push(() => provider.destroy());
    await synced(provider);
    edited.getText('t').insert(0, '备份之前写下的纪要。');
    const seen = new Y.Doc();
    const watcher = minutesProvider(server.url, demo.sessionId, seen, await signIn(server.url, voterId));
    closers.push(() => watcher.destroy());
    await whenDoc(seen, () => seen.getText('t').toString().includes('备份之前写下的纪要。'));
    const version = await fetch(`${server.url}/api/sessions/${demo.sessionId}/minutes/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ label: '备份前' }),
    });
    expect(version.status).toBe(201);
    const before = await answers(server.url, cookie);
    // Real answers, not refusals: the comparison below compares data.
    expect(Object.values(before).map((a) => (a as { status: number }).status)).toEqual(
      Object.values(before).map(() => 200),
    );

    // Backed up while the server runs; refused into a directory that holds anything.
    const file = path.join(root, 'yitang.backup.gz');
    const backedUp = await script('backup', ['yitang.backup.gz'], first);
    expect(backedUp.out).toMatch(/Backed up .* to .*yitang\.backup\.gz: \d+ documents in \d+ tables/);
    expect(backedUp.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // The key beside it, not in it: the database backup alone opens no sealed ballot.
    expect(readFileSync(`${file}.ballot.key`)).toEqual(readFileSync(path.join(first, 'ballot.key')));
    expect(statSync(`${file}.ballot.key`).mode & 0o777).toBe(0o600);
    const busy = path.join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'something'), 'x');
    const refused = await script('restore', [file], busy);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('is not empty');

    for (const c of closers.splice(0)) c();
    for (const s of sockets.splice(0)) s.close();
    await stop(server);

    const second = path.join(root, 'second');
    const restored = await script('restore', [file], second);
    expect(restored.out).toMatch(/Restored .* into .*second: \d+ documents in \d+ tables/);
    expect(restored.code).toBe(0);
    expect(readFileSync(path.join(second, 'ballot.key'))).toEqual(readFileSync(path.join(first, 'ballot.key')));

    const again = await start(second);
    expect(await answers(again.url, cookie)).toEqual(before);
    // The sealed ballot opens on the restored server: it has the key.
    const convener2 = await connectSocket(again.url, cookie);
    sockets.push(convener2);
    await must(convener2, 'room:join', { sessionId: demo.sessionId });
    const closed = await must(convener2, 'poll:close', { pollId: poll.id });
    expect(closed).toMatchObject({ stage: 'closed', tally: { kind: 'yesno', yes: 0, no: 1, abstain: 0, ballots: 1 } });
    // The minutes are there as edited.
    const reopened = new Y.Doc();
    const provider2 = minutesProvider(again.url, demo.sessionId, reopened, cookie);
    closers.push(() => provider2.destroy());
    await synced(provider2);
    expect(reopened.getText('t').toString()).toContain('备份之前写下的纪要。');
    for (const c of closers.splice(0)) c();
    for (const s of sockets.splice(0)) s.close();
    await stop(again);
  }, 300_000);
});
