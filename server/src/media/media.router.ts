import { MediaTokenRequest, type MemberView } from '@yitang/shared';
import express, { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { SessionDoc } from '../rooms/room.model';
import type { Media } from './media.service';

/** Where the media server posts its webhooks (LiveKit's `webhook.urls`). */
export const MEDIA_WEBHOOK_PATH = '/api/media/webhook';

/**
 * POST /api/media/webhook — LiveKit's webhooks, signed with the media server's key (a JWT in
 * Authorization carrying the body's hash), so the route reads the raw body itself (mounted before
 * the JSON parser) and needs no cookie. Someone joining a session's media room is given the
 * session's rights of the moment: a token kept from an earlier turn publishes nothing. 401 for
 * anything unsigned; 404 with media off. A repeated delivery applies the same rights again.
 */
export function mediaWebhookRouter(deps: {
  media: Media | undefined;
  session: (id: string) => Promise<SessionDoc | null>;
}): Router {
  const r = Router();
  r.post(MEDIA_WEBHOOK_PATH, express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    if (!deps.media) throw new AppError('NOT_FOUND', 'Voice and video are off on this server.');
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    await deps.media.webhook(raw, req.get('authorization'), deps.session);
    res.json({ ok: true });
  });
  return r;
}

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
