import {
  ConsultationHideBody,
  ConsultationPostBody,
  ConsultationSettingsBody,
  type MemberView,
  PublicPostBody,
  PublicSupportBody,
} from '@yitang/shared';
import { type Request, Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { addressKey } from '../auth/login-limits';
import type { PassedAnswer } from '../cluster';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { ConsultationLimits } from './consultation.limits';
import { type ConsultationService, visitorKey } from './consultation.service';

const memberOf = (locals: Record<string, unknown>) => locals.member as MemberView;
const param = (req: Request, name: string) => String(req.params[name]);

const Code = /^[A-Za-z0-9_-]{4,32}$/;
const codeOf = (req: Request) => {
  const code = param(req, 'code');
  if (!Code.test(code)) throw new AppError('NOT_FOUND', 'No such consultation link.');
  return code;
};
const visitorOf = (req: Request) => {
  const v = req.query.visitor;
  return typeof v === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(v) ? visitorKey(v) : null;
};

/**
 * 意见征集 REST. Signed in: GET /consultations/:topicId, POST …/suggestions (a suggestion or a
 * reply; staff may record one received on paper with `onBehalf`), POST …/suggestions/:id/support
 * (+1, once), POST …/suggestions/:id/hide (staff), POST …/settings (staff and conveners: days open
 * after the session), POST …/groups/:groupId/bring (conveners: into the live session).
 * Public, no account: GET /public/consultations/:code[?visitor=], POST …/suggestions,
 * POST …/suggestions/:id/support, rate-limited per address and per link (consultation.limits.ts).
 */
export function consultationRouter(deps: {
  auth: AuthService;
  consultations: ConsultationService;
  /** The public link's budgets, per address and per link, shared by every node. */
  limits: ConsultationLimits;
  /**
   * With several nodes: passes a call that acts on a live room to the node that owns the room,
   * answering what that node answered; null when this node serves it.
   */
  passToOwner?: (req: Request, sessionId: string) => Promise<PassedAnswer | null>;
}): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);
  const limits = deps.limits;
  const c = deps.consultations;

  r.get('/consultations/:topicId', signedIn, async (req, res) => {
    res.json(await c.view(param(req, 'topicId'), { member: memberOf(res.locals) }));
  });
  r.post('/consultations/:topicId/suggestions', signedIn, validateBody(ConsultationPostBody), async (req, res) => {
    res.status(201).json(await c.postAs(param(req, 'topicId'), memberOf(res.locals), req.body as ConsultationPostBody));
  });
  r.post('/consultations/:topicId/suggestions/:id/support', signedIn, async (req, res) => {
    res.json(await c.supportAs(param(req, 'topicId'), param(req, 'id'), memberOf(res.locals)));
  });
  r.post(
    '/consultations/:topicId/suggestions/:id/hide',
    signedIn,
    validateBody(ConsultationHideBody),
    async (req, res) => {
      const { hidden } = req.body as { hidden: boolean };
      res.json(await c.hide(param(req, 'topicId'), param(req, 'id'), hidden, memberOf(res.locals)));
    },
  );
  r.post('/consultations/:topicId/settings', signedIn, validateBody(ConsultationSettingsBody), async (req, res) => {
    const { closeAfterDays } = req.body as { closeAfterDays: number };
    res.json(await c.settings(param(req, 'topicId'), closeAfterDays, memberOf(res.locals)));
  });
  r.post('/consultations/:topicId/groups/:groupId/bring', signedIn, async (req, res) => {
    // The group goes into the live room, which one node holds: the call is served there.
    const sessionId = deps.passToOwner ? await c.sessionOfTopic(param(req, 'topicId')) : null;
    const passed = sessionId && deps.passToOwner ? await deps.passToOwner(req, sessionId) : null;
    if (passed) {
      res.status(passed.status).type(passed.contentType).send(passed.body);
      return;
    }
    res.json(await c.bring(param(req, 'topicId'), param(req, 'groupId'), memberOf(res.locals)));
  });

  r.get('/public/consultations/:code', async (req, res) => {
    const topicId = await c.topicOfCode(codeOf(req));
    res.setHeader('Cache-Control', 'no-store');
    res.json(await c.view(topicId, { visitorKey: visitorOf(req) }));
  });
  r.post('/public/consultations/:code/suggestions', validateBody(PublicPostBody), async (req, res) => {
    const code = codeOf(req);
    await c.topicOfCode(code);
    await limits.post(addressKey(req.ip ?? 'unknown'), code);
    res.status(201).json(await c.postPublic(code, req.body as PublicPostBody));
  });
  r.post('/public/consultations/:code/suggestions/:id/support', validateBody(PublicSupportBody), async (req, res) => {
    const code = codeOf(req);
    // A link that exists first: a stranger's guesses take no budget and write nothing.
    await c.topicOfCode(code);
    await limits.support(addressKey(req.ip ?? 'unknown'));
    const { visitor } = req.body as { visitor: string };
    res.json(await c.supportPublic(code, param(req, 'id'), visitor));
  });
  return r;
}
