import {
  CreateProposalBody,
  type MemberView,
  ProposalActionBody,
  ProposalListQuery,
  ProposalPeriodBody,
  ProposalReplyForm,
  proposalLimits,
  UpdateProposalBody,
} from '@yitang/shared';
import { type Request, Router } from 'express';
import { z } from 'zod';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import { fileUpload, uploadedFiles } from '../http/uploads';
import { statsCsv, statsFileName, statsXlsx } from './proposal.export';
import type { OrgLookup, ProposalService } from './proposal.service';

const memberOf = (locals: Record<string, unknown>) => locals.member as MemberView;

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');

/** A draft's files and a reply's, with the shared caps. */
const upload = () =>
  fileUpload({
    maxFiles: proposalLimits.maxAttachmentsPerUpload,
    maxFileBytes: proposalLimits.maxAttachmentBytes,
    fields: 10,
    fieldBytes: proposalLimits.maxReplyLength * 4,
  });

const Year = z.coerce.number().int().min(2000).max(2100);

function yearOf(req: Request, fallback: string): number {
  const parsed = Year.safeParse(req.query.year ?? fallback.slice(0, 4));
  if (!parsed.success) throw new AppError('BAD_REQUEST', 'year: expected e.g. 2026');
  return parsed.data;
}

/** The multipart routes (they keep their own body type; see app.ts's jsonOnly). */
export const proposalUploadPaths = [/^\/proposals\/[^/]+\/files$/, /^\/proposals\/[^/]+\/replies$/];

/**
 * Proposals (提案) REST: GET /proposals?scope=&state=&year=[&q=&limit=&cursor=] (scope=all a page at a time:
 * proposals and next), POST /proposals, GET /proposals/options, GET/PUT /proposals/period,
 * GET /proposals/stats[.csv|.xlsx]?year=, POST /proposals/duty/record, GET /proposals/files/:id,
 * GET/PATCH /proposals/:id, POST /proposals/:id/actions, POST /proposals/:id/files (multipart),
 * POST /proposals/:id/replies (multipart).
 */
export function proposalRouter(deps: { auth: AuthService; proposals: ProposalService; org: OrgLookup }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);

  r.get('/proposals', signedIn, async (req, res) => {
    const parsed = ProposalListQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('BAD_REQUEST', issues(parsed.error));
    res.json(await deps.proposals.list(parsed.data, memberOf(res.locals)));
  });
  r.post('/proposals', signedIn, validateBody(CreateProposalBody), async (req, res) => {
    res.status(201).json(await deps.proposals.create(req.body, memberOf(res.locals)));
  });
  /** What the forms offer: departments, leaders, sectors and groups (names only). */
  r.get('/proposals/options', signedIn, async (_req, res) => {
    const member = memberOf(res.locals);
    if (member.kind === 'guest') throw new AppError('FORBIDDEN', 'Guests take no part in proposals.');
    const o = await deps.org(member);
    const named = (l: Array<{ id: string; name: string }>) => l.map((x) => ({ id: x.id, name: x.name }));
    res.json({
      departments: named(o.departments),
      leaders: o.leaders.map((l) => ({ id: l.id, name: l.name, post: l.post })),
      sectors: named(o.sectors),
      workingGroups: named(o.workingGroups),
    });
  });
  r.get('/proposals/period', signedIn, async (_req, res) => {
    res.json(await deps.proposals.period());
  });
  r.put('/proposals/period', signedIn, validateBody(ProposalPeriodBody), async (req, res) => {
    res.json(await deps.proposals.setPeriod(req.body, memberOf(res.locals)));
  });
  r.get('/proposals/stats', signedIn, async (req, res) => {
    const period = await deps.proposals.period();
    res.json(await deps.proposals.stats(yearOf(req, period.today), memberOf(res.locals)));
  });
  r.get('/proposals/stats.csv', signedIn, async (req, res) => {
    const period = await deps.proposals.period();
    const s = await deps.proposals.stats(yearOf(req, period.today), memberOf(res.locals));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${statsFileName(s, 'csv')}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(statsCsv(s));
  });
  r.get('/proposals/stats.xlsx', signedIn, async (req, res) => {
    const period = await deps.proposals.period();
    const s = await deps.proposals.stats(yearOf(req, period.today), memberOf(res.locals));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="${statsFileName(s, 'xlsx')}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await statsXlsx(s));
  });
  r.post('/proposals/duty/record', signedIn, async (_req, res) => {
    res.json({ added: await deps.proposals.recordDutyAgain(memberOf(res.locals)) });
  });
  r.get('/proposals/files/:fileId', signedIn, async (req, res) => {
    const file = await deps.proposals.file(String(req.params.fileId), memberOf(res.locals));
    // Always a download, never rendered in our origin, whatever the uploader claimed it was.
    res.attachment(file.fileName);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(file.data);
  });
  r.get('/proposals/:id', signedIn, async (req, res) => {
    res.json(await deps.proposals.get(String(req.params.id), memberOf(res.locals)));
  });
  r.patch('/proposals/:id', signedIn, validateBody(UpdateProposalBody), async (req, res) => {
    res.json(await deps.proposals.update(String(req.params.id), req.body, memberOf(res.locals)));
  });
  r.post('/proposals/:id/actions', signedIn, validateBody(ProposalActionBody), async (req, res) => {
    const body = req.body as z.output<typeof ProposalActionBody>;
    res.json(await deps.proposals.act(String(req.params.id), body.action, memberOf(res.locals)));
  });
  r.post(
    '/proposals/:id/files',
    signedIn,
    // Refuse strangers and anyone but the proposer before reading their files.
    async (req, res, next) => {
      await deps.proposals.checkAttacher(String(req.params.id), memberOf(res.locals));
      next();
    },
    upload(),
    async (req, res) => {
      res.json(await deps.proposals.attach(String(req.params.id), memberOf(res.locals), uploadedFiles(req)));
    },
  );
  r.post(
    '/proposals/:id/replies',
    signedIn,
    async (req, res, next) => {
      await deps.proposals.checkReplier(String(req.params.id), memberOf(res.locals));
      next();
    },
    upload(),
    async (req, res) => {
      const parsed = ProposalReplyForm.safeParse({ ...req.body });
      if (!parsed.success) throw new AppError('BAD_REQUEST', issues(parsed.error));
      res.json(
        await deps.proposals.reply(String(req.params.id), memberOf(res.locals), parsed.data, uploadedFiles(req)),
      );
    },
  );
  return r;
}
