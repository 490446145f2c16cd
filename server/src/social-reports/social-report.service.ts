import { createHash, randomUUID } from 'node:crypto';
import {
  isAllowedAttachmentType,
  type MemberView,
  mayTakeSocialReportAction,
  type SocialReportAction,
  type SocialReportActionType,
  SocialReportActionType as SocialReportActionTypes,
  type SocialReportActor,
  type SocialReportListItem,
  type SocialReportListQuery,
  type SocialReportResponse,
  SocialReportState,
  type SocialReportSubmitBody,
  type SocialReportView,
  socialReportLimits,
  socialReportTransition,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { checkUploadedFiles, cleanFileName, type UploadedFile } from '../http/uploads';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import { createMemberRecords } from '../members/member.service';
import type { NotificationService } from '../notifications/notification.service';
import { type ReportDutyRecord, reportDutyRecords } from './social-report.duty';
import { type SocialReportDoc, type SocialReportFileDoc, socialReportFileKey } from './social-report.model';

const changedMeanwhile = 'The report changed meanwhile.';
/** A step's claim whose write never came (its node stopped) is taken over after this long. */
const abandonedStepMs = 60_000;

export const socialReportFileUrl = (id: string) => `/api/social-reports/files/${encodeURIComponent(id)}`;

export function presentSocialReport(doc: SocialReportDoc): SocialReportView {
  return {
    id: doc._id,
    authorId: doc.authorId,
    authorName: doc.authorName,
    state: doc.state,
    original: { title: doc.original.title, content: doc.original.content },
    edited: doc.edited
      ? {
          title: doc.edited.title,
          content: doc.edited.content,
          byName: doc.edited.byName,
          at: new Date(doc.edited.at).toISOString(),
        }
      : null,
    level: doc.level ?? null,
    declineReason: doc.declineReason ?? null,
    instructions: (doc.instructions ?? []).map((i) => ({
      leader: i.leader,
      level: i.level,
      text: i.text,
      date: i.date,
    })),
    result: doc.result ?? null,
    attachments: (doc.attachments ?? []).map((a) => ({ ...a, url: socialReportFileUrl(a.id) })),
    submittedAt: new Date(doc.submittedAt).toISOString(),
    trail: (doc.trail ?? []).map((e) => ({
      at: new Date(e.at).toISOString(),
      by: e.by,
      byName: e.byName,
      action: e.action,
      state: e.state,
      level: e.level ?? null,
      note: e.note ?? null,
    })),
  };
}

/** The trail note a step leaves: the reason, the instruction, the result. */
function noteOf(action: SocialReportAction): string | null {
  switch (action.type) {
    case 'decline':
      return action.reason;
    case 'instruct':
      return `${action.instruction.leader}（${action.instruction.date}）：${action.instruction.text}`;
    case 'result':
      return action.text;
    default:
      return null;
  }
}

/**
 * 社情民意 (social-conditions reports): a member submits, staff edit beside the kept original,
 * adopt at a level or decline with a reason, forward higher, record leaders' instructions and
 * the result. Each step is on the report's trail; the member hears of every decision and staff of
 * every submission; adoption writes the member's duty records by natural key. Every
 * read-check-write of a report runs one at a time per report, its update's filter names the
 * version it read, and it first claims that version's step key (`claimStep`), which only one node
 * can insert.
 */
export function createSocialReportService(deps: {
  models: Models;
  notifications: Pick<NotificationService, 'notify'>;
  /** Writes duty records (the scoring ledger's `recordDerived`); absent, none are written. */
  recordDuty?: (records: ReportDutyRecord[], by: { id: string; name: string }) => Promise<number>;
  logger?: Logger;
}) {
  const { SocialReport, SocialReportFile } = deps.models;
  const memberRecords = createMemberRecords(deps.models);
  const reports = rawCollection(SocialReport);
  const files = rawCollection(SocialReportFile);
  /** One key per report and version a step moved it from (see `claimStep`). */
  const steps = SocialReport.db.collection<{ _id: string; reportId: string; at: Date }>('social_report_steps');
  const serials = new KeyedSerial();

  /**
   * FerretDB 1.x applies a guarded update as a read and a separate write (docs/architecture.md),
   * so on two nodes two steps read at one version could both pass the version filter. A key is
   * inserted once only, everywhere: each step first inserts `<report>:<version it read>`, and the
   * loser of two steps from one version is refused before it writes. A claim whose step never
   * wrote (its node stopped in between) is taken over once it is a minute old and the report has
   * not moved.
   */
  async function claimStep(doc: SocialReportDoc): Promise<void> {
    const _id = `${doc._id}:${doc.version}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await steps.insertOne({ _id, reportId: doc._id, at: new Date() });
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await steps.findOne({ _id });
      const stored = await SocialReport.findById(doc._id, { version: 1 }).lean<Pick<SocialReportDoc, 'version'>>();
      const stale = held && Date.now() - new Date(held.at).getTime() > abandonedStepMs;
      if (attempt > 1 || !stale || stored?.version !== doc.version) {
        throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
      }
      await steps.deleteOne({ _id, at: held.at });
    }
  }

  const actorsOf = (doc: SocialReportDoc, member: MemberView): SocialReportActor[] => [
    ...(member.id === doc.authorId ? (['author'] as const) : []),
    ...(member.kind === 'staff' ? (['staff'] as const) : []),
  ];

  async function load(id: string, member: MemberView): Promise<SocialReportDoc> {
    const doc = await SocialReport.findById(id).lean<SocialReportDoc | null>();
    // Someone else's report does not exist for a member: not even that it does.
    if (!doc || actorsOf(doc, member).length === 0) throw new AppError('NOT_FOUND', 'No such report.');
    return doc;
  }

  function respond(doc: SocialReportDoc, member: MemberView): SocialReportResponse {
    const actors = actorsOf(doc, member);
    const sample = (type: SocialReportActionType): SocialReportAction | null => {
      switch (type) {
        case 'withdraw':
          return { type };
        case 'edit':
          return { type, title: '-', content: '-' };
        case 'adopt':
          return { type, level: 'city' };
        case 'decline':
          return { type, reason: '-' };
        case 'raise':
          return { type, level: 'national' };
        case 'instruct':
          return { type, instruction: { leader: '-', level: 'city', text: '-', date: '2000-01-01' } };
        case 'result':
          return { type, text: '-' };
      }
    };
    const actions = SocialReportActionTypes.options.filter((type) => {
      const action = sample(type);
      return (
        action !== null &&
        actors.some((a) => mayTakeSocialReportAction(a, type)) &&
        socialReportTransition({ state: doc.state, level: doc.level ?? null }, action).ok
      );
    });
    return { report: presentSocialReport(doc), viewer: { actions } };
  }

  /** Staff ids, read once a minute at most: every submission and withdrawal notifies them. */
  let staffCache: { ids: string[]; at: number } | null = null;
  async function staffIds(): Promise<string[]> {
    if (staffCache && Date.now() - staffCache.at < 60_000) return staffCache.ids;
    const ids = await memberRecords.idsOfKind(['staff']);
    staffCache = { ids, at: Date.now() };
    return ids;
  }

  /** Writes the duty records the report has earned; a failure is logged, the step stands. */
  async function recordDuty(doc: SocialReportDoc, by: { id: string; name: string }): Promise<void> {
    if (!deps.recordDuty) return;
    const records = reportDutyRecords(doc);
    if (records.length === 0) return;
    try {
      await deps.recordDuty(records, by);
    } catch (err) {
      // The step is stored; staff's re-run (POST /social-reports/duty) writes what is missing.
      deps.logger?.error({ err, reportId: doc._id }, 'social report: duty records not written');
    }
  }

  /**
   * Sends a notice about a step that is already stored: a failure is logged, never thrown, so
   * the caller is not told a stored step failed (and does not send it again).
   */
  async function notifySafely(
    to: () => Promise<string[]>,
    notice: Parameters<NotificationService['notify']>[1],
    reportId: string,
  ): Promise<void> {
    try {
      await deps.notifications.notify(await to(), notice);
    } catch (err) {
      deps.logger?.error({ err, reportId, key: notice.key }, 'social report: notice not sent');
    }
  }

  return {
    /** A member's new report, with its files; staff hear of it. */
    async submit(
      member: MemberView,
      body: SocialReportSubmitBody,
      uploaded: UploadedFile[],
    ): Promise<SocialReportResponse> {
      if (member.kind !== 'member')
        throw new AppError('FORBIDDEN', 'Committee members submit social-conditions reports.');
      checkFiles(uploaded);
      // A client-made key names the report: the same submission sent again finds it stored.
      const id = body.submitKey
        ? `sr-${createHash('sha256').update(`${member.id}\u0001${body.submitKey}`).digest('hex').slice(0, 32)}`
        : `sr-${randomUUID()}`;
      if (body.submitKey) {
        const earlier = await SocialReport.findById(id).lean<SocialReportDoc | null>();
        if (earlier) return respond(earlier, member);
      }
      const now = new Date();
      const stored: SocialReportFileDoc[] = uploaded.map((f, n) => ({
        _id: socialReportFileKey(id, n),
        reportId: id,
        fileName: cleanFileName(f.originalname, socialReportLimits.maxFileNameLength),
        contentType: f.mimetype,
        size: f.size,
        data: f.buffer,
        at: now,
      }));
      const doc: SocialReportDoc = {
        _id: id,
        authorId: member.id,
        authorName: member.name,
        state: 'submitted',
        level: null,
        original: { title: body.title, content: body.content },
        edited: null,
        declineReason: null,
        instructions: [],
        result: null,
        attachments: stored.map((f) => ({ id: f._id, fileName: f.fileName, contentType: f.contentType, size: f.size })),
        trail: [
          {
            at: now,
            by: member.id,
            byName: member.name,
            action: 'submit',
            state: 'submitted',
            level: null,
            note: null,
          },
        ],
        version: 1,
        submittedAt: now,
        updatedAt: now,
      };
      try {
        if (stored.length > 0) await files.insertMany(stored);
      } catch (err) {
        // The same key sent twice at once: the other one is storing these files.
        if (body.submitKey && isDuplicateKey(err)) {
          throw new AppError('UNAVAILABLE', 'This report is being submitted already; send it again in a moment.');
        }
        throw err;
      }
      try {
        await reports.insertOne(doc);
      } catch (err) {
        if (body.submitKey && isDuplicateKey(err)) {
          const earlier = await SocialReport.findById(id).lean<SocialReportDoc | null>();
          if (earlier) return respond(earlier, member);
        }
        await files.deleteMany({ reportId: id }).catch(() => undefined);
        throw err;
      }
      await recordDuty(doc, { id: member.id, name: member.name });
      await notifySafely(
        staffIds,
        {
          key: `social-report:${id}:submitted`,
          kind: 'socialReportSubmitted',
          params: { title: body.title, by: member.name },
          link: `/social-reports/${encodeURIComponent(id)}`,
        },
        id,
      );
      return respond(doc, member);
    },

    /**
     * `mine`: the caller's own; `queue`: undecided ones (staff); `all` (staff). Newest first, a
     * page at a time (`limit`, default 50; `cursor`: the previous page's `next`), each report
     * without its texts (read one report for those).
     */
    async list(
      query: SocialReportListQuery,
      member: MemberView,
    ): Promise<{ reports: SocialReportListItem[]; next: string | null }> {
      const scope = query.scope ?? 'mine';
      if (scope !== 'mine' && member.kind !== 'staff')
        throw new AppError('FORBIDDEN', 'Only staff see others’ reports.');
      // The queue is the undecided reports: a state filter other than `submitted` leaves none.
      if (scope === 'queue' && query.state && query.state !== 'submitted') return { reports: [], next: null };
      const limit = query.limit ?? 50;
      const filter: Record<string, unknown> = {};
      if (scope === 'mine') filter.authorId = member.id;
      if (scope === 'queue') filter.state = 'submitted';
      else if (query.state) filter.state = query.state;
      const after = query.cursor ? parseCursor(query.cursor) : null;
      if (after) {
        filter.$or = [
          { submittedAt: trusted({ $lt: after.at }) },
          { submittedAt: after.at, _id: trusted({ $gt: after.id }) },
        ];
      }
      const docs = await SocialReport.find(filter, {
        authorId: 1,
        authorName: 1,
        state: 1,
        level: 1,
        submittedAt: 1,
        'original.title': 1,
        'edited.title': 1,
      })
        .sort({ submittedAt: -1, _id: 1 })
        .limit(limit + 1)
        .lean<
          Array<
            Pick<SocialReportDoc, '_id' | 'authorId' | 'authorName' | 'state' | 'level' | 'submittedAt'> & {
              original: { title: string };
              edited?: { title: string } | null;
            }
          >
        >();
      const page = docs.slice(0, limit);
      const last = page[page.length - 1];
      return {
        reports: page.map((d) => ({
          id: d._id,
          authorId: d.authorId,
          authorName: d.authorName,
          state: d.state,
          title: d.edited?.title ?? d.original.title,
          level: d.level ?? null,
          submittedAt: new Date(d.submittedAt).toISOString(),
        })),
        next: docs.length > limit && last ? `${new Date(last.submittedAt).toISOString()}|${last._id}` : null,
      };
    },

    async get(id: string, member: MemberView): Promise<SocialReportResponse> {
      return respond(await load(id, member), member);
    },

    /** One step; a wrong actor is FORBIDDEN, a step the state does not allow ILLEGAL_TRANSITION. */
    async act(id: string, action: SocialReportAction, member: MemberView): Promise<SocialReportResponse> {
      const after = await serials.run(id, async () => {
        const doc = await load(id, member);
        if (!actorsOf(doc, member).some((a) => mayTakeSocialReportAction(a, action.type))) {
          throw new AppError('FORBIDDEN', `You may not ${action.type} this report.`);
        }
        const next = socialReportTransition({ state: doc.state, level: doc.level ?? null }, action);
        if (!next.ok) {
          throw new AppError(
            'ILLEGAL_TRANSITION',
            `A report that is ${doc.state} cannot ${action.type}${action.type === 'raise' ? ' to that level' : ''}.`,
          );
        }
        const now = new Date();
        const event = {
          at: now,
          by: member.id,
          byName: member.name,
          action: action.type,
          state: next.state,
          level: next.level,
          note: noteOf(action),
        };
        const set: Partial<SocialReportDoc> = { state: next.state, level: next.level, updatedAt: now };
        const push: Record<string, unknown> = { trail: event };
        if (action.type === 'edit') {
          set.edited = { title: action.title, content: action.content, by: member.id, byName: member.name, at: now };
        }
        if (action.type === 'decline') set.declineReason = action.reason;
        if (action.type === 'result') set.result = action.text;
        if (action.type === 'instruct') push.instructions = action.instruction;
        await claimStep(doc);
        const res = await SocialReport.updateOne(
          { _id: doc._id, version: doc.version },
          { $set: set, $push: push, $inc: { version: 1 } },
        );
        if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
        const updated: SocialReportDoc = {
          ...doc,
          ...set,
          instructions: [...(doc.instructions ?? []), ...(action.type === 'instruct' ? [action.instruction] : [])],
          trail: [...(doc.trail ?? []), event],
          version: doc.version + 1,
        };
        return updated;
      });
      if (action.type === 'adopt' || action.type === 'raise' || action.type === 'withdraw') {
        await recordDuty(after, { id: member.id, name: member.name });
      }
      const link = `/social-reports/${encodeURIComponent(after._id)}`;
      const key = `social-report:${after._id}:${after.trail.length}`;
      if (action.type === 'withdraw') {
        // Staff hear that a report in their queue is gone.
        await notifySafely(
          staffIds,
          { key, kind: 'socialReportWithdrawn', params: { title: after.original.title, by: after.authorName }, link },
          after._id,
        );
      } else if (action.type !== 'edit') {
        // The member hears of each decision staff take; an edit is shown on the trail only.
        await notifySafely(
          async () => [after.authorId],
          { key, kind: 'socialReportDecided', params: { title: after.original.title, step: action.type }, link },
          after._id,
        );
      }
      return respond(after, member);
    },

    /**
     * Writes the duty records of every report again (nothing new on a re-run; a withdrawn
     * report's record and records under earlier keys are retired).
     */
    async recordAllDuty(by: MemberView): Promise<number> {
      if (by.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff keep the ledger.');
      if (!deps.recordDuty) return 0;
      let added = 0;
      for (const state of SocialReportState.options) {
        const docs = await SocialReport.find(
          { state },
          { authorId: 1, state: 1, level: 1, submittedAt: 1, trail: 1, 'original.title': 1, 'edited.title': 1 },
        ).lean<SocialReportDoc[]>();
        for (const doc of docs) added += await deps.recordDuty(reportDutyRecords(doc), { id: by.id, name: by.name });
      }
      return added;
    },

    /** One file's bytes, for the author and staff. */
    async file(fileId: string, member: MemberView): Promise<SocialReportFileDoc> {
      const meta = await SocialReportFile.findById(fileId, { reportId: 1 }).lean();
      if (!meta) throw new AppError('NOT_FOUND', 'No such file.');
      await load(meta.reportId, member);
      const doc = await files.findOne({ _id: fileId });
      if (!doc) throw new AppError('NOT_FOUND', 'No such file.');
      const data = doc.data as unknown as Buffer | { buffer: Uint8Array };
      return { ...doc, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer) };
    },
  };
}

/** Refuses files that are too many, too large or of a kind we do not serve. */
function checkFiles(uploaded: UploadedFile[]): void {
  checkUploadedFiles(uploaded, {
    maxFiles: socialReportLimits.maxAttachments,
    maxFileBytes: socialReportLimits.maxAttachmentBytes,
    allowed: isAllowedAttachmentType,
    tooMany: `At most ${socialReportLimits.maxAttachments} files per report.`,
  });
}

export type SocialReportService = ReturnType<typeof createSocialReportService>;

/** A list cursor: the last report's submission time and id, as `next` gave them. */
function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = cursor.split('|');
  const when = new Date(at ?? '');
  if (!id || Number.isNaN(when.getTime())) throw new AppError('BAD_REQUEST', 'cursor: expected the `next` of a page.');
  return { at: when, id };
}
