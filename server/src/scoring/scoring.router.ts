import {
  type AuditJson,
  BulletinQuery,
  ChangeDutyEntryBody,
  DutyEntriesQuery,
  type DutyImportRejected,
  DutyRatingBody,
  DutySettings,
  dutyLimits,
  type MemberView,
  PublishRubricDraftBody,
  ReviewDutyEntryBody,
  RubricBody,
  type RubricChange,
  SaveRubricDraftBody,
  SubmitDutyEntryBody,
} from '@yitang/shared';
import express, { type Request, Router } from 'express';
import type { z } from 'zod';
import type { Audit } from '../audit';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { Logger } from '../logger';
import { bulletinPdf, bulletinTitle, bulletinXlsx } from './bulletin.export';
import { type Importer, ImportRefused } from './import';
import type { ScoringService } from './scoring.service';

function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

const yearQuery = (req: Request, fallback: number): number => {
  const raw = req.query.year;
  if (raw === undefined) return fallback;
  const year = Number(raw);
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw new AppError('BAD_REQUEST', 'year: expected e.g. 2026');
  return year;
};

const contentDisposition = (name: string, ext: string) =>
  `attachment; filename="bulletin.${ext}"; filename*=UTF-8''${encodeURIComponent(`${name}.${ext}`)}`;

/** One rubric change as the audit log keeps it: `rule:spoke.points 1→2`, `rule:training +`. */
const describeChange = (c: RubricChange): string =>
  c.change === 'changed'
    ? `${c.target}:${c.id}${c.field ? `.${c.field}` : ''} ${c.before ?? ''}→${c.after ?? ''}`
    : `${c.target}:${c.id} ${c.change === 'added' ? '+' : '−'}`;

