import { MediaTokenRequest, type MemberView } from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { SessionDoc } from '../rooms/room.model';
import type { Media } from './media.service';

/**
 * POST /media/sessions/:sessionId/token — a participant's short-lived token for the session's
 * media room (`{hall: true}`: the hall's microphone, for the conveners and staff). With media off
 * the route answers NOT_FOUND, and the room stays text only.
 */
export function mediaRouter(deps: {
  auth: AuthService;
  media: Media | undefined;
  session: (id: string) => Promise<SessionDoc | null>;
}): Router {
  const r = Router();
  r.post(
    '/media/sessions/:sessionId/token',
    requireMember(deps.auth),
    validateBody(MediaTokenRequest),
    async (req, res) => {
      if (!deps.media) throw new AppError('NOT_FOUND', 'Voice and video are off on this server.');
      const member = res.locals.member as MemberView;
      const { hall } = req.body as MediaTokenRequest;
      const session = await deps.session(String(req.params.sessionId));
      res.json(await deps.media.token(session, member, { hall: hall ?? false }));
    },
  );
  return r;
}
