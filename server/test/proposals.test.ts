/**
 * Proposals (提案) over REST against the real server and database: the whole workflow, rights
 * by role and record, concurrent steps, 提案号 numbering, the proposal period, duty records by
 * natural key, statistics with CSV/XLSX export, notifications, and bad input.
 */
import type {
  MemberDutyResponse,
  NotificationView,
  ProposalAction,
  ProposalResponse,
  ProposalStatsResponse,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';
import { todayInChina } from '../src/tracking/tracking.service';

let server: TestServer;
const cookies = new Map<string, string>();
const cookieOf = async (memberId: string) => {
  let c = cookies.get(memberId);
  if (!c) {
    c = await signIn(server.url, memberId);
    cookies.set(memberId, c);
  }
  return c;
};

const author = 'm-zhou-min';
const cosigners = ['m-ma-li', 'm-gao-ya'];
const stranger = 'm-xu-jing';
const staff = demo.staffId;
/** Head of 市城市管理局 (dep-cgj), the lead department here. */
const lead = 'o-liu-jianguo';
/** Head of 市市场监督管理局 (dep-scjg), co-handling. */
const coHandler = 'o-wang-haitao';
/** The leader record ldr-sun-lixin signs in as this account. */
const leader = demo.leaderId;

type Answer<T> = { status: number; body: T & { error?: { code: string; message: string } } };

async function call<T = ProposalResponse>(
  memberId: string | null,
  path: string,
  init: RequestInit = {},
): Promise<Answer<T>> {
  const headers = new Headers(init.headers);
  if (memberId) headers.set('cookie', await cookieOf(memberId));
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(`${server.url}/api${path}`, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : { text }) as Answer<T>['body'] };
}
const send = <T = ProposalResponse>(memberId: string, path: string, body: unknown, method = 'POST') =>
  call<T>(memberId, path, { method, body: JSON.stringify(body) });
const act = (memberId: string, id: string, action: ProposalAction | Record<string, unknown>) =>
  send(memberId, `/proposals/${id}/actions`, { action });

function form(fields: Record<string, string>, files: Array<{ name: string; type: string; bytes: Uint8Array }> = []) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const file of files) f.append('files', new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}
const reply = (memberId: string, id: string, fields: Record<string, string>, files: Parameters<typeof form>[1] = []) =>
  call(memberId, `/proposals/${id}/replies`, { method: 'POST', body: form(fields, files) });

const pdf = new TextEncoder().encode('%PDF-1.4 关于背街小巷路灯的答复');

async function draft(by = author, title = '关于加快背街小巷路灯改造的建议'): Promise<string> {
  const res = await send(by, '/proposals', {
    title,
    case: '城区背街小巷路灯损坏多年，夜间出行不便。',
    suggestions: '一、摸底排查；二、纳入年度计划；三、建立报修机制。',
  });
  expect(res.status).toBe(201);
  return res.body.proposal.id;
}

/** A proposal taken through submission and 立案. */
async function accepted(title?: string): Promise<string> {
  const id = await draft(author, title);
  expect((await act(author, id, { type: 'submit' })).status).toBe(200);
  expect((await act(staff, id, { type: 'accept' })).status).toBe(200);
  return id;
}

async function noticesOf(memberId: string): Promise<NotificationView[]> {
  return (await call<{ notifications: NotificationView[] }>(memberId, '/notifications')).body.notifications;
}

const entries = () => server.conn.collection<{ _id: string }>('duty_entries');

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});

afterAll(async () => {
  await server?.close();
});

