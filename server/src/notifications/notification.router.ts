import type { MemberView } from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember } from '../http/middleware';
import type { NotificationService } from './notification.service';

/** GET /notifications, POST /notifications/:id/read, POST /notifications/read-all — one's own only. */
export function notificationRouter(deps: { auth: AuthService; notifications: NotificationService }): Router {
  const r = Router();
  r.get('/notifications', requireMember(deps.auth), async (_req, res) => {
    const member = res.locals.member as MemberView;
    res.json(await deps.notifications.list(member.id));
  });
  r.post('/notifications/read-all', requireMember(deps.auth), async (_req, res) => {
    const member = res.locals.member as MemberView;
    await deps.notifications.markAllRead(member.id);
    res.json(await deps.notifications.list(member.id));
  });
  r.post('/notifications/:id/read', requireMember(deps.auth), async (req, res) => {
    const member = res.locals.member as MemberView;
    if (!(await deps.notifications.markRead(member.id, String(req.params.id)))) {
      throw new AppError('NOT_FOUND', 'No such notification.');
    }
    res.json(await deps.notifications.list(member.id));
  });
  return r;
}
