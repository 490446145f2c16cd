import {
  ArchiveQuery,
  ExportFormat,
  Id,
  ManualVersionBody,
  MemberView,
  MinutesCommentBody,
  MinutesTransitionBody,
} from '@yitang/shared';
import { type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import type { AuthService } from '../../auth/auth.service';
import { AppError } from '../../errors';
import { requireMember } from '../../http/middleware';
import { type MinutesReviewService, readRefusal } from './review.service';

/** Parses a value (a path parameter, the query) with a shared schema; a bad one is a 400. */
function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** 2025-02-30 has the shape of a date but is none. */
const isCalendarDay = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(day);
};

/** The query without empty parameters (`?q=&status=` means no filter). */
function queryOf(req: Request): Record<string, unknown> {
  return Object.fromEntries(Object.entries(req.query).filter(([, v]) => v !== '' && v !== undefined));
}

/** The member `requireMember` resolved, checked rather than cast. */
const memberOf = (res: Response): MemberView => MemberView.parse(res.locals.member);

/**
 * The minutes review over REST, mounted under /api. Every route needs a signed-in member and is
 * authorised by their role in the session (the service decides).
 */
export function minutesReviewRouter(deps: { auth: AuthService; review: MinutesReviewService }): Router {
  const { review } = deps;
  const r = Router();
  const signedIn = requireMember(deps.auth);
  const sessionId = (req: Request) => parse(Id, req.params.id);

  /** Resolves read access to a session's minutes, or throws FORBIDDEN. */
  const readable = async (req: Request, res: Response) => {
    const id = sessionId(req);
    const a = await review.access(id, memberOf(res));
    if (!a.read) throw readRefusal(a);
    return id;
  };

  r.get('/sessions/:id/minutes', signedIn, async (req, res) => {
    res.json(await review.info(await readable(req, res)));
  });

  r.post('/sessions/:id/minutes/transition', signedIn, async (req, res) => {
    const { to, openCommentsSeen } = parse(MinutesTransitionBody, req.body);
    res.json(
      await review.transition(sessionId(req), to, memberOf(res), { openCommentsSeen: openCommentsSeen ?? false }),
    );
  });

  r.post('/sessions/:id/minutes/versions', signedIn, async (req, res) => {
    const { label } = parse(ManualVersionBody, req.body);
    res.status(201).json(await review.manualVersion(sessionId(req), label, memberOf(res)));
  });

  r.get('/sessions/:id/minutes/versions/:versionId/text', signedIn, async (req, res) => {
    const id = await readable(req, res);
    res.json(await review.versionText(id, parse(Id, req.params.versionId)));
  });

  r.get('/sessions/:id/minutes/diff', signedIn, async (req, res) => {
    const id = await readable(req, res);
    const q = queryOf(req);
    res.json(await review.diff(id, parse(Id, q.from), parse(Id, q.to)));
  });

  r.get('/sessions/:id/minutes/authors', signedIn, async (req, res) => {
    res.json(await review.authorship(await readable(req, res)));
  });

  r.post('/sessions/:id/minutes/comments', signedIn, async (req, res) => {
    const body = parse(MinutesCommentBody, req.body);
    res.status(201).json(await review.comment(sessionId(req), body, memberOf(res)));
  });

  r.post('/sessions/:id/minutes/comments/:commentId/resolve', signedIn, async (req, res) => {
    res.json(await review.resolveComment(sessionId(req), parse(Id, req.params.commentId), memberOf(res)));
  });

  r.get('/minutes/archive', signedIn, async (req, res) => {
    const query = parse(ArchiveQuery, queryOf(req));
    for (const day of [query.from, query.to]) {
      if (day !== undefined && !isCalendarDay(day)) throw new AppError('BAD_REQUEST', `${day} is no date.`);
    }
    res.json(await review.archive(query, memberOf(res)));
  });

  r.get('/sessions/:id/minutes/export.:format', signedIn, async (req, res) => {
    const format = parse(ExportFormat, req.params.format);
    const q = queryOf(req);
    const versionId = q.versionId === undefined ? undefined : parse(Id, q.versionId);
    const file = await review.exportMinutes(sessionId(req), format, versionId, memberOf(res));
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', file.disposition);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.body);
  });

  return r;
}