describe('the workflow', () => {
  let id = '';

  it('drafts, invites two co-signers who accept, and submits with a number', async () => {
    id = await draft();
    const invited = await act(author, id, { type: 'invite', memberIds: cosigners });
    expect(invited.status).toBe(200);
    expect(invited.body.proposal.cosigners.map((c) => c.status)).toEqual(['invited', 'invited']);
    // Each co-signer hears of the invitation and may read the draft; a stranger may not.
    for (const c of cosigners) expect((await noticesOf(c)).some((n) => n.kind === 'proposalCosign')).toBe(true);
    expect((await call(stranger, `/proposals/${id}`)).status).toBe(404);
    expect((await call(staff, `/proposals/${id}`)).status).toBe(404);

    const toSign = await call<{ proposals: Array<{ id: string }> }>(cosigners[0] ?? '', '/proposals?scope=cosign');
    expect(toSign.body.proposals.map((p) => p.id)).toContain(id);
    for (const c of cosigners) {
      const res = await act(c, id, { type: 'acceptCosign' });
      expect(res.status).toBe(200);
    }
    // The proposer hears each answer, by whom and which.
    const answers = (await noticesOf(author)).filter((n) => n.kind === 'proposalCosignAnswered' && n.link.endsWith(id));
    expect(answers.map((n) => n.params.answer)).toEqual(['accepted', 'accepted']);
    expect(answers.map((n) => n.params.by).sort()).toEqual(['马丽', '高雅'].sort());
    // A co-signer who answered may not answer again, nor submit.
    expect((await act(cosigners[0] ?? '', id, { type: 'acceptCosign' })).status).toBe(403);
    expect((await act(cosigners[0] ?? '', id, { type: 'submit' })).status).toBe(403);

    const submitted = await act(author, id, { type: 'submit' });
    expect(submitted.status).toBe(200);
    expect(submitted.body.proposal.state).toBe('submitted');
    expect(submitted.body.proposal.number).toMatch(/^\d{4}-\d{3}$/);
    expect((await noticesOf(staff)).some((n) => n.kind === 'proposalSubmitted' && n.params.title)).toBe(true);
    // Submitted, staff read it and the draft can no longer change.
    expect((await call(staff, `/proposals/${id}`)).status).toBe(200);
    expect((await send(author, `/proposals/${id}`, { title: '改' }, 'PATCH')).status).toBe(409);
  });

  it('lets staff accept and assign it to a lead and a co-handling department with a three-month deadline', async () => {
    expect((await act(author, id, { type: 'accept' })).status).toBe(403);
    const acc = await act(staff, id, { type: 'accept', note: '符合立案条件' });
    expect(acc.body.proposal.state).toBe('accepted');
    // The notice names the outcome by its key; the reader's language says it.
    expect((await noticesOf(author)).some((n) => n.kind === 'proposalDecided' && n.params.state === 'accepted')).toBe(
      true,
    );
    // The lead department sees nothing before 交办.
    expect((await call(lead, `/proposals/${id}`)).status).toBe(404);

    const res = await act(staff, id, { type: 'assign', lead: 'dep-cgj', co: ['dep-scjg'] });
    expect(res.status).toBe(200);
    const p = res.body.proposal;
    expect(p.state).toBe('assigned');
    expect(p.lead).toEqual({ id: 'dep-cgj', name: '市城市管理局' });
    expect(p.co).toEqual([{ id: 'dep-scjg', name: '市市场监督管理局' }]);
    const assignedOn = p.trail.at(-1)?.at.slice(0, 10) ?? '';
    const months = (Number(p.deadline?.slice(0, 4)) - Number(assignedOn.slice(0, 4))) * 12;
    expect(months + Number(p.deadline?.slice(5, 7)) - Number(assignedOn.slice(5, 7))).toBe(3);
    for (const who of [lead, coHandler]) {
      expect((await noticesOf(who)).some((n) => n.kind === 'proposalAssigned' && n.link === `/proposals/${id}`)).toBe(
        true,
      );
    }
    const desk = await call<{ proposals: Array<{ id: string }> }>(lead, '/proposals?scope=department');
    expect(desk.body.proposals.map((x) => x.id)).toContain(id);
    // 交办 makes it followable in tracking, by the lead department, on the same deadline.
    const trackingId = p.trackingId;
    expect(trackingId).toBeTruthy();
    const item = await call<{ item: { department: string; deadline: string; source: { kind: string; id: string } } }>(
      lead,
      `/tracking/${encodeURIComponent(trackingId ?? '')}`,
    );
    expect(item.status).toBe(200);
    expect(item.body.item).toMatchObject({ department: '市城市管理局', deadline: p.deadline });
    expect(item.body.item.source).toMatchObject({ kind: 'proposal', id });
  });

  it('takes the reply only from the lead department, then 不满意 sends it back and 满意 closes it', async () => {
    expect((await reply(coHandler, id, { text: '会办意见', replyClass: 'solving' })).status).toBe(403);
    expect((await reply(author, id, { text: '答复', replyClass: 'solving' })).status).toBe(403);
    expect((await act(author, id, { type: 'feedback', value: 'satisfied' })).status).toBe(409);

    const first = await reply(lead, id, { text: '已列入明年改造计划。', replyClass: 'planned' }, [
      { name: '答复函.pdf', type: 'application/pdf', bytes: pdf },
    ]);
    expect(first.status).toBe(200);
    expect(first.body.proposal.state).toBe('replied');
    const file = first.body.proposal.replies[0]?.attachments[0];
    expect(file?.fileName).toBe('答复函.pdf');
    expect((await noticesOf(author)).some((n) => n.kind === 'proposalReplied')).toBe(true);
    // Staff hear that the department answered, and which department.
    expect(
      (await noticesOf(staff)).some(
        (n) =>
          n.kind === 'proposalReplyFiled' && n.link === `/proposals/${id}` && n.params.department === '市城市管理局',
      ),
    ).toBe(true);
    // The proposer and the departments download the reply's file; a stranger learns nothing.
    const got = await fetch(`${server.url}${file?.url}`, { headers: { cookie: await cookieOf(author) } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain('attachment');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pdf);
    const strangers = await fetch(`${server.url}${file?.url}`, { headers: { cookie: await cookieOf(stranger) } });
    expect(strangers.status).toBe(404);

    const back = await act(author, id, { type: 'feedback', value: 'dissatisfied', comment: '时间太晚' });
    expect(back.body.proposal).toMatchObject({ state: 'assigned', round: 2 });
    expect((await noticesOf(lead)).some((n) => n.kind === 'proposalFeedback')).toBe(true);

    const second = await reply(lead, id, { text: '已提前至今年完成改造。', replyClass: 'solved' });
    expect(second.body.proposal.replies.map((r) => [r.round, r.replyClass])).toEqual([
      [1, 'planned'],
      [2, 'solved'],
    ]);
    const closed = await act(author, id, { type: 'feedback', value: 'satisfied' });
    expect(closed.body.proposal.state).toBe('closed');
    expect(closed.body.viewer.actions).toEqual([]);
    expect(closed.body.proposal.trail.map((e) => e.action)).toEqual([
      'create',
      'invite',
      'acceptCosign',
      'acceptCosign',
      'submit',
      'accept',
      'assign',
      'reply',
      'feedback',
      'reply',
      'feedback',
    ]);
  });

  it('writes the duty records by natural key: the proposer with the reply and feedback, each co-signer', async () => {
    const docs = await entries()
      .find({ _id: { $in: [`pp:${id}:author`, ...cosigners.map((c) => `pp:${id}:cosign:${c}`)] } })
      .toArray();
    expect(docs).toHaveLength(3);
    const mine = await call<MemberDutyResponse>(author, '/duty/me');
    const entry = mine.body.entries.find((e) => e.id === `pp:${id}:author`);
    expect(entry).toMatchObject({ kind: 'proposal', source: 'proposal', status: 'verified' });
    expect(entry?.proposal).toMatchObject({ department: '市城市管理局', feedback: 'satisfied' });
    // The rubric's points name the record they came from.
    expect(mine.body.score).toBeTruthy();
    const points = mine.body.score?.lines.flatMap((l) => l.counted).filter((c) => c.entryId === entry?.id) ?? [];
    expect(points.length).toBeGreaterThan(0);

    // The workflow's records follow the proposal: nobody changes them by hand, staff included.
    for (const who of [author, staff]) {
      const changed = await send(who, `/duty/entries/${encodeURIComponent(entry?.id ?? '')}`, { title: '改' }, 'PATCH');
      expect(changed.status, who).toBe(403);
    }
    const cosigned = await send(
      cosigners[0] ?? '',
      `/duty/entries/${encodeURIComponent(`pp:${id}:cosign:${cosigners[0]}`)}`,
      { date: '2001-01-01' },
      'PATCH',
    );
    expect(cosigned.status).toBe(403);
    const kept = await server.conn
      .collection<{ _id: string; title: string }>('duty_entries')
      .findOne({ _id: `pp:${id}:author` });
    expect(kept?.title).not.toBe('改');

    const before = await entries().countDocuments({ _id: { $regex: '^pp:' } });
    expect((await send(author, '/proposals/duty/record', {})).status).toBe(403);
    const again = await send<{ added: number }>(staff, '/proposals/duty/record', {});
    expect(again.body.added).toBe(0);
    expect(await entries().countDocuments({ _id: { $regex: '^pp:' } })).toBe(before);
  });
});

describe('review outcomes, reassignment, key proposals', () => {
  it('refuses to accept without a reason, turns into a letter, merges into another', async () => {
    const a = await draft();
    await act(author, a, { type: 'submit' });
    expect((await act(staff, a, { type: 'reject' })).status).toBe(400);
    expect((await act(staff, a, { type: 'reject', reason: ' ' })).status).toBe(400);
    const rejected = await act(staff, a, { type: 'reject', reason: '属于个人诉求，不予立案' });
    expect(rejected.body.proposal).toMatchObject({ state: 'notAccepted', reason: '属于个人诉求，不予立案' });
    expect((await act(staff, a, { type: 'accept' })).status).toBe(409);

    const b = await draft();
    await act(author, b, { type: 'submit' });
    expect((await act(staff, b, { type: 'toLetter', reason: '转有关部门参考' })).body.proposal.state).toBe('letter');
    // The proposer hears each decision, named by its state.
    const decided = (await noticesOf(author)).filter((n) => n.kind === 'proposalDecided');
    expect(decided.find((n) => n.link === `/proposals/${a}`)?.params.state).toBe('notAccepted');
    expect(decided.find((n) => n.link === `/proposals/${b}`)?.params.state).toBe('letter');

    const target = await accepted();
    const c = await draft();
    await act(author, c, { type: 'submit' });
    expect((await act(staff, c, { type: 'merge', into: c })).status).toBe(400);
    expect((await act(staff, c, { type: 'merge', into: 'pp-nothere' })).status).toBe(400);
    const merged = await act(staff, c, { type: 'merge', into: target });
    expect(merged.body.proposal).toMatchObject({ state: 'merged', mergedInto: target });
  });

  it('lets the lead department ask once to reassign; staff grant it and assign anew', async () => {
    const id = await accepted();
    await act(staff, id, { type: 'assign', lead: 'dep-scjg' });
    expect((await act(lead, id, { type: 'requestReassign', reason: '不属本局' })).status).toBe(404);
    const asked = await act(coHandler, id, { type: 'requestReassign', reason: '路灯归城管局管理' });
    expect(asked.body.proposal).toMatchObject({ state: 'reassignRequested', reassignRequests: 1 });
    expect((await noticesOf(staff)).some((n) => n.kind === 'proposalReassignRequested')).toBe(true);
    expect((await act(coHandler, id, { type: 'grantReassign' })).status).toBe(403);
    const granted = await act(staff, id, { type: 'grantReassign' });
    expect(granted.body.proposal).toMatchObject({ state: 'accepted', lead: null });
    // The relieved department hears it is no longer theirs; the next one hears nothing yet.
    expect(
      (await noticesOf(coHandler)).some((n) => n.kind === 'proposalRelieved' && n.link === `/proposals/${id}`),
    ).toBe(true);
    expect((await noticesOf(lead)).some((n) => n.kind === 'proposalRelieved' && n.link === `/proposals/${id}`)).toBe(
      false,
    );
    expect((await act(staff, id, { type: 'assign', lead: 'dep-cgj' })).status).toBe(200);
    // Each department may ask once: the new one has not asked yet.
    expect((await call(lead, `/proposals/${id}`)).body.viewer.actions).toContain('requestReassign');
    const again = await act(lead, id, { type: 'requestReassign', reason: '路灯由街道管理' });
    expect(again.body.proposal).toMatchObject({ state: 'reassignRequested', reassignRequests: 1 });
    await act(staff, id, { type: 'grantReassign' });
    // Assigned back to a department that has asked before, it may not ask again.
    await act(staff, id, { type: 'assign', lead: 'dep-scjg' });
    expect((await act(coHandler, id, { type: 'requestReassign', reason: '再次申请' })).status).toBe(409);
  });

  it('lets staff refuse a reassignment with a reason: the department keeps it and may not ask again', async () => {
    const id = await accepted();
    await act(staff, id, { type: 'assign', lead: 'dep-cgj' });
    // A request without a reason is refused; with one it reaches staff.
    expect((await act(lead, id, { type: 'requestReassign' })).status).toBe(400);
    const asked = await act(lead, id, { type: 'requestReassign', reason: '涉及多个部门' });
    expect(asked.body.proposal).toMatchObject({ state: 'reassignRequested', reassignRequests: 1 });
    const told = (await noticesOf(staff)).find(
      (n) => n.kind === 'proposalReassignRequested' && n.link === `/proposals/${id}`,
    );
    expect(told?.params.reason).toBe('涉及多个部门');
    expect((await act(staff, id, { type: 'refuseReassign' })).status).toBe(400);
    const before = (await noticesOf(lead)).filter((n) => n.link === `/proposals/${id}`).length;
    const refused = await act(staff, id, { type: 'refuseReassign', reason: '路灯属城管局职责' });
    expect(refused.body.proposal).toMatchObject({ state: 'assigned', lead: { id: 'dep-cgj' } });
    expect(refused.body.proposal.trail.at(-1)).toMatchObject({ action: 'refuseReassign', note: '路灯属城管局职责' });
    // The department hears it is still theirs, and may not ask a second time.
    const after = (await noticesOf(lead)).filter((n) => n.link === `/proposals/${id}`);
    expect(after).toHaveLength(before + 1);
    expect(after.some((n) => n.kind === 'proposalAssigned')).toBe(true);
    expect((await call(lead, `/proposals/${id}`)).body.viewer.actions).not.toContain('requestReassign');
    expect((await act(lead, id, { type: 'requestReassign', reason: '再次申请' })).status).toBe(409);
  });

  it('marks a key proposal with a leading leader, who may chase it', async () => {
    const id = await accepted();
    expect((await act(staff, id, { type: 'markKey', leaderId: 'ldr-nobody' })).status).toBe(400);
    const key = await act(staff, id, { type: 'markKey', leaderId: 'ldr-sun-lixin' });
    expect(key.body.proposal).toMatchObject({ key: true, leader: { id: 'ldr-sun-lixin' } });
    expect((await noticesOf(leader)).some((n) => n.kind === 'proposalKey')).toBe(true);
    // The leader's desk lists the key proposals whose supervision they lead; nobody else's does.
    const desk = await call<{ proposals: Array<{ id: string; key: boolean }> }>(leader, '/proposals?scope=supervised');
    expect(desk.status).toBe(200);
    expect(desk.body.proposals.find((p) => p.id === id)).toMatchObject({ key: true });
    const others = await call<{ proposals: Array<{ id: string }> }>(author, '/proposals?scope=supervised');
    expect(others.body.proposals.map((p) => p.id)).not.toContain(id);
    // Nothing to chase before 交办.
    expect((await act(leader, id, { type: 'chase' })).status).toBe(409);
    await act(staff, id, { type: 'assign', lead: 'dep-cgj' });
    const chased = await act(leader, id, { type: 'chase', note: '请加快办理' });
    expect(chased.body.proposal.chases).toBe(1);
    // One chase log: the lead department's tracking item's, where the department hears of it.
    const item = await call<{ item: { chases: Array<{ byName: string; note: string }> } }>(
      staff,
      `/tracking/${encodeURIComponent(chased.body.proposal.trackingId ?? '')}`,
    );
    expect(item.body.item.chases).toMatchObject([{ note: '请加快办理' }]);
    expect(
      (await noticesOf(lead)).some(
        (n) =>
          n.kind === 'trackingChased' && n.link.includes(encodeURIComponent(chased.body.proposal.trackingId ?? '')),
      ),
    ).toBe(true);
    expect((await act(author, id, { type: 'chase' })).status).toBe(403);
    // The rubric weighs it: the proposer's record counts under the key-proposal rule too.
    const mine = await call<MemberDutyResponse>(author, '/duty/me');
    const keyLine = mine.body.score?.lines.find((l) => l.ruleId === 'keyProposal');
    expect(keyLine?.counted.map((c) => c.entryId)).toContain(`pp:${id}:author`);
  });

  it('lets an invited co-signer decline with a reason: the proposer hears it, and it earns them nothing', async () => {
    const id = await draft();
    const [declining, signing] = cosigners as [string, string];
    await act(author, id, { type: 'invite', memberIds: [declining, signing] });
    const declined = await act(declining, id, { type: 'declineCosign', reason: '不熟悉该领域' });
    expect(declined.status).toBe(200);
    expect(declined.body.proposal.cosigners.find((c) => c.memberId === declining)?.status).toBe('declined');
    expect(declined.body.proposal.trail.at(-1)).toMatchObject({ action: 'declineCosign', note: '不熟悉该领域' });
    const answers = (await noticesOf(author)).filter((n) => n.kind === 'proposalCosignAnswered' && n.link.endsWith(id));
    expect(answers.map((n) => n.params.answer)).toEqual(['declined']);
    // Having declined, they may not sign after all; the other signs, and only they earn a record.
    expect((await act(declining, id, { type: 'acceptCosign' })).status).toBe(403);
    await act(signing, id, { type: 'acceptCosign' });
    await act(author, id, { type: 'submit' });
    await act(staff, id, { type: 'accept' });
    const records = await entries()
      .find({ _id: { $in: cosigners.map((c) => `pp:${id}:cosign:${c}`) } })
      .toArray();
    expect(records.map((r) => r._id)).toEqual([`pp:${id}:cosign:${signing}`]);
  });
});

describe('concurrent steps and numbering', () => {
  it('lets only one of two staff accepting at once succeed', async () => {
    const id = await draft();
    await act(author, id, { type: 'submit' });
    const results = await Promise.all([
      act(staff, id, { type: 'accept' }),
      act(demo.recorderId, id, { type: 'reject', reason: '不予立案' }),
      act(staff, id, { type: 'toLetter', reason: '转来信' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const trail = (await call(staff, `/proposals/${id}`)).body.proposal.trail;
    expect(trail.filter((e) => ['accept', 'reject', 'toLetter'].includes(e.action))).toHaveLength(1);
  });

  it('gives proposals submitted at once distinct numbers in sequence, and one number per proposal', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map((n) => draft(author, `同时提交的提案${n}`)));
    const res = await Promise.all([...ids, ids[0] ?? ''].map((id) => act(author, id, { type: 'submit' })));
    expect(res.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 409]);
    const numbers = res.filter((r) => r.status === 200).map((r) => r.body.proposal.number ?? '');
    expect(new Set(numbers).size).toBe(4);
    const seqs = numbers.map((n) => Number(n.split('-')[1])).sort((a, b) => a - b);
    expect((seqs.at(-1) ?? 0) - (seqs[0] ?? 0)).toBe(3);
    const taken = await server.conn.collection('proposal_numbers').countDocuments({ proposalId: { $in: ids } });
    expect(taken).toBe(4);
  });
});

describe('the proposal period', () => {
  it('refuses submissions outside the period staff set, and takes them again once open', async () => {
    const id = await draft();
    expect((await send(author, '/proposals/period', { opensOn: null, closesOn: null }, 'PUT')).status).toBe(403);
    expect(
      (await send(staff, '/proposals/period', { opensOn: '2030-02-01', closesOn: '2030-01-01' }, 'PUT')).status,
    ).toBe(400);
    const closed = await send(staff, '/proposals/period', { opensOn: '2001-01-01', closesOn: '2001-03-31' }, 'PUT');
    expect(closed.body).toMatchObject({ open: false });
    const refused = await act(author, id, { type: 'submit' });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.message).toContain('2001-03-31');
    await send(staff, '/proposals/period', { opensOn: null, closesOn: null }, 'PUT');
    expect((await act(author, id, { type: 'submit' })).status).toBe(200);
  });
});

describe('statistics and export', () => {
  it('counts by state, department and sector for staff, exported as CSV and XLSX', async () => {
    // The server's year is the committee's (China time), not this machine's.
    const year = Number(todayInChina().slice(0, 4));
    expect((await call(author, `/proposals/stats?year=${year}`)).status).toBe(403);
    const stats = await call<ProposalStatsResponse>(staff, `/proposals/stats?year=${year}`);
    expect(stats.status).toBe(200);
    expect(stats.body.total.satisfied).toBeGreaterThanOrEqual(1);
    // Satisfaction counts each proposal's latest feedback: the 不满意 before the second reply is superseded.
    expect(stats.body.total.dissatisfied).toBe(0);
    expect(stats.body.byDepartment.map((d) => d.key)).toContain('市城市管理局');
    expect(stats.body.byState.find((s) => s.key === 'closed')?.label).toBe('办结');
    // The department that answered both rounds in time, and was found satisfying, shows it.
    const cgj = stats.body.byDepartment.find((d) => d.key === '市城市管理局');
    expect(cgj?.onTime).toBeGreaterThanOrEqual(1);
    expect(cgj?.onTimeRate).toBeGreaterThan(0);
    expect(cgj?.satisfactionRate).toBe(1);
    // The proposer's sector (民盟) counts the proposals its members drafted.
    expect(stats.body.bySector.find((r) => r.key === '民盟')?.total).toBeGreaterThanOrEqual(1);

    const csv = await fetch(`${server.url}/api/proposals/stats.csv?year=${year}`, {
      headers: { cookie: await cookieOf(staff) },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const raw = new Uint8Array(await csv.arrayBuffer());
    // A byte-order mark, so that Excel reads it as UTF-8.
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(raw);
    expect(text).toContain('按主办单位');
    expect(text).toContain('市城市管理局');
    expect(text).toContain('按界别');
    expect(text).toContain('按期答复率');
    expect(text).toContain('满意率');
    const xlsx = await fetch(`${server.url}/api/proposals/stats.xlsx?year=${year}`, {
      headers: { cookie: await cookieOf(staff) },
    });
    expect(xlsx.status).toBe(200);
    expect(new Uint8Array(await xlsx.arrayBuffer()).subarray(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    expect((await call(staff, '/proposals/stats?year=abc')).status).toBe(400);
  });
});

describe('proposals in a group’s name', () => {
  const texts = {
    title: '关于加强中小学心理健康教育的建议',
    case: '学生心理问题增多。',
    suggestions: '配齐专职心理教师。',
  };

  it('lets a member propose for their own sector, not another; a party group’s name is staff’s to enter', async () => {
    const own = await send(author, '/proposals', { ...texts, proposer: { kind: 'sector', id: 'sec-minmeng' } });
    expect(own.status).toBe(201);
    expect(own.body.proposal.proposer).toEqual({ kind: 'sector', id: 'sec-minmeng', name: '民盟' });
    expect(own.body.proposal.author.id).toBe(author);
    const other = await send(author, '/proposals', { ...texts, proposer: { kind: 'sector', id: 'sec-cpc' } });
    expect(other.status).toBe(403);
    // Party groups are no member-linked records: no member's belonging can be checked.
    const asMember = await send(stranger, '/proposals', {
      ...texts,
      proposer: { kind: 'partyGroup', name: '农工党海安支部' },
    });
    expect(asMember.status).toBe(403);
    const party = await send(staff, '/proposals', {
      ...texts,
      proposer: { kind: 'partyGroup', name: '农工党海安支部' },
    });
    expect(party.status).toBe(201);
    expect(party.body.proposal.proposer).toMatchObject({ kind: 'partyGroup', name: '农工党海安支部' });
  });
});

describe('bad input', () => {
  it('answers clear 400s and 413s, never a 500', async () => {
    expect((await send(author, '/proposals', { title: '', case: 'x', suggestions: 'y' })).status).toBe(400);
    expect((await send(author, '/proposals', { title: 'x', case: 'x', suggestions: 'y', extra: 1 })).status).toBe(400);
    expect(
      (
        await send(author, '/proposals', {
          title: 'x',
          case: 'x',
          suggestions: 'y',
          proposer: { kind: 'workingGroup', id: 'wg-nothere' },
        })
      ).status,
    ).toBe(400);
    expect((await send(lead, '/proposals', { title: 'x', case: 'x', suggestions: 'y' })).status).toBe(403);
    const id = await draft();
    expect((await act(author, id, { type: 'invite', memberIds: [lead] })).status).toBe(400);
    expect((await act(author, id, { type: 'invite', memberIds: [author] })).status).toBe(400);
    expect((await act(author, id, { type: 'fly' })).status).toBe(400);
    expect((await call(author, '/proposals?scope=everything')).status).toBe(400);
    expect((await call(author, '/proposals?scope=all')).status).toBe(403);

    const html = await call(author, `/proposals/${id}/files`, {
      method: 'POST',
      body: form({}, [{ name: 'x.html', type: 'text/html', bytes: new Uint8Array([60, 98, 62]) }]),
    });
    expect(html.status).toBe(400);
    const big = await call(author, `/proposals/${id}/files`, {
      method: 'POST',
      body: form({}, [{ name: 'big.pdf', type: 'application/pdf', bytes: new Uint8Array(5 * 1024 * 1024 + 1) }]),
    });
    expect(big.status).toBe(413);
    const ok = await call(author, `/proposals/${id}/files`, {
      method: 'POST',
      body: form({}, [{ name: '现场照片.pdf', type: 'application/pdf', bytes: pdf }]),
    });
    expect(ok.body.proposal.attachments.map((a) => a.fileName)).toEqual(['现场照片.pdf']);
    expect(await server.conn.collection('proposal_files').countDocuments({ proposalId: id })).toBe(1);

    const acc = await accepted();
    expect((await act(staff, acc, { type: 'assign', lead: 'dep-nothere' })).status).toBe(400);
    expect((await act(staff, acc, { type: 'assign', lead: 'dep-cgj', co: ['dep-cgj'] })).status).toBe(400);
    expect((await act(staff, acc, { type: 'assign', lead: 'dep-cgj', deadline: '2001-01-01' })).status).toBe(400);
    await act(staff, acc, { type: 'assign', lead: 'dep-cgj' });
    expect((await reply(lead, acc, { text: '', replyClass: 'solved' })).status).toBe(400);
    expect((await reply(lead, acc, { text: '答复', replyClass: 'done' })).status).toBe(400);
  });
});

describe('the full list', () => {
  it('comes a page at a time, newest first, without texts, and is searched by title', async () => {
    const tag = `分页${Date.now()}`;
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const id = await draft(author, `关于${tag}第${n}件的建议`);
      expect((await act(author, id, { type: 'submit' })).status).toBe(200);
      ids.push(id);
    }
    const unsubmitted = await draft(author, `关于${tag}草稿的建议`);
    type Page = { proposals: Array<Record<string, unknown> & { id: string; createdAt: string }>; next: string | null };
    const seen: Page['proposals'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/proposals?scope=all&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: Answer<Page> = await call<Page>(staff, path);
      expect(page.status).toBe(200);
      expect(page.body.proposals.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.proposals);
      cursor = page.body.next;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(seen.map((p) => p.id)).size).toBe(seen.length);
    expect(seen.map((p) => p.id)).toEqual(expect.arrayContaining(ids));
    expect(seen.map((p) => p.id)).not.toContain(unsubmitted);
    const times = seen.map((p) => p.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    for (const p of seen) {
      expect(p).not.toHaveProperty('case');
      expect(p).not.toHaveProperty('suggestions');
      expect(p).not.toHaveProperty('trail');
    }
    const found = await call<Page>(staff, `/proposals?scope=all&q=${encodeURIComponent(tag)}`);
    expect(found.body.proposals.map((p) => p.id)).toEqual([...ids].reverse());
    expect(found.body.next).toBeNull();
    expect((await call(staff, '/proposals?scope=all&q=.*')).body).toMatchObject({ proposals: [] });
    expect((await call(staff, '/proposals?scope=all&cursor=nonsense')).status).toBe(400);
    expect((await call(staff, '/proposals?scope=all&limit=0')).status).toBe(400);
  });
});
