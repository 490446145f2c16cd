import {
  ChangeDutyReportRoundBody,
  DutyReportScoreBody,
  DutyReportTextBody,
  dutyReportLimits,
  type MemberView,
  OpenDutyReportRoundBody,
} from '@yitang/shared';
import { type Request, Router } from 'express';
import { z } from 'zod';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import { fileUpload, uploadedFiles } from '../http/uploads';
import type { DutyReportService } from './duty-report.service';

const memberOf = (locals: Record<string, unknown>) => locals.member as MemberView;
/** Actions without fields take no body, or an empty object. */
const Empty = z.object({}).strict().optional();

/** The report may come as a multipart file: the JSON-only guard lets this path through. */
export const dutyReportUploadPaths: readonly RegExp[] = [/^\/duty-reports\/[^/]+\/report$/];

function yearOf(req: Request): number {
  const year = Number(req.params.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new AppError('BAD_REQUEST', 'year: expected e.g. 2026');
  return year;
}

/**
 * The yearly duty report (述职) REST: POST /duty-reports (open a year's round), GET/PATCH
 * /duty-reports/:year, POST /duty-reports/:year/report (the member's report: multipart "files"
 * or JSON {text}), GET /duty-reports/:year/reports/:memberId/file, POST
 * /duty-reports/:year/scores/:memberId (a panel member's scores), POST /duty-reports/:year/publish.
 */
export function dutyReportRouter(deps: { auth: AuthService; dutyReports: DutyReportService }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);
  const { dutyReports } = deps;
  const upload = fileUpload(
    { maxFiles: 1, maxFileBytes: dutyReportLimits.maxFileBytes, fields: 0, fieldBytes: 1000 },
    { onlyMultipart: true },
  );

  r.post('/duty-reports', signedIn, validateBody(OpenDutyReportRoundBody), async (req, res) => {
    res.status(201).json({ round: await dutyReports.open(req.body as OpenDutyReportRoundBody, memberOf(res.locals)) });
  });
  r.get('/duty-reports/:year', signedIn, async (req, res) => {
    res.json(await dutyReports.view(yearOf(req), memberOf(res.locals)));
  });
  r.patch('/duty-reports/:year', signedIn, validateBody(ChangeDutyReportRoundBody), async (req, res) => {
    const body = req.body as ChangeDutyReportRoundBody;
    res.json({ round: await dutyReports.change(yearOf(req), body, memberOf(res.locals)) });
  });
  r.post('/duty-reports/:year/report', signedIn, upload, async (req, res) => {
    const year = yearOf(req);
    if (req.is('multipart/form-data')) {
      res.json({ report: await dutyReports.submit(year, { files: uploadedFiles(req) }, memberOf(res.locals)) });
      return;
    }
    const parsed = DutyReportTextBody.safeParse(req.body);
    if (!parsed.success) {
      throw new AppError(
        'BAD_REQUEST',
        parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      );
    }
    res.json({ report: await dutyReports.submit(year, parsed.data, memberOf(res.locals)) });
  });
  r.get('/duty-reports/:year/reports/:memberId/file', signedIn, async (req, res) => {
    const file = await dutyReports.file(yearOf(req), String(req.params.memberId), memberOf(res.locals));
    // Always a download, never rendered in our origin.
    res.attachment(file.fileName);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.data);
  });
  r.post('/duty-reports/:year/scores/:memberId', signedIn, validateBody(DutyReportScoreBody), async (req, res) => {
    const body = req.body as DutyReportScoreBody;
    await dutyReports.score(yearOf(req), String(req.params.memberId), body, memberOf(res.locals));
    res.status(204).end();
  });
  r.post('/duty-reports/:year/publish', signedIn, validateBody(Empty), async (req, res) => {
    res.json(await dutyReports.publish(yearOf(req), memberOf(res.locals)));
  });
  return r;
}
