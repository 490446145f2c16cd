import { MemberBulletinQuery, type MemberBulletinResponse, type MemberView, memberBulletin } from '@yitang/shared';
import { type Request, Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember } from '../http/middleware';
import { chinaDate, presentEntry, toLedgerEntry } from './ledger';
import type { ScoringService } from './scoring.service';

/**
 * A member's own quarterly bulletin lines (季度通报): for each quarter of a year so far, what the
 * staff bulletin shows for them — counts, points, the score to date and each of the six minimums
 * met or missed — with the records behind them. A member reads their own; staff anyone's.
 */
export function createMemberBulletin(deps: {
  scoring: Pick<ScoringService, 'ledger' | 'rubricFor' | 'thisYear'>;
  members: { get(id: string): Promise<MemberView | null> };
}) {
  return async (caller: MemberView, q: { year?: number; memberId?: string }): Promise<MemberBulletinResponse> => {
    const memberId = q.memberId ?? caller.id;
    if (caller.kind !== 'staff' && memberId !== caller.id) {
      throw new AppError('FORBIDDEN', 'Members see their own bulletin only.');
    }
    const member = await deps.members.get(memberId);
    if (member?.kind !== 'member') throw new AppError('NOT_FOUND', 'No such member.');
    const year = q.year ?? deps.scoring.thisYear();
    const [rubric, docs] = await Promise.all([
      deps.scoring.rubricFor(year),
      deps.scoring.ledger.find({ memberId, year, status: 'verified' }),
    ]);
    const ledger = docs.map((d) => {
      const view = presentEntry(d, member.name);
      return {
        ...toLedgerEntry(d),
        title: view.title,
        source: view.source,
        sessionId: view.sessionId,
        sourceId: view.sourceId,
      };
    });
    return {
      member: { id: member.id, name: member.name },
      year,
      rubricVersion: rubric?.version ?? null,
      quarters: memberBulletin({ year, memberId, ledger, rubric, today: chinaDate() }),
    };
  };
}

function parseQuery(req: Request): { year?: number; memberId?: string } {
  const parsed = MemberBulletinQuery.safeParse(req.query);
  if (!parsed.success) {
    throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** GET /api/duty/bulletin/mine?year= (staff add &memberId=). */
export function memberBulletinRouter(deps: {
  auth: AuthService;
  read: ReturnType<typeof createMemberBulletin>;
}): Router {
  const r = Router();
  r.get('/duty/bulletin/mine', requireMember(deps.auth), async (req, res) => {
    res.json(await deps.read(res.locals.member as MemberView, parseQuery(req)));
  });
  return r;
}
