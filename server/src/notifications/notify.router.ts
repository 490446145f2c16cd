import { DeliveryQuery, type MemberView, NotifyPreferencesBody } from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { Notify } from './notify.service';

/**
 * GET/POST /notify/preferences (one's own channels, addresses and quiet hours);
 * GET /notify/deliveries (staff: the log, a month at a time, filtered);
 * POST /notify/deliveries/:id/resend (staff: a delivery that was given up, once more).
 */
export function notifyRouter(deps: { auth: AuthService; notify: Notify }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);
  const staffOnly = (member: MemberView) => {
    if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff read the delivery log.');
  };
  r.get('/notify/preferences', signedIn, async (_req, res) => {
    res.json(await deps.notify.preferences((res.locals.member as MemberView).id));
  });
  r.post('/notify/preferences', signedIn, validateBody(NotifyPreferencesBody), async (req, res) => {
    const member = res.locals.member as MemberView;
    if (member.kind === 'guest') throw new AppError('FORBIDDEN', 'Guests receive no reminders.');
    res.json(await deps.notify.savePreferences(member.id, req.body as NotifyPreferencesBody));
  });
  r.get('/notify/deliveries', signedIn, async (req, res) => {
    staffOnly(res.locals.member as MemberView);
    const query = DeliveryQuery.safeParse(req.query);
    if (!query.success) throw new AppError('BAD_REQUEST', query.error.issues.map((i) => i.message).join('; '));
    res.json(await deps.notify.deliveries.list(query.data));
  });
  r.post('/notify/deliveries/:id/resend', signedIn, async (req, res) => {
    staffOnly(res.locals.member as MemberView);
    res.json({ delivery: await deps.notify.deliveries.resend(String(req.params.id)) });
  });
  return r;
}
