import { randomUUID } from 'node:crypto';
import {
  type HotlineImportResponse,
  type HotlineRowProblem,
  type HotlineStatusChange,
  type HotlineTicket,
  type HotlineTicketView,
  type HotlineTopicStatus,
  type HotlineTrackingStatus,
  type HotlineWebhookReceipt,
  hotlineTicketKey,
  type MemberView,
  maxTopicDescriptionLength,
  maxTopicTitleLength,
  type TopicState,
  type TopicView,
  type TrackingItemView,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import type { HotlineTicketDoc } from './hotline.model';
import type { Outbox } from './outbox';

/**
 * What the hotline needs from topics: propose one (荐题) from a ticket. The topic service keys a
 * hotline topic by its ticket id, so proposing the same ticket twice answers the same topic.
 */
export interface TopicProposer {
  propose(
    input: { title: string; description: string; source: 'hotline'; sourceRef: string },
    by: MemberView,
  ): Promise<{ topic: TopicView }>;
}

export interface HotlineServiceDeps {
  models: Models;
  logger: Logger;
  outbox: Outbox;
  /** Absent until topics are wired; turning a ticket into a topic then answers UNAVAILABLE. */
  topics: TopicProposer | null;
  /** The topic a session deliberates, for tracking changes. */
  topicOfSession(sessionId: string): Promise<string | null>;
  /** An import still `importing` after this long was cut off by a crash (ms). */
  staleImportMs?: number;
  /** Runs between checking a CSV import and inserting it (lets a test change the database meanwhile). */
  beforeImportInsert?: () => Promise<void>;
}

/** Topic states reported to the hotline. */
const reportedTopicStates: Partial<Record<TopicState, HotlineTopicStatus>> = {
  accepted: 'accepted',
  declined: 'declined',
  scheduled: 'scheduled',
  closed: 'closed',
};
const reportedTrackingStatuses: readonly string[] = [
  'reportedDone',
  'verified',
  'closed',
] satisfies HotlineTrackingStatus[];

type StoredTicket = HotlineTicketDoc;

/** Two receptions of one ticket agree when everything but the hotline's status label does. */
function sameContent(a: HotlineTicketDoc, b: HotlineTicket): boolean {
  return (
    a.title === b.title &&
    (a.description ?? '') === b.description &&
    (a.district ?? '') === b.district &&
    (a.category ?? '') === b.category &&
    Date.parse(a.reportedAt) === Date.parse(b.reportedAt)
  );
}

function ticketDoc(t: HotlineTicket, origin: HotlineTicketDoc['origin'], importId: string | null, now: Date) {
  return {
    _id: hotlineTicketKey(t.ticketId),
    ticketId: t.ticketId,
    title: t.title,
    description: t.description,
    district: t.district,
    category: t.category,
    reportedAt: t.reportedAt,
    hotlineStatus: t.status ?? null,
    origin,
    importId,
    receivedAt: now,
    topicId: null,
    topicTitle: null,
    topicState: null,
  } satisfies StoredTicket;
}

/** The topic's description: the citizen's words, then where and when the ticket came from. */
function topicDescription(t: HotlineTicketDoc): string {
  const facts = [
    `12345 工单 ${t.ticketId}`,
    t.district ? `区域：${t.district}` : '',
    t.category ? `类别：${t.category}` : '',
    `受理时间：${t.reportedAt}`,
  ].filter(Boolean);
  const text = t.description ? `${t.description}\n\n${facts.join('；')}` : facts.join('；');
  return text.slice(0, maxTopicDescriptionLength);
}

/** A duplicate-key write error's index in a bulk insert, when the error is one. */
interface BulkFailure {
  writeErrors?: Array<{ index: number; code?: number; errmsg?: string }> | { index: number; code?: number };
}
function writeErrorsOf(err: unknown): Array<{ index: number; code?: number }> | null {
  if (typeof err !== 'object' || err === null || !('writeErrors' in err)) return null;
  const raw = (err as BulkFailure).writeErrors;
  if (!raw) return null;
  return Array.isArray(raw) ? raw : [raw];
}

/**
 * 12345 hotline tickets: received by the signed webhook or a staff CSV upload (all or nothing),
 * listed for staff, turned into a topic once; the topic's and its outcomes' status changes go
 * back to the hotline through the outbox.
 */
export function createHotlineService(deps: HotlineServiceDeps) {
  const { HotlineTicketRecord, HotlineImport } = deps.models;
  const tickets = rawCollection(HotlineTicketRecord);
  const staleImportMs = deps.staleImportMs ?? 10 * 60_000;
  /** One write at a time per record (see docs/architecture.md on FerretDB). */
  const serials = new KeyedSerial();

  /** Import ids among these that are finished; tickets of other imports are not there yet. */
  async function doneImports(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const done = await HotlineImport.find({ _id: trusted({ $in: ids }), state: 'done' }, { _id: 1 }).lean();
    return new Set(done.map((d) => d._id));
  }

  async function visible(doc: HotlineTicketDoc): Promise<boolean> {
    return doc.importId === null || doc.importId === undefined || (await doneImports([doc.importId])).has(doc.importId);
  }

  async function present(docs: StoredTicket[]): Promise<HotlineTicketView[]> {
    const counts = await deps.outbox.countsByTicket();
    return docs.map((d) => ({
      id: d._id,
      ticketId: d.ticketId,
      title: d.title,
      description: d.description ?? '',
      district: d.district ?? '',
      category: d.category ?? '',
      reportedAt: d.reportedAt,
      hotlineStatus: d.hotlineStatus ?? null,
      origin: d.origin,
      receivedAt: new Date(d.receivedAt).toISOString(),
      topicId: d.topicId ?? null,
      topicTitle: d.topicTitle ?? null,
      topicState: d.topicState ?? null,
      deliveries: counts.get(d.ticketId) ?? { pending: 0, delivered: 0, failed: 0 },
    }));
  }

  async function getVisible(id: string): Promise<StoredTicket> {
    const doc = await HotlineTicketRecord.findById(id).lean<StoredTicket>();
    if (!doc || !(await visible(doc))) throw new AppError('NOT_FOUND', 'No such hotline ticket.');
    return doc;
  }

  async function get(id: string): Promise<HotlineTicketView> {
    const [view] = await present([await getVisible(id)]);
    if (!view) throw new AppError('NOT_FOUND', 'No such hotline ticket.');
    return view;
  }

  /** Removes the tickets of an import that did not finish, then marks it failed. */
  async function rollBack(importId: string): Promise<void> {
    await HotlineTicketRecord.deleteMany({ importId });
    await HotlineImport.updateOne({ _id: importId }, { $set: { state: 'failed', finishedAt: new Date() } });
  }

  /** Sends a change about a ticket's topic to the hotline and mirrors the topic's state. */
  async function onTopic(topic: TopicView): Promise<void> {
    if (topic.source !== 'hotline' || !topic.sourceRef) return;
    const key = hotlineTicketKey(topic.sourceRef);
    await serials.run(key, async () => {
      const doc = await HotlineTicketRecord.findById(key).lean<StoredTicket>();
      if (!doc) return;
      if (doc.topicId && doc.topicId !== topic.id) return; // the ticket's topic is another one
      await HotlineTicketRecord.updateOne(
        { _id: key },
        { $set: { topicId: topic.id, topicTitle: topic.title, topicState: topic.state } },
      );
    });
    const status = reportedTopicStates[topic.state];
    if (!status) return;
    const at = [...topic.history].reverse().find((h) => h.state === topic.state)?.at;
    const change: HotlineStatusChange = {
      kind: 'topic',
      status,
      reason: status === 'declined' ? topic.declineReason : null,
    };
    await deps.outbox.enqueue({
      ticketId: topic.sourceRef,
      topicId: topic.id,
      change,
      at: at ? new Date(at) : new Date(),
    });
  }

  /** Sends a tracking item's progress to the hotline when its session's topic came from a ticket. */
  async function onTracking(item: TrackingItemView, from: string | null): Promise<void> {
    // Only a session outcome's item can come from a ticket (through the session's topic).
    if (from === item.status || !reportedTrackingStatuses.includes(item.status) || item.sessionId === null) return;
    const topicId = await deps.topicOfSession(item.sessionId);
    if (!topicId) return;
    const ticket = await HotlineTicketRecord.findOne({ topicId }).lean();
    if (!ticket) return;
    const change: HotlineStatusChange = {
      kind: 'tracking',
      trackingItemId: item.id,
      status: item.status as HotlineTrackingStatus,
      text: item.text,
      department: item.department,
    };
    const last = item.history[item.history.length - 1];
    await deps.outbox.enqueue({
      ticketId: ticket.ticketId,
      topicId,
      change,
      at: last ? new Date(last.at) : new Date(),
      // A status can be reached again after a return for rework: each time is its own message.
      occurrence: item.history.filter((h) => h.status === item.status && h.action !== 'assign').length,
    });
  }

  return {
    /**
     * Stores a ticket from the webhook, once per ticket id. A repeat answers what the first did;
     * a repeat with other content is refused, as is one that arrives while a CSV import holding
     * the same ticket is still being written (the hotline retries it).
     */
    async receive(t: HotlineTicket): Promise<HotlineWebhookReceipt> {
      const doc = ticketDoc(t, 'webhook', null, new Date());
      try {
        await tickets.insertOne(doc);
        return { id: doc._id, ticketId: t.ticketId, receivedAt: doc.receivedAt.toISOString() };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const existing = await HotlineTicketRecord.findById(doc._id).lean();
      if (!existing) throw new AppError('UNAVAILABLE', 'The ticket is being removed; send it again.');
      if (!(await visible(existing))) {
        throw new AppError('UNAVAILABLE', 'The ticket is being imported right now; send it again shortly.');
      }
      if (!sameContent(existing, t)) {
        throw new AppError('BAD_REQUEST', `Ticket ${t.ticketId} was already received with different content.`);
      }
      if (t.status && t.status !== existing.hotlineStatus) {
        await HotlineTicketRecord.updateOne({ _id: doc._id }, { $set: { hotlineStatus: t.status } });
      }
      return { id: existing._id, ticketId: existing.ticketId, receivedAt: new Date(existing.receivedAt).toISOString() };
    },

    /**
     * Imports checked tickets all or nothing. Tickets already stored with the same content are
     * left as they are; one stored with other content is a problem on its row. Without
     * transactions: the import is recorded first, its tickets carry its id, and if any insert
     * fails the ones this import wrote are removed again.
     */
    async importTickets(
      list: HotlineTicket[],
      by: MemberView,
      fileName: string,
    ): Promise<{ ok: true; result: HotlineImportResponse } | { ok: false; problems: HotlineRowProblem[] }> {
      const keys = list.map((t) => hotlineTicketKey(t.ticketId));
      const rowOf = new Map(list.map((t, i) => [hotlineTicketKey(t.ticketId), i + 1]));
      const byKey = new Map(list.map((t) => [hotlineTicketKey(t.ticketId), t]));

      const check = async (existing: HotlineTicketDoc[]) => {
        const problems: HotlineRowProblem[] = [];
        const present: string[] = [];
        const done = await doneImports(existing.flatMap((d) => (d.importId ? [d.importId] : [])));
        for (const doc of existing) {
          const t = byKey.get(doc._id);
          if (!t) continue;
          const row = rowOf.get(doc._id) ?? 0;
          if (doc.importId && !done.has(doc.importId)) {
            problems.push({
              row,
              field: 'ticketId',
              code: 'conflict',
              message: `Ticket ${t.ticketId} is being imported by another upload right now.`,
            });
          } else if (!sameContent(doc, t)) {
            problems.push({
              row,
              field: 'ticketId',
              code: 'conflict',
              message: `Ticket ${t.ticketId} was already received with different content.`,
            });
          } else {
            present.push(t.ticketId);
          }
        }
        return { problems: problems.sort((a, b) => a.row - b.row), present };
      };

      const before = await check(await HotlineTicketRecord.find({ _id: trusted({ $in: keys }) }).lean());
      if (before.problems.length > 0) return { ok: false, problems: before.problems };

      const importId = `hi-${randomUUID()}`;
      const now = new Date();
      const presentSet = new Set(before.present);
      const fresh = list.filter((t) => !presentSet.has(t.ticketId));
      await HotlineImport.create({
        _id: importId,
        state: 'importing',
        by: by.id,
        fileName: fileName.slice(0, 200),
        tickets: fresh.length,
        startedAt: now,
        finishedAt: null,
      });
      await deps.beforeImportInsert?.();

      const docs = fresh.map((t) => ticketDoc(t, 'csv', importId, now));
      let raced: string[] = [];
      if (docs.length > 0) {
        try {
          await tickets.insertMany(docs, { ordered: false });
        } catch (err) {
          const writeErrors = writeErrorsOf(err);
          const onlyDuplicates = writeErrors?.length && writeErrors.every((e) => e.code === 11000);
          if (!writeErrors || !onlyDuplicates) {
            await rollBack(importId).catch((e: unknown) =>
              deps.logger.error({ err: e, importId }, 'hotline import rollback failed; retried at start'),
            );
            deps.logger.error({ err, importId }, 'hotline import failed');
            throw new AppError('UNAVAILABLE', 'The tickets could not be stored; nothing was imported. Try again.');
          }
          // Someone stored some of these tickets meanwhile (the webhook, another upload).
          raced = writeErrors.map((e) => docs[e.index]?._id).filter((id): id is string => Boolean(id));
        }
      }
      if (raced.length > 0) {
        const after = await check(await HotlineTicketRecord.find({ _id: trusted({ $in: raced }) }).lean());
        if (after.problems.length > 0) {
          await rollBack(importId);
          return { ok: false, problems: after.problems };
        }
        for (const id of after.present) presentSet.add(id);
      }
      await HotlineImport.updateOne({ _id: importId }, { $set: { state: 'done', finishedAt: new Date() } });
      return {
        ok: true,
        result: {
          importId,
          imported: list.filter((t) => !presentSet.has(t.ticketId)).map((t) => t.ticketId),
          alreadyPresent: list.filter((t) => presentSet.has(t.ticketId)).map((t) => t.ticketId),
        },
      };
    },

    /** Rolls back imports a crash left unfinished. Returns how many. */
    async recoverImports(now = new Date()): Promise<number> {
      const stale = await HotlineImport.find({
        state: 'importing',
        startedAt: trusted({ $lt: new Date(now.getTime() - staleImportMs) }),
      }).lean();
      for (const imp of stale) await rollBack(imp._id);
      return stale.length;
    },

    async list(): Promise<HotlineTicketView[]> {
      const docs = await HotlineTicketRecord.find()
        .sort({ receivedAt: -1, _id: 1 })
        .limit(2_000)
        .lean<StoredTicket[]>();
      const done = await doneImports([...new Set(docs.flatMap((d) => (d.importId ? [d.importId] : [])))]);
      return present(docs.filter((d) => !d.importId || done.has(d.importId)));
    },

    get,

    /** 立题 from a ticket in one step; the ticket keeps the topic's id, so it happens once. */
    toTopic(id: string, by: MemberView): Promise<{ ticket: HotlineTicketView; created: boolean }> {
      return serials.run(id, async () => {
        const doc = await getVisible(id);
        if (doc.topicId) return { ticket: await get(id), created: false };
        if (!deps.topics) throw new AppError('UNAVAILABLE', 'Topics are not available yet.');
        const { topic } = await deps.topics.propose(
          {
            title: doc.title.slice(0, maxTopicTitleLength),
            description: topicDescription(doc),
            source: 'hotline',
            sourceRef: doc.ticketId,
          },
          by,
        );
        await HotlineTicketRecord.updateOne(
          { _id: id, topicId: null },
          { $set: { topicId: topic.id, topicTitle: topic.title, topicState: topic.state } },
        );
        return { ticket: await get(id), created: true };
      });
    },

    /**
     * Listener for topic changes. Returns at once: the work runs behind it, in order per ticket,
     * so a topic service that waits for its listeners is never held up by the outbox.
     */
    topicChanged(topic: TopicView): void {
      onTopic(topic).catch((err: unknown) =>
        deps.logger.error({ err, topicId: topic.id }, 'hotline: topic change not recorded'),
      );
    },

    /** Listener for tracking changes (`from`: the status before); like `topicChanged`, returns at once. */
    trackingChanged(item: TrackingItemView, from: string | null = null): void {
      onTracking(item, from).catch((err: unknown) =>
        deps.logger.error({ err, trackingItemId: item.id }, 'hotline: tracking change not recorded'),
      );
    },
  };
}

export type HotlineService = ReturnType<typeof createHotlineService>;
