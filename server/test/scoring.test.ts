import { randomUUID } from 'node:crypto';
import type {
  AssessmentResponse,
  BulletinResponse,
  DutyEntriesResponse,
  DutyEntryResponse,
  DutyKind,
  MemberDutyResponse,
  SubmitDutyEntryBody,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLedger } from '../src/scoring/ledger';
import {
  choice,
  demo,
  joinAs,
  must,
  openPoll,
  signIn,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
async function call<T>(memberId: string, method: string, path: string, body?: unknown) {
  let cookie = cookies.get(memberId);
  if (!cookie) {
    cookie = await signIn(server.url, memberId);
    cookies.set(memberId, cookie);
  }
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T & { error?: { code: string } } };
}

/** Members outside the demo year's dozen, so their ledgers hold only what this file does. */
const online = 'm-tang-li';
const hall = 'm-feng-gang';
const staff = demo.staffId;

const sessionKinds = (entries: DutyEntriesResponse['entries']) =>
  entries
    .filter((e) => e.sessionId === demo.sessionId)
    .map((e) => e.kind)
    .sort();

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server?.close();
});

describe('records from a live session, once each, reconnects included', () => {
  beforeAll(async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    await must(convener, 'session:start', {});
    const staffSocket = await joinAs(server, staff);

    // The online member joins, drops, and joins again on a new socket.
    const first = await joinAs(server, online);
    first.close();
    let member = await joinAs(server, online);
    await must(member, 'hand:raise', { pointOfOrder: false });
    await must(convener, 'speaker:grant', { memberId: null });
    await must(member, 'speaker:end', {});
    await must(member, 'suggestion:submit', { text: '建议在南门设置固定的夜市摊位区' });

    // The other member is checked in in the hall and is also online, twice.
    await must(staffSocket, 'checkin:member', { memberId: hall });
    (await joinAs(server, hall)).close();
    const inHall = await joinAs(server, hall);

    const named = await openPoll(convener, yesNoPoll('是否同意设置夜市摊位区?'));
    const ballotId = randomUUID();
    await must(member, 'vote:cast', { pollId: named.id, ballotId, content: choice('yes') });
    // Reconnect and re-send the same ballot: the same vote, not a second one.
    member.close();
    member = await joinAs(server, online);
    await must(member, 'vote:cast', { pollId: named.id, ballotId, content: choice('yes') });
    const secret = await openPoll(convener, yesNoPoll('无记名:是否同意整治方案?', { secret: true }));
    await must(member, 'vote:cast', { pollId: secret.id, ballotId: randomUUID(), content: choice('no') });
    await must(inHall, 'vote:cast', { pollId: secret.id, ballotId: randomUUID(), content: choice('yes') });
    await must(convener, 'poll:close', { pollId: named.id });
    await must(convener, 'poll:close', { pollId: secret.id });
    // The member spoke for a minute and a half (the record stands in for the time it takes); the
    // member in the hall was given the floor and handed it back at once, which is no speech.
    await server.app.models.SpeakingRecord.updateMany(
      { sessionId: demo.sessionId, memberId: online },
      { $set: { durationSeconds: 90 } },
    );
    await must(inHall, 'hand:raise', { pointOfOrder: false });
    await must(convener, 'speaker:grant', { memberId: hall });
    await must(inHall, 'speaker:end', {});
    await must(convener, 'session:close', {});
    await server.app.minutesIdle(demo.sessionId);
  });

  const kindsOf = async (memberId: string) =>
    sessionKinds((await call<DutyEntriesResponse>(staff, 'GET', `/duty/entries?memberId=${memberId}`)).body.entries);

  it('writes attendance, the speech, the suggestion and each vote exactly once', async () => {
    expect(await kindsOf(online)).toEqual<DutyKind[]>(['attendedOnline', 'spoke', 'suggested', 'voted', 'voted']);
    expect(await kindsOf(hall)).toEqual<DutyKind[]>(['attendedHall', 'voted']);
    // Officials and staff keep no duty record.
    const all = (await call<DutyEntriesResponse>(staff, 'GET', '/duty/entries')).body.entries;
    const people = new Set(all.filter((e) => e.sessionId === demo.sessionId).map((e) => e.memberId));
    expect([...people].sort()).toEqual([demo.firstConvenerId, hall, online].sort());
  });

  it('session records are verified, name their session and who recorded them', async () => {
    const { body } = await call<DutyEntriesResponse>(online, 'GET', '/duty/entries');
    const fromSession = body.entries.filter((e) => e.sessionId === demo.sessionId);
    for (const e of fromSession) {
      expect(e).toMatchObject({ source: 'session', status: 'verified' });
      expect(e.audit).toEqual([expect.objectContaining({ action: 'recorded', by: demo.firstConvenerId })]);
    }
  });

  it('adds nothing when derived again, or after a restart', async () => {
    const before = (await call<DutyEntriesResponse>(staff, 'GET', '/duty/entries')).body.entries.length;
    expect(await createLedger(server.app.models).fromSession(demo.sessionId, { id: staff, name: '周婷' })).toBe(0);
    await server.restart();
    cookies.clear();
    expect(await createLedger(server.app.models).fromSession(demo.sessionId, { id: staff, name: '周婷' })).toBe(0);
    // Staff may ask for a closed session's records again (after a stop between close and this step).
    expect((await call<{ added: number }>(staff, 'POST', `/duty/sessions/${demo.sessionId}/record`)).body).toEqual({
      added: 0,
    });
    expect((await call(online, 'POST', `/duty/sessions/${demo.sessionId}/record`)).status).toBe(403);
    // A derivation cut short (here: one record missing) is completed, the rest left as they are.
    const { deletedCount } = await server.app.models.DutyEntry.deleteOne({ memberId: online, kind: 'suggested' });
    expect(deletedCount).toBe(1);
    expect((await call<{ added: number }>(staff, 'POST', `/duty/sessions/${demo.sessionId}/record`)).body).toEqual({
      added: 1,
    });
    expect((await call(staff, 'POST', `/duty/sessions/${demo.secondSessionId}/record`)).status).toBe(409);
    expect((await call<DutyEntriesResponse>(staff, 'GET', '/duty/entries')).body.entries).toHaveLength(before);
    expect(await kindsOf(online)).toEqual<DutyKind[]>(['attendedOnline', 'spoke', 'suggested', 'voted', 'voted']);
  });
});

