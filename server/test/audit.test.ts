/**
 * Issue 12, the audit log, against the real server and database: security-relevant actions are
 * appended to a hash chain, two servers appending at once keep one unbroken sequence, staff read
 * and filter it, and `pnpm audit:verify` finds an edited, removed or reordered entry.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AuditEntryView, AuditListResponse } from '@yitang/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditEntryDoc } from '../src/audit/audit.model';
import { entryHash } from '../src/audit/chain';
import { rawCollection } from '../src/db/models';
import { loadBallotSecret } from '../src/polls/ballot-seal';
import { demo, joinAs, must, signIn, startTestServer, type TestServer, uniqueDbName, yesNoPoll } from '../src/testing';

const repoDir = fileURLToPath(new URL('../..', import.meta.url));
let server: TestServer;
let twin: TestServer;
let staffCookie = '';
// The server secret as configured (BALLOT_SECRET): audit:verify derives the chain's key from it too.
const secretSetting = 'audit test server secret, at least 32 chars';

beforeAll(async () => {
  const dbName = uniqueDbName('audit');
  const ballotSecret = await loadBallotSecret({ secret: secretSetting, dataDir: '/nonexistent' });
  server = await startTestServer({ mongoUri: inject('mongoUri'), dbName, ballotSecret });
  // A second server on the same database: another node appending to the same log.
  twin = await startTestServer({ mongoUri: inject('mongoUri'), dbName, seed: false, ballotSecret });
  staffCookie = await signIn(server.url, demo.staffId);
});
afterAll(async () => {
  await twin?.close();
  await server?.close();
});

/**
 * Resolves with the first entry stored from now on that `match` accepts. Entries of REST calls are
 * appended behind the answer: wait for this one (set up before the call), not for a re-read.
 */
function recorded(match: (entry: AuditEntryView) => boolean): Promise<AuditEntryView> {
  return new Promise((resolve) => {
    const stop = server.app.audit.onRecorded((entry) => {
      if (!match(entry)) return;
      stop();
      resolve(entry);
    });
  });
}

const invitationOf = (name: string) => (e: AuditEntryView) =>
  e.action === 'invitation.create' && e.details.name === name;

async function entries(query = ''): Promise<AuditEntryView[]> {
  const res = await fetch(`${server.url}/api/audit${query}`, { headers: { cookie: staffCookie } });
  expect(res.status).toBe(200);
  return AuditListResponse.parse(await res.json()).entries;
}

