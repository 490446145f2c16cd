/**
 * Tracking (督办). Other modules create items from their own records with
 *
 *   tracking.createFromSource(source, work, by): Promise<{ id: string; created: boolean }>
 *     source: { kind: 'proposal' | 'supervision' | 'inspection' | 'staff'; id?: string;
 *               part?: string; title: string; summary?: string | null }
 *     work:   { text: string; department: string; deadline?: string | null (YYYY-MM-DD);
 *               assigneeId?: string | null; overseers?: string[]; followers?: string[] }
 *     by:     { id: string; name: string }
 *
 * With `source.id` (1–64 characters) the item's key is `tr-<kind>-<id>[-<part>]` (sourceTrackingKey;
 * hashed when longer than an id may be), so calling
 * again (a retry, a re-run) creates nothing and answers `created: false` with the same id; `part`
 * tells apart several items of one record (e.g. one per co-handling department). Without an id
 * each call creates a new item. `overseers` verify, return and close it beside staff (there is
 * no session, so no conveners); `followers` (e.g. the proposer) may read and rate it. A new item
 * is announced to `onChange` listeners with kind `create`. Session outcomes keep their own path,
 * `createFromSession`.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  type AssigneeCandidatesResponse,
  afterProgressReport,
  awaitsDepartment,
  ChaseLevel,
  compareForDepartment,
  isAllowedAttachmentType,
  isOpenForDepartment,
  isOverdue,
  isRatable,
  type MemberView,
  mayTakeTrackingAction,
  nextChaseLevel,
  type ProgressReportInput,
  type RatingSummary,
  sourceDrivenTrackingKinds,
  type TrackingAction,
  type TrackingActionType,
  TrackingActionType as TrackingActionTypes,
  type TrackingActor,
  type TrackingCreateBody,
  type TrackingItemResponse,
  type TrackingItemView,
  type TrackingSource,
  type TrackingSourceKind,
  type TrackingStatus,
  type TrackingViewer,
  trackingAssigners,
  trackingChasers,
  trackingLimits,
  trackingSourceLimits,
  trackingTransition,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { checkUploadedFiles, cleanFileName, type UploadedFile } from '../http/uploads';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import { createMemberRecords } from '../members/member.service';
import { createDepartmentMembership } from '../org/membership';
import type { OutcomeRepository } from '../outcomes/outcome.repository';
import type { SessionDoc } from '../rooms/room.model';
import type { RoomRepository } from '../rooms/room.repository';
import {
  type AttachmentDoc,
  attachmentKey,
  type ChaseDoc,
  type ProgressReportDoc,
  type RatingDoc,
  ratingKey,
  sourceTrackingKey,
  type TrackingItemDoc,
  trackingKey,
} from './tracking.model';

type TrackingEventDoc = TrackingItemDoc['history'][number];

/** Today's date (YYYY-MM-DD) in the committee's time zone, for deadlines. */
export function todayInChina(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

export const attachmentUrl = (id: string) => `/api/tracking/attachments/${encodeURIComponent(id)}`;

/** Average, count and anonymous comments of an item's ratings. */
export function summariseRatings(ratings: RatingDoc[]): RatingSummary {
  const count = ratings.length;
  const sum = ratings.reduce((s, r) => s + r.score, 0);
  return {
    average: count === 0 ? null : Math.round((sum / count) * 100) / 100,
    count,
    entries: [...ratings]
      .sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime())
      .map((r) => ({ score: r.score, comment: r.comment ?? null, at: new Date(r.at).toISOString() })),
  };
}

/** What an item follows up; items stored before sources existed are outcomes. */
export function sourceOf(doc: Pick<TrackingItemDoc, 'source' | 'outcomeId' | 'topic'>): TrackingSource {
  if (doc.source) {
    return {
      kind: doc.source.kind,
      id: doc.source.id ?? null,
      title: doc.source.title ?? doc.topic,
      summary: doc.source.summary ?? null,
    };
  }
  return { kind: 'outcome', id: doc.outcomeId ?? null, title: doc.topic, summary: null };
}