describe('a member submits a record with evidence; staff verify it', () => {
  const research: SubmitDutyEntryBody = {
    kind: 'research',
    date: '2026-06-12',
    title: '城东片区老旧小区加装电梯专题调研',
    evidence: {
      text: '走访 6 个小区,形成调研报告一份',
      link: 'https://example.org/report',
      attachmentName: '调研报告.docx',
    },
  };

  it('is pending and does not count until verified; then it meets the minimum and earns its points', async () => {
    const created = await call<DutyEntryResponse>(online, 'POST', '/duty/entries', research);
    expect(created.status).toBe(201);
    const id = created.body.entry.id;
    expect(created.body.entry).toMatchObject({ status: 'pending', source: 'member', memberId: online });
    expect(created.body.entry.evidence).toEqual(research.evidence);

    let mine = (await call<MemberDutyResponse>(online, 'GET', '/duty/me?year=2026')).body;
    expect(mine.entries.map((e) => e.id)).toContain(id);
    expect(mine.score?.missing).toContain('research');

    // Staff find it in the queue of records waiting for verification.
    const queue = (await call<DutyEntriesResponse>(staff, 'GET', '/duty/entries?status=pending')).body.entries;
    expect(queue.map((e) => e.id)).toContain(id);
    expect(new Set(queue.map((e) => e.status))).toEqual(new Set(['pending']));
    expect((await call(online, 'POST', `/duty/entries/${id}/review`, { decision: 'verify' })).status).toBe(403);
    const verified = await call<DutyEntryResponse>(staff, 'POST', `/duty/entries/${id}/review`, { decision: 'verify' });
    expect(verified.body.entry.status).toBe('verified');
    expect(verified.body.entry.audit.map((a) => [a.action, a.by])).toEqual([
      ['submitted', online],
      ['verified', staff],
    ]);
    // Verifying twice is refused: the record is no longer pending.
    expect((await call(staff, 'POST', `/duty/entries/${id}/review`, { decision: 'verify' })).status).toBe(409);

    mine = (await call<MemberDutyResponse>(online, 'GET', '/duty/me?year=2026')).body;
    expect(mine.score?.missing).not.toContain('research');
    const line = mine.score?.lines.find((l) => l.ruleId === 'research');
    expect(line?.counted).toEqual([{ entryId: id, points: 5 }]);
    expect(mine.score?.minimums.find((m) => m.id === 'research')?.entryIds).toEqual([id]);
  });

  it('a rejected record has a reason; the member’s change sends it back; reply and feedback are kept with who gave them', async () => {
    const { body } = await call<DutyEntryResponse>(online, 'POST', '/duty/entries', {
      kind: 'research',
      date: '2026-03-03',
      title: '南门小吃街油烟治理专题调研',
      evidence: { text: '调研报告见附件', attachmentName: '调研报告.pdf' },
    });
    const id = body.entry.id;
    expect((await call(staff, 'POST', `/duty/entries/${id}/review`, { decision: 'reject' })).status).toBe(400);
    const rejected = await call<DutyEntryResponse>(staff, 'POST', `/duty/entries/${id}/review`, {
      decision: 'reject',
      reason: '缺少调研报告',
    });
    expect(rejected.body.entry).toMatchObject({ status: 'rejected', rejectReason: '缺少调研报告' });

    const changed = await call<DutyEntryResponse>(online, 'PATCH', `/duty/entries/${id}`, {
      title: '南门小吃街油烟治理专题调研(附报告)',
    });
    expect(changed.body.entry).toMatchObject({ status: 'pending', rejectReason: null });
    await call(staff, 'POST', `/duty/entries/${id}/review`, { decision: 'verify' });
    // A verified record's fields are changed by staff only.
    const again = await call<DutyEntryResponse>(online, 'PATCH', `/duty/entries/${id}`, { title: '改个标题' });
    expect(again.status).toBe(409);

    // A proposal of a year before the workflow: staff enter it, record the reply, the member gives feedback.
    const entered = await call<DutyEntryResponse>(staff, 'POST', '/duty/entries', {
      memberId: online,
      kind: 'proposal',
      date: '2019-03-03',
      title: '关于南门小吃街油烟治理的提案',
      evidence: { text: '提案正文见附件', attachmentName: '提案.pdf' },
    });
    expect(entered.status).toBe(201);
    const pid = entered.body.entry.id;
    expect(entered.body.entry.proposal).toEqual({ department: null, reply: null, feedback: null });
    const reply = { department: '市市场监督管理局', reply: '已完成油烟净化设施改造', feedback: null };
    expect((await call(online, 'PATCH', `/duty/entries/${pid}`, { proposal: reply })).status).toBe(403);
    expect((await call(staff, 'PATCH', `/duty/entries/${pid}`, { proposal: reply })).status).toBe(200);
    const fed = await call<DutyEntryResponse>(online, 'PATCH', `/duty/entries/${pid}`, {
      proposal: { ...reply, feedback: 'basicallySatisfied' },
    });
    expect(fed.body.entry.proposal?.feedback).toBe('basicallySatisfied');
    expect(fed.body.entry.status).toBe('verified');
    expect(fed.body.entry.audit.map((a) => `${a.action}:${a.by}:${a.note ?? ''}`)).toEqual([
      `entered:${staff}:`,
      `changed:${staff}:proposal`,
      `changed:${online}:proposal`,
    ]);
    expect(again.body.error?.code).toBe('ILLEGAL_TRANSITION');
  });

  it('proposals and 社情民意 of the years the workflows cover are not entered or imported by hand', async () => {
    // Members never enter them; staff not for this year (the workflows record them).
    const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4));
    for (const kind of ['proposal', 'socialReport'] as const) {
      const entry = { kind, date: `${year}-03-03`, title: '手工录入的记录', evidence: { text: '见附件' } };
      const mine = await call(online, 'POST', '/duty/entries', entry);
      expect(mine.status).toBe(403);
      const staffs = await call(staff, 'POST', '/duty/entries', { ...entry, memberId: online });
      expect(staffs.status).toBe(403);
      expect((staffs.body as { error?: { message?: string } }).error?.message).toContain(String(year));
    }
    // An earlier year in which the workflow wrote a record is covered too.
    await server.app.models.DutyEntry.collection.insertOne({
      _id: 'pp:hand-test:author',
      memberId: online,
      kind: 'proposal',
      date: '2018-05-05',
      title: '工作流程记录的提案',
      source: 'proposal',
      status: 'verified',
      audit: [],
      createdAt: new Date(),
    } as never);
    const covered = await call(staff, 'POST', '/duty/entries', {
      memberId: online,
      kind: 'proposal',
      date: '2018-06-06',
      title: '手工录入的提案',
      evidence: { text: '见附件' },
    });
    expect(covered.status).toBe(403);
    // The workflow's record is not changed by hand, feedback included.
    const patch = await call(staff, 'PATCH', '/duty/entries/pp:hand-test:author', { title: '改个标题' });
    expect(patch.status).toBe(403);
    const feedback = await call(online, 'PATCH', '/duty/entries/pp:hand-test:author', {
      proposal: { department: null, reply: null, feedback: 'satisfied' },
    });
    expect(feedback.status).toBe(403);
  });

  it('refuses bad input clearly and writes nothing', async () => {
    const count = async () => (await call<DutyEntriesResponse>(online, 'GET', '/duty/entries')).body.entries.length;
    const before = await count();
    const bad = await call(online, 'POST', '/duty/entries', { ...research, date: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('BAD_REQUEST');
    expect((await call(online, 'POST', '/duty/entries', { ...research, kind: 'spoke' })).status).toBe(400);
    expect((await call(online, 'POST', '/duty/entries', { ...research, evidence: { text: ' ' } })).status).toBe(400);
    expect((await call(online, 'POST', '/duty/entries', { ...research, kind: 'absence' })).status).toBe(403);
    expect((await call(online, 'POST', '/duty/entries', { ...research, memberId: hall })).status).toBe(403);
    expect((await call(staff, 'POST', '/duty/entries', research)).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('staff enter a record for a member, and it counts at once', async () => {
    const { status, body } = await call<DutyEntryResponse>(staff, 'POST', '/duty/entries', {
      memberId: hall,
      kind: 'absence',
      date: '2026-09-09',
      title: '未请假缺席专题协商会',
      evidence: { text: '签到表无签名,未请假' },
    });
    expect(status).toBe(201);
    expect(body.entry).toMatchObject({ status: 'verified', source: 'staff', memberId: hall });
    const theirs = (await call<MemberDutyResponse>(hall, 'GET', '/duty/me?year=2026')).body;
    expect(theirs.score?.lines.find((l) => l.ruleId === 'absence')?.points).toBe(-3);
  });
});

describe('privacy', () => {
  it('a member sees their own records only', async () => {
    expect((await call(online, 'GET', `/duty/members/${hall}`)).status).toBe(403);
    expect((await call(online, 'GET', `/duty/entries?memberId=${hall}`)).status).toBe(403);
    const own = (await call<DutyEntriesResponse>(online, 'GET', '/duty/entries')).body.entries;
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((e) => e.memberId))).toEqual(new Set([online]));
    const theirs = (await call<DutyEntriesResponse>(staff, 'GET', `/duty/entries?memberId=${hall}`)).body.entries;
    expect((await call(online, 'GET', `/duty/entries/${theirs[0]?.id}`)).status).toBe(403);
    expect((await call(staff, 'GET', `/duty/members/${hall}`)).status).toBe(200);
    // A member's bulletin is their own row; sector totals are for staff.
    const mineQ = (await call<BulletinResponse>(online, 'GET', '/duty/bulletin?quarter=2026-Q4')).body.bulletin;
    expect(mineQ.members.map((m) => m.memberId)).toEqual([online]);
    expect(mineQ.members[0]?.current.counts.spoke).toBe(1);
    expect(mineQ.sectors).toEqual([]);
    expect((await call(demo.secondConvenerId, 'GET', '/duty/bulletin?quarter=2026-Q4')).status).toBe(403);
  });

  it('rankings reach members only when the committee shows them; staff change that setting', async () => {
    let a = (await call<AssessmentResponse>(online, 'GET', '/duty/assessment?year=2026')).body;
    expect(a.rows.map((r) => r.member.id)).toEqual([online]);
    expect(a.rows[0]?.rank).toBeNull();
    expect(a.ranking).toEqual([]);
    expect(a.statements).toEqual([]);

    expect((await call(online, 'PUT', '/duty/settings', { rankingsVisibleToMembers: true })).status).toBe(403);
    expect((await call(staff, 'PUT', '/duty/settings', { rankingsVisibleToMembers: true })).status).toBe(200);
    a = (await call<AssessmentResponse>(online, 'GET', '/duty/assessment?year=2026')).body;
    expect(a.rows.map((r) => r.member.id)).toEqual([online]);
    expect(a.rows[0]?.rank).toBeGreaterThan(0);
    expect(a.ranking).toHaveLength(30);
    expect(a.ranking[0]?.member.id).toBe('m-chen-liqun');

    await call(staff, 'PUT', '/duty/settings', { rankingsVisibleToMembers: false });
    expect((await call<AssessmentResponse>(online, 'GET', '/duty/assessment?year=2026')).body.ranking).toEqual([]);
  });

  it('nobody gets in without signing in', async () => {
    const res = await fetch(`${server.url}/api/duty/me`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });
});
