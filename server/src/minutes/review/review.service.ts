import { randomUUID } from 'node:crypto';
import {
  type ArchiveEntry,
  type ArchiveQuery,
  type ArchiveResponse,
  type ExportFormat,
  limits,
  type MemberView,
  type MinutesAuthorship,
  type MinutesCommentBody,
  type MinutesCommentView,
  type MinutesDiff,
  type MinutesInfo,
  type MinutesStatus,
  type MinutesTransitionBody,
  type MinutesVersionView,
  minutesDocName,
  minutesRoomAuthor,
  minutesWriters,
  type OutcomeView,
  type SessionRole,
  type VersionReason,
} from '@yitang/shared';
import * as Y from 'yjs';
import { type Models, rawCollection, trusted } from '../../db/models';
import { AppError, isDuplicateKey } from '../../errors';
import { Serial } from '../../lib/serial';
import type { Logger } from '../../logger';
import type { MemberService } from '../../members/member.service';
import type { NotificationService } from '../../notifications/notification.service';
import type { PollDoc } from '../../polls/poll.model';
import { pollReads } from '../../polls/poll.reads';
import { roleIn } from '../../rooms/roles';
import type { SessionDoc } from '../../rooms/room.model';
import type { RoomRepository } from '../../rooms/room.repository';
import { type ArchiveSession, notInvitedMessage, sessionReads } from '../../sessions';
import { type ExportInput, toDocx, toMarkdown, toPdf } from '../export';
import type { MinutesServer } from '../minutes.server';
import { reasonLabels, resultText, roleGroups, roleLabels, roleOrder } from './labels';
import {
  type MinutesCommentDoc,
  type MinutesMetaDoc,
  type MinutesReviewModels,
  type MinutesVersionDoc,
  versionKey,
} from './review.model';
import { blocksOf, bodyMarkdown, contentDisposition, excerpt, fileStem, lineDiff, plainText } from './text';

export interface MinutesReviewDeps {
  /**
   * The review models plus the session and poll models the archive and the export read, through
   * the sessions and polls modules' reads.
   */
  models: MinutesReviewModels & Pick<Models, 'Session'> & Parameters<typeof pollReads>[0];
  minutes: Pick<MinutesServer, 'currentState' | 'reconnectAll' | 'authorship'>;
  rooms: RoomRepository;
  members: MemberService;
  /** A Chromium binary for PDF export (config CHROMIUM_PATH). */
  chromiumPath: string;
  /** Tells the conveners when their approval is needed. */
  notifications: Pick<NotificationService, 'notify'>;
  /** The session's outcomes, for the decided items of the printed minutes (the outcomes module's read). */
  outcomesOf?: (sessionId: string) => Promise<OutcomeView[]>;
  logger: Logger;
}

/** What someone may do with one session's minutes. */
export interface MinutesAccess {
  session: SessionDoc;
  status: MinutesStatus;
  /** Their role in the session; null for someone outside it (or removed from it). */
  role: SessionRole | null;
  staff: boolean;
  convener: boolean;
  /** Participants, staff, and for published minutes everyone signed in. */
  read: boolean;
  /** Removed from the session by its chair (moderation), rather than never invited. */
  removed: boolean;
}

/**
 * The refusal of someone `a` does not let read: outside the session's membership they get the
 * sessions module's words, as the room gives them; someone the chair removed is told so.
 */
export function readRefusal(a: Pick<MinutesAccess, 'removed'>): AppError {
  return new AppError('FORBIDDEN', a.removed ? 'You were removed from this session.' : notInvitedMessage);
}

export interface ExportedFile {
  body: Buffer;
  contentType: string;
  /** A ready Content-Disposition header (attachment, RFC 5987 file name with the topic). */
  disposition: string;
  filename: string;
}

const contentTypes: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/** Stored binary comes back as a Buffer or as the driver's Binary, depending on the read path. */
function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'object' && v !== null && 'buffer' in v && v.buffer instanceof Uint8Array) return v.buffer;
  throw new Error('stored minutes version is not binary');
}

/** Polls whose result belongs in the minutes. */
const finishedStages: PollDoc['stage'][] = ['closed', 'published'];

