import type { MemberView } from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember } from '../http/middleware';
import { roleIn } from '../rooms/roles';
import type { RoomRepository } from '../rooms/room.repository';
import { screenOpeners } from './screen.socket';
import type { ScreenLinks } from './screen-link';

/**
 * POST /sessions/:id/screen-link — a convener or staff makes a link for the hall's PC
 * (`/s/<id>/screen?key=…`). It writes nothing: the link is signed, not stored (screen-link.ts).
 */
export function screenRouter(deps: { auth: AuthService; rooms: RoomRepository; links: ScreenLinks }): Router {
  const r = Router();
  r.post('/sessions/:id/screen-link', requireMember(deps.auth), async (req, res) => {
    const member = res.locals.member as MemberView;
    const session = await deps.rooms.getSession(String(req.params.id));
    if (!session) throw new AppError('NOT_FOUND', 'No such session.');
    const role = roleIn(session, member);
    if (!role || !screenOpeners.includes(role)) {
      throw new AppError('FORBIDDEN', 'Only the conveners and staff make hall screen links.');
    }
    res.json(deps.links.make(session._id));
  });
  return r;
}
