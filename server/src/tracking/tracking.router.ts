import {
  type MemberView,
  ProgressReportBody,
  TrackingActionBody,
  TrackingAssignBody,
  TrackingChaseBody,
  TrackingCreateBody,
  TrackingListQuery,
  TrackingRatingBody,
  trackingLimits,
} from '@yitang/shared';
import { type RequestHandler, Router } from 'express';
import multer from 'multer';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { TrackingService } from './tracking.service';

const memberOf = (locals: Record<string, unknown>) => locals.member as MemberView;

/**
 * Multipart parsing for progress reports, files kept in memory (they go to MongoDB), with the
 * shared caps. multer's own errors become our codes: too large or too many is 413.
 */
function reportUpload(): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    // Browsers and Node send UTF-8 file names (e.g. 现场照片.jpg); busboy's default is Latin-1.
    defParamCharset: 'utf8',
    limits: {
      fileSize: trackingLimits.maxAttachmentBytes,
      files: trackingLimits.maxAttachmentsPerReport,
      fields: 10,
      fieldSize: trackingLimits.maxReportLength * 4,
    },
  }).array('files', trackingLimits.maxAttachmentsPerReport);
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const tooLarge = ['LIMIT_FILE_SIZE', 'LIMIT_FILE_COUNT', 'LIMIT_UNEXPECTED_FILE', 'LIMIT_FIELD_VALUE'];
        if (err.code === 'LIMIT_UNEXPECTED_FILE' && err.field !== 'files') {
          return next(new AppError('BAD_REQUEST', `Files go in the "files" field, not "${err.field}".`));
        }
        return next(
          tooLarge.includes(err.code)
            ? new AppError(
                'PAYLOAD_TOO_LARGE',
                `At most ${trackingLimits.maxAttachmentsPerReport} files of ${trackingLimits.maxAttachmentBytes} bytes each.`,
              )
            : new AppError('BAD_REQUEST', err.message),
        );
      }
      next(new AppError('BAD_REQUEST', 'The upload could not be read.'));
    });
  };
}

/**
 * Tracking (督办) REST:
 * GET /tracking[?sessionId=&kind=&department=&status=&overdue=], POST /tracking (staff: their own
 * work or a supervision/inspection finding), GET /tracking/departments,
 * GET /tracking/department?name=, GET /tracking/attachments/:id, GET /tracking/:id,
 * POST /tracking/:id/actions, POST /tracking/:id/reports (multipart), POST /tracking/:id/chase,
 * GET /tracking/:id/candidates, POST /tracking/:id/assignee, PUT /tracking/:id/rating.
 */
export function trackingRouter(deps: { auth: AuthService; tracking: TrackingService }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);

  r.get('/tracking', signedIn, async (req, res) => {
    const parsed = TrackingListQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
    const q = parsed.data;
    const overdue = q.overdue === undefined ? undefined : q.overdue === 'true';
    res.json({
      items: await deps.tracking.list(
        { sessionId: q.sessionId, kind: q.kind, department: q.department, status: q.status, overdue },
        memberOf(res.locals),
      ),
    });
  });
  r.post('/tracking', signedIn, validateBody(TrackingCreateBody), async (req, res) => {
    res.status(201).json(await deps.tracking.createByStaff(req.body as TrackingCreateBody, memberOf(res.locals)));
  });
  r.get('/tracking/departments', signedIn, async (_req, res) => {
    res.json({ departments: await deps.tracking.departments(memberOf(res.locals)) });
  });
  r.get('/tracking/department', signedIn, async (req, res) => {
    const name = typeof req.query.name === 'string' ? req.query.name.trim() : '';
    if (name === '') throw new AppError('BAD_REQUEST', 'Name the department.');
    res.json({ department: name, items: await deps.tracking.departmentView(name, memberOf(res.locals)) });
  });
  r.get('/tracking/attachments/:attachmentId', signedIn, async (req, res) => {
    const file = await deps.tracking.attachment(String(req.params.attachmentId), memberOf(res.locals));
    // Always a download, never rendered in our origin, whatever the uploader claimed it was.
    res.attachment(file.fileName);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.data);
  });
  r.get('/tracking/:id', signedIn, async (req, res) => {
    res.json(await deps.tracking.get(String(req.params.id), memberOf(res.locals)));
  });
  r.post('/tracking/:id/actions', signedIn, validateBody(TrackingActionBody), async (req, res) => {
    const body = req.body as TrackingActionBody;
    res.json(await deps.tracking.act(String(req.params.id), body.action, memberOf(res.locals), body.note));
  });
  r.post(
    '/tracking/:id/reports',
    signedIn,
    // Refuse strangers and anyone but the department before reading their files.
    async (req, res, next) => {
      await deps.tracking.checkReporter(String(req.params.id), memberOf(res.locals));
      next();
    },
    reportUpload(),
    async (req, res) => {
      const parsed = ProgressReportBody.safeParse({ ...req.body });
      if (!parsed.success) {
        throw new AppError(
          'BAD_REQUEST',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      }
      const files = Array.isArray(req.files) ? req.files : [];
      res.json(await deps.tracking.report(String(req.params.id), memberOf(res.locals), parsed.data, files));
    },
  );
  r.post('/tracking/:id/chase', signedIn, validateBody(TrackingChaseBody), async (req, res) => {
    const body = req.body as TrackingChaseBody;
    res.json(await deps.tracking.chase(String(req.params.id), memberOf(res.locals), body.note));
  });
  r.get('/tracking/:id/candidates', signedIn, async (req, res) => {
    res.json(await deps.tracking.candidates(String(req.params.id), memberOf(res.locals)));
  });
  r.post('/tracking/:id/assignee', signedIn, validateBody(TrackingAssignBody), async (req, res) => {
    const body = req.body as TrackingAssignBody;
    res.json(await deps.tracking.assign(String(req.params.id), memberOf(res.locals), body.assigneeId));
  });
  r.put('/tracking/:id/rating', signedIn, validateBody(TrackingRatingBody), async (req, res) => {
    const body = req.body as TrackingRatingBody;
    res.json(await deps.tracking.rate(String(req.params.id), memberOf(res.locals), body.score, body.comment));
  });
  return r;
}
