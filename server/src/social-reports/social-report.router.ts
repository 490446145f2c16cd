import {
  type MemberView,
  SocialReportActionBody,
  SocialReportListQuery,
  SocialReportSubmitBody,
  socialReportLimits,
} from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import { fileUpload, uploadedFiles } from '../http/uploads';
import type { SocialReportService } from './social-report.service';

const memberOf = (locals: Record<string, unknown>) => locals.member as MemberView;

/** Paths that take multipart bodies (a report with its files): the JSON-only guard lets them through. */
export const socialReportUploadPaths: readonly RegExp[] = [/^\/social-reports$/];

/** A new report's files (a report may also come as JSON), with the shared caps. */
const submitUpload = () =>
  fileUpload(
    {
      maxFiles: socialReportLimits.maxAttachments,
      maxFileBytes: socialReportLimits.maxAttachmentBytes,
      fields: 5,
      fieldBytes: socialReportLimits.maxContentLength * 4,
    },
    { onlyMultipart: true },
  );

/**
 * 社情民意 REST: GET /social-reports[?scope=mine|queue|all&state=&limit=&cursor=] (a page: reports and next), POST /social-reports (JSON, or
 * multipart with `files`), GET /social-reports/files/:fileId, GET /social-reports/:id,
 * POST /social-reports/:id/actions, POST /social-reports/duty (staff: write the duty records of
 * every adopted report again; adds nothing that exists).
 */
export function socialReportRouter(deps: { auth: AuthService; socialReports: SocialReportService }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);

  r.get('/social-reports', signedIn, async (req, res) => {
    const parsed = SocialReportListQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
    res.json(await deps.socialReports.list(parsed.data, memberOf(res.locals)));
  });
  r.post(
    '/social-reports',
    signedIn,
    // Refuse anyone who may not submit before reading their files.
    (_req, res, next) => {
      if (memberOf(res.locals).kind !== 'member') {
        throw new AppError('FORBIDDEN', 'Committee members submit social-conditions reports.');
      }
      next();
    },
    submitUpload(),
    async (req, res) => {
      const parsed = SocialReportSubmitBody.safeParse(
        req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? { ...req.body } : req.body,
      );
      if (!parsed.success) {
        throw new AppError(
          'BAD_REQUEST',
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      }
      res.status(201).json(await deps.socialReports.submit(memberOf(res.locals), parsed.data, uploadedFiles(req)));
    },
  );
  r.post('/social-reports/duty', signedIn, async (_req, res) => {
    res.json({ added: await deps.socialReports.recordAllDuty(memberOf(res.locals)) });
  });
  r.get('/social-reports/files/:fileId', signedIn, async (req, res) => {
    const file = await deps.socialReports.file(String(req.params.fileId), memberOf(res.locals));
    // Always a download, never rendered in our origin.
    res.attachment(file.fileName);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.data);
  });
  r.get('/social-reports/:id', signedIn, async (req, res) => {
    res.json(await deps.socialReports.get(String(req.params.id), memberOf(res.locals)));
  });
  r.post('/social-reports/:id/actions', signedIn, validateBody(SocialReportActionBody), async (req, res) => {
    const body = req.body as SocialReportActionBody;
    res.json(await deps.socialReports.act(String(req.params.id), body.action, memberOf(res.locals)));
  });
  return r;
}
