/**
 * The role × event matrix, generated from the contract (shared/src/events.ts): every client
 * event, sent by a joined participant of every role, in every state of the session. A role
 * outside `eventRoles[event]` must get FORBIDDEN; a role inside it must get past the role check.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type Ack,
  type ClientEventName,
  type ClientPayload,
  clientEventSchemas,
  type ErrorCode,
  eventRoles,
  SessionRole,
} from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  choice,
  connectSocket,
  demo,
  must,
  request,
  signIn,
  signInAsGuest,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

const events = Object.keys(clientEventSchemas) as ClientEventName[];
const roles: readonly SessionRole[] = SessionRole.options;

/** What the probes need to know about the room. */
interface ProbeContext {
  /** A six-digit code that is not this hall's. */
  wrongHallCode: string;
  /** The agenda's item ids in their current order. */
  agendaIds: string[];
}

/**
 * A schema-valid payload per event, chosen so that an allowed call changes nothing that lasts
 * (ids of nothing, values the session already has), and a way to undo the few that must.
 * Typed over every event name: a new event does not compile until it has a probe.
 */
interface Probe<E extends ClientEventName> {
  payload: (ctx: ProbeContext) => ClientPayload<E>;
  /** Runs after the probe when it was accepted, to put the room back as it was. */
  undo?: (socket: ClientSocket) => Promise<unknown>;
}

const nobody = { memberId: 'm-nobody', pollId: 'p-nobody', itemId: 'a-nowhere', suggestionId: 'sg-nobody' };

const probes: { [E in ClientEventName]: Probe<E> } = {
  'room:join': { payload: () => ({ sessionId: demo.sessionId }) },
  'room:leave': {
    payload: () => ({}),
    undo: (s) => must(s, 'room:join', { sessionId: demo.sessionId }),
  },
  'room:snapshot': { payload: () => ({}) },
  'presence:page': { payload: () => ({ offset: 0, limit: 1 }) },
  'room:lock': { payload: () => ({ locked: false }) },
  // Lifecycle: run as transitions of their own (see below); as probes they start or close nothing
  // once the session is past that step.
  'session:start': { payload: () => ({}) },
  'session:close': { payload: () => ({}) },
  'agenda:add': { payload: () => ({ title: '探针', plannedMinutes: 5, afterItemId: nobody.itemId }) },
  'agenda:update': { payload: () => ({ itemId: nobody.itemId, title: '探针' }) },
  'agenda:remove': { payload: () => ({ itemId: nobody.itemId }) },
  // The order it already has.
  'agenda:reorder': { payload: (ctx) => ({ itemIds: ctx.agendaIds }) },
  'agenda:goto': { payload: () => ({ itemId: nobody.itemId }) },
  'hand:raise': {
    payload: () => ({ pointOfOrder: false }),
    undo: (s) => must(s, 'hand:lower', {}),
  },
  'hand:lower': { payload: () => ({}) },
  'queue:reorder': { payload: () => ({ memberIds: [] }) },
  'queue:remove': { payload: () => ({ memberId: nobody.memberId }) },
  'speaker:grant': {
    // Null gives the floor to the head of the queue, which the probes keep empty.
    payload: () => ({ memberId: null }),
    undo: (s) => must(s, 'speaker:end', {}),
  },
  'speaker:end': { payload: () => ({}) },
  'speaker:limit': { payload: () => ({ seconds: 180 }) },
  // Cannot be undone: an accepted suggestion is stored. Harmless for the other probes.
  'suggestion:submit': { payload: () => ({ text: '矩阵探针' }) },
  'suggestion:mark': { payload: () => ({ suggestionId: nobody.suggestionId, mark: 'highlighted' }) },
  // Cannot be undone either: leaves a draft poll nobody opens.
  'poll:create': { payload: () => ({ settings: yesNoPoll('矩阵探针') }) },
  'poll:update': { payload: () => ({ pollId: nobody.pollId, settings: yesNoPoll('矩阵探针') }) },
  'poll:open': { payload: () => ({ pollId: nobody.pollId }) },
  'poll:close': { payload: () => ({ pollId: nobody.pollId }) },
  'poll:publish': { payload: () => ({ pollId: nobody.pollId }) },
  'vote:cast': { payload: () => ({ pollId: nobody.pollId, ballotId: randomUUID(), content: choice('yes') }) },
  'vote:paper': {
    payload: () => ({
      pollId: nobody.pollId,
      ballotId: randomUUID(),
      memberId: nobody.memberId,
      content: choice('yes'),
    }),
  },
  'vote:paperBatch': {
    payload: () => ({ pollId: nobody.pollId, batchId: randomUUID(), entries: [{ content: choice('yes'), count: 1 }] }),
  },
  'checkin:code': { payload: (ctx) => ({ code: ctx.wrongHallCode }) },
  'checkin:member': { payload: () => ({ memberId: nobody.memberId }) },
  'checkin:search': { payload: () => ({ query: '陈' }) },
  'outcome:draft': { payload: () => ({ suggestionId: nobody.suggestionId }) },
  'outcome:save': {
    payload: () => ({
      outcomeId: 'oc-nobody',
      text: '探针',
      department: '市场监管局',
      deadline: null,
      pollId: null,
      suggestionIds: [],
      record: false,
    }),
  },
  'moderation:mute': { payload: () => ({ memberId: nobody.memberId, muted: false }) },
  'moderation:remove': { payload: () => ({ memberId: nobody.memberId }) },
  'moderation:allow': { payload: () => ({ memberId: nobody.memberId, allowed: false }) },
};

