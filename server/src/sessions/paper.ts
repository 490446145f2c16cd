/**
 * Paper sessions (线下协商补录): a consultation held outside Yitang — in a village room, on paper —
 * recorded afterwards by staff. It is stored as a session of origin `paper`, already closed: its
 * attendees are checked in as in the hall, its suggestions and outcomes are stored as a live
 * session's are, and then the one step after close runs (after-close.ts), so the duty ledger,
 * the tracking items, the topic and the dashboard take it like any other closed session.
 */
import { randomUUID } from 'node:crypto';
import {
  isAllowedAttachmentType,
  type MemberView,
  type PaperScanView,
  PaperSessionBody,
  type PaperSessionView,
  proposalLimits,
  type SessionRole,
} from '@yitang/shared';
import { type RequestHandler, Router } from 'express';
import { Binary } from 'mongodb';
import type { AuthService } from '../auth/auth.service';
import { type Models, rawCollection } from '../db/models';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import { fileUpload, type UploadedFile, uploadedFiles } from '../http/uploads';
import type { MemberService } from '../members/member.service';
import { orgReads } from '../org/org.reads';
import type { OutcomeRepository } from '../outcomes/outcome.repository';
import { type SessionDoc, sessionYear } from '../rooms/room.model';
import type { RoomRepository } from '../rooms/room.repository';
import type { SuggestionRepository } from '../suggestions/suggestion.repository';
import { topicReads } from '../topics/topic.reads';
import type { PaperScanDoc } from './paper.model';

type ParsedBody = ReturnType<typeof PaperSessionBody.parse>;

/** A paper session's id: `s-p-…`, so lists and logs tell it from a live one. */
const paperId = () => `s-p-${randomUUID().slice(0, 8)}`;

/** The instant a session held on `date` at `time` (committee time, UTC+8) began. */
export function paperInstant(date: string, time: string): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

