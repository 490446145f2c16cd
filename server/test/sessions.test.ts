/**
 * The sessions module: who may manage a session (conveners and staff), who may enter it (the
 * conveners, invitees, staff, and every member of an open plenary), RSVP with leave (请假) and
 * the absence without leave derived from it after close, a topic with two rounds, and the
 * after-close step whose subscribers each run once.
 */
import { randomUUID } from 'node:crypto';
import {
  type AuditEntryView,
  DashboardResponse,
  DutyEntriesResponse,
  MySessionsResponse,
  monthPeriod,
  ProposeTopicResponse,
  SessionDetailResponse,
  SessionsResponse,
  TopicResponse,
  TopicTrail,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createLogger } from '../src/logger';
import { AfterClose, notInvitedMessage } from '../src/sessions';
import {
  connectSocket,
  demo,
  joinAs,
  must,
  openPoll,
  request,
  signIn,
  signInAsGuest,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

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

async function call(memberId: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await cookieOf(memberId) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const errorOf = (r: { json: Record<string, unknown> }) =>
  r.json.error as { code?: string; message?: string } | undefined;

const staff = demo.staffId;
const convener = 'm-he-jun';
/** The economy group's session invites these (demo seed); m-yuan-mei is not among them. */
const invited = 'm-hu-zhiyong';
const uninvited = 'm-yuan-mei';

/** Opens a socket as `memberId` and tries to join `sessionId`; resolves with the ack. */
async function tryJoin(memberId: string, sessionId: string) {
  const socket = await connectSocket(server.url, await cookieOf(memberId));
  server.sockets.push(socket);
  return { socket, ack: await request(socket, 'room:join', { sessionId }) };
}

/** The HTTP status the minutes socket's upgrade answers for `memberId` (101 when it opens). */
function minutesStatus(memberId: string, sessionId: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/minutes/${sessionId}`, { headers: { cookie } });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', (err) => {
      if (!String(err).includes('Unexpected server response')) reject(new Error(`${memberId}: ${String(err)}`));
    });
  });
}

async function createSession(body: Record<string, unknown>) {
  const r = await call(staff, 'POST', '/sessions', {
    topic: '社区养老服务站运营协商',
    roomId: demo.roomId,
    scheduledAt: '2026-12-20T14:30:00+08:00',
    mode: 'hybrid',
    firstConvenerId: convener,
    agenda: [{ title: '协商讨论', plannedMinutes: 30 }],
    ...body,
  });
  expect(r.status).toBe(201);
  return SessionDetailResponse.parse(r.json).session;
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('managing a session', () => {
  it('staff create; conveners and staff edit, reschedule and cancel; others are refused', async () => {
    const valid = {
      topic: '议题',
      roomId: demo.roomId,
      scheduledAt: '2026-12-20T14:30:00+08:00',
      mode: 'hall',
      firstConvenerId: convener,
    };
    // A valid body, so that the refusal is the rights check's and not the body's.
    for (const who of [uninvited, convener]) {
      const refused = await call(who, 'POST', '/sessions', valid);
      expect(refused.status, who).toBe(403);
      expect(errorOf(refused)?.code, who).toBe('FORBIDDEN');
    }

    const s = await createSession({ invitees: [{ memberId: 'm-ma-li', role: 'member' }] });
    expect(s).toMatchObject({ state: 'scheduled', cancelled: false, secondConvenerId: null, manage: true });
    expect(s.invitations.map((i) => [i.memberId, i.role, i.answer])).toEqual([['m-ma-li', 'member', 'pending']]);

    // An invitee answers for themselves but does not manage.
    expect((await call('m-ma-li', 'PATCH', `/sessions/${s.id}`, { mode: 'online' })).status).toBe(403);
    expect((await call(uninvited, 'POST', `/sessions/${s.id}/cancel`, { reason: '无' })).status).toBe(403);
    const patched = await call(convener, 'PATCH', `/sessions/${s.id}`, { mode: 'online', topic: '社区养老服务站运营' });
    expect(patched.status).toBe(200);
    expect(SessionDetailResponse.parse(patched.json).session).toMatchObject({
      mode: 'online',
      topic: '社区养老服务站运营',
    });
    const moved = await call(convener, 'POST', `/sessions/${s.id}/reschedule`, {
      scheduledAt: '2026-12-21T09:00:00+08:00',
    });
    expect(SessionDetailResponse.parse(moved.json).session.scheduledAt).toBe('2026-12-21T01:00:00.000Z');

    const audited = new Promise<AuditEntryView>((resolve) => {
      const stop = server.app.audit.onRecorded((entry) => {
        if (entry.action !== 'session.cancel') return;
        stop();
        resolve(entry);
      });
    });
    const cancelled = await call(staff, 'POST', `/sessions/${s.id}/cancel`, { reason: '场地检修，另行通知' });
    expect(await audited).toMatchObject({
      actor: { id: staff },
      target: s.id,
      details: { reason: '场地检修，另行通知' },
    });
    expect(SessionDetailResponse.parse(cancelled.json).session).toMatchObject({
      cancelled: true,
      cancelReason: '场地检修，另行通知',
    });
    // Cancelled: the plan no longer changes, nobody answers, and the room does not start.
    expect(errorOf(await call(convener, 'PATCH', `/sessions/${s.id}`, { mode: 'hall' }))?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
    expect(errorOf(await call('m-ma-li', 'POST', `/sessions/${s.id}/rsvp`, { answer: 'attend' }))?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
    const chair = await joinAs(server, convener, s.id);
    const start = await request(chair, 'session:start', {});
    expect(start.ok ? null : start.error.code).toBe('ILLEGAL_TRANSITION');

    // The invitee heard of the cancellation, with the reason.
    const notes = await call('m-ma-li', 'GET', '/notifications');
    const kinds = (notes.json.notifications as Array<{ kind: string; params: Record<string, string> }>).filter(
      (n) => n.kind === 'sessionCancelled',
    );
    expect(kinds.map((n) => n.params.reason)).toEqual(['场地检修，另行通知']);
  });

  it('refuses bad bodies with a clear error', async () => {
    const s = await createSession({});
    expect(errorOf(await call(staff, 'POST', `/sessions/${s.id}/invitees`, { invitees: [] }))?.code).toBe(
      'BAD_REQUEST',
    );
    const unknown = await call(staff, 'POST', `/sessions/${s.id}/invitees`, {
      invitees: [{ memberId: 'm-nobody', role: 'member' }],
    });
    expect(errorOf(unknown)?.message).toContain('m-nobody');
    expect((await call(staff, 'POST', `/sessions/${s.id}/rsvp`, { answer: 'leave' })).status).toBe(400);
    expect((await call(staff, 'POST', `/sessions/${s.id}/reschedule`, { scheduledAt: 'tomorrow' })).status).toBe(400);
  });

  it('names as first convener only an active member appointed to convene, as second only an active official', async () => {
    const refusal = async (body: Record<string, unknown>) => {
      const r = await call(staff, 'POST', '/sessions', {
        topic: '议题',
        roomId: demo.roomId,
        scheduledAt: '2026-12-20T14:30:00+08:00',
        mode: 'hall',
        firstConvenerId: convener,
        ...body,
      });
      expect(r.status, JSON.stringify(body)).toBe(400);
      return errorOf(r)?.message ?? '';
    };
    // Not appointed to convene, staff, an official: no first convener.
    for (const firstConvenerId of [invited, staff, 'o-zhao-ming']) {
      expect(await refusal({ firstConvenerId })).toContain('firstConvenerId');
    }
    // A member, staff: no second convener.
    for (const secondConvenerId of [invited, staff]) {
      expect(await refusal({ secondConvenerId })).toContain('secondConvenerId');
    }
    // Deactivated accounts are refused in either seat, also when a planned session's second is changed.
    const s = await createSession({});
    expect((await call(staff, 'POST', '/accounts/o-zhao-ming/deactivate', {})).status).toBe(200);
    expect((await call(staff, 'POST', '/accounts/m-zhu-wenbin/deactivate', {})).status).toBe(200);
    expect(await refusal({ secondConvenerId: 'o-zhao-ming' })).toContain('secondConvenerId');
    expect(await refusal({ firstConvenerId: 'm-zhu-wenbin' })).toContain('firstConvenerId');
    const changed = await call(staff, 'PATCH', `/sessions/${s.id}`, { secondConvenerId: 'o-zhao-ming' });
    expect(errorOf(changed)?.code).toBe('BAD_REQUEST');
    // An active official and a convening member are taken.
    const ok = await call(staff, 'PATCH', `/sessions/${s.id}`, { secondConvenerId: 'o-liu-jianguo' });
    expect(SessionDetailResponse.parse(ok.json).session.secondConvenerId).toBe('o-liu-jianguo');
  });
});

describe('membership decides entry', () => {
  it('an invitee joins; an uninvited member is refused on the room, the minutes socket and REST reads', async () => {
    const session = demo.secondSessionId;
    await joinAs(server, invited, session);
    const { ack } = await tryJoin(uninvited, session);
    expect(ack.ok).toBe(false);
    if (!ack.ok) {
      expect(ack.error.code).toBe('FORBIDDEN');
      expect(ack.error.message).toContain('你不在本次协商的邀请名单中');
    }
    // An official not invited is refused too; staff run every session.
    expect((await tryJoin('o-sun-lixin', session)).ack.ok).toBe(true); // the leader holds a role
    expect((await tryJoin(demo.staffId, session)).ack.ok).toBe(true);

    expect(await minutesStatus(uninvited, session, await cookieOf(uninvited))).toBe(403);
    expect(await minutesStatus(invited, session, await cookieOf(invited))).toBe(101);

    const draft = await call(uninvited, 'GET', `/sessions/${session}/minutes`);
    expect(draft.status).toBe(403);
    // The same refusal the room gives, in the committee's words first.
    expect(errorOf(draft)).toMatchObject({ code: 'FORBIDDEN', message: notInvitedMessage });
    const exported = await call(uninvited, 'GET', `/sessions/${session}/minutes/export.md`);
    expect(errorOf(exported)).toMatchObject({ code: 'FORBIDDEN', message: notInvitedMessage });
    expect((await call(invited, 'GET', `/sessions/${session}/minutes`)).status).toBe(200);
    const detail = await call(uninvited, 'GET', `/sessions/${session}/detail`);
    expect(errorOf(detail)).toMatchObject({ code: 'FORBIDDEN' });
    expect((await call(uninvited, 'GET', `/sessions/${session}`)).status).toBe(403);
    expect((await call(uninvited, 'GET', '/sessions/no-such-session')).status).toBe(404);
    // The list shows only sessions one may enter.
    const listed = SessionsResponse.parse((await call(uninvited, 'GET', '/sessions')).json).sessions.map((s) => s.id);
    expect(listed).toContain(demo.sessionId);
    expect(listed).not.toContain(session);
    const mine = MySessionsResponse.parse((await call(invited, 'GET', '/sessions/mine')).json).sessions;
    expect(mine.find((s) => s.id === session)?.invitation).toMatchObject({ role: 'member', answer: 'pending' });
  });

  it('an open plenary lets every member in as a member, not an uninvited official', async () => {
    const s = await createSession({ openToAll: true });
    const member = await tryJoin('m-xie-fang', s.id);
    expect(member.ack.ok).toBe(true);
    expect((await tryJoin('o-liu-jianguo', s.id)).ack.ok).toBe(false);
  });

  it('an uninvited member neither votes nor moves the quorum base; invited while live, they may', async () => {
    const s = await createSession({ invitees: [{ memberId: 'm-song-tao', role: 'member' }] });
    const chair = await joinAs(server, convener, s.id);
    await must(chair, 'session:start', {});
    const voter = await joinAs(server, 'm-song-tao', s.id);
    const outsider = await tryJoin('m-gao-ya', s.id);
    expect(outsider.ack.ok).toBe(false);

    const poll = await openPoll(chair, yesNoPoll('是否同意延长服务时间?'));
    const refused = await request(outsider.socket, 'vote:cast', {
      pollId: poll.id,
      ballotId: randomUUID(),
      content: { kind: 'yesno', choice: 'no' },
    });
    expect(refused.ok ? null : refused.error.code).toBe('NOT_JOINED');
    await must(voter, 'vote:cast', {
      pollId: poll.id,
      ballotId: randomUUID(),
      content: { kind: 'yesno', choice: 'yes' },
    });
    const closed = await must(chair, 'poll:close', { pollId: poll.id });
    // The convener and the one invited member: the outsider is not in the base.
    expect(closed.presentElectorate).toBe(2);

    // Invited now, the loaded room lets them in at once.
    await call(convener, 'POST', `/sessions/${s.id}/invitees`, {
      invitees: [{ memberId: 'm-gao-ya', role: 'member' }],
    });
    expect((await request(outsider.socket, 'room:join', { sessionId: s.id })).ok).toBe(true);

    // Taken off the list while present, a member leaves the room at once and no longer counts.
    const gone = new Promise<void>((resolve) => voter.once('disconnect', () => resolve()));
    expect((await call(convener, 'DELETE', `/sessions/${s.id}/invitees/m-song-tao`)).status).toBe(200);
    await gone;
    const { ack } = await tryJoin('m-song-tao', s.id);
    expect(ack.ok ? null : ack.error.code).toBe('FORBIDDEN');
    const later = await openPoll(chair, yesNoPoll('是否同意增设午间服务?'));
    expect((await must(chair, 'poll:close', { pollId: later.id })).presentElectorate).toBe(2);
  });
});

describe('RSVP, leave and absence without leave', () => {
  it('derives 缺席未请假 after close for the invited who were absent without approved leave only', async () => {
    const [came, excused, refusedLeave, silent, excusedButCame] = [
      'm-liang-xue',
      'm-dong-hai',
      'm-tian-jia',
      'm-peng-hui',
      'm-zeng-qing',
    ];
    const s = await createSession({
      invitees: [came, excused, refusedLeave, silent, excusedButCame].map((memberId) => ({ memberId, role: 'member' })),
    });
    expect((await call(came, 'POST', `/sessions/${s.id}/rsvp`, { answer: 'attend' })).status).toBe(200);
    for (const who of [excused, refusedLeave, excusedButCame]) {
      const r = await call(who, 'POST', `/sessions/${s.id}/rsvp`, { answer: 'leave', reason: '外出调研' });
      expect(SessionDetailResponse.parse(r.json).session.invitations).toEqual([
        expect.objectContaining({ memberId: who, answer: 'leave', leave: 'requested', leaveReason: '外出调研' }),
      ]);
    }
    // Someone not invited cannot answer; only staff decide on leave.
    expect((await call(uninvited, 'POST', `/sessions/${s.id}/rsvp`, { answer: 'attend' })).status).toBe(403);
    expect((await call(convener, 'POST', `/sessions/${s.id}/leave/${excused}`, { decision: 'approved' })).status).toBe(
      403,
    );
    expect(errorOf(await call(staff, 'POST', `/sessions/${s.id}/leave/${came}`, { decision: 'approved' }))?.code).toBe(
      'ILLEGAL_TRANSITION',
    );
    await call(staff, 'POST', `/sessions/${s.id}/leave/${excused}`, { decision: 'approved' });
    await call(staff, 'POST', `/sessions/${s.id}/leave/${excusedButCame}`, { decision: 'approved' });
    const decided = await call(staff, 'POST', `/sessions/${s.id}/leave/${refusedLeave}`, { decision: 'refused' });
    expect(
      SessionDetailResponse.parse(decided.json)
        .session.invitations.filter((i) => i.answer === 'leave')
        .map((i) => [i.memberId, i.leave]),
    ).toEqual([
      [excused, 'approved'],
      [refusedLeave, 'refused'],
      [excusedButCame, 'approved'],
    ]);

    const chair = await joinAs(server, convener, s.id);
    await must(chair, 'session:start', {});
    await joinAs(server, came, s.id);
    await joinAs(server, excusedButCame, s.id);
    await must(chair, 'session:close', {});
    await server.app.minutesIdle(s.id);

    const after = SessionDetailResponse.parse((await call(staff, 'GET', `/sessions/${s.id}/detail`)).json).session;
    expect([...after.absentWithoutLeave].sort()).toEqual([refusedLeave, silent].sort());
    // The duty ledger deducts exactly those two, once.
    const absences = async (memberId: string) =>
      DutyEntriesResponse.parse((await call(staff, 'GET', `/duty/entries?memberId=${memberId}`)).json).entries.filter(
        (e) => e.kind === 'absence' && e.sessionId === s.id,
      ).length;
    expect(await absences(refusedLeave)).toBe(1);
    expect(await absences(silent)).toBe(1);
    expect(await absences(excused)).toBe(0);
    expect(await absences(came)).toBe(0);
    expect(await absences(excusedButCame)).toBe(0);
    // An invitee sees their own row only.
    const own = SessionDetailResponse.parse((await call(silent, 'GET', `/sessions/${s.id}/detail`)).json).session;
    expect(own.invitations.map((i) => i.memberId)).toEqual([silent]);
    expect(own.absentWithoutLeave).toEqual([silent]);
  });
});

describe('topics', () => {
  it('accepts with the first convener alone, and holds two rounds (第二轮) shown on the trail', async () => {
    const proposed = await call(uninvited, 'POST', '/topics', {
      title: '老旧小区加装电梯费用分摊难',
      description: '居民多次反映',
      source: 'member',
    });
    const topicId = ProposeTopicResponse.parse(proposed.json).topic.id;
    const accepted = await call(demo.firstConvenerId, 'POST', `/topics/${topicId}/accept`, {
      seat: 'first',
      secondConvenerId: null,
      department: '市城市管理局',
    });
    expect(accepted.status).toBe(200);
    expect(TopicResponse.parse(accepted.json).topic).toMatchObject({ state: 'accepted', secondConvener: null });

    const plan = (day: number) => ({
      scheduledAt: `2026-12-${day}T14:30:00+08:00`,
      roomId: demo.roomId,
      mode: 'hybrid',
      agenda: [{ title: '协商讨论', plannedMinutes: 30 }],
      invitees: [{ memberId: 'm-xu-jing', role: 'member' }],
      followUp: day !== 11,
    });
    const first = TopicResponse.parse((await call(staff, 'POST', `/topics/${topicId}/schedule`, plan(11))).json).topic;
    const round1 = first.sessionId ?? '';
    const chair = await joinAs(server, demo.firstConvenerId, round1);
    await must(chair, 'session:start', {});
    await must(chair, 'session:close', {});
    await server.app.minutesIdle(round1);
    expect(TopicResponse.parse((await call(staff, 'GET', `/topics/${topicId}`)).json).topic.state).toBe('deliberated');

    // Once held, another round is scheduled only when asked for as a follow-up.
    const unasked = await call(staff, 'POST', `/topics/${topicId}/schedule`, { ...plan(18), followUp: undefined });
    expect(errorOf(unasked)?.code).toBe('ILLEGAL_TRANSITION');
    const second = await call(staff, 'POST', `/topics/${topicId}/schedule`, plan(18));
    expect(second.status).toBe(200);
    const topic = TopicResponse.parse(second.json).topic;
    // The topic stays held; its trail gains the round.
    expect(topic.state).toBe('deliberated');
    expect(topic.sessionId).not.toBe(round1);
    expect(topic.history.at(-1)?.note).toContain('第2轮');
    const trail = TopicTrail.parse((await call(staff, 'GET', `/topics/${topicId}/trail`)).json);
    expect(trail.rounds.map((r) => [r.id, r.state])).toEqual([
      [round1, 'closed'],
      [topic.sessionId, 'scheduled'],
    ]);
    // Each round's invitee may enter it; a member not invited may not.
    expect((await tryJoin('m-xu-jing', topic.sessionId ?? '')).ack.ok).toBe(true);
    expect((await tryJoin('m-han-lei', topic.sessionId ?? '')).ack.ok).toBe(false);
  });

  it('the trail shows a live session’s draft polls and outcomes to its members only; outsiders see what is released', async () => {
    const proposed = await call(uninvited, 'POST', '/topics', {
      title: '背街小巷停车秩序混乱',
      description: '夜间占道停车',
      source: 'member',
    });
    const topicId = ProposeTopicResponse.parse(proposed.json).topic.id;
    expect(
      (
        await call(demo.firstConvenerId, 'POST', `/topics/${topicId}/accept`, {
          seat: 'first',
          secondConvenerId: null,
          department: '市城市管理局',
        })
      ).status,
    ).toBe(200);
    const scheduled = await call(staff, 'POST', `/topics/${topicId}/schedule`, {
      scheduledAt: '2026-12-23T14:30:00+08:00',
      roomId: demo.roomId,
      mode: 'hybrid',
      agenda: [{ title: '协商讨论', plannedMinutes: 30 }],
      invitees: [{ memberId: 'm-xu-jing', role: 'member' }],
    });
    const sessionId = TopicResponse.parse(scheduled.json).topic.sessionId ?? '';
    const chair = await joinAs(server, demo.firstConvenerId, sessionId);
    await must(chair, 'session:start', {});
    const draft = await must(chair, 'poll:create', { settings: yesNoPoll('是否划定夜间临时停车区（草稿）') });
    const held = await openPoll(chair, yesNoPoll('是否增设潮汐车位'));
    await must(chair, 'poll:close', { pollId: held.id });
    await must(chair, 'outcome:save', {
      outcomeId: null,
      text: '三个月内增设潮汐车位',
      department: '市城市管理局',
      deadline: '2027-03-31',
      pollId: held.id,
      suggestionIds: [],
      record: true,
    });
    const trailOf = async (who: string) => {
      const r = await call(who, 'GET', `/topics/${topicId}/trail`);
      expect(r.status, who).toBe(200);
      return TopicTrail.parse(r.json);
    };

    // Live: an uninvited member (here the proposer) sees neither the draft poll, nor the closed
    // but unpublished one, nor the recorded outcome.
    const outside = await trailOf(uninvited);
    expect(outside.session?.id).toBe(sessionId);
    expect(outside.polls).toEqual([]);
    expect(outside.outcomes).toEqual([]);
    // The invitee and staff see them as the room does.
    for (const who of ['m-xu-jing', staff]) {
      const inside = await trailOf(who);
      expect(inside.polls.map((p) => [p.id, p.stage]).sort(), who).toEqual(
        [
          [draft.id, 'draft'],
          [held.id, 'closed'],
        ].sort(),
      );
      expect(
        inside.outcomes.map((o) => o.text),
        who,
      ).toEqual(['三个月内增设潮汐车位']);
    }
    // A guest of another session sees nothing of this one.
    const guest = await signInAsGuest(server.url, await cookieOf(staff), 'stakeholder', '访客甲');
    const guestTrail = TopicTrail.parse(
      await (await fetch(`${server.url}/api/topics/${topicId}/trail`, { headers: { cookie: guest } })).json(),
    );
    expect(guestTrail).toMatchObject({ session: null, rounds: [], polls: [], outcomes: [], minutesStatus: null });

    // Published and closed: the released parts appear outside; the draft poll and the unreleased minutes do not.
    await must(chair, 'poll:publish', { pollId: held.id });
    await must(chair, 'session:close', {});
    await server.app.minutesIdle(sessionId);
    const after = await trailOf(uninvited);
    expect(after.polls.map((p) => [p.id, p.stage])).toEqual([[held.id, 'published']]);
    expect(after.polls[0]?.result).toBeTruthy();
    expect(after.outcomes.map((o) => o.text)).toEqual(['三个月内增设潮汐车位']);
    expect(after.minutesStatus).toBeNull();
    expect((await trailOf('m-xu-jing')).minutesStatus).not.toBeNull();
  });
});

describe('the second convener is optional', () => {
  it('the dashboard counts only sessions that had a second convener', async () => {
    const held = async (secondConvenerId: string | null) => {
      const s = await createSession({ scheduledAt: '2027-03-10T14:30:00+08:00', secondConvenerId });
      const chair = await joinAs(server, convener, s.id);
      await must(chair, 'session:start', {});
      await must(chair, 'session:close', {});
      await server.app.minutesIdle(s.id);
    };
    await held('o-liu-jianguo');
    await held(null);
    await held(null);
    const march = monthPeriod(2027, 3);
    const r = await call(staff, 'GET', `/reports/dashboard?from=${march.from}&to=${march.to}`);
    expect(r.status).toBe(200);
    expect(DashboardResponse.parse(r.json).totals).toMatchObject({ sessions: 3, withSecondConvener: 1 });
  });
});

describe('after close', () => {
  it('runs each subscriber once, also when another throws; a re-run runs only the failed one', async () => {
    const s = await createSession({});
    const chair = await joinAs(server, convener, s.id);
    await must(chair, 'session:start', {});
    await must(chair, 'session:close', {});
    await server.app.minutesIdle(s.id);

    // The server's own step has run for this session; this one starts from a clean slate.
    await server.conn.collection('session_after_close').deleteMany({ sessionId: s.id });
    const runs = { minutes: 0, tracking: 0, scoring: 0 };
    const errors: string[] = [];
    const logger = Object.assign(createLogger('silent'), {
      error: (_o: unknown, msg: string) => errors.push(msg),
    });
    const step = new AfterClose(server.conn, {
      logger,
      session: async (id) => server.app.models.Session.findById(id).lean(),
      person: async (id) => ({ id, name: id }),
    });
    let failNext = true;
    step.subscribe('minutes', async () => {
      runs.minutes += 1;
      if (failNext) {
        failNext = false;
        throw new Error('the minutes store is down');
      }
    });
    step.subscribe('tracking', async (e) => {
      expect(e).toMatchObject({ sessionId: s.id, closedBy: { id: staff }, session: { state: 'closed' } });
      runs.tracking += 1;
    });
    step.subscribe('scoring', async () => {
      runs.scoring += 1;
    });
    expect(() => step.subscribe('scoring', async () => undefined)).toThrow();

    expect(await step.run(s.id, staff)).toEqual(['minutes']);
    expect(runs).toEqual({ minutes: 1, tracking: 1, scoring: 1 });
    expect(errors).toEqual(['after-close step minutes failed']);
    expect(await step.run(s.id, staff)).toEqual([]);
    expect(runs).toEqual({ minutes: 2, tracking: 1, scoring: 1 });
    expect(await step.run(s.id, staff)).toEqual([]);
    expect(runs).toEqual({ minutes: 2, tracking: 1, scoring: 1 });
    // A session that is not closed runs nothing.
    expect(await step.run(demo.sessionId, staff)).toEqual([]);
    expect(runs).toEqual({ minutes: 2, tracking: 1, scoring: 1 });
  });
});

describe('session lists', () => {
  it('list live and coming sessions first, soonest first, then past ones newest first', async () => {
    // Past sessions of the demo, and one cancelled before its day.
    const gone = await createSession({ scheduledAt: '2026-12-21T09:00:00+08:00' });
    expect((await call(staff, 'POST', `/sessions/${gone.id}/cancel`, { reason: '场地调整' })).status).toBe(200);
    const mine = MySessionsResponse.parse((await call(staff, 'GET', '/sessions/mine')).json).sessions;
    const over = (s: (typeof mine)[number]) => s.cancelled || s.state === 'closed';
    const firstPast = mine.findIndex(over);
    expect(firstPast).toBeGreaterThan(0);
    const ahead = mine.slice(0, firstPast);
    const past = mine.slice(firstPast);
    expect(past.every(over)).toBe(true);
    expect(past.some((s) => s.id === gone.id)).toBe(true);
    expect(past.some((s) => s.state === 'closed')).toBe(true);
    const time = (s: { scheduledAt: string }) => Date.parse(s.scheduledAt);
    const live = ahead.filter((s) => s.state === 'live');
    expect(ahead.slice(0, live.length)).toEqual(live);
    const coming = ahead.slice(live.length).map(time);
    expect(coming).toEqual([...coming].sort((a, b) => a - b));
    expect(past.map(time)).toEqual(past.map(time).sort((a, b) => b - a));
    // The room list (no cancelled flag) follows the same order.
    const listed = SessionsResponse.parse((await call(staff, 'GET', '/sessions')).json).sessions;
    expect(listed.map((s) => s.id)).toEqual(mine.map((s) => s.id));
    // It says which are cancelled, so the lobby lists them with the past.
    expect(listed.filter((s) => s.cancelled).map((s) => s.id)).toEqual(
      mine.filter((s) => s.cancelled).map((s) => s.id),
    );
    expect(listed.find((s) => s.id === gone.id)?.cancelled).toBe(true);
  });
});