/**
 * Codes that are answered before the role is looked at (or instead of it): an allowed role
 * getting one of these has not shown that the role check let it through.
 */
const beforeRoleCheck: readonly ErrorCode[] = [
  'FORBIDDEN',
  'BAD_REQUEST',
  'UNKNOWN_EVENT',
  'UNAUTHENTICATED',
  'NOT_JOINED',
  'REMOVED',
  'RATE_LIMITED',
];

let server: TestServer;
let ctx: ProbeContext;
const cookies = {} as Record<SessionRole, string>;
/** The joined socket of each role in the current phase. */
let sockets = {} as Record<SessionRole, ClientSocket>;

/** One signed-in identity per role: demo accounts, and guests invited by staff. */
async function signInEveryRole(): Promise<void> {
  const staff = await signIn(server.url, demo.staffId);
  const guest = (role: 'departmentRep' | 'stakeholder' | 'citizenRep' | 'observer', name: string) => () =>
    signInAsGuest(server.url, staff, role, name);
  const how: Record<SessionRole, () => Promise<string>> = {
    firstConvener: () => signIn(server.url, demo.firstConvenerId),
    secondConvener: () => signIn(server.url, demo.secondConvenerId),
    member: () => signIn(server.url, 'm-zhou-min'),
    departmentRep: guest('departmentRep', '部门代表'),
    stakeholder: guest('stakeholder', '利益相关方'),
    citizenRep: guest('citizenRep', '群众代表'),
    leader: () => signIn(server.url, demo.leaderId),
    recorder: () => signIn(server.url, demo.recorderId),
    staff: async () => staff,
    observer: guest('observer', '列席观察员'),
  };
  for (const role of roles) cookies[role] = await how[role]();
}

/**
 * Fresh sockets for every role, joined and checked to hold that role. Each phase has its own, so
 * no socket comes near its rate limit (`limits.socketBurst`) over the whole file.
 */
async function joinEveryRole(): Promise<void> {
  server.closeSockets();
  const next = {} as Record<SessionRole, ClientSocket>;
  for (const role of roles) {
    const socket = await connectSocket(server.url, cookies[role]);
    server.sockets.push(socket);
    const snap = await must(socket, 'room:join', { sessionId: demo.sessionId });
    expect(snap.you.role, `the ${role} account`).toBe(role);
    next[role] = socket;
  }
  sockets = next;
}

async function send(event: ClientEventName, role: SessionRole): Promise<Ack<unknown>> {
  const probe = probes[event];
  const socket = sockets[role];
  const ack = await request(socket, event, probe.payload(ctx));
  if (ack.ok) await probe.undo?.(socket);
  return ack;
}

function expectRoleRule(event: ClientEventName, role: SessionRole, ack: Ack<unknown>): void {
  const code = ack.ok ? null : ack.error.code;
  if (eventRoles[event].includes(role)) {
    expect(beforeRoleCheck, `${event} × ${role} answered ${code}`).not.toContain(code);
  } else {
    expect(code, `${event} × ${role}`).toBe('FORBIDDEN');
  }
}

/** One case per event × role. */
function matrix(only: (event: ClientEventName) => boolean): void {
  for (const event of events.filter(only)) {
    for (const role of roles) {
      it(`${event} × ${role}`, async () => {
        expectRoleRule(event, role, await send(event, role));
      });
    }
  }
}

/** A lifecycle event across every role: the first allowed role moves the session on. */
function transition(event: 'session:start' | 'session:close', then: 'live' | 'closed'): void {
  describe(event, () => {
    for (const role of roles) {
      it(`${event} × ${role}`, async () => {
        expectRoleRule(event, role, await send(event, role));
      });
    }
    it(`leaves the session ${then}`, async () => {
      const snap = await must(sockets.staff, 'room:snapshot', {});
      expect(snap.session.state).toBe(then);
    });
  });
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  await signInEveryRole();
  const staff = await connectSocket(server.url, cookies.staff);
  const snap = await must(staff, 'room:join', { sessionId: demo.sessionId });
  staff.close();
  if (!snap.hallCode) throw new Error('staff see the hall code');
  ctx = {
    wrongHallCode: String((Number(snap.hallCode) + 1) % 1_000_000).padStart(6, '0'),
    agendaIds: snap.session.agenda.map((a) => a.id),
  };
});
afterAll(async () => {
  await server.close();
});

describe('the contract itself', () => {
  it('gives every event a role list and every role list only known roles', () => {
    expect(Object.keys(eventRoles).sort()).toEqual([...events].sort());
    for (const event of events) for (const role of eventRoles[event]) expect(roles).toContain(role);
  });

  it.each(events)('has a schema-valid probe for %s', (event) => {
    const parsed = clientEventSchemas[event].safeParse(probes[event].payload(ctx));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('names every client event in docs/protocol.md', async () => {
    const doc = await readFile(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    const missing = events.filter((e) => !new RegExp(`(^|[^\\w:])${e}(?![\\w:])`).test(doc));
    expect(missing).toEqual([]);
  });
});

describe('before the start', () => {
  beforeAll(joinEveryRole);
  // session:start would start the session; it is the transition below.
  matrix((e) => e !== 'session:start');
});

transition('session:start', 'live');

describe('while live', () => {
  beforeAll(joinEveryRole);
  // session:close would close it; it is the transition below.
  matrix((e) => e !== 'session:close');
});

transition('session:close', 'closed');

describe('after the close', () => {
  beforeAll(joinEveryRole);
  matrix(() => true);
});