export function createPaperSessions(deps: {
  models: Models;
  members: Pick<MemberService, 'getMany'>;
  rooms: Pick<RoomRepository, 'roomExists' | 'markAttendance' | 'attendance'>;
  suggestions: Pick<SuggestionRepository, 'insert' | 'listForSession'>;
  outcomes: Pick<OutcomeRepository, 'save' | 'listForSession'>;
  /** The steps after close (after-close.ts); resolves with the names of those that failed. */
  afterClose: (sessionId: string, byId: string) => Promise<string[]>;
}) {
  const { Session, PaperScan } = deps.models;
  const org = orgReads(deps.models);
  const topics = topicReads(deps.models);
  const scans = rawCollection(PaperScan);

  const staffOnly = (by: MemberView) => {
    if (by.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff record paper sessions.');
  };

  const presentScan = (s: Pick<PaperScanDoc, '_id' | 'fileName' | 'contentType' | 'size' | 'uploadedAt'>) =>
    ({
      id: s._id,
      fileName: s.fileName,
      contentType: s.contentType,
      size: s.size,
      uploadedAt: s.uploadedAt.toISOString(),
    }) satisfies PaperScanView;

  async function present(doc: SessionDoc, pendingSteps: string[] = []): Promise<PaperSessionView> {
    const [att, sug, out, files] = await Promise.all([
      deps.rooms.attendance(doc._id),
      deps.suggestions.listForSession(doc._id),
      deps.outcomes.listForSession(doc._id),
      PaperScan.find({ sessionId: doc._id }, { data: 0 }).sort({ uploadedAt: 1 }).lean(),
    ]);
    return {
      id: doc._id,
      title: doc.topic,
      topicId: doc.topicId ?? null,
      themeId: doc.themeId ?? null,
      roomId: doc.roomId,
      scheduledAt: doc.scheduledAt.toISOString(),
      attendees: att.length,
      suggestions: sug.length,
      outcomes: out.length,
      pendingSteps,
      scans: files.map(presentScan),
      note: doc.paperNote ?? '',
    };
  }

  /** The role each attendee had, from their account: conveners, leaders, officials, members. */
  async function rolesOf(body: ParsedBody, people: MemberView[]): Promise<Map<string, SessionRole>> {
    const leaders = await org.leaderLevels(people.map((p) => p.id));
    const roles = new Map<string, SessionRole>();
    for (const p of people) {
      let role: SessionRole = 'member';
      if (p.id === body.firstConvenerId) role = 'firstConvener';
      else if (p.id === body.secondConvenerId) role = 'secondConvener';
      else if (leaders.has(p.id)) role = 'leader';
      else if (p.kind === 'official') role = 'departmentRep';
      else if (p.kind === 'staff') role = 'staff';
      else if (p.kind === 'guest') role = 'citizenRep';
      roles.set(p.id, role);
    }
    return roles;
  }

  async function load(id: string): Promise<SessionDoc> {
    const doc = await Session.findById(id).lean();
    if (doc?.origin !== 'paper') throw new AppError('NOT_FOUND', 'No such paper session.');
    return doc;
  }

  return {
    /** Records a paper session and runs the steps after close; answers with the steps that failed. */
    async record(raw: ParsedBody, by: MemberView): Promise<PaperSessionView> {
      staffOnly(by);
      const body = PaperSessionBody.parse(raw);
      if (!(await deps.rooms.roomExists(body.roomId))) throw new AppError('BAD_REQUEST', 'roomId: no such room.');
      const ids = [
        ...new Set([
          body.firstConvenerId,
          ...(body.secondConvenerId ? [body.secondConvenerId] : []),
          ...body.attendeeIds,
          ...body.suggestions.map((s) => s.authorId),
        ]),
      ];
      const people = await deps.members.getMany(ids);
      const known = new Map(people.map((p) => [p.id, p]));
      const missing = ids.filter((id) => !known.has(id));
      if (missing.length > 0) throw new AppError('BAD_REQUEST', `No such people: ${missing.slice(0, 5).join(', ')}.`);
      const first = known.get(body.firstConvenerId);
      if (first?.kind !== 'member') {
        throw new AppError('BAD_REQUEST', 'firstConvenerId: the first convener is a committee member.');
      }
      if (body.secondConvenerId) {
        if (body.secondConvenerId === body.firstConvenerId) {
          throw new AppError('BAD_REQUEST', 'secondConvenerId: the conveners are two people.');
        }
        if (known.get(body.secondConvenerId)?.kind !== 'official') {
          throw new AppError('BAD_REQUEST', 'secondConvenerId: the second convener is a government official.');
        }
      }
      const signedIn = new Set(body.attendeeIds);
      const stranger = body.suggestions.find((s) => !signedIn.has(s.authorId));
      if (stranger) {
        throw new AppError(
          'BAD_REQUEST',
          `suggestions: ${stranger.authorId} is not on the sign-in sheet (attendeeIds).`,
        );
      }
      if (body.topicId && !(await topics.exists(body.topicId))) {
        throw new AppError('BAD_REQUEST', 'topicId: no such topic.');
      }
      if (body.themeId && !(await topics.themeExists(body.themeId))) {
        throw new AppError('BAD_REQUEST', 'themeId: no such theme.');
      }
      const scheduledAt = paperInstant(body.date, body.time);
      if (scheduledAt.getTime() > Date.now()) {
        throw new AppError('BAD_REQUEST', 'date: a paper session is recorded after it was held, not before.');
      }

      const _id = paperId();
      const roles = await rolesOf(body, people);
      const doc: SessionDoc = {
        _id,
        topic: body.title,
        topicId: body.topicId,
        roomId: body.roomId,
        scheduledAt,
        year: sessionYear(scheduledAt),
        mode: 'hall',
        state: 'closed',
        origin: 'paper',
        themeId: body.themeId,
        firstConvenerId: body.firstConvenerId,
        secondConvenerId: body.secondConvenerId,
        roles: [],
        // Everyone on the sheet was invited and came: nobody is absent without leave.
        invitations: body.attendeeIds
          .filter((id) => id !== body.firstConvenerId && id !== body.secondConvenerId)
          .map((memberId) => ({
            memberId,
            role: roles.get(memberId) ?? 'member',
            answer: 'attend' as const,
            leaveReason: null,
            leave: null,
            answeredAt: scheduledAt,
            leaveDecidedBy: null,
          })),
        openToAll: false,
        cancelledAt: null,
        cancelReason: null,
        agenda: [],
        paperNote: body.note,
        currentItemId: null,
        currentItemStartedAt: null,
        locked: true,
        speakerLimitSeconds: 180,
        speakers: { queue: [], speaker: null },
        muted: [],
        removed: [],
        startedAt: scheduledAt,
        closedAt: scheduledAt,
      };
      await rawCollection(Session).insertOne(doc);
      for (const memberId of body.attendeeIds) {
        await deps.rooms.markAttendance(_id, memberId, roles.get(memberId) ?? 'member', { inHall: true, by: by.id });
      }
      for (const [n, s] of body.suggestions.entries()) {
        await deps.suggestions.insert({
          id: `${_id}-g${n + 1}`,
          sessionId: _id,
          itemId: null,
          authorId: s.authorId,
          authorName: known.get(s.authorId)?.name ?? s.authorId,
          text: s.text,
          mark: 'none',
          createdAt: scheduledAt.toISOString(),
        });
      }
      for (const [n, o] of body.outcomes.entries()) {
        await deps.outcomes.save({
          id: `${_id}-o${n + 1}`,
          sessionId: _id,
          status: 'recorded',
          text: o.text,
          department: o.department,
          deadline: o.deadline,
          pollId: null,
          suggestionIds: [],
          createdBy: by.id,
          createdAt: scheduledAt.toISOString(),
        });
      }
      const failed = await deps.afterClose(_id, by.id);
      return present(await load(_id), failed);
    },

    /** The paper sessions recorded, newest first. */
    async list(by: MemberView): Promise<PaperSessionView[]> {
      staffOnly(by);
      const docs = await Session.find({ origin: 'paper' }).sort({ scheduledAt: -1 }).limit(200).lean();
      return Promise.all(docs.map((d) => present(d)));
    },

    async get(id: string, by: MemberView): Promise<PaperSessionView> {
      staffOnly(by);
      return present(await load(id));
    },

    /** Runs the steps after close still owed (one failed when it was recorded). */
    async retry(id: string, by: MemberView): Promise<PaperSessionView> {
      staffOnly(by);
      await load(id);
      return present(await load(id), await deps.afterClose(id, by.id));
    },

    /** Stores the scan(s) of the sign-in sheet, bounded as proposal attachments are. */
    async attach(id: string, by: MemberView, files: UploadedFile[]): Promise<PaperSessionView> {
      staffOnly(by);
      await load(id);
      if (files.length === 0) throw new AppError('BAD_REQUEST', 'files: attach the scan of the sign-in sheet.');
      const bad = files.find((f) => !isAllowedAttachmentType(f.mimetype));
      if (bad) throw new AppError('BAD_REQUEST', `files: ${bad.mimetype} is not a scan (an image or a PDF).`);
      const already = await PaperScan.countDocuments({ sessionId: id });
      if (already + files.length > proposalLimits.maxAttachmentsPerUpload) {
        throw new AppError('PAYLOAD_TOO_LARGE', `At most ${proposalLimits.maxAttachmentsPerUpload} scans per session.`);
      }
      const now = new Date();
      await scans.insertMany(
        files.map((f) => ({
          _id: `ps-${randomUUID()}`,
          sessionId: id,
          fileName: f.originalname.slice(0, 200) || 'scan',
          contentType: f.mimetype,
          size: f.size,
          data: f.buffer,
          uploadedBy: by.id,
          uploadedAt: now,
        })),
      );
      return present(await load(id));
    },

    /** One scan's bytes (staff). */
    async scan(scanId: string, by: MemberView): Promise<PaperScanDoc> {
      staffOnly(by);
      const doc = await PaperScan.findOne({ _id: scanId }).lean();
      if (!doc) throw new AppError('NOT_FOUND', 'No such scan.');
      // A lean read gives the driver's Binary, not a Buffer.
      const data: unknown = doc.data;
      const bytes = Buffer.isBuffer(data) ? data : data instanceof Binary ? Buffer.from(data.buffer) : Buffer.alloc(0);
      return { ...doc, data: bytes };
    },
  };
}

export type PaperSessions = ReturnType<typeof createPaperSessions>;

/** Multipart parsing of the scan, with the proposal attachments' caps (413 when too large). */
const upload = (): RequestHandler =>
  fileUpload({
    maxFiles: proposalLimits.maxAttachmentsPerUpload,
    maxFileBytes: proposalLimits.maxAttachmentBytes,
    fields: 5,
    fieldBytes: 1000,
  });

/** The multipart route (it keeps its own body type; see app.ts's jsonOnly). */
export const paperUploadPaths = [/^\/paper-sessions\/[^/]+\/scans$/];

const me = (res: { locals: Record<string, unknown> }) => res.locals.member as MemberView;

/**
 * Paper sessions (staff): GET/POST /paper-sessions, GET /paper-sessions/:id, POST
 * /paper-sessions/:id/after-close (run the steps still owed), POST /paper-sessions/:id/scans
 * (multipart, field `files`), GET /paper-sessions/scans/:scanId.
 */
export function paperSessionRouter(deps: { auth: AuthService; paper: PaperSessions }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);
  r.get('/paper-sessions', signedIn, async (_req, res) => {
    res.json({ sessions: await deps.paper.list(me(res)) });
  });
  r.post('/paper-sessions', signedIn, validateBody(PaperSessionBody), async (req, res) => {
    res.status(201).json(await deps.paper.record(req.body as ParsedBody, me(res)));
  });
  r.get('/paper-sessions/scans/:scanId', signedIn, async (req, res) => {
    const file = await deps.paper.scan(String(req.params.scanId), me(res));
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Always a download, never rendered in our origin, whatever the uploader claimed it was.
    res.attachment(file.fileName);
    res.send(file.data);
  });
  r.get('/paper-sessions/:id', signedIn, async (req, res) => {
    res.json(await deps.paper.get(String(req.params.id), me(res)));
  });
  r.post('/paper-sessions/:id/after-close', signedIn, async (req, res) => {
    res.json(await deps.paper.retry(String(req.params.id), me(res)));
  });
  r.post('/paper-sessions/:id/scans', signedIn, upload(), async (req, res) => {
    res.json(await deps.paper.attach(String(req.params.id), me(res), uploadedFiles(req)));
  });
  return r;
}
