import { type MemberView, TrackingActionBody } from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { requireMember, validateBody } from '../http/middleware';
import type { TrackingService } from './tracking.service';

/** GET /tracking[?sessionId=&department=], GET /tracking/:id, POST /tracking/:id/actions. */
export function trackingRouter(deps: { auth: AuthService; tracking: TrackingService }): Router {
  const r = Router();
  r.get('/tracking', requireMember(deps.auth), async (req, res) => {
    const q = (name: string) => (typeof req.query[name] === 'string' ? String(req.query[name]) : undefined);
    res.json({ items: await deps.tracking.list({ sessionId: q('sessionId'), department: q('department') }) });
  });
  r.get('/tracking/:id', requireMember(deps.auth), async (req, res) => {
    res.json({ item: await deps.tracking.get(String(req.params.id)) });
  });
  r.post('/tracking/:id/actions', requireMember(deps.auth), validateBody(TrackingActionBody), async (req, res) => {
    const body = req.body as TrackingActionBody;
    const member = res.locals.member as MemberView;
    res.json({ item: await deps.tracking.act(String(req.params.id), body.action, member, body.note) });
  });
  return r;
}