// Optional fields are read with `?? …`: FerretDB drops nulls written by $setOnInsert, and items
// stored before reports and chases existed have none.
export function presentTracking(doc: TrackingItemDoc, today: string, ratings: RatingDoc[] = []): TrackingItemView {
  const chases = doc.chases ?? [];
  return {
    id: doc._id,
    source: sourceOf(doc),
    outcomeId: doc.outcomeId ?? null,
    sessionId: doc.sessionId ?? null,
    topic: doc.topic,
    text: doc.text,
    department: doc.department ?? '',
    deadline: doc.deadline ?? null,
    status: doc.status,
    overdue: isOverdue({ status: doc.status, deadline: doc.deadline ?? null }, today),
    history: (doc.history ?? []).map((h) => ({ ...h, at: new Date(h.at).toISOString(), note: h.note ?? null })),
    assignee: doc.assigneeId ? { id: doc.assigneeId, name: doc.assigneeName ?? doc.assigneeId } : null,
    reports: (doc.reports ?? []).map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      by: r.by,
      byName: r.byName,
      text: r.text,
      percent: r.percent ?? null,
      nextStep: r.nextStep ?? null,
      done: r.done === true,
      attachments: (r.attachments ?? []).map((a) => ({ ...a, url: attachmentUrl(a.id) })),
    })),
    chases: chases.map((c) => ({
      at: new Date(c.at).toISOString(),
      by: c.by,
      byName: c.byName,
      level: c.level,
      note: c.note ?? null,
      overdue: c.overdue === true,
    })),
    chaseLevel: highestChase(chases),
    rating: summariseRatings(ratings),
  };
}

/** What happened to an item, for listeners (e.g. the 12345 hotline feedback). */
export interface TrackingChange {
  /** `create`: an item from a source other than a session (createFromSource, staff). */
  kind: 'create' | 'move' | 'report' | 'chase' | 'assign';
  /** The status before the change; `item.status` is the status after it. */
  from: TrackingStatus;
  item: TrackingItemView;
  by: { id: string; name: string };
}

export type TrackingListener = (change: TrackingChange) => void | Promise<void>;

/** Whether `member` may read the items of the session `sessionId` beyond the usual parts. */
export type ViewerRule = (sessionId: string, member: MemberView) => Promise<boolean>;

/** A source other modules (and staff) create items from; outcomes come from `createFromSession`. */
export interface SourceInput {
  kind: Exclude<TrackingSourceKind, 'outcome'>;
  /** The source record; with it the item's key is stable, so a repeated call creates nothing. */
  id?: string;
  /** Tells apart several items of one source record (e.g. a co-handling department). */
  part?: string;
  title: string;
  summary?: string | null;
}

/** The work an item from a source asks for, and who else has a part in it. */
export interface SourceWork {
  text: string;
  department: string;
  deadline?: string | null;
  assigneeId?: string | null;
  /** Verify, return and close beside staff. */
  overseers?: string[];
  /** May read and rate. */
  followers?: string[];
}

/** An item's key for a source record: readable when short, hashed to fit an id otherwise. */
function keyForSource(source: Pick<SourceInput, 'kind' | 'id' | 'part'>): string {
  if (source.id === undefined) return `tr-${source.kind}-${randomUUID()}`;
  const key = sourceTrackingKey(source.kind, source.id, source.part);
  if (key.length <= 64) return key;
  const digest = createHash('sha256')
    .update(`${source.id}\u0000${source.part ?? ''}`)
    .digest('base64url');
  return `tr-${source.kind}-${digest.slice(0, 32)}`;
}

/**
 * A step the source record takes for its item, when the source, not the people on the item,
 * decides how the work ends (a proposal: the department's 答复 and the proposer's feedback):
 * `reply` is the department's answer, a progress report marking the work done; `accept` verifies
 * (if reported done) and closes it (满意/基本满意); `return` sends it back with a new deadline (不满意); `close` ends it
 * whatever its status (the department was relieved, the source was closed); `oversee` adds overseers.
 */
export type SourceStep =
  | { type: 'reply'; text: string }
  | { type: 'accept'; note: string | null }
  | { type: 'return'; reason: string; deadline: string | null }
  | { type: 'close'; reason: string }
  | { type: 'oversee'; memberIds: string[] };

/** Sources whose items end by the source's steps (`followSource`), not by verification on the item. */
const sourceDriven = sourceDrivenTrackingKinds;
const isSourceDriven = (doc: Pick<TrackingItemDoc, 'source' | 'outcomeId' | 'topic'>) =>
  sourceDriven.includes(sourceOf(doc).kind);
/** The item's own end (verify, return, close) which a source-driven item takes from its source. */
const endingActions: readonly TrackingActionType[] = ['verify', 'return', 'close'];

/** The item's key for a source record (as `createFromSource` makes it), to find it again. */
export function sourceItemId(source: Pick<SourceInput, 'kind' | 'id' | 'part'> & { id: string }): string {
  return keyForSource(source);
}

/** What one person is for one item. */
interface Standing {
  actors: TrackingActor[];
  participant: boolean;
  mayView: boolean;
}

/**
 * Tracking items (督办): one per recorded outcome, created when the session closes, moved through
 * the shared status machine by the department, the conveners and staff; progress reports with
 * attachments, chases with escalation, satisfaction ratings. Every read-check-write of an item
 * runs one at a time per item, with its precondition kept in the update filter (FerretDB 1.x does
 * not make a guarded update atomic; see docs/architecture.md).
 */
