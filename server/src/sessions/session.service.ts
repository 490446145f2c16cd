import { randomUUID } from 'node:crypto';
import type {
  AddInviteesBody,
  CreateSessionBody,
  InviteeRole,
  InviteeView,
  MemberView,
  MySessionsResponse,
  PatchSessionBody,
  RsvpBody,
  SessionActor,
  SessionDetail,
  SessionListItem,
  SessionRight,
  SessionView,
} from '@yitang/shared';
import { CreateSessionBody as CreateSessionSchema, maySession, orderSessions } from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import type { MemberService } from '../members/member.service';
import type { NotificationService } from '../notifications/notification.service';
import { roleIn } from '../rooms/roles';
import { type SessionDoc, type SessionInvitation, sessionYear } from '../rooms/room.model';
import { roomReads } from '../rooms/room.reads';
import { presentSession } from '../rooms/room.repository';
import { absentWithoutLeave } from './absence';

/** What a live room must learn when the membership of its session changes (see `onChange`). */
export type MembershipChange = Pick<SessionDoc, '_id' | 'roles' | 'invitations' | 'openToAll' | 'cancelledAt'>;

/** The session's room in the client (where an invitation leads). */
const sessionPath = (id: string) => `/s/${encodeURIComponent(id)}`;
const calendarPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}/calendar.ics`;

/** An invitation as first written: no answer yet. */
const invitation = (memberId: string, role: InviteeRole): SessionInvitation => ({
  memberId,
  role,
  answer: 'pending',
  leaveReason: null,
  leave: null,
  answeredAt: null,
  leaveDecidedBy: null,
});

/**
 * The sessions module: creating, editing, rescheduling and cancelling a session, its invitation
 * list with a role each, RSVP with leave requests (请假) and staff's decisions on them. Who may
 * enter follows from the list (rooms/roles.ts `roleIn`). Conveners and staff manage a session;
 * each invitee answers for themselves; staff decide on leave.
 */
export function createSessionService(deps: {
  models: Models;
  members: MemberService;
  notifications: NotificationService;
  logger: Logger;
}) {
  const { Session } = deps.models;
  /** Rooms and who attended are the rooms module's: read through its functions. */
  const roomData = roomReads(deps.models);
  const serial = new KeyedSerial();
  const listeners: Array<(change: MembershipChange) => void | Promise<void>> = [];
  const createdListeners: Array<(sessionId: string) => void | Promise<void>> = [];

  /** Tells the creation listeners (e.g. reminders to plan); a failing one is logged, not the caller's. */
  async function created(sessionId: string): Promise<void> {
    for (const l of createdListeners) {
      try {
        await l(sessionId);
      } catch (err) {
        deps.logger.error({ err, sessionId }, 'session creation listener failed');
      }
    }
  }

  async function load(id: string): Promise<SessionDoc> {
    const doc = await Session.findById(id).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such session.');
    return doc;
  }

  /** Who `m` is to session `s`, for `sessionRights` (shared/src/sessions.ts). */
  function actorOf(s: SessionDoc, m: MemberView): SessionActor {
    if (m.kind === 'staff') return 'staff';
    if (m.id === s.firstConvenerId || m.id === s.secondConvenerId) return 'convener';
    const role = roleIn(s, m);
    if (role === null) return 'other';
    const listed =
      (s.invitations ?? []).some((i) => i.memberId === m.id) || (s.roles ?? []).some((r) => r.memberId === m.id);
    return listed || m.kind === 'guest' ? 'invitee' : 'plenaryMember';
  }

  const mayManage = (s: SessionDoc, by: MemberView) => maySession('edit', actorOf(s, by));

  function requireRight(right: SessionRight, s: SessionDoc, by: MemberView): void {
    if (maySession(right, actorOf(s, by))) return;
    throw new AppError(
      'FORBIDDEN',
      right === 'decideLeave'
        ? 'Staff approve or refuse leave.'
        : right === 'rsvp'
          ? '你不在本次协商的邀请名单中。You are not on this session’s invitation list.'
          : 'Only the conveners and staff manage this session.',
    );
  }
  const requireManager = (s: SessionDoc, by: MemberView) => requireRight('edit', s, by);

  /** Only a session that has neither started nor been cancelled changes its plan. */
  function requirePlanned(s: SessionDoc): void {
    if (s.cancelledAt) throw new AppError('ILLEGAL_TRANSITION', 'The session was cancelled.');
    if (s.state !== 'scheduled')
      throw new AppError('ILLEGAL_TRANSITION', `A ${s.state} session cannot change its plan.`);
  }

  async function changed(doc: SessionDoc): Promise<void> {
    const change: MembershipChange = {
      _id: doc._id,
      roles: doc.roles ?? [],
      invitations: doc.invitations ?? [],
      openToAll: doc.openToAll ?? false,
      cancelledAt: doc.cancelledAt ?? null,
    };
    for (const l of listeners) {
      try {
        await l(change);
      } catch (err) {
        deps.logger.error({ err, sessionId: doc._id }, 'session change listener failed');
      }
    }
  }

  /** Writes `patch` while the session is still scheduled (one conditional update); tells the listeners. */
  async function write(
    doc: SessionDoc,
    patch: Partial<SessionDoc>,
    states: SessionDoc['state'][],
  ): Promise<SessionDoc> {
    const res = await Session.updateOne({ _id: doc._id, state: trusted({ $in: states }) }, { $set: patch });
    if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The session changed meanwhile; reload.');
    const next = await load(doc._id);
    await changed(next);
    return next;
  }

  async function notifySafely(ids: Iterable<string>, notice: Parameters<NotificationService['notify']>[1]) {
    try {
      await deps.notifications.notify(ids, notice);
    } catch (err) {
      deps.logger.error({ err, key: notice.key }, 'session notification failed');
    }
  }

  async function roomName(roomId: string): Promise<string> {
    return (await roomData.roomName(roomId)) ?? roomId;
  }

  /** Checks that every id is an account that can be invited (not a guest): BAD_REQUEST names the rest. */
  async function requireAccounts(ids: string[]): Promise<Map<string, MemberView>> {
    const found = await deps.members.getMany(ids);
    const usable = new Map(found.filter((m) => m.kind !== 'guest').map((m) => [m.id, m]));
    const unknown = ids.filter((id) => !usable.has(id));
    if (unknown.length > 0) throw new AppError('BAD_REQUEST', `invitees: unknown ${unknown.join(', ')}.`);
    return usable;
  }

  /**
   * The conveners a session names, held to the rule a topic's acceptance keeps: the first an
   * active committee member appointed to convene (委员召集人), the second an active official.
   */
  async function requireFirstConvener(id: string): Promise<void> {
    const first = await deps.members.getActive(id);
    if (first?.kind !== 'member' || !first.canConvene) {
      throw new AppError(
        'BAD_REQUEST',
        'firstConvenerId: the first convener is an active committee member appointed to convene.',
      );
    }
  }
  async function requireSecondConvener(id: string): Promise<void> {
    const second = await deps.members.getActive(id);
    if (second?.kind !== 'official') {
      throw new AppError('BAD_REQUEST', 'secondConvenerId: the second convener is an active government official.');
    }
  }

  const everyoneInvited = (s: SessionDoc) =>
    [s.firstConvenerId, s.secondConvenerId ?? '', ...(s.invitations ?? []).map((i) => i.memberId)].filter(Boolean);

  async function invite(s: SessionDoc, memberIds: string[]): Promise<void> {
    if (memberIds.length === 0) return;
    await notifySafely(memberIds, {
      key: `invite:${s._id}`,
      kind: 'invitation',
      params: { topic: s.topic, at: s.scheduledAt.toISOString(), room: await roomName(s.roomId), mode: s.mode },
      link: sessionPath(s._id),
      calendarUrl: calendarPath(s._id),
    });
  }

  async function presentInvitations(list: SessionInvitation[]): Promise<InviteeView[]> {
    const people = new Map((await deps.members.getMany(list.map((i) => i.memberId))).map((m) => [m.id, m]));
    return list.map((i) => ({
      memberId: i.memberId,
      name: people.get(i.memberId)?.name ?? i.memberId,
      sectorName: people.get(i.memberId)?.sectorName ?? null,
      role: i.role,
      answer: i.answer ?? 'pending',
      leaveReason: i.leaveReason ?? null,
      leave: i.leave ?? null,
      answeredAt: i.answeredAt ? new Date(i.answeredAt).toISOString() : null,
    }));
  }

  async function absentees(s: SessionDoc): Promise<string[]> {
    if (s.state !== 'closed') return [];
    return absentWithoutLeave(s, await roomData.presence(s._id));
  }

  async function detail(s: SessionDoc, viewer: MemberView): Promise<SessionDetail> {
    const manage = mayManage(s, viewer);
    const myRole = roleIn(s, viewer);
    if (!myRole && !manage)
      throw new AppError('FORBIDDEN', '你不在本次协商的邀请名单中。You are not on this session’s invitation list.');
    const invitations = s.invitations ?? [];
    const shown = manage ? invitations : invitations.filter((i) => i.memberId === viewer.id);
    const absent = await absentees(s);
    return {
      id: s._id,
      topic: s.topic,
      topicId: s.topicId ?? null,
      roomId: s.roomId,
      roomName: await roomName(s.roomId),
      scheduledAt: s.scheduledAt.toISOString(),
      mode: s.mode,
      state: s.state,
      cancelled: Boolean(s.cancelledAt),
      cancelReason: s.cancelReason ?? null,
      openToAll: s.openToAll ?? false,
      firstConvenerId: s.firstConvenerId,
      secondConvenerId: s.secondConvenerId ?? null,
      agenda: (s.agenda ?? []).map((a) => ({ id: a.id, title: a.title, plannedMinutes: a.plannedMinutes })),
      myRole,
      manage,
      invitations: await presentInvitations(shown),
      absentWithoutLeave: manage ? absent : absent.filter((id) => id === viewer.id),
    };
  }

  /** Inserts a new session document (a retry with the same id keeps the first). */
  async function insert(doc: SessionDoc): Promise<void> {
    try {
      await rawCollection(Session).insertOne({ ...doc, year: sessionYear(doc.scheduledAt) });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  function newSession(
    fields: Pick<
      SessionDoc,
      '_id' | 'topic' | 'topicId' | 'roomId' | 'scheduledAt' | 'mode' | 'firstConvenerId' | 'secondConvenerId'
    > & {
      openToAll: boolean;
      agenda: Array<{ title: string; plannedMinutes: number }>;
      invitations: SessionInvitation[];
    },
  ): SessionDoc {
    return {
      ...fields,
      state: 'scheduled',
      roles: [],
      agenda: fields.agenda.map((a, n) => ({ id: `i${n + 1}`, title: a.title, plannedMinutes: a.plannedMinutes })),
      currentItemId: null,
      currentItemStartedAt: null,
      locked: false,
      speakerLimitSeconds: 180,
      speakers: { queue: [], speaker: null },
      muted: [],
      removed: [],
      cancelledAt: null,
      cancelReason: null,
      startedAt: null,
      closedAt: null,
    };
  }

  /** Invitations from a list of invitees, the conveners left out (they hold their seats). */
  const invitationsOf = (list: Array<{ memberId: string; role: InviteeRole }>, conveners: Array<string | null>) => {
    const seen = new Set<string>(conveners.filter((c): c is string => c !== null));
    const out: SessionInvitation[] = [];
    for (const i of list) {
      if (seen.has(i.memberId)) continue;
      seen.add(i.memberId);
      out.push(invitation(i.memberId, i.role));
    }
    return out;
  };

  return {
    /** Tells `fn` of each change of who belongs to a session or whether it was cancelled. */
    onChange(fn: (change: MembershipChange) => void | Promise<void>): void {
      listeners.push(fn);
    },

    /** Tells `fn` of each session created (changes after that go to `onChange`). */
    onCreate(fn: (sessionId: string) => void | Promise<void>): void {
      createdListeners.push(fn);
    },

    /** The stored session, or null. */
    find: (id: string): Promise<SessionDoc | null> => Session.findById(id).lean(),

    /** The sessions of a topic (its rounds: 第一轮, 第二轮 …), oldest first. */
    ofTopic: (topicId: string): Promise<SessionDoc[]> =>
      Session.find({ topicId }).sort({ scheduledAt: 1, _id: 1 }).lean(),

    /** The same, as the topic trail shows them. */
    async roundsOf(topicId: string): Promise<SessionView[]> {
      const docs = await Session.find({ topicId }).sort({ scheduledAt: 1, _id: 1 }).lean();
      const names = await roomData.roomNames(docs.map((d) => d.roomId));
      return docs.map((s) => presentSession(s, names.get(s.roomId) ?? s.roomId));
    },

    /** The topic a session deliberates, if it came from one. */
    async topicOf(sessionId: string): Promise<string | null> {
      return (await Session.findById(sessionId, { topicId: 1 }).lean())?.topicId ?? null;
    },

    /** Whether any session, past, planned or cancelled, is held in room `roomId` (a used room is kept). */
    async roomUsed(roomId: string): Promise<boolean> {
      return (await Session.exists({ roomId })) !== null;
    },

    /** 缺席未请假 of a closed session (the duty ledger's deduction). */
    absentWithoutLeave: async (sessionId: string): Promise<string[]> => {
      const s = await Session.findById(sessionId).lean();
      return s ? absentees(s) : [];
    },

    /**
     * Creates the session scheduled from a topic (topics/), a follow-up round when the topic has
     * one already: the id names the round. Invitees and both conveners are notified.
     */
    async createForTopic(input: {
      topicId: string;
      topic: string;
      round: number;
      roomId: string;
      scheduledAt: Date;
      mode: SessionDoc['mode'];
      firstConvenerId: string;
      secondConvenerId: string | null;
      agenda: Array<{ title: string; plannedMinutes: number }>;
      invitees: Array<{ memberId: string; role: SessionDoc['roles'][number]['role'] }>;
    }): Promise<SessionDoc> {
      const base = `s-${input.topicId.slice(3)}`;
      const id = input.round <= 1 ? base : `${base}-r${input.round}`;
      const invitees = input.invitees.flatMap((i) =>
        i.role === 'firstConvener' || i.role === 'secondConvener' || i.role === 'staff'
          ? []
          : [{ memberId: i.memberId, role: i.role as InviteeRole }],
      );
      const doc = newSession({
        _id: id,
        topic: input.topic,
        topicId: input.topicId,
        roomId: input.roomId,
        scheduledAt: input.scheduledAt,
        mode: input.mode,
        firstConvenerId: input.firstConvenerId,
        secondConvenerId: input.secondConvenerId,
        openToAll: false,
        agenda: input.agenda,
        invitations: invitationsOf(invitees, [input.firstConvenerId, input.secondConvenerId]),
      });
      await insert(doc);
      const stored = await load(id);
      await invite(stored, everyoneInvited(stored));
      await created(id);
      return stored;
    },

    /** Staff create a session directly (a plenary, a session not from a topic). */
    async create(raw: CreateSessionBody, by: MemberView): Promise<SessionDetail> {
      if (!maySession('create', by.kind === 'staff' ? 'staff' : 'other')) {
        throw new AppError('FORBIDDEN', 'Staff create sessions; a topic’s comes from scheduling it.');
      }
      const body = CreateSessionSchema.parse(raw);
      if (!(await roomData.roomExists(body.roomId))) throw new AppError('BAD_REQUEST', 'roomId: no such room.');
      await requireFirstConvener(body.firstConvenerId);
      if (body.secondConvenerId && body.secondConvenerId === body.firstConvenerId) {
        throw new AppError('BAD_REQUEST', 'secondConvenerId: the conveners are two people.');
      }
      if (body.secondConvenerId) await requireSecondConvener(body.secondConvenerId);
      await requireAccounts([...new Set(body.invitees.map((i) => i.memberId))]);
      const doc = newSession({
        _id: `s-${randomUUID().slice(0, 8)}`,
        topic: body.topic,
        topicId: body.topicId,
        roomId: body.roomId,
        scheduledAt: new Date(body.scheduledAt),
        mode: body.mode,
        firstConvenerId: body.firstConvenerId,
        secondConvenerId: body.secondConvenerId,
        openToAll: body.openToAll,
        agenda: body.agenda,
        invitations: invitationsOf(body.invitees, [body.firstConvenerId, body.secondConvenerId]),
      });
      await insert(doc);
      await invite(doc, everyoneInvited(doc));
      await created(doc._id);
      return detail(doc, by);
    },

    async detail(id: string, viewer: MemberView): Promise<SessionDetail> {
      return detail(await load(id), viewer);
    },

    /**
     * The sessions the caller may enter, with their invitation: live and coming ones first
     * (soonest first), then past ones newest first (`orderSessions`).
     */
    async mine(viewer: MemberView): Promise<MySessionsResponse> {
      const docs = await Session.find({}).sort({ scheduledAt: 1 }).lean();
      const rooms = await roomData.roomNames(docs.map((d) => d.roomId));
      const out: MySessionsResponse['sessions'] = [];
      for (const s of docs) {
        const myRole = roleIn(s, viewer);
        if (!myRole) continue;
        const inv = (s.invitations ?? []).find((i) => i.memberId === viewer.id);
        out.push({
          id: s._id,
          topic: s.topic,
          roomName: rooms.get(s.roomId) ?? s.roomId,
          scheduledAt: s.scheduledAt.toISOString(),
          mode: s.mode,
          state: s.state,
          cancelled: Boolean(s.cancelledAt),
          myRole,
          invitation: inv ? ((await presentInvitations([inv]))[0] ?? null) : null,
        });
      }
      return { sessions: orderSessions(out) };
    },

    /**
     * Every session the caller may enter, as the room list shows them (GET /api/sessions): live
     * and coming ones first (soonest first), then past and cancelled ones newest first.
     */
    async visible(viewer: MemberView): Promise<SessionListItem[]> {
      const docs = (await Session.find({}).sort({ scheduledAt: 1 }).lean()).filter((s) => roleIn(s, viewer) !== null);
      const rooms = await roomData.roomNames(docs.map((d) => d.roomId));
      const ordered = orderSessions(
        docs.map((doc) => ({
          id: doc._id,
          scheduledAt: doc.scheduledAt.toISOString(),
          state: doc.state,
          cancelled: Boolean(doc.cancelledAt),
          doc,
        })),
      );
      return ordered.map(({ doc, cancelled }) => ({
        ...presentSession(doc, rooms.get(doc.roomId) ?? doc.roomId),
        cancelled,
      }));
    },

    patch(id: string, body: PatchSessionBody, by: MemberView): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        requireManager(s, by);
        requirePlanned(s);
        const patch: Partial<SessionDoc> = {};
        if (body.topic !== undefined) patch.topic = body.topic;
        if (body.mode !== undefined) patch.mode = body.mode;
        if (body.openToAll !== undefined) patch.openToAll = body.openToAll;
        if (body.roomId !== undefined) {
          if (!(await roomData.roomExists(body.roomId))) throw new AppError('BAD_REQUEST', 'roomId: no such room.');
          patch.roomId = body.roomId;
        }
        if (body.secondConvenerId !== undefined) {
          if (body.secondConvenerId === s.firstConvenerId)
            throw new AppError('BAD_REQUEST', 'secondConvenerId: the conveners are two people.');
          if (body.secondConvenerId) await requireSecondConvener(body.secondConvenerId);
          patch.secondConvenerId = body.secondConvenerId;
        }
        return detail(await write(s, patch, ['scheduled']), by);
      });
    },

    reschedule(id: string, scheduledAt: string, by: MemberView): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        requireManager(s, by);
        requirePlanned(s);
        const at = new Date(scheduledAt);
        const next = await write(s, { scheduledAt: at, year: sessionYear(at) }, ['scheduled']);
        await notifySafely(everyoneInvited(next), {
          key: `reschedule:${id}:${at.toISOString()}`,
          kind: 'sessionRescheduled',
          params: { topic: s.topic, at: at.toISOString(), room: await roomName(s.roomId) },
          link: sessionPath(id),
          calendarUrl: calendarPath(id),
        });
        return detail(next, by);
      });
    },

    cancel(id: string, reason: string, by: MemberView): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        requireManager(s, by);
        requirePlanned(s);
        const next = await write(s, { cancelledAt: new Date(), cancelReason: reason.trim() }, ['scheduled']);
        await notifySafely(everyoneInvited(next), {
          key: `cancel:${id}`,
          kind: 'sessionCancelled',
          params: { topic: s.topic, reason: reason.trim() },
          link: sessionPath(id),
        });
        return detail(next, by);
      });
    },

    /** Invites people, or changes the role of those invited already (their answer stays). */
    addInvitees(id: string, body: AddInviteesBody, by: MemberView): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        requireManager(s, by);
        if (s.cancelledAt || s.state === 'closed') {
          throw new AppError('ILLEGAL_TRANSITION', 'A closed or cancelled session invites nobody.');
        }
        await requireAccounts([...new Set(body.invitees.map((i) => i.memberId))]);
        const list = [...(s.invitations ?? [])];
        const fresh: string[] = [];
        for (const i of body.invitees) {
          if (i.memberId === s.firstConvenerId || i.memberId === s.secondConvenerId) {
            throw new AppError('BAD_REQUEST', `invitees: ${i.memberId} convenes this session.`);
          }
          const at = list.findIndex((x) => x.memberId === i.memberId);
          if (at >= 0) list[at] = { ...(list[at] as SessionInvitation), role: i.role };
          else {
            list.push(invitation(i.memberId, i.role));
            fresh.push(i.memberId);
          }
        }
        const next = await write(s, { invitations: list }, ['scheduled', 'live']);
        await invite(next, fresh);
        return detail(next, by);
      });
    },

    removeInvitee(id: string, memberId: string, by: MemberView): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        requireManager(s, by);
        if (s.state === 'closed') throw new AppError('ILLEGAL_TRANSITION', 'A closed session keeps its list.');
        const list = s.invitations ?? [];
        if (!list.some((i) => i.memberId === memberId)) throw new AppError('NOT_FOUND', 'Not invited.');
        const next = await write(s, { invitations: list.filter((i) => i.memberId !== memberId) }, [
          'scheduled',
          'live',
        ]);
        return detail(next, by);
      });
    },

    setInviteeRole(id: string, memberId: string, role: InviteeRole, by: MemberView): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        requireManager(s, by);
        if (s.state === 'closed') throw new AppError('ILLEGAL_TRANSITION', 'A closed session keeps its list.');
        const list = s.invitations ?? [];
        if (!list.some((i) => i.memberId === memberId)) throw new AppError('NOT_FOUND', 'Not invited.');
        const next = await write(s, { invitations: list.map((i) => (i.memberId === memberId ? { ...i, role } : i)) }, [
          'scheduled',
          'live',
        ]);
        return detail(next, by);
      });
    },

    /** The caller's own answer: attend, or leave (请假) with a reason, for staff to decide. */
    rsvp(id: string, body: RsvpBody, by: MemberView): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        const list = s.invitations ?? [];
        const mine = list.find((i) => i.memberId === by.id);
        if (!mine)
          throw new AppError('FORBIDDEN', '你不在本次协商的邀请名单中。You are not on this session’s invitation list.');
        requireRight('rsvp', s, by);
        if (s.cancelledAt || s.state === 'closed') {
          throw new AppError('ILLEGAL_TRANSITION', 'A closed or cancelled session takes no answers.');
        }
        const answer: SessionInvitation =
          body.answer === 'attend'
            ? {
                ...mine,
                answer: 'attend',
                leaveReason: null,
                leave: null,
                leaveDecidedBy: null,
                answeredAt: new Date(),
              }
            : {
                ...mine,
                answer: 'leave',
                leaveReason: body.reason.trim(),
                leave: 'requested',
                leaveDecidedBy: null,
                answeredAt: new Date(),
              };
        const next = await write(s, { invitations: list.map((i) => (i.memberId === by.id ? answer : i)) }, [
          'scheduled',
          'live',
        ]);
        return detail(next, by);
      });
    },

    /** Staff approve or refuse a leave request (also after close: the absence is derived then). */
    decideLeave(
      id: string,
      memberId: string,
      decision: 'approved' | 'refused',
      by: MemberView,
    ): Promise<SessionDetail> {
      return serial.run(id, async () => {
        const s = await load(id);
        requireRight('decideLeave', s, by);
        const list = s.invitations ?? [];
        const target = list.find((i) => i.memberId === memberId);
        if (!target) throw new AppError('NOT_FOUND', 'Not invited.');
        if (target.answer !== 'leave') throw new AppError('ILLEGAL_TRANSITION', 'No leave was requested.');
        const next = await write(
          s,
          {
            invitations: list.map((i) =>
              i.memberId === memberId ? { ...i, leave: decision, leaveDecidedBy: by.id } : i,
            ),
          },
          ['scheduled', 'live', 'closed'],
        );
        return detail(next, by);
      });
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