/** Runs the real `pnpm audit:verify` against this test's database (asynchronously: this process serves too). */
async function verifyCli(...args: string[]): Promise<{ code: number; out: string }> {
  const env = {
    ...process.env,
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: server.dbName,
    SEED_DEMO: '0',
    BALLOT_SECRET: secretSetting,
  };
  try {
    const { stdout, stderr } = await promisify(execFile)('pnpm', ['--silent', 'audit:verify', ...args], {
      cwd: repoDir,
      env,
    });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('audit log', () => {
  it('records sign-ins and their failures, and shows them to staff only', async () => {
    const headers = { 'content-type': 'application/json' };
    await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'chen-liqun', password: 'nope' }),
    });
    const ok = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'chen-liqun', password: demo.password }),
    });
    expect(ok.status).toBe(200);
    const failed = await entries('?action=auth.loginFailed');
    expect(failed[0]).toMatchObject({ actor: null, target: 'chen-liqun', details: { reason: 'badCredentials' } });
    const logins = await entries('?action=auth.login');
    expect(logins[0]).toMatchObject({ actor: { id: demo.firstConvenerId }, target: 'chen-liqun' });
    const mine = await entries(`?actor=${demo.firstConvenerId}`);
    expect(mine.every((e) => e.actor?.id === demo.firstConvenerId)).toBe(true);

    const member = await fetch(`${server.url}/api/audit`, {
      headers: { cookie: await signIn(server.url, 'm-zhou-min') },
    });
    expect(member.status).toBe(403);
    expect((await fetch(`${server.url}/api/audit`)).status).toBe(401);
  });

  it('names the member who signed out', async () => {
    const cookie = await signIn(server.url, 'm-zhou-min');
    const res = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie } });
    expect(res.status).toBe(200);
    const [entry] = await entries('?action=auth.logout');
    expect(entry?.actor).toEqual({ id: 'm-zhou-min', name: '周敏' });
  });

  it('records staff check-ins and poll open/close/publish from the live room', async () => {
    const staff = await joinAs(server, demo.staffId);
    const convener = await joinAs(server, demo.firstConvenerId);
    await must(staff, 'checkin:member', { memberId: 'm-song-tao' });
    const state = (await must(convener, 'room:join', { sessionId: demo.sessionId })).session.state;
    if (state === 'scheduled') await must(convener, 'session:start', {});
    const draft = await must(convener, 'poll:create', { settings: yesNoPoll('审计测试表决') });
    await must(convener, 'poll:open', { pollId: draft.id });
    await must(convener, 'poll:close', { pollId: draft.id });
    await must(convener, 'poll:publish', { pollId: draft.id });
    const checkins = await entries('?action=checkin:member');
    expect(checkins[0]).toMatchObject({
      actor: { id: demo.staffId },
      target: demo.sessionId,
      details: { memberId: 'm-song-tao' },
    });
    // Room events are appended after their answer (the dispatcher's observers): wait for each.
    for (const action of ['poll:open', 'poll:close', 'poll:publish']) {
      await expect
        .poll(async () => (await entries(`?action=${action}`))[0], { message: action })
        .toMatchObject({ actor: { id: demo.firstConvenerId }, details: { pollId: draft.id } });
    }
  });

  it('records membership changes made over REST, with the acting staff member', async () => {
    const res = await fetch(`${server.url}/api/sessions/${demo.sessionId}/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: staffCookie },
      body: JSON.stringify({ role: 'stakeholder', name: '审计测试嘉宾', hours: 2 }),
    });
    expect(res.status).toBe(201);
    // Recorded once the response is sent: the next read may come first, so wait for the entry.
    await expect
      .poll(async () => (await entries('?action=invitation.create'))[0])
      .toMatchObject({
        actor: { id: demo.staffId },
        target: demo.sessionId,
        details: { role: 'stakeholder', name: '审计测试嘉宾' },
      });
    // A refused call leaves no entry.
    const refused = await fetch(`${server.url}/api/sessions/${demo.sessionId}/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: await signIn(server.url, 'm-zhou-min') },
      body: JSON.stringify({ role: 'stakeholder', name: '不应记录', hours: 2 }),
    });
    expect(refused.status).toBe(403);
    // Entries are appended in order: once a later call's entry is there, a refused one would be too.
    const laterStored = recorded(invitationOf('之后的嘉宾'));
    const later = await fetch(`${server.url}/api/sessions/${demo.sessionId}/invitations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: staffCookie },
      body: JSON.stringify({ role: 'observer', name: '之后的嘉宾', hours: 2 }),
    });
    expect(later.status).toBe(201);
    await laterStored;
    expect((await entries('?action=invitation.create'))[0]?.details.name).toBe('之后的嘉宾');
    expect((await entries('?action=invitation.create')).some((e) => e.details.name === '不应记录')).toBe(false);
  });

  it('records a call whose path differs only in case or a trailing slash, which Express routes all the same', async () => {
    for (const [path, name] of [
      [`/api/SESSIONS/${demo.sessionId}/Invitations`, '大写路径嘉宾'],
      [`/api/sessions/${demo.sessionId}/invitations/`, '斜杠路径嘉宾'],
    ] as const) {
      const stored = recorded(invitationOf(name));
      const res = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: staffCookie },
        body: JSON.stringify({ role: 'observer', name, hours: 2 }),
      });
      expect(res.status, path).toBe(201);
      expect(await stored, path).toMatchObject({ target: demo.sessionId, details: { name } });
    }
  });

  it('records a call whose client went away before the answer', async () => {
    const body = JSON.stringify({ role: 'observer', name: '中途离开的嘉宾', hours: 2 });
    const stored = recorded(invitationOf('中途离开的嘉宾'));
    // The request is sent whole, then the connection is dropped before the server answers.
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${server.url}/api/sessions/${demo.sessionId}/invitations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie: staffCookie },
      });
      req.once('error', () => resolve());
      req.once('response', () => reject(new Error('answered before the connection was dropped')));
      req.end(body, () => {
        req.destroy();
        resolve();
      });
    });
    expect(await stored).toMatchObject({ target: demo.sessionId });
  });

  it('keeps one unbroken sequence when two servers append at once', async () => {
    const writes = Array.from({ length: 20 }, (_, i) =>
      (i % 2 === 0 ? server : twin).app.audit.record({
        actor: null,
        action: 'test.concurrent',
        target: String(i),
      }),
    );
    await Promise.all(writes);
    const { checked, problems } = await server.app.audit.verify();
    expect(problems).toEqual([]);
    const all = await server.app.models.AuditEntry.find({}, { _id: 1 }).sort({ _id: 1 }).lean();
    expect(all.map((e) => e._id)).toEqual(Array.from({ length: checked }, (_, i) => i + 1));
    expect((await entries('?action=test.concurrent')).map((e) => e.target).sort()).toHaveLength(20);
  });

  it('keeps the chain verifiable when a login name holds a lone UTF-16 surrogate', async () => {
    // Written by hand: the JSON escape of a lone surrogate, which BSON stores as U+FFFD.
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username":"\\ud800","password":"x"}',
    });
    expect(res.status).toBe(401);
    // The refusal's audit append is not awaited by the sign-in: wait for the entry itself.
    await expect
      .poll(async () => (await entries('?action=auth.loginFailed')).some((e) => e.target === '\uFFFD'))
      .toBe(true);
    // Another entry after it: the next test removes the latest refusal and expects a gap, not a cut tail.
    await signIn(server.url, demo.staffId);
    const run = await verifyCli();
    expect(run.out).toContain('intact');
    expect(run.code).toBe(0);
  });

  it('logs the head in a form audit:verify --head takes', async () => {
    let heard: (head: string) => void = () => undefined;
    const head = new Promise<string>((resolve) => {
      heard = resolve;
    });
    const lines = new Writable({
      write(chunk: Buffer, _enc, done) {
        const line = JSON.parse(chunk.toString()) as { msg?: string; auditHead?: string };
        if (line.msg === 'audit head' && line.auditHead) heard(line.auditHead);
        done();
      },
    });
    const ballotSecret = await loadBallotSecret({ secret: secretSetting, dataDir: '/nonexistent' });
    const logging = await startTestServer({
      mongoUri: inject('mongoUri'),
      dbName: server.dbName,
      seed: false,
      ballotSecret,
      logger: pino({ level: 'info' }, lines),
    });
    try {
      await signIn(logging.url, demo.staffId);
      const logged = await head;
      expect(logged).toMatch(/^\d+:[0-9a-f]{64}$/);
      expect((await verifyCli('--head', logged)).code).toBe(0);
    } finally {
      await logging.app.close();
      await logging.conn.close();
    }
  });

  it('finds a log rewritten without the key, and a cut tail given the logged head', async () => {
    const { AuditEntry } = server.app.models;
    const raw = rawCollection(AuditEntry);
    const all = await AuditEntry.find({}).sort({ _id: 1 }).lean<AuditEntryDoc[]>();
    const last = all.at(-1);
    if (!last) throw new Error('no entries');
    // Cut: the newest entry removed. The chain alone cannot tell; the head logged outside can.
    await AuditEntry.deleteOne({ _id: last._id });
    expect((await verifyCli()).code).toBe(0);
    const cut = await verifyCli('--head', `${last._id}:${last.hash}`);
    expect(cut.code).toBe(1);
    expect(cut.out).toContain(`seq ${last._id} (cut)`);
    await raw.insertOne(last);
    expect((await verifyCli('--head', `${last._id}:${last.hash}`)).code).toBe(0);

    // Rewritten: someone with database access edits the first entry and recomputes every link,
    // without the server's key (here: with another key, as the algorithm is no secret).
    const otherKey = randomBytes(32);
    let prevHash = '0'.repeat(64);
    const forged = all.map((e, i) => {
      const content = i === 0 ? { ...e, details: { ...e.details, forged: true } } : e;
      const hash = entryHash(content, prevHash, otherKey);
      const out = { ...content, prevHash, hash };
      prevHash = hash;
      return out;
    });
    for (const e of forged) await raw.replaceOne({ _id: e._id }, e);
    const run = await verifyCli();
    expect(run.code).toBe(1);
    expect(run.out).toContain('seq 1 (edited)');
    // Put the real entries back for the next test.
    for (const e of all) await raw.replaceOne({ _id: e._id }, e);
    expect((await verifyCli()).code).toBe(0);
  });

  it('pnpm audit:verify passes an intact log and names the entry that was edited, removed or reordered', async () => {
    const intact = await verifyCli();
    expect(intact.out).toContain('intact');
    expect(intact.code).toBe(0);

    const { AuditEntry } = server.app.models;
    // Edited: someone rewrites what a check-in said.
    const [checkin] = await entries('?action=checkin:member');
    if (!checkin) throw new Error('no check-in entry');
    await AuditEntry.collection.updateOne({ _id: checkin.seq } as never, { $set: { 'details.memberId': 'm-other' } });
    let run = await verifyCli();
    expect(run.code).toBe(1);
    expect(run.out).toContain(`seq ${checkin.seq} (edited)`);
    await AuditEntry.collection.updateOne({ _id: checkin.seq } as never, {
      $set: { 'details.memberId': 'm-song-tao' },
    });
    expect((await verifyCli()).code).toBe(0);

    // Removed: a failed sign-in disappears.
    const [failure] = await entries('?action=auth.loginFailed');
    if (!failure) throw new Error('no failure entry');
    const removed = await AuditEntry.findById(failure.seq).lean();
    await AuditEntry.deleteOne({ _id: failure.seq });
    run = await verifyCli();
    expect(run.code).toBe(1);
    expect(run.out).toContain(`seq ${failure.seq} (missing)`);
    if (removed) await AuditEntry.collection.insertOne(removed as never);
    expect((await verifyCli()).code).toBe(0);

    // Reordered: two neighbouring entries swap places (their whole content, hashes included).
    const a = await AuditEntry.findById(2).lean();
    const b = await AuditEntry.findById(3).lean();
    if (!a || !b) throw new Error('entries 2 and 3 missing');
    const { _id: _a, ...restA } = a;
    const { _id: _b, ...restB } = b;
    await AuditEntry.collection.replaceOne({ _id: 2 } as never, restB);
    await AuditEntry.collection.replaceOne({ _id: 3 } as never, restA);
    run = await verifyCli();
    expect(run.code).toBe(1);
    expect(run.out).toContain('seq 2');
  });
});