const emptyState = () => Y.encodeStateAsUpdate(new Y.Doc());

/** Start of a calendar day in China Standard Time (the committee's zone; no daylight saving). */
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
const dayAfter = (day: string) => new Date(dayStart(day).getTime() + 24 * 3600 * 1000);
/** The day (YYYY-MM-DD) an instant falls on in China (UTC+8). */
const chinaDay = (at: Date) => new Date(at.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
const dayBefore = (day: string) => chinaDay(new Date(dayStart(day).getTime() - 1));

/**
 * The review of a session's minutes after it closes: versions (frozen snapshots), the status
 * draft → inReview → approved (both conveners) → published, comments, diffs, the archive and the
 * export. Every status change is one conditional update of the session's MinutesMeta document.
 */
export function createMinutesReviewService(deps: MinutesReviewDeps) {
  const { models, minutes, rooms, members, logger } = deps;
  const { MinutesMeta, MinutesVersion, MinutesComment } = models;
  const versions = rawCollection(MinutesVersion);
  /** Polls are the polls module's: read through its functions. */
  const pollData = pollReads(models);
  const serials = new Map<string, { serial: Serial; users: number }>();

  /**
   * Runs the review changes of one session one at a time in this process. The filters of the
   * updates state their preconditions (which guards other processes on MongoDB), but FerretDB
   * 1.24 applies an update as read-modify-write of the whole document: two concurrent conditional
   * updates can both match, and concurrent $addToSet lose elements. Serialising them here keeps
   * every step correct on both engines for a session served by one process (rooms are).
   */
  async function oneAtATime<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    let entry = serials.get(sessionId);
    if (!entry) {
      entry = { serial: new Serial(), users: 0 };
      serials.set(sessionId, entry);
    }
    entry.users += 1;
    try {
      return await entry.serial.run(task);
    } finally {
      entry.users -= 1;
      if (entry.users === 0) serials.delete(sessionId);
    }
  }

  const getSession = async (sessionId: string): Promise<SessionDoc> => {
    const session = await rooms.getSession(sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'No such session.');
    return session;
  };

  const getMeta = (sessionId: string): Promise<MinutesMetaDoc | null> => MinutesMeta.findById(sessionId).lean();

  /** Creates the meta document as a draft if there is none; never changes an existing one. */
  const ensureMeta = async (sessionId: string): Promise<void> => {
    try {
      await MinutesMeta.updateOne(
        { _id: sessionId },
        { $setOnInsert: { status: 'draft', approvals: [], updatedAt: new Date() } },
        { upsert: true },
      );
    } catch (err) {
      // Two first uses at once: the other upsert inserted it.
      if (!isDuplicateKey(err)) throw err;
    }
  };

  const statusOf = (meta: MinutesMetaDoc | null): MinutesStatus => meta?.status ?? 'draft';

  const conveners = (s: SessionDoc): string[] =>
    [s.firstConvenerId, s.secondConvenerId].filter((id): id is string => typeof id === 'string' && id !== '');

  async function access(sessionId: string, member: MemberView): Promise<MinutesAccess> {
    const [session, meta] = await Promise.all([getSession(sessionId), getMeta(sessionId)]);
    const status = statusOf(meta);
    const removed = (session.removed ?? []).includes(member.id);
    const role = removed ? null : roleIn(session, member);
    const staff = member.kind === 'staff';
    return {
      session,
      status,
      role,
      staff,
      convener: conveners(session).includes(member.id),
      read: role !== null || staff || status === 'published',
      removed,
    };
  }

  const presentVersion = (v: Omit<MinutesVersionDoc, 'state'>): MinutesVersionView => ({
    id: v._id,
    sessionId: v.sessionId,
    number: v.number,
    reason: v.reason,
    label: v.label ?? '',
    createdBy: v.createdBy,
    createdAt: v.createdAt.toISOString(),
    textLength: (v.text ?? '').length,
  });

  const presentComment = (c: MinutesCommentDoc): MinutesCommentView => ({
    id: c._id,
    sessionId: c.sessionId,
    authorId: c.authorId,
    authorName: c.authorName,
    quote: c.quote ?? '',
    text: c.text,
    createdAt: c.createdAt.toISOString(),
    resolved: c.resolved ?? false,
  });

  const getVersion = async (sessionId: string, versionId: string): Promise<MinutesVersionDoc> => {
    const v = await MinutesVersion.findOne({ _id: versionId, sessionId }).lean();
    if (!v) throw new AppError('NOT_FOUND', 'No such version of these minutes.');
    return v;
  };

  const latestVersion = (sessionId: string) =>
    MinutesVersion.findOne({ sessionId }, { state: 0, text: 0 }).sort({ number: -1 }).lean();

  async function info(sessionId: string): Promise<MinutesInfo> {
    const [session, meta, vs, cs] = await Promise.all([
      getSession(sessionId),
      getMeta(sessionId),
      MinutesVersion.find({ sessionId }, { state: 0 }).sort({ number: 1 }).lean(),
      MinutesComment.find({ sessionId }).sort({ createdAt: 1 }).lean(),
    ]);
    const names = await rooms.roomNames([session.roomId]);
    return {
      sessionId,
      topic: session.topic,
      roomName: names.get(session.roomId) ?? session.roomId,
      scheduledAt: session.scheduledAt.toISOString(),
      sessionState: session.state,
      status: statusOf(meta),
      approvals: meta?.approvals ?? [],
      publishedVersionId: meta?.publishedVersionId ?? null,
      versions: vs.map(presentVersion),
      comments: cs.map(presentComment),
    };
  }

  /**
   * Freezes the minutes as they are now into the next version. Numbers are claimed by inserting
   * `${sessionId}:${n}`; a duplicate key means someone else took n, so the next one is tried.
   */
  async function snapshot(
    sessionId: string,
    reason: VersionReason,
    by: string,
    label: string = reasonLabels[reason],
  ): Promise<MinutesVersionView> {
    const state = (await minutes.currentState(minutesDocName(sessionId))) ?? emptyState();
    const text = plainText(blocksOf(state));
    let number = ((await latestVersion(sessionId))?.number ?? 0) + 1;
    for (let attempt = 0; attempt < 100; attempt += 1, number += 1) {
      const doc: MinutesVersionDoc = {
        _id: versionKey(sessionId, number),
        sessionId,
        number,
        reason,
        label: label.trim() === '' ? reasonLabels[reason] : label.trim(),
        state: Buffer.from(state),
        text,
        createdBy: by,
        createdAt: new Date(),
      };
      try {
        await versions.insertOne(doc);
        return presentVersion(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new AppError('UNAVAILABLE', 'Could not number a new version; try again.');
  }

  /** After a session closes: its minutes are frozen once as they stood (status stays draft). */
  function onSessionClosed(sessionId: string, by: string): Promise<MinutesVersionView> {
    return oneAtATime(sessionId, async () => {
      await ensureMeta(sessionId);
      const existing = await MinutesVersion.findOne({ sessionId, reason: 'sessionClosed' }, { state: 0 }).lean();
      if (existing) return presentVersion(existing);
      return snapshot(sessionId, 'sessionClosed', by);
    });
  }

  async function status(sessionId: string): Promise<MinutesStatus> {
    return statusOf(await getMeta(sessionId));
  }

  const illegal = (from: MinutesStatus, to: MinutesStatus) =>
    new AppError('ILLEGAL_TRANSITION', `The minutes cannot go from ${from} to ${to}.`);

  async function transition(
    sessionId: string,
    to: MinutesTransitionBody['to'],
    actor: MemberView,
    options: { openCommentsSeen: boolean } = { openCommentsSeen: false },
  ): Promise<MinutesInfo> {
    await oneAtATime(sessionId, () => transitionStep(sessionId, to, actor, options.openCommentsSeen));
    logger.info({ sessionId, to, by: actor.id }, 'minutes transition');
    return info(sessionId);
  }

  /**
   * Approving or publishing over open review comments needs the person to have seen them (the
   * page lists them and asks); otherwise it is refused, naming how many are open.
   */
  async function guardOpenComments(sessionId: string, seen: boolean): Promise<void> {
    if (seen) return;
    const open = await MinutesComment.countDocuments({ sessionId, resolved: trusted({ $ne: true }) });
    if (open > 0) {
      throw new AppError(
        'ILLEGAL_TRANSITION',
        `${open} review comment(s) are still open; resolve them, or confirm that you go on with them open.`,
      );
    }
  }

  /** The version this review round began with (the newest taken for review). */
  async function reviewRound(sessionId: string): Promise<string> {
    const taken = await MinutesVersion.find({ sessionId, reason: 'review' }, { _id: 1, createdAt: 1 }).lean();
    const newest = taken.reduce<(typeof taken)[number] | null>(
      (best, v) => (best === null || v.createdAt > best.createdAt ? v : best),
      null,
    );
    return newest?._id ?? sessionId;
  }

  /** Tells the conveners who have not approved yet that the version in review waits for them. */
  async function askApprovals(session: SessionDoc, versionId: string, waiting: string[]): Promise<void> {
    if (waiting.length === 0) return;
    try {
      await deps.notifications.notify(waiting, {
        key: `minutes-approve:${versionId}`,
        kind: 'minutesToApprove',
        params: { topic: session.topic },
        link: `/s/${encodeURIComponent(session._id)}/minutes`,
      });
    } catch (err) {
      // The transition stands; the page shows who has approved either way.
      logger.warn({ err, sessionId: session._id }, 'minutes approval notice failed');
    }
  }

  async function transitionStep(
    sessionId: string,
    to: MinutesTransitionBody['to'],
    actor: MemberView,
    openCommentsSeen: boolean,
  ): Promise<void> {
    const a = await access(sessionId, actor);
    const doc = minutesDocName(sessionId);
    const now = new Date();
    switch (to) {
      case 'draft': {
        if (!a.convener && !a.staff)
          throw new AppError('FORBIDDEN', 'Only conveners and staff take minutes back from review.');
        const res = await MinutesMeta.updateOne(
          { _id: sessionId, status: 'inReview' },
          { $set: { status: 'draft', approvals: [], updatedAt: now } },
        );
        if (res.matchedCount !== 1) throw illegal(a.status, to);
        break;
      }
      case 'inReview': {
        if (!a.convener && !a.staff)
          throw new AppError('FORBIDDEN', 'Only conveners and staff send minutes to review.');
        if (a.session.state !== 'closed') {
          throw new AppError('ILLEGAL_TRANSITION', 'The minutes go to review after the session closes.');
        }
        await ensureMeta(sessionId);
        const res = await MinutesMeta.updateOne(
          { _id: sessionId, status: 'draft' },
          { $set: { status: 'inReview', approvals: [], updatedAt: now } },
        );
        if (res.matchedCount !== 1) throw illegal(await status(sessionId), to);
        const version = await snapshot(sessionId, 'review', actor.id);
        await askApprovals(a.session, version.id, conveners(a.session));
        break;
      }
      case 'approved': {
        if (!a.convener) throw new AppError('FORBIDDEN', 'Only the conveners approve the minutes.');
        if (a.status === 'inReview') await guardOpenComments(sessionId, openCommentsSeen);
        const added = await MinutesMeta.updateOne(
          { _id: sessionId, status: 'inReview' },
          { $addToSet: { approvals: actor.id }, $set: { updatedAt: now } },
        );
        if (added.matchedCount !== 1) throw illegal(a.status, to);
        // Lands once every convener is in: of two last approvals at once, one update matches.
        const approved = await MinutesMeta.updateOne(
          { _id: sessionId, status: 'inReview', approvals: trusted({ $all: conveners(a.session) }) },
          { $set: { status: 'approved', updatedAt: new Date() } },
        );
        if (approved.modifiedCount === 1) {
          minutes.reconnectAll(doc);
          await snapshot(sessionId, 'approval', actor.id);
        } else {
          // Still waiting: remind the other conveners, once per approval given.
          const [meta, round] = await Promise.all([getMeta(sessionId), reviewRound(sessionId)]);
          const given = meta?.approvals ?? [];
          const waiting = conveners(a.session).filter((id) => !given.includes(id));
          await askApprovals(a.session, `${round}:${given.slice().sort().join('+')}`, waiting);
        }
        break;
      }
      case 'published': {
        if (!a.convener && !a.staff) throw new AppError('FORBIDDEN', 'Only conveners and staff publish the minutes.');
        if (a.status !== 'approved') throw illegal(a.status, to);
        await guardOpenComments(sessionId, openCommentsSeen);
        // Approved minutes are read-only, so this version is what was approved. It is taken first
        // so the one update that publishes can name it; a publish that lost a race removes it.
        const version = await snapshot(sessionId, 'published', actor.id);
        const res = await MinutesMeta.updateOne(
          { _id: sessionId, status: 'approved' },
          { $set: { status: 'published', publishedVersionId: version.id, updatedAt: new Date() } },
        );
        if (res.matchedCount !== 1) {
          await MinutesVersion.deleteOne({ _id: version.id });
          throw illegal(await status(sessionId), to);
        }
        minutes.reconnectAll(doc);
        break;
      }
    }
  }

  /** A version on demand (writers and staff) while the minutes can still change. */
  function manualVersion(sessionId: string, label: string, actor: MemberView): Promise<MinutesVersionView> {
    return oneAtATime(sessionId, async () => {
      const a = await access(sessionId, actor);
      const writer = a.role !== null && minutesWriters.includes(a.role);
      if (!writer && !a.staff) throw new AppError('FORBIDDEN', 'Only minutes writers and staff save versions.');
      if (a.status === 'approved' || a.status === 'published') {
        throw new AppError('ILLEGAL_TRANSITION', 'Approved minutes do not change; their version is already taken.');
      }
      return snapshot(sessionId, 'manual', actor.id, label);
    });
  }

  function comment(sessionId: string, body: MinutesCommentBody, actor: MemberView): Promise<MinutesCommentView> {
    // In line with the transitions, so no comment lands after the approval.
    return oneAtATime(sessionId, () => addComment(sessionId, body, actor));
  }

  async function addComment(
    sessionId: string,
    body: MinutesCommentBody,
    actor: MemberView,
  ): Promise<MinutesCommentView> {
    const a = await access(sessionId, actor);
    if (a.role === null) throw new AppError('FORBIDDEN', 'Only participants of this session comment on its minutes.');
    if (a.status !== 'inReview') {
      throw new AppError('ILLEGAL_TRANSITION', 'Comments are taken only while the minutes are in review.');
    }
    const doc: MinutesCommentDoc = {
      _id: randomUUID(),
      sessionId,
      versionId: (await latestVersion(sessionId))?._id ?? null,
      authorId: actor.id,
      authorName: actor.name,
      quote: body.quote,
      text: body.text,
      createdAt: new Date(),
      resolved: false,
    };
    await rawCollection(MinutesComment).insertOne(doc);
    return presentComment(doc);
  }

  async function resolveComment(sessionId: string, commentId: string, actor: MemberView): Promise<MinutesCommentView> {
    const a = await access(sessionId, actor);
    const may: SessionRole[] = ['firstConvener', 'secondConvener', 'recorder'];
    if (a.role === null || !may.includes(a.role)) {
      throw new AppError('FORBIDDEN', 'Only the conveners and the recorder resolve comments.');
    }
    const res = await MinutesComment.updateOne({ _id: commentId, sessionId }, { $set: { resolved: true } });
    if (res.matchedCount !== 1) throw new AppError('NOT_FOUND', 'No such comment.');
    const c = await MinutesComment.findById(commentId).lean();
    if (!c) throw new AppError('NOT_FOUND', 'No such comment.');
    return presentComment(c);
  }

  async function versionText(sessionId: string, versionId: string): Promise<{ text: string; markdown: string }> {
    const v = await getVersion(sessionId, versionId);
    return { text: v.text ?? '', markdown: bodyMarkdown(blocksOf(toBytes(v.state))) };
  }

  async function diff(sessionId: string, fromId: string, toId: string): Promise<MinutesDiff> {
    const [from, to] = await Promise.all([getVersion(sessionId, fromId), getVersion(sessionId, toId)]);
    const md = (v: MinutesVersionDoc) => bodyMarkdown(blocksOf(toBytes(v.state)));
    const lines = lineDiff(md(from), md(to));
    if (!lines) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `These versions are too long or differ too much to compare (at most ${limits.maxMinutesDiffLines} lines and ${limits.maxMinutesDiffEditLines} changed lines); open each version's text instead.`,
      );
    }
    return { from: fromId, to: toId, lines };
  }

  async function authorship(sessionId: string): Promise<MinutesAuthorship> {
    const rows = await minutes.authorship(minutesDocName(sessionId));
    const names = new Map((await rooms.memberNames(rows.map((r) => r.memberId))).map((m) => [m.id, m.name]));
    // People first, most edits first; the room's row last.
    return rows
      .filter((r) => r.edits > 0)
      .map((r) => {
        const room = r.memberId === minutesRoomAuthor.id;
        return {
          memberId: r.memberId,
          name: room ? minutesRoomAuthor.names['zh-CN'] : (names.get(r.memberId) ?? r.memberId),
          room,
          edits: r.edits,
          first: r.first.toISOString(),
          last: r.last.toISOString(),
        };
      })
      .sort((x, y) => Number(x.room) - Number(y.room) || y.edits - x.edits || x.first.localeCompare(y.first));
  }

  /**
   * Every session with its minutes status, newest first. Staff see every status; others only
   * published minutes. `q` is a substring (regex-escaped, so Chinese works without word breaks)
   * searched in the text of the version people would read: the published one, else the latest,
   * else, for minutes never versioned, the live document.
   *
   * Asked without a start date, an answer covers one year: this year and any later (or, when
   * this year has none, the latest year with sessions). Any answer holds at most
   * `minutesArchiveMaxEntries` entries, and a search looks at no more sessions than that; either
   * stops at a day's boundary. The answer says where it stopped (`more.to`: ask again with it as
   * `to` for the earlier minutes). So an answer costs a year's sessions at most, however many
   * years the archive holds: listing the newest 200 read the whole year before this one (1,670
   * sessions at 1,000,000 documents a collection), and a substring can be in any text, so
   * searching every year at once read every version of every year (no index serves it).
   */
  async function archive(query: ArchiveQuery, actor: MemberView): Promise<ArchiveResponse> {
    const staff = actor.kind === 'staff';
    if (!staff && query.status && query.status !== 'published') return { entries: [], more: null };
    const wanted = query.status ?? (staff ? null : 'published');
    const excerpts = new Map<string, string>();
    const q = query.q?.trim() ?? '';
    const max = limits.minutesArchiveMaxEntries;
    const openEnded = !query.from;
    const thisYear = Number(chinaDay(new Date()).slice(0, 4));
    let examined = 0;
    let newestDay: string | null = null;
    let more: { to: string } | null = null;
    let rows: Array<{ s: ArchiveSession; meta: MinutesMetaDoc | null }> = [];
    /** Ends the answer before `day`, whose rows go: the next ask (to `day`) reads that day whole. */
    const stopBefore = (day: string) => {
      if (day === newestDay) {
        // Every session looked at was of that day (a day fuller than a page): the rest is skipped.
        rows = rows.slice(0, max);
        more = { to: dayBefore(day) };
        return;
      }
      rows = rows.filter((r) => chinaDay(r.s.scheduledAt) > day);
      more = { to: day };
    };
    const textOf = async (versionId: string): Promise<string | undefined> =>
      (await MinutesVersion.findById(versionId, { text: 1 }).lean())?.text ?? undefined;
    let liveScans = 0;
    // The most recent first, a year at a time and 50 sessions at a time, until the list is full: a
    // longer list is cut; narrower filters reach older minutes. Each read is by key or by one
    // equality (the embedded database reads a whole collection for `$in`).
    const pages = sessionReads(models).archive({
      ...(query.roomId ? { roomId: query.roomId } : {}),
      ...(query.from ? { from: dayStart(query.from) } : {}),
      ...(query.to ? { before: dayAfter(query.to) } : {}),
    });
    years: for await (const year of pages) {
      const pageYear = year[0] ? Number(chinaDay(year[0].scheduledAt).slice(0, 4)) : thisYear;
      for (let at = 0; at < year.length; at += 50) {
        const sessions = year.slice(at, at + 50);
        newestDay ??= chinaDay((sessions[0] as ArchiveSession).scheduledAt);
        examined += sessions.length;
        const metas = await inParallel(sessions, (s) => MinutesMeta.findById(s._id).lean());
        let page = sessions
          .map((s, i) => ({ s, meta: metas[i] ?? null }))
          .filter((r) => wanted === null || statusOf(r.meta) === wanted);
        if (q !== '') {
          // The version people would read: the published one, else the latest.
          const readIds = await inParallel(page, async (r): Promise<string | null> => {
            const published = r.meta?.publishedVersionId;
            if (published) return published;
            const numbers = await MinutesVersion.find({ sessionId: r.s._id }, { number: 1 }).lean();
            return numbers.length === 0 ? null : versionKey(r.s._id, Math.max(...numbers.map((v) => v.number)));
          });
          const texts = await inParallel(readIds, (id) => (id === null ? Promise.resolve(undefined) : textOf(id)));
          for (const [i, r] of page.entries()) {
            const text = texts[i];
            const e = text === undefined ? null : excerpt(text, q);
            if (e !== null) excerpts.set(r.s._id, e);
          }
          // Minutes never versioned (a session not yet closed): the document as it is. Each is
          // loaded and parsed here, so only the most recent few are (sessions not yet closed are few).
          for (const [i, r] of page.entries()) {
            if (readIds[i] !== null) continue;
            if (liveScans >= limits.minutesArchiveMaxLiveScans) break;
            liveScans += 1;
            const state = await minutes.currentState(minutesDocName(r.s._id));
            if (!state) continue;
            const e = excerpt(plainText(blocksOf(state)), q);
            if (e !== null) excerpts.set(r.s._id, e);
          }
          page = page.filter((r) => excerpts.has(r.s._id));
        }
        rows.push(...page);
        const over = rows[max];
        if (over) {
          stopBefore(chinaDay(over.s.scheduledAt));
          break years;
        }
        if (rows.length === max || (q !== '' && examined >= max)) {
          const next = year[at + 50];
          if (next) stopBefore(chinaDay(next.scheduledAt));
          else more = { to: `${pageYear - 1}-12-31` };
          break years;
        }
      }
      if (openEnded && pageYear <= thisYear) {
        more = { to: `${pageYear - 1}-12-31` };
        break;
      }
    }
    rows = rows.slice(0, limits.minutesArchiveMaxEntries);

    const roomNames = await rooms.roomNames([...new Set(rows.map((r) => r.s.roomId))]);
    const entries: ArchiveEntry[] = rows.map(({ s, meta }) => ({
      sessionId: s._id,
      topic: s.topic,
      roomId: s.roomId,
      roomName: roomNames.get(s.roomId) ?? s.roomId,
      scheduledAt: s.scheduledAt.toISOString(),
      status: statusOf(meta),
      excerpt: excerpts.get(s._id) ?? null,
    }));
    return { entries, more };
  }

  /**
   * The number of published minutes within the China year of their publication: their place among
   * that year's published versions by the time they were taken. Publication is final and the
   * published version never changes, so the number is stable without a counter (which FerretDB's
   * non-atomic updates could hand out twice) and without writing anything at export.
   */
  async function documentNumber(version: MinutesVersionDoc): Promise<{ year: number; number: number }> {
    const year = Number(chinaDay(version.createdAt).slice(0, 4));
    const published = await MinutesVersion.find(
      { reason: 'published', createdAt: trusted({ $gte: dayStart(`${year}-01-01`), $lte: version.createdAt }) },
      { _id: 1, createdAt: 1 },
    ).lean();
    const at = version.createdAt.getTime();
    const before = published.filter(
      (v) => v.createdAt.getTime() < at || (v.createdAt.getTime() === at && v._id < version._id),
    );
    return { year, number: before.length + 1 };
  }

  /** What the printed minutes need besides the body: session, attendance, outcomes and vote results. */
  async function exportInput(
    session: SessionDoc,
    version: MinutesVersionDoc,
    published: boolean,
  ): Promise<ExportInput> {
    const [roomNames, attendance, polls, outcomes, number] = await Promise.all([
      rooms.roomNames([session.roomId]),
      rooms.attendance(session._id),
      pollData.inStages(session._id, finishedStages),
      deps.outcomesOf ? deps.outcomesOf(session._id) : Promise.resolve([]),
      published ? documentNumber(version) : Promise.resolve(null),
    ]);
    const people = await members.getMany([...new Set([...conveners(session), ...attendance.map((a) => a.memberId)])]);
    const nameOf = new Map(people.map((m) => [m.id, m.name]));
    const rank = (role: SessionRole) => roleOrder.indexOf(role);
    const rows = [...attendance].sort(
      (x, y) =>
        rank(x.role) - rank(y.role) ||
        (nameOf.get(x.memberId) ?? x.memberId).localeCompare(nameOf.get(y.memberId) ?? y.memberId, 'zh-CN'),
    );
    return {
      title: session.topic,
      sessionMeta: {
        roomName: roomNames.get(session.roomId) ?? session.roomId,
        scheduledAt: session.scheduledAt.toISOString(),
        mode: session.mode,
        conveners: conveners(session).map((id) => nameOf.get(id) ?? id),
      },
      version: { label: `${version.label}（第${version.number}版）`, createdAt: version.createdAt.toISOString() },
      documentNumber: number,
      attendance: rows.map((r) => ({
        name: nameOf.get(r.memberId) ?? r.memberId,
        role: roleLabels[r.role] ?? r.role,
        group: roleGroups[r.role] ?? 'attending',
        inHall: r.inHall ?? false,
        online: r.online ?? false,
      })),
      votes: polls.map((p) => ({
        question: p.settings.question,
        kind: p.settings.kind,
        resultText: resultText(p.settings, p.result ?? null, p.tally ?? null),
        published: p.stage === 'published',
      })),
      outcomes: outcomes
        .filter((o) => o.status === 'recorded')
        .map((o) => ({ text: o.text, department: o.department, deadline: o.deadline })),
      body: blocksOf(toBytes(version.state)),
    };
  }

  /**
   * The published version as a file; staff may ask for any version. Everyone who may read the
   * minutes may export the published version.
   */
  async function exportMinutes(
    sessionId: string,
    format: ExportFormat,
    versionId: string | undefined,
    actor: MemberView,
  ): Promise<ExportedFile> {
    const a = await access(sessionId, actor);
    if (!a.read) throw readRefusal(a);
    const meta = await getMeta(sessionId);
    const publishedId = meta?.publishedVersionId ?? null;
    const id = versionId ?? publishedId;
    if (!id) throw new AppError('NOT_FOUND', 'These minutes are not published yet.');
    if (id !== publishedId && !a.staff) throw new AppError('FORBIDDEN', 'Only staff export unpublished versions.');
    const version = await getVersion(sessionId, id);
    const input = await exportInput(a.session, version, id === publishedId);
    const body =
      format === 'md'
        ? Buffer.from(toMarkdown(input), 'utf8')
        : format === 'docx'
          ? await toDocx(input)
          : // One Chromium at a time for the whole process, busy beyond (export/pdf.ts).
            await toPdf(input, { chromiumPath: deps.chromiumPath });
    const suffix = id === publishedId ? '' : `-第${version.number}版`;
    const filename = `${fileStem(a.session.topic)}-会议纪要${suffix}.${format}`;
    return {
      body,
      contentType: contentTypes[format],
      filename,
      disposition: contentDisposition(filename, `minutes-${sessionId}-${version.number}.${format}`),
    };
  }

  return {
    access,
    info,
    status,
    snapshot,
    onSessionClosed,
    transition,
    manualVersion,
    comment,
    resolveComment,
    versionText,
    diff,
    authorship,
    archive,
    exportMinutes,
  };
}

export type MinutesReviewService = ReturnType<typeof createMinutesReviewService>;

/** `read` for each item, at most 16 at a time; the results in the items' order. */
async function inParallel<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += 16) out.push(...(await Promise.all(items.slice(i, i + 16).map(read))));
  return out;
}
