import { DemoLoginBody, limits } from '@yitang/shared';
import { Router } from 'express';
import { AppError } from '../errors';
import { validateBody } from '../http/middleware';
import { type AuthService, SESSION_COOKIE, tokenFromCookieHeader } from './auth.service';

export function authRouter(deps: {
  auth: AuthService;
  secureCookie: boolean;
  /** Called after a sign-out so the live parts can drop that member's sockets. */
  onSignOut: (memberId: string) => void;
}): Router {
  const { auth } = deps;
  const r = Router();

  r.get('/me', async (req, res) => {
    res.json({ member: await auth.resolve(tokenFromCookieHeader(req.headers.cookie)) });
  });

  r.post('/demo-login', validateBody(DemoLoginBody), async (req, res) => {
    const { memberId } = req.body as DemoLoginBody;
    const signed = await auth.signIn(memberId);
    if (!signed) throw new AppError('NOT_FOUND', `No member ${memberId}.`);
    res.cookie(SESSION_COOKIE, signed.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookie,
      path: '/',
      maxAge: limits.sessionMaxAgeSeconds * 1000,
    });
    res.json({ member: signed.member });
  });

  r.post('/logout', async (req, res) => {
    const memberId = await auth.signOut(tokenFromCookieHeader(req.headers.cookie));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    if (memberId) deps.onSignOut(memberId);
    res.json({ ok: true });
  });

  return r;
}
