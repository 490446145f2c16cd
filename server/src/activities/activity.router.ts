import {
  ActivityFindingBody,
  ActivityInviteesBody,
  ActivityLeaveBody,
  ActivityListQuery,
  ActivityRatingBody,
  ActivityRsvpBody,
  ActivitySignInBody,
  activityLimits,
  CreateActivityBody,
  type MemberView,
} from '@yitang/shared';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import { fileUpload, uploadedFiles } from '../http/uploads';
import type { ActivityService } from './activity.service';

const memberOf = (locals: Record<string, unknown>) => locals.member as MemberView;
/** Actions without fields take no body, or an empty object. */
const Empty = z.object({}).strict().optional();

/** Paths that take multipart bodies (materials): the JSON-only guard lets them through. */
export const activityUploadPaths: readonly RegExp[] = [/^\/activities\/[^/]+\/materials$/];

/** Multipart parsing of materials, kept in memory (they go to MongoDB), with the shared caps. */
function materialsUpload(): RequestHandler {
  const parse = fileUpload({
    maxFiles: activityLimits.maxMaterialsPerUpload,
    maxFileBytes: activityLimits.maxMaterialBytes,
    fields: 0,
    fieldBytes: 1000,
  });
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      return next(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send materials as multipart/form-data, in "files".'));
    }
    parse(req, res, next);
  };
}

/**
 * Activities (履职活动) REST: GET/POST /activities, GET /activities/:id, POST
 * /activities/:id/{invitees,rsvp,leave/:memberId,sign-in,desk/:memberId,close,cancel,findings,ratings,materials},
 * GET /activities/:id/code (the rotating code on site), GET /activities/:id/appraisal (aggregates
 * only), GET /activities/files/:fileId.
 */
export function activityRouter(deps: { auth: AuthService; activities: ActivityService }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);
  const { activities } = deps;

  r.get('/activities', signedIn, async (req, res) => {
    const parsed = ActivityListQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
    res.json(await activities.list(parsed.data, memberOf(res.locals)));
  });
  r.post('/activities', signedIn, validateBody(CreateActivityBody), async (req, res) => {
    res.status(201).json(await activities.create(req.body as CreateActivityBody, memberOf(res.locals)));
  });
  r.get('/activities/files/:fileId', signedIn, async (req, res) => {
    const file = await activities.file(String(req.params.fileId), memberOf(res.locals));
    // Always a download, never rendered in our origin.
    res.attachment(file.fileName);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.data);
  });
  r.get('/activities/:id', signedIn, async (req, res) => {
    res.json(await activities.get(String(req.params.id), memberOf(res.locals)));
  });
  r.post('/activities/:id/invitees', signedIn, validateBody(ActivityInviteesBody), async (req, res) => {
    const body = req.body as ActivityInviteesBody;
    res.json(await activities.invite(String(req.params.id), body.memberIds, memberOf(res.locals)));
  });
  r.post('/activities/:id/rsvp', signedIn, validateBody(ActivityRsvpBody), async (req, res) => {
    res.json(await activities.rsvp(String(req.params.id), req.body as ActivityRsvpBody, memberOf(res.locals)));
  });
  r.post('/activities/:id/leave/:memberId', signedIn, validateBody(ActivityLeaveBody), async (req, res) => {
    const body = req.body as ActivityLeaveBody;
    res.json(
      await activities.decideLeave(
        String(req.params.id),
        String(req.params.memberId),
        body.decision,
        memberOf(res.locals),
      ),
    );
  });
  r.get('/activities/:id/code', signedIn, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await activities.code(String(req.params.id), memberOf(res.locals)));
  });
  r.post('/activities/:id/sign-in', signedIn, validateBody(ActivitySignInBody), async (req, res) => {
    const body = req.body as ActivitySignInBody;
    res.json(await activities.signInByCode(String(req.params.id), body.code, memberOf(res.locals)));
  });
  r.post('/activities/:id/desk/:memberId', signedIn, validateBody(Empty), async (req, res) => {
    res.json(await activities.signInAtDesk(String(req.params.id), String(req.params.memberId), memberOf(res.locals)));
  });
  r.post('/activities/:id/close', signedIn, validateBody(Empty), async (req, res) => {
    res.json(await activities.close(String(req.params.id), memberOf(res.locals)));
  });
  r.post('/activities/:id/cancel', signedIn, validateBody(Empty), async (req, res) => {
    res.json(await activities.cancel(String(req.params.id), memberOf(res.locals)));
  });
  r.post('/activities/:id/findings', signedIn, validateBody(ActivityFindingBody), async (req, res) => {
    res.json(await activities.addFinding(String(req.params.id), req.body as ActivityFindingBody, memberOf(res.locals)));
  });
  r.post('/activities/:id/ratings', signedIn, validateBody(ActivityRatingBody), async (req, res) => {
    res.json(await activities.rate(String(req.params.id), req.body as ActivityRatingBody, memberOf(res.locals)));
  });
  r.get('/activities/:id/appraisal', signedIn, async (req, res) => {
    res.json(await activities.appraisal(String(req.params.id), memberOf(res.locals)));
  });
  r.post(
    '/activities/:id/materials',
    signedIn,
    // Refuse anyone who may not add materials before reading their files.
    async (req, _res, next) => {
      await activities.mayManage(String(req.params.id), memberOf(_res.locals));
      next();
    },
    materialsUpload(),
    async (req, res) => {
      const files = uploadedFiles(req);
      res.json(await activities.addMaterials(String(req.params.id), files, memberOf(res.locals)));
    },
  );
  return r;
}
