import { type DashboardDepartmentRow, DashboardQuery, type MemberView, periodProblem } from '@yitang/shared';
import { type Request, type Response, Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember } from '../http/middleware';
import { dashboardCsv, dashboardFileName } from './dashboard.csv';
import type { DashboardService } from './dashboard.service';

function parseQuery(query: Request['query'], format?: 'csv'): DashboardQuery {
  const parsed = DashboardQuery.safeParse(format ? { ...query, format } : query);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const problem = periodProblem(parsed.data);
  if (problem) throw new AppError('BAD_REQUEST', problem);
  return parsed.data;
}

/**
 * GET /reports/access (may I?), GET /reports/rooms, GET /reports/dashboard?from=&to=&level=&roomId=[&format=csv&lang=],
 * GET /reports/dashboard.csv, GET /reports/departments?from=&to= (the department table). Staff, officials and members who convene or lead sessions; other
 * members and guests get FORBIDDEN.
 */
export function reportsRouter(deps: {
  auth: AuthService;
  dashboards: DashboardService;
  /** The department table's appraisal columns (activities/: democratic appraisal), for a period. */
  departments?: (from: string, to: string) => Promise<DashboardDepartmentRow[]>;
}): Router {
  const r = Router();
  const viewer = async (_req: Request, res: Response, next: () => void) => {
    const member = res.locals.member as MemberView;
    if (!(await deps.dashboards.mayView(member))) {
      throw new AppError('FORBIDDEN', 'Dashboards are for staff, conveners and leaders.');
    }
    next();
  };
  const send = async (res: Response, q: DashboardQuery) => {
    const d = await deps.dashboards.dashboard(q);
    if (q.format === 'json') {
      res.json(d);
      return;
    }
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${dashboardFileName(d)}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(dashboardCsv(d, q.lang));
  };

  // Whether the signed-in person may open the dashboards: the header offers the link only then.
  r.get('/reports/access', requireMember(deps.auth), async (_req, res) => {
    res.json({ dashboards: await deps.dashboards.mayView(res.locals.member as MemberView) });
  });
  r.get('/reports/rooms', requireMember(deps.auth), viewer, async (_req, res) => {
    res.json({ rooms: await deps.dashboards.rooms() });
  });
  r.get('/reports/dashboard.csv', requireMember(deps.auth), viewer, async (req, res) => {
    await send(res, parseQuery(req.query, 'csv'));
  });
  r.get('/reports/dashboard', requireMember(deps.auth), viewer, async (req, res) => {
    await send(res, parseQuery(req.query));
  });
  // The department table: departments see only aggregates of their appraisals (three ratings or more).
  r.get('/reports/departments', requireMember(deps.auth), viewer, async (req, res) => {
    const q = parseQuery(req.query);
    res.json({ from: q.from, to: q.to, departments: deps.departments ? await deps.departments(q.from, q.to) : [] });
  });
  return r;
}