export function createTrackingService(deps: {
  models: Models;
  rooms: RoomRepository;
  /** The outcomes module: a closed session's recorded outcomes become items. */
  outcomes: Pick<OutcomeRepository, 'listForSession'>;
  logger?: Logger;
}) {
  const { TrackingItem, Attachment, TrackingRating } = deps.models;
  /** People (the second convener, an assignee) are the members module's records. */
  const memberRecords = createMemberRecords(deps.models);
  // Who belongs to a department is the organisation records' answer (Member.departmentId).
  const departments = createDepartmentMembership(deps.models);
  const items = rawCollection(TrackingItem);
  const attachments = rawCollection(Attachment);
  /** One write at a time per record (see docs/architecture.md on FerretDB). */
  const serials = new KeyedSerial();
  const listeners = new Set<TrackingListener>();
  const viewerRules: ViewerRule[] = [];

  /** Who the caller is for an item: its department, a convener of its session, staff, a participant. */
  async function standingIn(
    doc: TrackingItemDoc,
    member: MemberView,
    session?: SessionDoc | null,
    attendedSessions?: ReadonlySet<string>,
  ): Promise<Standing> {
    const sessionId = doc.sessionId ?? null;
    const s = sessionId === null ? null : session === undefined ? await deps.rooms.getSession(sessionId) : session;
    const actors: TrackingActor[] = [];
    if (member.kind === 'staff') actors.push('staff');
    if (s && (member.id === s.firstConvenerId || member.id === s.secondConvenerId)) actors.push('convener');
    // Without a session there are no conveners: staff and the named overseers verify and close.
    if (sessionId === null && (member.kind === 'staff' || (doc.overseers ?? []).includes(member.id))) {
      actors.push('convener');
    }
    // The department: the person named for the item, the officials of the department by record,
    // and the second convener, who heads the department that owns the problem.
    if (
      member.id === doc.assigneeId ||
      (await departments.isOfficialOf(member, doc.department ?? '')) ||
      (s !== null && member.id === s.secondConvenerId)
    ) {
      actors.push('department');
    }
    const invited = s?.roles.some((r) => r.memberId === member.id) ?? false;
    const attended =
      s !== null &&
      sessionId !== null &&
      (attendedSessions ? attendedSessions.has(sessionId) : await deps.rooms.attended(sessionId, member.id));
    const follower = (doc.followers ?? []).includes(member.id);
    const participant = attended || invited || follower || actors.includes('convener');
    let mayView = actors.length > 0 || participant;
    for (const rule of viewerRules) {
      if (mayView || sessionId === null) break;
      mayView = await rule(sessionId, member);
    }
    return { actors, participant, mayView };
  }

  async function loadForViewer(id: string, member: MemberView): Promise<{ doc: TrackingItemDoc; standing: Standing }> {
    const doc = await TrackingItem.findById(id).lean();
    if (!doc) throw new AppError('NOT_FOUND', 'No such tracking item.');
    const standing = await standingIn(doc, member);
    // Someone with no part in the item learns nothing about it, not even that it exists.
    if (!standing.mayView) throw new AppError('NOT_FOUND', 'No such tracking item.');
    return { doc, standing };
  }

  const ratingsOf = (itemId: string) => TrackingRating.find({ itemId }).lean();

  function viewerOf(doc: TrackingItemDoc, standing: Standing, mine: RatingDoc | null): TrackingViewer {
    const has = (list: readonly TrackingActor[]) => standing.actors.some((a) => list.includes(a));
    return {
      actions: TrackingActionTypes.options.filter(
        (type: TrackingActionType) =>
          !(isSourceDriven(doc) && endingActions.includes(type)) &&
          standing.actors.some((a) => mayTakeTrackingAction(a, type)) &&
          trackingTransition(doc.status, type === 'return' ? { type, reason: '-' } : { type }).ok,
      ),
      mayReport: standing.actors.includes('department') && awaitsDepartment(doc.status),
      mayChase: has(trackingChasers) && awaitsDepartment(doc.status),
      mayAssign: has(trackingAssigners) && doc.status !== 'closed',
      mayRate: standing.participant && isRatable(doc.status),
      myRating: mine ? { score: mine.score, comment: mine.comment ?? null } : null,
    };
  }

  async function respond(doc: TrackingItemDoc, member: MemberView, standing?: Standing): Promise<TrackingItemResponse> {
    const st = standing ?? (await standingIn(doc, member));
    const ratings = await ratingsOf(doc._id);
    const mine = ratings.find((r) => r.memberId === member.id) ?? null;
    return { item: presentTracking(doc, todayInChina(), ratings), viewer: viewerOf(doc, st, mine) };
  }

  function emit(change: TrackingChange): void {
    for (const listener of listeners) {
      void Promise.resolve()
        .then(() => listener(change))
        .catch((err: unknown) => deps.logger?.error({ err, itemId: change.item.id }, 'tracking listener failed'));
    }
  }

  /** Loads an item, checks the caller's part, and runs `change` one at a time for that item. */
  function change<T>(
    id: string,
    member: MemberView,
    task: (doc: TrackingItemDoc, standing: Standing) => Promise<T>,
  ): Promise<T> {
    return serials.run(id, async () => {
      const { doc, standing } = await loadForViewer(id, member);
      return task(doc, standing);
    });
  }

  /** One guarded update: the item must still be in the status it was read in. */
  async function write(doc: TrackingItemDoc, update: Record<string, unknown>): Promise<void> {
    const res = await TrackingItem.updateOne({ _id: doc._id, status: doc.status }, update);
    if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The item changed meanwhile.');
  }

  /**
   * Creates an item from another source (a proposal's assignment, a finding, staff's own work);
   * see the top of this file. Idempotent by key when the source names its record.
   */
  async function createFromSource(
    source: SourceInput,
    work: SourceWork,
    by: { id: string; name: string },
  ): Promise<{ id: string; created: boolean }> {
    if (source.id !== undefined && (source.id.length === 0 || source.id.length > 64)) {
      throw new AppError('BAD_REQUEST', 'A source id is 1 to 64 characters.');
    }
    // The same bounds as staff's own items (POST /tracking): a module cannot store more.
    const bounds: Array<[string, string, number]> = [
      ['title', source.title, trackingSourceLimits.maxTitleLength],
      ['summary', source.summary ?? '', trackingSourceLimits.maxSummaryLength],
      ['text', work.text, trackingSourceLimits.maxTextLength],
    ];
    for (const [name, value, max] of bounds) {
      if (value.length > max) throw new AppError('BAD_REQUEST', `${name}: at most ${max} characters.`);
    }
    if (source.title.trim() === '' || work.text.trim() === '') {
      throw new AppError('BAD_REQUEST', 'A tracking item needs a title and the work to do.');
    }
    if (work.deadline && !/^\d{4}-\d{2}-\d{2}$/.test(work.deadline)) {
      throw new AppError('BAD_REQUEST', 'deadline: a date, YYYY-MM-DD.');
    }
    const id = keyForSource(source);
    const department = work.department.trim();
    const assignee = work.assigneeId ? await memberRecords.get(work.assigneeId) : null;
    if (work.assigneeId && !assignee) throw new AppError('BAD_REQUEST', 'No such responsible person.');
    const now = new Date();
    const doc: TrackingItemDoc = {
      _id: id,
      source: {
        kind: source.kind,
        id: source.id ?? null,
        title: source.title,
        summary: source.summary ? source.summary : null,
      },
      outcomeId: null,
      sessionId: null,
      overseers: [...new Set(work.overseers ?? [])],
      followers: [...new Set(work.followers ?? [])],
      topic: source.title,
      text: work.text,
      department,
      deadline: work.deadline ?? null,
      status: 'assigned',
      history: [{ at: now, by: by.id, byName: by.name, action: 'create', status: 'assigned', note: null }],
      assigneeId: assignee?._id ?? null,
      assigneeName: assignee?.name ?? null,
      reports: [],
      chases: [],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await items.insertOne(doc);
    } catch (err) {
      if (isDuplicateKey(err)) return { id, created: false };
      throw err;
    }
    emit({ kind: 'create', from: 'assigned', item: presentTracking(doc, todayInChina(now)), by });
    return { id, created: true };
  }

  /**
   * Takes a source's step on its item (see `SourceStep`), one at a time per item with the status
   * in the update filter. Answers false when there is no such item or the step does not apply to
   * its status (e.g. a reply to an item already reported done): the item is left as it is.
   */
  function followSource(id: string, step: SourceStep, by: { id: string; name: string }): Promise<boolean> {
    return serials.run(id, async () => {
      const doc = await TrackingItem.findById(id).lean();
      if (!doc) return false;
      const now = new Date();
      const line = (action: TrackingEventDoc['action'], status: TrackingStatus, note: string | null) => ({
        at: now,
        by: by.id,
        byName: by.name,
        action,
        status,
        note,
      });
      const set: Partial<TrackingItemDoc> = { updatedAt: now };
      const push: Record<string, unknown> = {};
      let events: TrackingItemDoc['history'] = [];
      let report: ProgressReportDoc | null = null;
      switch (step.type) {
        case 'reply': {
          const next = afterProgressReport(doc.status, true);
          if (!next.ok) return false;
          report = {
            id: `rp-${randomUUID()}`,
            at: now,
            by: by.id,
            byName: by.name,
            text: step.text.slice(0, trackingLimits.maxReportLength),
            percent: 100,
            nextStep: null,
            done: true,
            attachments: [],
          };
          set.status = next.status;
          events = next.steps.map((s) =>
            line(s, s === 'start' ? 'inProgress' : 'reportedDone', s === 'report' ? (report?.text ?? null) : null),
          );
          push.reports = report;
          break;
        }
        case 'accept':
          // The source is done with it: verified if the work was reported done, closed in any case
          // (the reply's step may not have reached the item yet; a late one then finds it closed).
          if (doc.status === 'closed') return false;
          if (doc.status === 'reportedDone') events.push(line('verify', 'verified', step.note));
          events.push(line('close', 'closed', step.note));
          set.status = 'closed';
          break;
        case 'return':
          if (doc.status !== 'reportedDone') return false;
          events.push(line('return', 'returned', step.reason));
          set.status = 'returned';
          set.deadline = step.deadline;
          break;
        case 'close':
          if (doc.status === 'closed') return false;
          events.push(line('close', 'closed', step.reason));
          set.status = 'closed';
          break;
        case 'oversee': {
          const overseers = [...new Set([...(doc.overseers ?? []), ...step.memberIds])];
          if (overseers.length === (doc.overseers ?? []).length) return false;
          set.overseers = overseers;
          break;
        }
      }
      if (events.length > 0) push.history = { $each: events };
      await write(doc, Object.keys(push).length > 0 ? { $set: set, $push: push } : { $set: set });
      const after: TrackingItemDoc = {
        ...doc,
        ...set,
        history: [...doc.history, ...events],
        reports: report ? [...(doc.reports ?? []), report] : doc.reports,
      };
      if (events.length > 0) {
        emit({
          kind: report ? 'report' : 'move',
          from: doc.status,
          item: presentTracking(after, todayInChina(now), await ratingsOf(doc._id)),
          by,
        });
      }
      return true;
    });
  }

  return {
    /**
     * Lets more people read items (and their files) than those with a part in them, e.g. the
     * person who proposed the session's topic. Reading only: a rule grants no action.
     */
    addViewerRule(rule: ViewerRule): void {
      viewerRules.push(rule);
    },

    /** Calls `listener` after every successful move, report, chase or assignment. Returns an unsubscribe. */
    onChange(listener: TrackingListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Creates the items of a closed session's recorded outcomes (idempotent by key). */
    async createFromSession(sessionId: string, by: MemberView | { id: string; name: string }): Promise<number> {
      const session = await deps.rooms.getSession(sessionId);
      if (!session) return 0;
      const outcomes = (await deps.outcomes.listForSession(sessionId)).filter((o) => o.status === 'recorded');
      // The second convener answers for the outcome when the department is theirs.
      const second = session.secondConvenerId ? await memberRecords.get(session.secondConvenerId) : null;
      let created = 0;
      for (const o of outcomes) {
        const now = new Date();
        const department = o.department ?? '';
        const assignee =
          second &&
          (await departments.isOfficialOf(
            { id: second._id, kind: second.kind, departmentId: second.departmentId ?? null },
            department,
          ))
            ? second
            : null;
        try {
          await items.insertOne({
            _id: trackingKey(o.id),
            outcomeId: o.id,
            sessionId,
            topic: session.topic,
            text: o.text,
            department,
            deadline: o.deadline ?? null,
            status: 'assigned',
            history: [{ at: now, by: by.id, byName: by.name, action: 'create', status: 'assigned', note: null }],
            assigneeId: assignee?._id ?? null,
            assigneeName: assignee?.name ?? null,
            reports: [],
            chases: [],
            createdAt: now,
            updatedAt: now,
          });
          created += 1;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      return created;
    },

    createFromSource,

    followSource,

    /** Staff set follow-up work directly: their own, or a supervision or inspection finding. */
    async createByStaff(input: TrackingCreateBody, member: MemberView): Promise<TrackingItemResponse> {
      if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Only staff create tracking items directly.');
      // The department must be a record, or nobody but staff could ever act on the item.
      const department = await departments.byName(input.department);
      if (!department) throw new AppError('BAD_REQUEST', `No department is named ${input.department}.`);
      const { id } = await createFromSource(
        { kind: input.kind, title: input.title, summary: input.summary ?? null },
        { text: input.text, department: department.name, deadline: input.deadline ?? null },
        { id: member.id, name: member.name },
      );
      const { doc, standing } = await loadForViewer(id, member);
      return respond(doc, member, standing);
    },

    /** The items the viewer may see, filtered; oldest first. */
    async list(
      filter: {
        sessionId?: string;
        kind?: TrackingSourceKind;
        department?: string;
        status?: TrackingStatus;
        overdue?: boolean;
      },
      viewer: MemberView,
      today = todayInChina(),
    ): Promise<TrackingItemView[]> {
      const query: Record<string, string> = {};
      if (filter.sessionId) query.sessionId = filter.sessionId;
      if (filter.department) query.department = filter.department;
      if (filter.status) query.status = filter.status;
      const docs = await TrackingItem.find(query).sort({ createdAt: 1 }).lean();
      const sessions = new Map<string, SessionDoc | null>();
      // The sessions the viewer attended, read once for the whole list.
      const attended = await deps.rooms.sessionsAttendedBy(viewer.id);
      const visible: TrackingItemDoc[] = [];
      for (const doc of docs) {
        if (filter.overdue !== undefined && isOverdue(doc, today) !== filter.overdue) continue;
        // Items stored before sources existed have none: filtered by what they read as.
        if (filter.kind !== undefined && sourceOf(doc).kind !== filter.kind) continue;
        const sessionId = doc.sessionId ?? null;
        if (sessionId !== null && !sessions.has(sessionId)) {
          sessions.set(sessionId, await deps.rooms.getSession(sessionId));
        }
        const session = sessionId === null ? null : (sessions.get(sessionId) ?? null);
        if ((await standingIn(doc, viewer, session, attended)).mayView) visible.push(doc);
      }
      const ratings = await TrackingRating.find({ itemId: trusted({ $in: visible.map((d) => d._id) }) }).lean();
      return visible.map((d) =>
        presentTracking(
          d,
          today,
          ratings.filter((r) => r.itemId === d._id),
        ),
      );
    },

    async get(id: string, viewer: MemberView): Promise<TrackingItemResponse> {
      const { doc, standing } = await loadForViewer(id, viewer);
      return respond(doc, viewer, standing);
    },

    /** Takes one step; an illegal one is refused with ILLEGAL_TRANSITION, a wrong actor with FORBIDDEN. */
    async act(id: string, action: TrackingAction, member: MemberView, note?: string): Promise<TrackingItemResponse> {
      const { res, from } = await change(id, member, async (doc, standing) => {
        if (!standing.actors.some((a) => mayTakeTrackingAction(a, action.type))) {
          throw new AppError('FORBIDDEN', `Your part in this item may not ${action.type} it.`);
        }
        if (isSourceDriven(doc) && endingActions.includes(action.type)) {
          throw new AppError(
            'ILLEGAL_TRANSITION',
            `This item follows its ${sourceOf(doc).kind}: it is verified, returned and closed by the proposer’s feedback there.`,
          );
        }
        const next = trackingTransition(doc.status, action);
        if (!next.ok) {
          throw new AppError('ILLEGAL_TRANSITION', `A tracking item that is ${doc.status} cannot ${action.type}.`);
        }
        const now = new Date();
        const event = {
          at: now,
          by: member.id,
          byName: member.name,
          action: action.type,
          status: next.status,
          note: action.type === 'return' ? action.reason : (note ?? null),
        };
        await write(doc, { $set: { status: next.status, updatedAt: now }, $push: { history: event } });
        const after = { ...doc, status: next.status, history: [...doc.history, event] };
        return { res: await respond(after, member, standing), from: doc.status };
      });
      emit({ kind: 'move', from, item: res.item, by: { id: member.id, name: member.name } });
      return res;
    },

    /**
     * The department's progress report, with its files. The bytes are stored first under keys of
     * this report; if the item cannot take the report, they are removed again, so a refused
     * report leaves nothing behind.
     */
    async report(
      id: string,
      member: MemberView,
      input: ProgressReportInput,
      files: UploadedFile[],
    ): Promise<TrackingItemResponse> {
      checkFiles(files);
      let from: TrackingStatus = 'assigned';
      const res = await change(id, member, async (doc, standing) => {
        if (!standing.actors.includes('department')) {
          throw new AppError('FORBIDDEN', 'Only the responsible department reports progress.');
        }
        if (input.done && isSourceDriven(doc)) {
          throw new AppError(
            'BAD_REQUEST',
            `done: this item's work is done by the reply (答复) to its ${sourceOf(doc).kind}; report progress here.`,
          );
        }
        const next = afterProgressReport(doc.status, input.done);
        if (!next.ok) {
          throw new AppError('ILLEGAL_TRANSITION', `A tracking item that is ${doc.status} takes no progress report.`);
        }
        from = doc.status;
        const now = new Date();
        const reportId = `rp-${randomUUID()}`;
        const stored: AttachmentDoc[] = files.map((f, n) => ({
          _id: attachmentKey(reportId, n),
          itemId: doc._id,
          reportId,
          fileName: cleanFileName(f.originalname, trackingLimits.maxFileNameLength),
          contentType: f.mimetype,
          size: f.size,
          data: f.buffer,
          uploadedBy: member.id,
          at: now,
        }));
        const report: ProgressReportDoc = {
          id: reportId,
          at: now,
          by: member.id,
          byName: member.name,
          text: input.text,
          percent: input.percent,
          nextStep: input.nextStep,
          done: input.done,
          attachments: stored.map((a) => ({
            id: a._id,
            fileName: a.fileName,
            contentType: a.contentType,
            size: a.size,
          })),
        };
        const events = next.steps.map((step) => ({
          at: now,
          by: member.id,
          byName: member.name,
          action: step,
          status: step === 'start' ? ('inProgress' as const) : ('reportedDone' as const),
          note: step === 'report' ? input.text : null,
        }));
        try {
          if (stored.length > 0) await attachments.insertMany(stored);
          await write(doc, {
            $set: { status: next.status, updatedAt: now },
            $push: { reports: report, history: { $each: events } },
          });
        } catch (err) {
          await attachments.deleteMany({ reportId }).catch((cleanup: unknown) => {
            deps.logger?.error({ err: cleanup, reportId }, 'could not remove the files of a refused report');
          });
          throw err;
        }
        const after: TrackingItemDoc = {
          ...doc,
          status: next.status,
          history: [...doc.history, ...events],
          reports: [...(doc.reports ?? []), report],
        };
        return respond(after, member, standing);
      });
      emit({ kind: 'report', from, item: res.item, by: { id: member.id, name: member.name } });
      return res;
    },

    /** Chases (催办) an item awaiting the department; repeated or overdue chases escalate. */
    async chase(id: string, member: MemberView, note?: string): Promise<TrackingItemResponse> {
      let from: TrackingStatus = 'assigned';
      const res = await change(id, member, async (doc, standing) => {
        if (!standing.actors.some((a) => trackingChasers.includes(a))) {
          throw new AppError('FORBIDDEN', 'Only staff and the conveners chase an item.');
        }
        if (!awaitsDepartment(doc.status)) {
          throw new AppError(
            'ILLEGAL_TRANSITION',
            `A tracking item that is ${doc.status} is not awaiting the department.`,
          );
        }
        from = doc.status;
        const now = new Date();
        const previous = highestChase(doc.chases ?? []);
        const overdue = isOverdue(doc, todayInChina(now));
        const chase: ChaseDoc = {
          at: now,
          by: member.id,
          byName: member.name,
          level: nextChaseLevel(previous, overdue),
          note: note ? note : null,
          overdue,
        };
        await write(doc, { $set: { updatedAt: now }, $push: { chases: chase } });
        return respond({ ...doc, chases: [...(doc.chases ?? []), chase] }, member, standing);
      });
      emit({ kind: 'chase', from, item: res.item, by: { id: member.id, name: member.name } });
      return res;
    },

    /** Refuses anyone but the item's department before their files are read. */
    async checkReporter(id: string, member: MemberView): Promise<void> {
      const { standing } = await loadForViewer(id, member);
      if (!standing.actors.includes('department')) {
        throw new AppError('FORBIDDEN', 'Only the responsible department reports progress.');
      }
    },

    /** Who answers for an item: its responsible person and the officials of its department. */
    async departmentPeople(item: Pick<TrackingItemView, 'department' | 'assignee'>): Promise<string[]> {
      const officials = (await officialsOf(item.department)).map((o) => o.id);
      return [...new Set([...(item.assignee ? [item.assignee.id] : []), ...officials])];
    },

    /** Officials of the item's department: who may be named responsible. */
    async candidates(id: string, member: MemberView): Promise<AssigneeCandidatesResponse> {
      const { doc } = await loadForViewer(id, member);
      return { candidates: await officialsOf(doc.department ?? '') };
    },

    /** Names or changes the responsible person (staff, conveners): an official of the department. */
    async assign(id: string, member: MemberView, assigneeId: string): Promise<TrackingItemResponse> {
      let from: TrackingStatus = 'assigned';
      const res = await change(id, member, async (doc, standing) => {
        if (!standing.actors.some((a) => trackingAssigners.includes(a))) {
          throw new AppError('FORBIDDEN', 'Only staff and the conveners name the responsible person.');
        }
        if (doc.status === 'closed') throw new AppError('ILLEGAL_TRANSITION', 'A closed tracking item is final.');
        const person = await memberRecords.get(assigneeId);
        if (
          !person ||
          !(await departments.isOfficialOf(
            { id: person._id, kind: person.kind, departmentId: person.departmentId ?? null },
            doc.department ?? '',
          ))
        ) {
          throw new AppError(
            'BAD_REQUEST',
            `The responsible person must be an official of ${doc.department || 'the department'}.`,
          );
        }
        from = doc.status;
        const now = new Date();
        const event = {
          at: now,
          by: member.id,
          byName: member.name,
          action: 'assign' as const,
          status: doc.status,
          note: person.name,
        };
        await write(doc, {
          $set: { assigneeId: person._id, assigneeName: person.name, updatedAt: now },
          $push: { history: event },
        });
        return respond(
          { ...doc, assigneeId: person._id, assigneeName: person.name, history: [...doc.history, event] },
          member,
          standing,
        );
      });
      emit({ kind: 'assign', from, item: res.item, by: { id: member.id, name: member.name } });
      return res;
    },

    /** A participant's rating, one per person (its key), changeable until the item is closed. */
    rate(id: string, member: MemberView, score: number, comment?: string): Promise<TrackingItemResponse> {
      return change(id, member, async (doc, standing) => {
        if (!standing.participant) {
          throw new AppError('FORBIDDEN', 'Only participants of the session (or followers of the item) rate it.');
        }
        if (!isRatable(doc.status)) throw new AppError('ILLEGAL_TRANSITION', 'A closed tracking item takes no rating.');
        await TrackingRating.replaceOne(
          { _id: ratingKey(doc._id, member.id) },
          { itemId: doc._id, memberId: member.id, score, comment: comment ? comment : null, at: new Date() },
          { upsert: true },
        );
        return respond(doc, member, standing);
      });
    },

    /** One attachment's bytes, for someone who may see its item. */
    async attachment(attachmentId: string, member: MemberView): Promise<AttachmentDoc> {
      const meta = await Attachment.findById(attachmentId, { itemId: 1 }).lean();
      if (!meta) throw new AppError('NOT_FOUND', 'No such attachment.');
      await loadForViewer(meta.itemId, member);
      const doc = await attachments.findOne({ _id: attachmentId });
      if (!doc) throw new AppError('NOT_FOUND', 'No such attachment.');
      // The driver hands binary fields back as its Binary type.
      const data = doc.data as unknown as Buffer | { buffer: Uint8Array };
      return { ...doc, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer) };
    },

    /** Departments whose view the caller may open: all for staff, their own for officials. */
    async departments(member: MemberView): Promise<string[]> {
      const names = (await TrackingItem.distinct('department')).filter(
        (d): d is string => typeof d === 'string' && d !== '',
      );
      if (member.kind === 'staff') return names.sort();
      const own = await departments.departmentNameOf(member);
      return names.filter((d) => d === own).sort();
    },

    /** The department's open items: overdue first, then by deadline. Staff and its officials only. */
    async departmentView(department: string, member: MemberView, today = todayInChina()): Promise<TrackingItemView[]> {
      if (member.kind !== 'staff' && !(await departments.isOfficialOf(member, department))) {
        throw new AppError('FORBIDDEN', 'Only the department and staff see the department view.');
      }
      const docs = (await TrackingItem.find({ department }).lean()).filter((d) => isOpenForDepartment(d.status));
      const ratings = await TrackingRating.find({ itemId: trusted({ $in: docs.map((d) => d._id) }) }).lean();
      return docs
        .map((d) =>
          presentTracking(
            d,
            today,
            ratings.filter((r) => r.itemId === d._id),
          ),
        )
        .sort(compareForDepartment);
    },
  };

  async function officialsOf(department: string): Promise<AssigneeCandidatesResponse['candidates']> {
    const officials = await departments.officialsOf(department);
    return officials.map((o) => ({ id: o._id, name: o.name, title: o.title ?? '' }));
  }
}

/** The highest level an item was chased at (0: never). */
function highestChase(chases: ChaseDoc[]): 0 | ChaseDoc['level'] {
  const top = Math.max(0, ...chases.map((c) => c.level));
  return top === 0 ? 0 : ChaseLevel.parse(top);
}

/** Refuses a report whose files are too many, too large or of a kind we do not serve. */
function checkFiles(files: UploadedFile[]): void {
  checkUploadedFiles(files, {
    maxFiles: trackingLimits.maxAttachmentsPerReport,
    maxFileBytes: trackingLimits.maxAttachmentBytes,
    allowed: isAllowedAttachmentType,
    tooMany: `At most ${trackingLimits.maxAttachmentsPerReport} files per report.`,
  });
}

export type TrackingService = ReturnType<typeof createTrackingService>;
