import { type AuditListResponse, AuditQuery, type MemberView } from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember } from '../http/middleware';
import type { Audit } from './audit.service';

/** GET /audit: staff read and filter the audit log, newest first, a page at a time. */
export function auditRouter(deps: { auth: AuthService; audit: Audit }): Router {
  const r = Router();
  r.get('/audit', requireMember(deps.auth), async (req, res) => {
    if ((res.locals.member as MemberView).kind !== 'staff')
      throw new AppError('FORBIDDEN', 'Staff read the audit log.');
    const query = AuditQuery.safeParse(req.query);
    if (!query.success) throw new AppError('BAD_REQUEST', query.error.issues.map((i) => i.message).join('; '));
    const body: AuditListResponse = { entries: await deps.audit.list(query.data) };
    res.json(body);
  });
  return r;
}
