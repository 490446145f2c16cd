import {
  type AccountsResponse,
  ChangePasswordBody,
  CreateAccountBody,
  limits,
  type MemberView,
  SetPasswordBody,
  SetupBody,
} from '@yitang/shared';
import { type Response, Router } from 'express';
import type { Audit } from '../audit';
import type { AuthService } from '../auth/auth.service';
import { SESSION_COOKIE, tokenFromCookieHeader } from '../auth/auth.service';
import { type LoginLimits, LoginLocked } from '../auth/login-limits';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import type { Accounts } from './accounts.service';

export interface AccountsRouterDeps {
  auth: AuthService;
  accounts: Accounts;
  audit: Audit;
  secureCookie: boolean;
  /** A wrong current password counts as a failed sign-in of that login name (and address). */
  loginLimits: LoginLimits;
}

const who = (m: MemberView) => ({ id: m.id, name: m.name });

/** The setup link, activation and reset links, one's own password, and staff's accounts list. */
export function accountsRouter(deps: AccountsRouterDeps): Router {
  const { accounts, audit } = deps;
  const r = Router();
  const signedIn = requireMember(deps.auth);

  // The same cookie as a password sign-in: the person is signed in once the password is set.
  const setCookie = (res: Response, token: string) =>
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookie,
      path: '/',
      maxAge: limits.sessionMaxAgeSeconds * 1000,
    });

  const staffOnly = (res: Response): MemberView => {
    const member = res.locals.member as MemberView;
    if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Only staff manage accounts.');
    return member;
  };

  r.get('/setup/:token', async (req, res) => {
    await accounts.checkSetup(String(req.params.token));
    res.json({ ok: true });
  });

  r.post('/setup/:token', validateBody(SetupBody), async (req, res) => {
    const body = req.body as SetupBody;
    const made = await accounts.setup(String(req.params.token), body);
    setCookie(res, made.token);
    await audit.record({ actor: who(made.member), action: 'account.setup', target: body.login });
    res.json({ member: made.member });
  });

  r.get('/accounts/links/:token', async (req, res) => {
    res.json(await accounts.previewLink(String(req.params.token)));
  });

  r.post('/accounts/links/:token', validateBody(SetPasswordBody), async (req, res) => {
    const used = await accounts.useLink(String(req.params.token), (req.body as SetPasswordBody).password);
    setCookie(res, used.token);
    await audit.record({ actor: who(used.member), action: 'account.passwordSet', target: used.member.id });
    res.json({ member: used.member });
  });

  r.post('/account/password', signedIn, validateBody(ChangePasswordBody), async (req, res) => {
    const member = res.locals.member as MemberView;
    const body = req.body as ChangePasswordBody;
    // A stolen session must not become a way to guess the password without the sign-in limits.
    const login = (await accounts.loginOf(member.id)) ?? member.id;
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    try {
      await deps.loginLimits.guard(login, address, () =>
        accounts.changePassword(
          member.id,
          body.current,
          body.password,
          tokenFromCookieHeader(req.headers.cookie) ?? '',
        ),
      );
    } catch (err) {
      if (err instanceof LoginLocked) res.set('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
    await audit.record({ actor: who(member), action: 'account.passwordChange', target: member.id });
    res.json({ ok: true });
  });

  r.get('/accounts', signedIn, async (_req, res) => {
    staffOnly(res);
    res.json({ accounts: await accounts.list() } satisfies AccountsResponse);
  });

  r.post('/accounts', signedIn, validateBody(CreateAccountBody), async (req, res) => {
    const by = staffOnly(res);
    const link = await accounts.create(req.body as CreateAccountBody, by);
    await audit.record({
      actor: who(by),
      action: 'account.create',
      target: link.account.id,
      details: { kind: link.account.kind, login: link.account.login },
    });
    res.status(201).json(link);
  });

  r.post('/accounts/:id/reset-link', signedIn, async (req, res) => {
    const by = staffOnly(res);
    const link = await accounts.resetLink(String(req.params.id), by);
    await audit.record({ actor: who(by), action: 'account.resetLink', target: link.account.id });
    res.json(link);
  });

  r.post('/accounts/:id/deactivate', signedIn, async (req, res) => {
    const by = staffOnly(res);
    const account = await accounts.deactivate(String(req.params.id), by);
    await audit.record({ actor: who(by), action: 'account.deactivate', target: account.id });
    res.json({ account });
  });

  r.post('/accounts/:id/reactivate', signedIn, async (req, res) => {
    const by = staffOnly(res);
    const account = await accounts.reactivate(String(req.params.id), by);
    await audit.record({ actor: who(by), action: 'account.reactivate', target: account.id });
    res.json({ account });
  });

  return r;
}
