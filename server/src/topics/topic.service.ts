import { randomUUID } from 'node:crypto';
import {
  type AcceptTopicBody,
  expertiseFit,
  likelyDuplicates,
  type MemberMatch,
  type MemberView,
  type ScheduleTopicBody,
  type SimilarTopic,
  type TopicAction,
  type TopicEvent,
  TopicProposal,
  type TopicState,
  type TopicView,
  topicTransition,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import type { MemberService } from '../members/member.service';
import type { NotificationService } from '../notifications/notification.service';
import { createDepartmentMembership } from '../org/membership';
import type { RoomRepository } from '../rooms/room.repository';
import type { SessionService } from '../sessions';
import { trackingReads } from '../tracking/tracking.reads';
import type { TopicDoc } from './topic.model';

/** States in which a topic is still open, for duplicate hints. */
const openStates: TopicState[] = ['proposed', 'accepted', 'scheduled', 'deliberated', 'inProgress'];

/** Sources that name an outside record; such a topic gets a natural id from it. */
const externalSources = new Set(['hotline', 'governanceCentre']);

export const calendarPath = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}/calendar.ics`;
export const topicPath = (topicId: string) => `/topics/${encodeURIComponent(topicId)}`;

type Listener = (topic: TopicView, event: TopicEvent) => void;

/**
 * Topics (议题) from proposal to closure: 荐题 by anyone with an account, 立题 by both conveners,
 * the session scheduled from it, then held, tracked and closed as the session and its tracking
 * items move. Each change runs one at a time per topic (see docs/architecture.md on FerretDB).
 */
export function createTopicService(deps: {
  models: Models;
  members: MemberService;
  notifications: NotificationService;
  logger: Logger;
  /** The sessions module: a topic's sessions (its rounds) are created and read through it. */
  sessions: SessionService;
  /** The rooms (议事室), read through the room repository. */
  rooms: Pick<RoomRepository, 'roomNames'>;
}) {
  const { Topic } = deps.models;
  // A topic follows its rounds' tracking items through the tracking module's reads.
  const trackingItems = trackingReads(deps.models);
  const departmentRecords = createDepartmentMembership(deps.models);
  const topics = rawCollection(Topic);
  const serial = new KeyedSerial();
  const listeners = new Set<Listener>();

  async function present(docs: TopicDoc[]): Promise<TopicView[]> {
    const ids = new Set<string>();
    for (const d of docs) {
      ids.add(d.proposedBy);
      if (d.firstConvenerId) ids.add(d.firstConvenerId);
      if (d.secondConvenerId) ids.add(d.secondConvenerId);
    }
    const people = new Map((await deps.members.getMany([...ids])).map((m) => [m.id, m]));
    const person = (id: string) => {
      const m = people.get(id);
      return { id, name: m?.name ?? id, title: m?.title ?? '' };
    };
    return docs.map((d) => ({
      id: d._id,
      title: d.title,
      description: d.description ?? '',
      source: d.source,
      sourceRef: d.sourceRef ?? null,
      proposedBy: person(d.proposedBy),
      proposedAt: new Date(d.proposedAt).toISOString(),
      state: d.state,
      department: d.department ?? null,
      firstConvener: d.firstConvenerId ? person(d.firstConvenerId) : null,
      secondConvener: d.secondConvenerId ? person(d.secondConvenerId) : null,
      acceptances: (d.acceptances ?? []).map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
      declineReason: d.declineReason ?? null,
      sessionId: d.sessionId ?? null,
      history: (d.history ?? []).map((h) => ({ ...h, at: new Date(h.at).toISOString(), note: h.note ?? null })),
    }));
  }
  const presentOne = async (d: TopicDoc) => (await present([d]))[0] as TopicView;

  async function load(id: string): Promise<TopicDoc> {
    const doc = await Topic.findById(id).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such topic.');
    return doc;
  }

  async function similarTo(title: string, exceptId?: string): Promise<SimilarTopic[]> {
    const open = await Topic.find({ state: trusted({ $in: openStates }) }, { title: 1, state: 1 }).lean();
    return likelyDuplicates(
      title,
      open.filter((t) => t._id !== exceptId).map((t) => ({ id: t._id, title: t.title, state: t.state })),
    );
  }

  /**
   * Applies one step of the shared machine and writes it with its history entry. `extra` is set
   * in the same single-document update; the filter states the state it was read in.
   */
  async function step(
    doc: TopicDoc,
    action: TopicAction,
    by: { id: string; name: string },
    extra: Partial<TopicDoc> = {},
    note: string | null = null,
  ): Promise<TopicView> {
    const next = topicTransition({ state: doc.state, acceptedBy: (doc.acceptances ?? []).map((a) => a.seat) }, action);
    if (!next.ok) {
      throw new AppError('ILLEGAL_TRANSITION', `A topic that is ${doc.state} cannot ${action.type}.`);
    }
    const now = new Date();
    const event = { at: now, by: by.id, byName: by.name, action: action.type, state: next.state, note };
    const set = { ...extra, state: next.state, updatedAt: now };
    const res = await Topic.updateOne({ _id: doc._id, state: doc.state }, { $set: set, $push: { history: event } });
    if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The topic changed meanwhile.');
    const view = await presentOne({ ...doc, ...set, history: [...(doc.history ?? []), event] });
    const published = view.history.at(-1) as TopicEvent;
    for (const l of listeners) {
      try {
        l(view, published);
      } catch (err) {
        deps.logger.error({ err, topicId: doc._id }, 'topic listener failed');
      }
    }
    return view;
  }

  const notifySafely = async (...args: Parameters<NotificationService['notify']>) => {
    try {
      await deps.notifications.notify(...args);
    } catch (err) {
      deps.logger.error({ err }, 'notification failed');
    }
  };

  const isConvenerOf = (doc: TopicDoc, member: MemberView) =>
    member.id === doc.firstConvenerId || member.id === doc.secondConvenerId;

  return {
    onChange(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** 荐题. Answers with the topic and the open topics it probably repeats. */
    async propose(input: TopicProposal, by: MemberView): Promise<{ topic: TopicView; similar: SimilarTopic[] }> {
      if (by.kind === 'guest') throw new AppError('FORBIDDEN', 'Guests cannot propose topics.');
      const body = TopicProposal.parse(input);
      if (externalSources.has(body.source) && !body.sourceRef) {
        throw new AppError('BAD_REQUEST', 'sourceRef: a hotline or governance-centre topic names its ticket or case.');
      }
      // A hotline topic sends its status changes to the hotline and is keyed by the ticket, so a
      // member naming a ticket would squat the topic staff's real ticket then reuses. Tickets
      // reach topics through the webhook, an import or staff (the hotline service signs as staff).
      if (body.source === 'hotline' && by.kind !== 'staff') {
        throw new AppError('FORBIDDEN', 'Only staff turn a 12345 ticket into a topic.');
      }
      const id =
        body.sourceRef && externalSources.has(body.source)
          ? `tp-${body.source}-${body.sourceRef}`
          : `tp-${randomUUID().slice(0, 13)}`;
      const similar = await similarTo(body.title, id);
      const now = new Date();
      const doc: TopicDoc = {
        _id: id,
        title: body.title,
        description: body.description,
        source: body.source,
        sourceRef: body.sourceRef ?? null,
        proposedBy: by.id,
        proposedAt: now,
        state: 'proposed',
        department: body.department || null,
        firstConvenerId: null,
        secondConvenerId: null,
        acceptances: [],
        declineReason: null,
        sessionId: null,
        history: [{ at: now, by: by.id, byName: by.name, action: 'propose', state: 'proposed', note: null }],
        updatedAt: now,
      };
      try {
        await topics.insertOne(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // The same ticket or case again: the topic it already became.
        return { topic: await presentOne(await load(id)), similar };
      }
      const conveners = await deps.members.convenerIds();
      await notifySafely(
        conveners.filter((c) => c !== by.id),
        { key: `propose:${id}`, kind: 'topicToAccept', params: { topic: doc.title, by: by.name }, link: topicPath(id) },
      );
      return { topic: await presentOne(doc), similar };
    },

    similar: (title: string) => similarTo(title),

    async list(filter: { state?: TopicState } = {}): Promise<TopicView[]> {
      const docs = await Topic.find(filter.state ? { state: filter.state } : {})
        .sort({ proposedAt: -1, _id: 1 })
        .lean();
      return present(docs);
    },

    get: async (id: string) => presentOne(await load(id)),

    /** 立题: each convener accepts their own seat; the first names the second and the department. */
    accept(id: string, body: AcceptTopicBody, by: MemberView): Promise<TopicView> {
      return serial.run(id, async () => {
        const doc = await load(id);
        // Out of order is reported as such before who is asking: the state is no secret.
        if (doc.state !== 'proposed')
          throw new AppError('ILLEGAL_TRANSITION', `A topic that is ${doc.state} cannot accept.`);
        if (body.seat === 'first') {
          if (!by.canConvene)
            throw new AppError('FORBIDDEN', 'Only a member appointed to convene may take the first seat.');
          // No department head convenes: the first convener accepts alone.
          const second = body.secondConvenerId ? await deps.members.get(body.secondConvenerId) : null;
          if (body.secondConvenerId && second?.kind !== 'official') {
            throw new AppError('BAD_REQUEST', 'secondConvenerId: the second convener heads a government department.');
          }
          // The department is a record, and the second convener its head or one of its officials.
          const department = await departmentRecords.byName(body.department);
          if (!department) {
            throw new AppError('BAD_REQUEST', `department: no department named ${body.department} in the records.`);
          }
          if (
            second &&
            department.headId !== second.id &&
            !(await departmentRecords.isOfficialOf(second, department.name))
          ) {
            throw new AppError(
              'BAD_REQUEST',
              `secondConvenerId: the second convener must head or be an official of ${department.name}.`,
            );
          }
          const view = await step(
            doc,
            { type: 'accept', convener: 'first', alone: second === null },
            by,
            {
              firstConvenerId: by.id,
              secondConvenerId: second?.id ?? null,
              department: body.department,
              acceptances: [...(doc.acceptances ?? []), { seat: 'first', by: by.id, byName: by.name, at: new Date() }],
            },
            second ? `${second.name}（${body.department}）` : body.department,
          );
          if (second && view.state === 'proposed') {
            await notifySafely([second.id], {
              key: `second:${id}:${second.id}`,
              kind: 'topicToAccept',
              params: { topic: doc.title, by: by.name },
              link: topicPath(id),
            });
          }
          return view;
        }
        if (!doc.secondConvenerId || by.id !== doc.secondConvenerId) {
          throw new AppError('FORBIDDEN', 'Only the named second convener may accept the second seat.');
        }
        const view = await step(doc, { type: 'accept', convener: 'second' }, by, {
          acceptances: [...(doc.acceptances ?? []), { seat: 'second', by: by.id, byName: by.name, at: new Date() }],
        });
        if (view.state === 'accepted') {
          await notifySafely([doc.proposedBy, doc.firstConvenerId ?? ''].filter(Boolean), {
            key: `accepted:${id}`,
            kind: 'topicAccepted',
            params: { topic: doc.title },
            link: topicPath(id),
          });
        }
        return view;
      });
    },

    /** Declined by a member who may convene, the named second convener, or staff; a reason is required. */
    decline(id: string, reason: string, by: MemberView): Promise<TopicView> {
      return serial.run(id, async () => {
        const doc = await load(id);
        if (doc.state !== 'proposed')
          throw new AppError('ILLEGAL_TRANSITION', `A topic that is ${doc.state} cannot decline.`);
        if (!(by.canConvene || by.kind === 'staff' || by.id === doc.secondConvenerId)) {
          throw new AppError('FORBIDDEN', 'Only the conveners or staff may decline a topic.');
        }
        const view = await step(doc, { type: 'decline', reason }, by, { declineReason: reason.trim() }, reason.trim());
        await notifySafely([doc.proposedBy], {
          key: `declined:${id}`,
          kind: 'topicDeclined',
          params: { topic: doc.title, reason: reason.trim() },
          link: topicPath(id),
        });
        return view;
      });
    },

    /**
     * Creates the session that deliberates an accepted topic and invites people to it: each
     * invitee (and both conveners) gets a notification with the calendar file.
     */
    schedule(id: string, body: ScheduleTopicBody, by: MemberView): Promise<TopicView> {
      return serial.run(id, async () => {
        const doc = await load(id);
        // The first round once accepted; a follow-up round (第二轮) once a round was held.
        const followUp = body.followUp === true && (doc.state === 'deliberated' || doc.state === 'inProgress');
        if (doc.state !== 'accepted' && !followUp) {
          throw new AppError('ILLEGAL_TRANSITION', `A topic that is ${doc.state} cannot schedule.`);
        }
        if (!(isConvenerOf(doc, by) || by.kind === 'staff')) {
          throw new AppError('FORBIDDEN', 'Only the topic’s conveners or staff may schedule its session.');
        }
        const roomName = (await deps.rooms.roomNames([body.roomId])).get(body.roomId);
        if (roomName === undefined) throw new AppError('BAD_REQUEST', 'roomId: no such room.');
        const inviteeIds = [...new Set(body.invitees?.map((i) => i.memberId) ?? [])];
        const found = await deps.members.getMany(inviteeIds);
        if (found.length !== inviteeIds.length) {
          const known = new Set(found.map((m) => m.id));
          throw new AppError('BAD_REQUEST', `invitees: unknown ${inviteeIds.filter((i) => !known.has(i)).join(', ')}.`);
        }
        // A retry after the session was written but before the topic moved finds it among the rounds.
        const rounds = await deps.sessions.ofTopic(id);
        const pending = rounds.find((r) => r.state === 'scheduled' && !r.cancelledAt && r._id !== doc.sessionId);
        const session =
          pending ??
          (await deps.sessions.createForTopic({
            topicId: id,
            topic: doc.title,
            round: rounds.length + 1,
            roomId: body.roomId,
            scheduledAt: new Date(body.scheduledAt),
            mode: body.mode,
            firstConvenerId: doc.firstConvenerId ?? by.id,
            secondConvenerId: doc.secondConvenerId ?? null,
            agenda: body.agenda,
            invitees: body.invitees ?? [],
          }));
        const round = rounds.length + (pending ? 0 : 1);
        const note = `${round > 1 ? `第${round}轮 ` : ''}${roomName} ${body.scheduledAt}`;
        if (!followUp) return step(doc, { type: 'schedule' }, by, { sessionId: session._id }, note);
        // A follow-up round leaves the topic where it is (held, or tracked): its trail gains the round.
        const now = new Date();
        const event = { at: now, by: by.id, byName: by.name, action: 'schedule' as const, state: doc.state, note };
        const res = await Topic.updateOne(
          { _id: doc._id, state: doc.state },
          { $set: { sessionId: session._id, updatedAt: now }, $push: { history: event } },
        );
        if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The topic changed meanwhile.');
        return presentOne(await load(doc._id));
      });
    },

    /** Who proposed a topic (null if there is no such topic): the tracking viewer rule asks. */
    async proposerOf(id: string): Promise<string | null> {
      return (await Topic.findById(id, { proposedBy: 1 }).lean())?.proposedBy ?? null;
    },

    /** 专业对口: members whose expertise fits the topic's title and description, best first. */
    async matches(id: string, limit = 12): Promise<MemberMatch[]> {
      const doc = await load(id);
      const text = `${doc.title} ${doc.description ?? ''} ${doc.department ?? ''}`;
      const candidates = await deps.members.expertise();
      const fits = candidates
        .map((c) => ({ id: c.id, ...expertiseFit(text, c.tags) }))
        .filter((f) => f.score > 0)
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .slice(0, limit);
      const views = new Map((await deps.members.getMany(fits.map((f) => f.id))).map((m) => [m.id, m]));
      return fits.flatMap((f) => {
        const m = views.get(f.id);
        return m
          ? [{ id: m.id, name: m.name, title: m.title, sectorName: m.sectorName, tags: f.tags, score: f.score }]
          : [];
      });
    },

    /**
     * Follows the session and its tracking items: held when the session closes, in progress once
     * its outcomes are tracked, closed when every tracking item is closed. Safe to call again.
     */
    followSession(sessionId: string, by: { id: string; name: string }): Promise<TopicView | null> {
      return (async () => {
        const topicId = await deps.sessions.topicOf(sessionId);
        const found = topicId ? await Topic.findById(topicId, { _id: 1 }).lean() : null;
        if (!found) return null;
        return serial.run(found._id, async () => {
          let doc = await load(found._id);
          let view: TopicView | null = null;
          const session = await deps.sessions.find(sessionId);
          if (doc.state === 'scheduled' && session?.state === 'closed') {
            view = await step(doc, { type: 'hold' }, by);
            doc = await load(doc._id);
          }
          // Every round's items: the topic closes when the last of them is closed.
          const rounds = await deps.sessions.ofTopic(doc._id);
          const roundIds = rounds.map((r) => r._id);
          // A round still to be held keeps the topic open.
          const roundAhead = rounds.some((r) => r.state !== 'closed' && !r.cancelledAt);
          const items = await trackingItems.statusesOf(roundIds);
          if (doc.state === 'deliberated' && items.length > 0) {
            view = await step(doc, { type: 'startTracking' }, by);
            doc = await load(doc._id);
          }
          if (
            doc.state === 'inProgress' &&
            !roundAhead &&
            items.length > 0 &&
            items.every((i) => i.status === 'closed')
          ) {
            view = await step(doc, { type: 'close' }, by);
            const people = [doc.proposedBy, doc.firstConvenerId ?? '', doc.secondConvenerId ?? ''];
            await notifySafely(people.filter(Boolean), {
              key: `closed:${doc._id}`,
              kind: 'topicClosed',
              params: { topic: doc.title },
              link: topicPath(doc._id),
            });
          }
          return view;
        });
      })();
    },
  };
}

export type TopicService = ReturnType<typeof createTopicService>;