/** The duty-performance REST API under /api/duty (see docs/protocol.md, “Duty performance”). */
export function scoringRouter(deps: {
  auth: AuthService;
  scoring: ScoringService;
  importer: Importer;
  /** Rubric editor writes are recorded with what they changed. */
  audit: Pick<Audit, 'record'>;
  chromiumPath: string;
  logger: Logger;
}): Router {
  const { scoring } = deps;
  const r = Router();
  const me = (res: express.Response) => res.locals.member as MemberView;
  r.use('/duty', requireMember(deps.auth));

  r.get('/duty/me', async (req, res) => {
    const caller = me(res);
    res.json(await scoring.memberYear(caller, caller.id, yearQuery(req, scoring.thisYear())));
  });
  r.get('/duty/members/:id', async (req, res) => {
    res.json(await scoring.memberYear(me(res), String(req.params.id), yearQuery(req, scoring.thisYear())));
  });

  r.get('/duty/entries', async (req, res) => {
    const q = parseQuery(DutyEntriesQuery, req);
    res.json({ entries: await scoring.entries(me(res), q) });
  });
  r.get('/duty/entries/:id', async (req, res) => {
    res.json({ entry: await scoring.entry(me(res), String(req.params.id)) });
  });
  r.post('/duty/entries', validateBody(SubmitDutyEntryBody), async (req, res) => {
    const doc = await scoring.ledger.submit(req.body as z.output<typeof SubmitDutyEntryBody>, me(res));
    res.status(201).json({ entry: await scoring.presentOne(doc) });
  });
  r.patch('/duty/entries/:id', validateBody(ChangeDutyEntryBody), async (req, res) => {
    const doc = await scoring.ledger.change(
      String(req.params.id),
      req.body as z.output<typeof ChangeDutyEntryBody>,
      me(res),
    );
    res.json({ entry: await scoring.presentOne(doc) });
  });
  r.post('/duty/entries/:id/review', validateBody(ReviewDutyEntryBody), async (req, res) => {
    const doc = await scoring.ledger.review(String(req.params.id), req.body as ReviewDutyEntryBody, me(res));
    res.json({ entry: await scoring.presentOne(doc) });
  });

  // Records of a closed session are written when it closes; staff can write them again (nothing
  // is added twice), e.g. after the process stopped between the close and that step.
  r.post('/duty/sessions/:id/record', async (req, res) => {
    res.json({ added: await scoring.recordSessionAgain(String(req.params.id), me(res)) });
  });

  r.get('/duty/rubrics/:year', async (req, res) => {
    const year = Number(req.params.year);
    const rubric = Number.isInteger(year) ? await scoring.rubricFor(year) : null;
    if (!rubric) throw new AppError('NOT_FOUND', 'No rubric for that year.');
    res.json({ rubric });
  });
  r.post('/duty/rubrics', validateBody(RubricBody), async (req, res) => {
    res.status(201).json({ rubric: await scoring.createRubric(req.body as RubricBody, me(res)) });
  });

  // The rubric editor (staff): versions, the year's draft, its preview, publishing, discarding.
  // Each write goes to the audit log with what it changed.
  const editor = scoring.rubricEditor;
  const yearParam = (req: Request) => Number(req.params.year);
  const recordRubric = (caller: MemberView, action: string, year: number, details: { [key: string]: AuditJson }) =>
    deps.audit.record({ actor: { id: caller.id, name: caller.name }, action, target: String(year), details });
  r.get('/duty/rubrics/:year/versions', async (req, res) => {
    res.json(await editor.versions(me(res), yearParam(req)));
  });
  r.post('/duty/rubrics/:year/draft', validateBody(SaveRubricDraftBody), async (req, res) => {
    const body = req.body as SaveRubricDraftBody;
    const { draft, changes } = await editor.saveDraft(me(res), yearParam(req), body);
    await recordRubric(me(res), body.revision === 0 ? 'duty.rubricDraftStart' : 'duty.rubricDraftSave', draft.year, {
      baseVersion: draft.baseVersion,
      revision: draft.revision,
      changes: changes.map(describeChange),
    });
    res.json({ draft });
  });
  r.get('/duty/rubrics/:year/draft/preview', async (req, res) => {
    res.json(await editor.preview(me(res), yearParam(req)));
  });
  r.post('/duty/rubrics/:year/draft/publish', validateBody(PublishRubricDraftBody), async (req, res) => {
    const { version, changes } = await editor.publish(me(res), yearParam(req), req.body as PublishRubricDraftBody);
    await recordRubric(me(res), 'duty.rubricPublish', version.rubric.year, {
      version: version.version,
      effectiveFrom: version.effectiveFrom,
      draftedBy: version.draftedBy?.name ?? null,
      changes: changes.map(describeChange),
    });
    res.json({ version });
  });
  r.delete('/duty/rubrics/:year/draft', async (req, res) => {
    const year = yearParam(req);
    const { revision } = await editor.discard(me(res), year);
    await recordRubric(me(res), 'duty.rubricDraftDiscard', year, { revision });
    res.status(204).end();
  });

  r.post('/duty/ratings', validateBody(DutyRatingBody), async (req, res) => {
    await scoring.rate(req.body as DutyRatingBody, me(res));
    res.status(204).end();
  });

  r.get('/duty/settings', async (_req, res) => {
    res.json({ settings: await scoring.settings() });
  });
  r.put('/duty/settings', validateBody(DutySettings), async (req, res) => {
    res.json({ settings: await scoring.changeSettings(req.body as DutySettings, me(res)) });
  });

  r.get('/duty/assessment', async (req, res) => {
    res.json(await scoring.assessment(me(res), yearQuery(req, scoring.thisYear())));
  });

  r.get('/duty/bulletin', async (req, res) => {
    const { quarter } = parseQuery(BulletinQuery, req);
    res.json({ bulletin: await scoring.bulletin(me(res), quarter) });
  });
  r.get('/duty/bulletin/export.xlsx', async (req, res) => {
    const { quarter } = parseQuery(BulletinQuery, req);
    const b = await scoring.bulletin(me(res), quarter);
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('content-disposition', contentDisposition(bulletinTitle(b), 'xlsx'))
      .send(await bulletinXlsx(b));
  });
  r.get('/duty/bulletin/export.pdf', async (req, res) => {
    const { quarter } = parseQuery(BulletinQuery, req);
    const b = await scoring.bulletin(me(res), quarter);
    let pdf: Buffer;
    try {
      pdf = await bulletinPdf(b, deps.chromiumPath);
    } catch (err) {
      // The PDF queue is full: its own answer ("busy, try again") says more, and nothing failed.
      if (err instanceof AppError) throw err;
      deps.logger.error({ err }, 'bulletin PDF failed');
      throw new AppError('UNAVAILABLE', 'The PDF could not be made; try the spreadsheet, or again later.');
    }
    res
      .type('application/pdf')
      .set('content-disposition', contentDisposition(bulletinTitle(b), 'pdf'))
      .send(pdf);
  });

  r.post('/duty/import', express.raw({ type: () => true, limit: dutyLimits.maxImportBytes }), async (req, res) => {
    if (me(res).kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff import records.');
    if (!Buffer.isBuffer(req.body)) throw new AppError('BAD_REQUEST', 'Send the CSV or XLSX file itself as the body.');
    const dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
    try {
      res.json(await deps.importer.importFile(req.body, me(res), dryRun));
    } catch (err) {
      if (!(err instanceof ImportRefused)) throw err;
      const body: DutyImportRejected = {
        error: {
          code: 'BAD_REQUEST',
          message: `The file has ${err.problems.length} problem(s); nothing was imported.`,
        },
        problems: err.problems,
      };
      res.status(400).json(body);
    }
  });
  return r;
}
