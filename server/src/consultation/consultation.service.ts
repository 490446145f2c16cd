import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  type ConsultationGroupView,
  type ConsultationPostBody,
  type ConsultationRole,
  type ConsultationState,
  type ConsultationSuggestionView,
  type ConsultationView,
  chooseGroup,
  consultationLimits,
  consultationPath,
  featuresOf,
  groupConcepts,
  type MemberView,
  type OutcomeView,
  type SessionState,
  type SuggestionFeatures,
  type SupportByRole,
  type TopicView,
} from '@yitang/shared';
import { type Models, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { createDepartmentMembership } from '../org/membership';
import type {
  ConsultationBringDoc,
  ConsultationDoc,
  ConsultationGroupDoc,
  ConsultationSuggestionDoc,
} from './consultation.model';

const dayMs = 24 * 60 * 60 * 1000;
/** Topic states from acceptance on: the consultation has opened. */
const acceptedStates: readonly string[] = ['accepted', 'scheduled', 'deliberated', 'inProgress', 'closed'];

export interface ConsultationDeps {
  models: Models;
  topic: (id: string) => Promise<TopicView>;
  session: (id: string) => Promise<{ state: SessionState; closedAt: Date | null } | null>;
  /** Puts a suggestion into the live session's room as `by`; answers the room suggestion's id. */
  bringToRoom: (sessionId: string, by: MemberView, text: string) => Promise<string>;
  outcomesOf: (sessionId: string) => Promise<OutcomeView[]>;
  /** The clock of open and close times and of new suggestions; tests move it over days. */
  clock?: () => number;
}

/** Who is posting or supporting, once their right has been checked. */
export interface Participant {
  role: ConsultationRole;
  /** `m:<member id>` or `v:<hash of the browser's key>`: one +1 each per suggestion. */
  key: string;
  name: string;
}

/** Who is reading: a signed-in person, or a visitor of the public page (null). */
type Viewer = { member: MemberView } | { visitorKey: string | null };

const tally = (): SupportByRole => ({ member: 0, department: 0, citizen: 0 });
/** Guests sit on the public's side of the table: their support counts with citizens'. */
const tallyRole = (role: ConsultationRole): keyof SupportByRole =>
  role === 'guest' || role === 'citizen' ? 'citizen' : role;

export const visitorKey = (visitor: string) =>
  `v:${createHash('sha256').update(visitor).digest('base64url').slice(0, 22)}`;

/**
 * 意见征集: a topic's consultation opens when the topic is accepted and closes `closeAfterDays`
 * after its session closes. Suggestions are grouped as they arrive (shared/consultation/grouping.ts).
 */
export function createConsultationService(deps: ConsultationDeps) {
  const { Consultation, ConsultationSuggestion, ConsultationSupport, ConsultationGroup, ConsultationBring } =
    deps.models;
  const now = () => new Date(deps.clock ? deps.clock() : Date.now());
  /** Whether an official belongs, by record, to the department that owns the topic. */
  const departments = createDepartmentMembership(deps.models);

  /** The consultation record, made on first use (the public code with it). */
  async function ensure(topicId: string): Promise<ConsultationDoc> {
    const found = await Consultation.findById(topicId).lean<ConsultationDoc>();
    if (found) return found;
    try {
      await Consultation.create({
        _id: topicId,
        code: randomBytes(6).toString('base64url'),
        closeAfterDays: consultationLimits.defaultCloseAfterDays,
        createdAt: now(),
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const made = await Consultation.findById(topicId).lean<ConsultationDoc>();
    if (!made) throw new AppError('UNAVAILABLE', 'The consultation could not be opened.');
    return made;
  }

  async function windowOf(topic: TopicView, closeAfterDays: number) {
    const session = topic.sessionId ? await deps.session(topic.sessionId) : null;
    const sessionLive = session?.state === 'live';
    if (!acceptedStates.includes(topic.state)) {
      return { state: 'notYet' as ConsultationState, opensAt: null, closesAt: null, sessionLive };
    }
    const accepted = topic.history.find((e) => e.state === 'accepted')?.at ?? topic.acceptances.at(-1)?.at;
    const opensAt = new Date(accepted ?? topic.proposedAt);
    const closesAt = session?.closedAt ? new Date(session.closedAt.getTime() + closeAfterDays * dayMs) : null;
    const t = now();
    const state: ConsultationState = t < opensAt ? 'notYet' : closesAt && t >= closesAt ? 'closed' : 'open';
    return { state, opensAt, closesAt, sessionLive };
  }

  const isStaff = (m: MemberView) => m.kind === 'staff';
  const isConvener = (topic: TopicView, m: MemberView) =>
    topic.firstConvener?.id === m.id || topic.secondConvener?.id === m.id;

  /** The role a signed-in person takes part in, or null when they may only read. */
  async function roleOf(topic: TopicView, m: MemberView): Promise<ConsultationRole | null> {
    if (m.kind === 'member' || m.kind === 'staff') return 'member';
    if (m.kind === 'official') {
      if (topic.secondConvener?.id === m.id) return 'department';
      return topic.department && (await departments.isOfficialOf(m, topic.department)) ? 'department' : null;
    }
    return m.guestSessionId !== null && m.guestSessionId === topic.sessionId ? 'guest' : null;
  }

  async function participantOf(topic: TopicView, m: MemberView): Promise<Participant> {
    const role = await roleOf(topic, m);
    if (!role) throw new AppError('FORBIDDEN', 'Officials of the owning department and invited guests take part.');
    return { role, key: `m:${m.id}`, name: m.name };
  }

  /** A guest sees only their own session's topic. */
  function mayRead(topic: TopicView, m: MemberView): boolean {
    return m.kind !== 'guest' || (m.guestSessionId !== null && m.guestSessionId === topic.sessionId);
  }

  async function groupFor(topicId: string, features: SuggestionFeatures, at: Date): Promise<string> {
    const others = await ConsultationSuggestion.find(
      { topicId, parentId: null, hidden: false, groupId: trusted({ $ne: null }) },
      { text: 1, groupId: 1 },
    ).lean<Array<Pick<ConsultationSuggestionDoc, '_id' | 'text' | 'groupId'>>>();
    const byGroup = new Map<string, SuggestionFeatures[]>();
    for (const o of others) {
      if (!o.groupId) continue;
      const list = byGroup.get(o.groupId) ?? [];
      list.push(featuresOf(o.text));
      byGroup.set(o.groupId, list);
    }
    const chosen = chooseGroup(
      features,
      [...byGroup].map(([id, members]) => ({ id, members })),
    );
    if (chosen) return chosen.id;
    // The next number, unique per topic by index: a group begun meanwhile elsewhere takes the
    // number, and this one tries the next.
    for (let attempt = 0; ; attempt++) {
      const last = await ConsultationGroup.findOne({ topicId }, { number: 1 }).sort({ number: -1 }).lean();
      const group: ConsultationGroupDoc = {
        _id: `cg-${randomUUID()}`,
        topicId,
        number: (last?.number ?? 0) + 1,
        createdAt: at,
      };
      try {
        await ConsultationGroup.create(group);
        return group._id;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 10) throw err;
      }
    }
  }

  async function openTopic(topicId: string) {
    const topic = await deps.topic(topicId);
    const c = await ensure(topic.id);
    const w = await windowOf(topic, c.closeAfterDays);
    return { topic, c, w };
  }

  async function view(topicId: string, viewer: Viewer): Promise<ConsultationView> {
    const { topic, c, w } = await openTopic(topicId);
    const member = 'member' in viewer ? viewer.member : null;
    if (member && !mayRead(topic, member)) throw new AppError('FORBIDDEN', 'Not your session’s topic.');
    const moderate = member !== null && isStaff(member);
    const myKey = member ? `m:${member.id}` : 'visitorKey' in viewer ? viewer.visitorKey : null;
    const [docs, supports, groups, brings] = await Promise.all([
      ConsultationSuggestion.find({ topicId: topic.id })
        .sort({ createdAt: 1, _id: 1 })
        .lean<ConsultationSuggestionDoc[]>(),
      ConsultationSupport.find({ topicId: topic.id }, { suggestionId: 1, role: 1, supporterKey: 1 }).lean<
        Array<{ suggestionId: string; role: ConsultationRole; supporterKey: string }>
      >(),
      ConsultationGroup.find({ topicId: topic.id }).sort({ number: 1 }).lean<ConsultationGroupDoc[]>(),
      ConsultationBring.find({ topicId: topic.id }).lean<ConsultationBringDoc[]>(),
    ]);
    const broughtOf = new Map(brings.filter((b) => b.suggestionId !== 'pending').map((b) => [b._id, b]));
    const shown = docs.filter((d) => moderate || !d.hidden);
    const supportOf = new Map<string, typeof supports>();
    for (const s of supports) supportOf.set(s.suggestionId, [...(supportOf.get(s.suggestionId) ?? []), s]);
    const suggestions: ConsultationSuggestionView[] = shown.map((d) => {
      const support = tally();
      for (const s of supportOf.get(d._id) ?? []) support[tallyRole(s.role)] += 1;
      return {
        id: d._id,
        topicId: d.topicId,
        // Fields written as null may be missing (an upsert's $setOnInsert drops them): read as null.
        groupId: d.groupId ?? null,
        parentId: d.parentId ?? null,
        authorRole: d.authorRole,
        authorName: d.authorName,
        text: d.text,
        hidden: d.hidden,
        createdAt: d.createdAt.toISOString(),
        support,
        supportedByMe: myKey !== null && (supportOf.get(d._id) ?? []).some((s) => s.supporterKey === myKey),
      };
    });
    const outcomesBySession = new Map<string, OutcomeView[]>();
    const groupViews: ConsultationGroupView[] = [];
    for (const g of groups) {
      const members = docs.filter((d) => d.groupId === g._id && !d.hidden);
      const brought = broughtOf.get(g._id) ?? null;
      if (members.length === 0 && !brought) continue;
      // Support of a group: each person who wrote or +1'd one of its suggestions, once.
      const people = new Map<string, ConsultationRole>();
      for (const d of members) {
        people.set(d.authorKey ?? `r:${d._id}`, d.authorRole);
        for (const s of supportOf.get(d._id) ?? []) people.set(s.supporterKey, s.role);
      }
      const support = tally();
      for (const role of people.values()) support[tallyRole(role)] += 1;
      let outcomes: ConsultationGroupView['outcomes'] = [];
      if (brought) {
        let list = outcomesBySession.get(brought.sessionId);
        if (!list) {
          list = await deps.outcomesOf(brought.sessionId);
          outcomesBySession.set(brought.sessionId, list);
        }
        outcomes = list
          .filter((o) => o.suggestionIds.includes(brought.suggestionId))
          .map((o) => ({ id: o.id, text: o.text, status: o.status }));
      }
      groupViews.push({
        id: g._id,
        topicId: g.topicId,
        number: g.number,
        concepts: groupConcepts(members.map((d) => featuresOf(d.text))),
        suggestionIds: (moderate ? docs.filter((d) => d.groupId === g._id) : members).map((d) => d._id),
        support,
        broughtTo: brought
          ? {
              sessionId: brought.sessionId,
              suggestionId: brought.suggestionId,
              at: brought.at.toISOString(),
              byName: brought.byName,
            }
          : null,
        outcomes,
      });
    }
    const role = member ? await roleOf(topic, member) : 'citizen';
    return {
      topicId: topic.id,
      topicTitle: topic.title,
      state: w.state,
      opensAt: w.opensAt?.toISOString() ?? null,
      closesAt: w.closesAt?.toISOString() ?? null,
      closeAfterDays: c.closeAfterDays,
      publicCode: member && w.state !== 'notYet' ? c.code : null,
      sessionId: topic.sessionId,
      sessionLive: w.sessionLive,
      mayPost: w.state === 'open' && role !== null,
      mayModerate: moderate,
      maySetDays: member !== null && (isStaff(member) || isConvener(topic, member)),
      mayBring: member !== null && (isStaff(member) || isConvener(topic, member)) && w.sessionLive,
      groups: groupViews,
      suggestions,
    };
  }

  async function post(
    topicId: string,
    who: Participant,
    body: { text: string; parentId?: string | null | undefined },
    opts: { recordedBy?: MemberView; receivedAt?: Date } = {},
  ): Promise<string> {
    const { topic, w } = await openTopic(topicId);
    if (w.state !== 'open') throw new AppError('ILLEGAL_TRANSITION', 'The consultation is not open for comments.');
    // Received today but at a time still ahead (the form sends noon of the day, China time, and a
    // clock may run a little fast): it came in today, so it is taken as received now.
    const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const current = now();
    const at =
      opts.receivedAt && opts.receivedAt > current && chinaDay(opts.receivedAt) === chinaDay(current)
        ? current
        : (opts.receivedAt ?? current);
    if (opts.receivedAt && ((w.opensAt && at < w.opensAt) || at > current)) {
      throw new AppError('BAD_REQUEST', 'receivedAt: between the consultation’s opening and now.');
    }
    const parentId = body.parentId ?? null;
    if (parentId) {
      const parent = await ConsultationSuggestion.findOne({ _id: parentId, topicId: topic.id }).lean();
      if (!parent || parent.hidden) throw new AppError('NOT_FOUND', 'No such suggestion to reply to.');
      if (parent.parentId) throw new AppError('BAD_REQUEST', 'parentId: reply to a suggestion, not to a reply.');
    }
    const groupId = parentId ? null : await groupFor(topic.id, featuresOf(body.text), at);
    const doc: ConsultationSuggestionDoc = {
      _id: `cs-${randomUUID()}`,
      topicId: topic.id,
      groupId,
      parentId,
      authorRole: who.role,
      authorKey: opts.recordedBy ? null : who.key,
      authorName: who.name,
      recordedBy: opts.recordedBy?.id ?? null,
      text: body.text,
      hidden: false,
      createdAt: at,
    };
    await ConsultationSuggestion.create(doc);
    return doc._id;
  }

  async function support(topicId: string, suggestionId: string, who: Participant): Promise<void> {
    const { topic, w } = await openTopic(topicId);
    if (w.state !== 'open') throw new AppError('ILLEGAL_TRANSITION', 'The consultation is not open for comments.');
    const s = await ConsultationSuggestion.findOne({ _id: suggestionId, topicId: topic.id }).lean();
    if (!s || s.hidden) throw new AppError('NOT_FOUND', 'No such suggestion.');
    if (s.authorKey === who.key) throw new AppError('BAD_REQUEST', 'Support others’ suggestions, not your own.');
    try {
      await ConsultationSupport.create({
        _id: `${s._id}|${who.key}`,
        topicId: topic.id,
        suggestionId: s._id,
        role: who.role,
        supporterKey: who.key,
        createdAt: now(),
      });
    } catch (err) {
      // Already supported (a double click, or the other node): one +1 each.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** The room suggestion's text for a group: its number, its best-supported words, its support. */
  function roomText(group: ConsultationGroupDoc, view: ConsultationView): string {
    const g = view.groups.find((x) => x.id === group._id);
    const members = view.suggestions.filter((s) => s.groupId === group._id && !s.hidden);
    const total = (s: ConsultationSuggestionView) => s.support.member + s.support.department + s.support.citizen;
    const best = [...members].sort((a, b) => total(b) - total(a) || a.createdAt.localeCompare(b.createdAt))[0];
    const support = g?.support ?? tally();
    const text =
      `【意见征集·第${group.number}组】${best?.text ?? ''}` +
      `（同组意见${members.length}条；支持：委员${support.member}、部门${support.department}、群众${support.citizen}）`;
    // The way back to the group, in the room, the minutes and any outcome drawn from it.
    const back = `详见：${consultationPath(group.topicId)}`;
    return `${text.slice(0, 2000 - back.length)}${back}`;
  }

  /** The topic of a public link's code, or NOT_FOUND. */
  async function topicOfCode(code: string): Promise<string> {
    const c = await Consultation.findOne({ code }, { _id: 1 }).lean();
    if (!c) throw new AppError('NOT_FOUND', 'No such consultation link.');
    return c._id;
  }

  return {
    view,

    topicOfCode,

    /** The session a topic is deliberated in, if it has one yet. */
    async sessionOfTopic(topicId: string): Promise<string | null> {
      return (await deps.topic(topicId)).sessionId;
    },

    async postAs(topicId: string, m: MemberView, body: ConsultationPostBody): Promise<ConsultationView> {
      const topic = await deps.topic(topicId);
      if (!mayRead(topic, m)) throw new AppError('FORBIDDEN', 'Not your session’s topic.');
      if (body.onBehalf) {
        if (!isStaff(m)) throw new AppError('FORBIDDEN', 'Staff record suggestions received on paper or by phone.');
        const name = body.onBehalf.name?.trim() || '群众';
        const who: Participant = { role: 'citizen', key: `r:${randomUUID()}`, name };
        await post(topic.id, who, body, { recordedBy: m, receivedAt: new Date(body.onBehalf.receivedAt) });
      } else {
        await post(topic.id, await participantOf(topic, m), body);
      }
      return view(topic.id, { member: m });
    },

    async postPublic(
      code: string,
      body: { text: string; name?: string | undefined; parentId?: string | null | undefined; visitor: string },
    ): Promise<ConsultationView> {
      const topicId = await topicOfCode(code);
      const key = visitorKey(body.visitor);
      await post(topicId, { role: 'citizen', key, name: body.name?.trim() || '群众' }, body);
      return view(topicId, { visitorKey: key });
    },

    async supportAs(topicId: string, suggestionId: string, m: MemberView): Promise<ConsultationView> {
      const topic = await deps.topic(topicId);
      if (!mayRead(topic, m)) throw new AppError('FORBIDDEN', 'Not your session’s topic.');
      await support(topic.id, suggestionId, await participantOf(topic, m));
      return view(topic.id, { member: m });
    },

    async supportPublic(code: string, suggestionId: string, visitor: string): Promise<ConsultationView> {
      const topicId = await topicOfCode(code);
      const key = visitorKey(visitor);
      await support(topicId, suggestionId, { role: 'citizen', key, name: '' });
      return view(topicId, { visitorKey: key });
    },

    async hide(topicId: string, suggestionId: string, hidden: boolean, m: MemberView): Promise<ConsultationView> {
      if (!isStaff(m)) throw new AppError('FORBIDDEN', 'Staff moderate the consultation.');
      const topic = await deps.topic(topicId);
      const res = await ConsultationSuggestion.updateOne(
        { _id: suggestionId, topicId: topic.id },
        { $set: { hidden } },
      );
      if (res.matchedCount === 0) throw new AppError('NOT_FOUND', 'No such suggestion.');
      return view(topic.id, { member: m });
    },

    async settings(topicId: string, closeAfterDays: number, m: MemberView): Promise<ConsultationView> {
      const topic = await deps.topic(topicId);
      if (!isStaff(m) && !isConvener(topic, m)) throw new AppError('FORBIDDEN', 'Staff and the conveners set this.');
      await ensure(topic.id);
      await Consultation.updateOne({ _id: topic.id }, { $set: { closeAfterDays } });
      return view(topic.id, { member: m });
    },

    /**
     * 一键带入: the group goes into the live session as a suggestion of the room, once. The claim
     * on the group is taken first (a double click or a second convener find it taken).
     */
    async bring(topicId: string, groupId: string, m: MemberView): Promise<ConsultationView> {
      const topic = await deps.topic(topicId);
      if (!isStaff(m) && !isConvener(topic, m)) throw new AppError('FORBIDDEN', 'The conveners bring a group in.');
      const group = await ConsultationGroup.findOne({ _id: groupId, topicId: topic.id }).lean<ConsultationGroupDoc>();
      if (!group) throw new AppError('NOT_FOUND', 'No such group.');
      if (await ConsultationBring.exists({ _id: group._id })) return view(topic.id, { member: m });
      const before = await view(topic.id, { member: m });
      if (!topic.sessionId || !before.sessionLive)
        throw new AppError('SESSION_NOT_LIVE', 'The topic’s session is not live.');
      const sessionId = topic.sessionId;
      try {
        await ConsultationBring.create({
          _id: group._id,
          topicId: topic.id,
          sessionId,
          suggestionId: 'pending',
          at: now(),
          by: m.id,
          byName: m.name,
        });
      } catch (err) {
        // Brought already, by this click's twin or the other convener.
        if (!isDuplicateKey(err)) throw err;
        return view(topic.id, { member: m });
      }
      try {
        const suggestionId = await deps.bringToRoom(sessionId, m, roomText(group, before));
        await ConsultationBring.updateOne({ _id: group._id }, { $set: { suggestionId } });
      } catch (err) {
        await ConsultationBring.deleteOne({ _id: group._id });
        throw err;
      }
      return view(topic.id, { member: m });
    },
  };
}

export type ConsultationService = ReturnType<typeof createConsultationService>;
