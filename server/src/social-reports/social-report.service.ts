import { randomUUID } from 'node:crypto';
import {
  isAllowedAttachmentType,
  type MemberView,
  mayTakeSocialReportAction,
  type SocialReportAction,
  type SocialReportActionType,
  SocialReportActionType as SocialReportActionTypes,
  type SocialReportActor,
  type SocialReportListQuery,
  type SocialReportResponse,
  type SocialReportState,
  type SocialReportSubmitBody,
  type SocialReportView,
  socialReportLimits,
  socialReportTransition,
} from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { AppError } from '../errors';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import { createMemberRecords } from '../members/member.service';
import type { NotificationService } from '../notifications/notification.service';
import { type ReportDutyRecord, reportDutyRecords } from './social-report.duty';
import { type SocialReportDoc, type SocialReportFileDoc, socialReportFileKey } from './social-report.model';

export const socialReportFileUrl = (id: string) => `/api/social-reports/files/${encodeURIComponent(id)}`;

/** A file received with a report (multer's memory storage gives these fields). */
export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

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
 * read-check-write of a report runs one at a time per report, and its update's filter names the
 * version it read.
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
  const serials = new KeyedSerial();

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

  async function staffIds(): Promise<string[]> {
    return memberRecords.idsOfKind(['staff']);
  }

  /** Writes the duty records the report has earned; a failure is logged, the step stands. */
  async function recordDuty(doc: SocialReportDoc, by: { id: string; name: string }): Promise<void> {
    if (!deps.recordDuty) return;
    const records = reportDutyRecords(doc);
    if (records.length === 0) return;
    try {
      await deps.recordDuty(records, by);
    } catch (err) {
      // The adoption is stored; staff's re-run (POST /social-reports/duty) writes what is missing.
      deps.logger?.error({ err, reportId: doc._id }, 'social report: duty records not written');
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
      const id = `sr-${randomUUID()}`;
      const now = new Date();
      const stored: SocialReportFileDoc[] = uploaded.map((f, n) => ({
        _id: socialReportFileKey(id, n),
        reportId: id,
        fileName: cleanFileName(f.originalname),
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
      if (stored.length > 0) await files.insertMany(stored);
      try {
        await reports.insertOne(doc);
      } catch (err) {
        await files.deleteMany({ reportId: id }).catch(() => undefined);
        throw err;
      }
      await deps.notifications.notify(await staffIds(), {
        key: `social-report:${id}:submitted`,
        kind: 'socialReportSubmitted',
        params: { title: body.title, by: member.name },
        link: `/social-reports/${encodeURIComponent(id)}`,
      });
      return respond(doc, member);
    },

    /** `mine`: the caller's own; `queue`: undecided ones (staff); `all` (staff). Newest first. */
    async list(query: SocialReportListQuery, member: MemberView): Promise<SocialReportView[]> {
      const scope = query.scope ?? 'mine';
      if (scope !== 'mine' && member.kind !== 'staff')
        throw new AppError('FORBIDDEN', 'Only staff see others’ reports.');
      const filter: Record<string, string> = {};
      if (scope === 'mine') filter.authorId = member.id;
      if (scope === 'queue') filter.state = 'submitted';
      else if (query.state) filter.state = query.state;
      const docs = await SocialReport.find(filter).lean<SocialReportDoc[]>();
      // The queue is the undecided reports: a state filter other than `submitted` leaves none.
      return docs
        .filter((d) => scope !== 'queue' || !query.state || d.state === query.state)
        .sort(
          (a, b) => new Date(b.submittedAt).getTime() - new Date(a.submittedAt).getTime() || (a._id < b._id ? -1 : 1),
        )
        .map(presentSocialReport);
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
        const res = await SocialReport.updateOne(
          { _id: doc._id, version: doc.version },
          { $set: set, $push: push, $inc: { version: 1 } },
        );
        if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The report changed meanwhile.');
        const updated: SocialReportDoc = {
          ...doc,
          ...set,
          instructions: [...(doc.instructions ?? []), ...(action.type === 'instruct' ? [action.instruction] : [])],
          trail: [...(doc.trail ?? []), event],
          version: doc.version + 1,
        };
        return updated;
      });
      if (action.type === 'adopt' || action.type === 'raise') {
        await recordDuty(after, { id: member.id, name: member.name });
      }
      // The member hears of each decision staff take; an edit is shown on the trail only.
      if (action.type !== 'withdraw' && action.type !== 'edit') {
        await deps.notifications.notify([after.authorId], {
          key: `social-report:${after._id}:${after.trail.length}`,
          kind: 'socialReportDecided',
          params: { title: after.original.title, step: action.type },
          link: `/social-reports/${encodeURIComponent(after._id)}`,
        });
      }
      return respond(after, member);
    },

    /** Writes the duty records of every adopted report again (nothing new on a re-run). */
    async recordAllDuty(by: MemberView): Promise<number> {
      if (by.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff keep the ledger.');
      if (!deps.recordDuty) return 0;
      const states: SocialReportState[] = ['adopted', 'instructed', 'concluded'];
      let added = 0;
      for (const state of states) {
        for (const doc of await SocialReport.find({ state }).lean<SocialReportDoc[]>()) {
          added += await deps.recordDuty(reportDutyRecords(doc), { id: by.id, name: by.name });
        }
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
  if (uploaded.length > socialReportLimits.maxAttachments) {
    throw new AppError('PAYLOAD_TOO_LARGE', `At most ${socialReportLimits.maxAttachments} files per report.`);
  }
  for (const f of uploaded) {
    if (f.size > socialReportLimits.maxAttachmentBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `${f.originalname} is larger than the limit.`);
    }
    if (!isAllowedAttachmentType(f.mimetype)) {
      throw new AppError('BAD_REQUEST', `${f.originalname}: files of type ${f.mimetype} are not accepted.`);
    }
  }
}

/** A file name safe to store and to send back: no path, no control characters, bounded. */
function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'attachment').slice(0, socialReportLimits.maxFileNameLength);
}

export type SocialReportService = ReturnType<typeof createSocialReportService>;
