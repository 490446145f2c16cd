import {
  AcceptInvitationBody,
  CreateInvitationBody,
  DemoLoginBody,
  type InvitationPreview,
  LoginBody,
  type LoginFailuresResponse,
  limits,
  type MembersResponse,
  type MemberView,
  type SignOutReason,
} from '@yitang/shared';
import { type Response, Router } from 'express';
import type { Audit } from '../audit';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import { isChair, roleIn } from '../rooms/roles';
import type { RoomRepository } from '../rooms/room.repository';
import { presentSession } from '../rooms/room.repository';
import { type AuthService, SESSION_COOKIE, tokenFromCookieHeader } from './auth.service';
import { type LoginLimits, LoginLocked } from './login-limits';

export interface AuthRouterDeps {
  auth: AuthService;
  rooms: RoomRepository;
  secureCookie: boolean;
  /** Demo identities without a password (the demo data set); off in production. */
  demoLogin: boolean;
  /** Failed password sign-ins: limits per name and address, and their log. */
  loginLimits: LoginLimits;
  /** Sign-ins, sign-outs and accepted invitations go to the audit log (failures via loginLimits). */
  audit: Audit;
  /** The demo seed's accounts, the only ones one may sign in as without a password (demo only). */
  demoIdentities: () => Promise<MemberView[]>;
  /** Called after a sign-out or a revoked invitation so the live parts drop that member's sockets. */
  onSignOut: (memberId: string, reason: SignOutReason) => void;
}

const who = (m: MemberView) => ({ id: m.id, name: m.name });

/** Sign-in, sign-out, who am I, and guest invitations. */
export function authRouter(deps: AuthRouterDeps): Router {
  const { auth, rooms } = deps;
  const r = Router();

  const setCookie = (res: Response, token: string) =>
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookie,
      path: '/',
      maxAge: limits.sessionMaxAgeSeconds * 1000,
    });

  r.get('/auth/me', async (req, res) => {
    // Demo sign-in exists only while the demo data does, whatever the setting says.
    const demoLogin = deps.demoLogin && (await auth.hasDemoAccounts());
    res.json({ member: await auth.resolve(tokenFromCookieHeader(req.headers.cookie)), demoLogin });
  });

  r.post('/auth/login', validateBody(LoginBody), async (req, res) => {
    const { username, password } = req.body as LoginBody;
    // req.ip: the peer, or the client nginx names when the peer is the local proxy (trust proxy).
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    try {
      const { token, member } = await deps.loginLimits.guard(username, address, () =>
        auth.passwordLogin(username, password),
      );
      setCookie(res, token);
      await deps.audit.record({ actor: who(member), action: 'auth.login', target: username, details: { address } });
      res.json({ member });
    } catch (err) {
      if (err instanceof LoginLocked) res.set('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
  });

  /** Refused sign-ins, newest first: staff watch for guessing. */
  r.get('/auth/failures', requireMember(auth), async (_req, res) => {
    if ((res.locals.member as MemberView).kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff only.');
    res.json({ failures: await deps.loginLimits.recent() } satisfies LoginFailuresResponse);
  });

  // Exists only while demo sign-in is on: otherwise who is on the committee needs a sign-in.
  if (deps.demoLogin) {
    r.get('/auth/demo-identities', async (_req, res) => {
      const members = (await deps.demoIdentities()).filter((m) => m.kind !== 'guest');
      res.json({ members } satisfies MembersResponse);
    });
  }

  r.post('/auth/demo-login', validateBody(DemoLoginBody), async (req, res) => {
    if (!deps.demoLogin) throw new AppError('FORBIDDEN', 'Demo sign-in is off on this server.');
    const signed = await auth.demoLogin((req.body as DemoLoginBody).memberId);
    if (!signed) throw new AppError('NOT_FOUND', 'No such demo identity.');
    setCookie(res, signed.token);
    await deps.audit.record({ actor: who(signed.member), action: 'auth.demoLogin', target: signed.member.id });
    res.json({ member: signed.member });
  });

  r.post('/auth/logout', async (req, res) => {
    const token = tokenFromCookieHeader(req.headers.cookie);
    // Read before the session goes: the audit entry names the member, as every other entry does.
    const member = await auth.resolve(token);
    const memberId = await auth.signOut(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    if (memberId) {
      const actor = member?.id === memberId ? who(member) : { id: memberId, name: memberId };
      await deps.audit.record({ actor, action: 'auth.logout' });
    }
    if (memberId) deps.onSignOut(memberId, 'signedOut');
    res.json({ ok: true });
  });

  /** Staff and the session's conveners manage its invitations. */
  const chairOf = async (sessionId: string, member: MemberView) => {
    const session = await rooms.getSession(sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'No such session.');
    if (!isChair(roleIn(session, member))) throw new AppError('FORBIDDEN', 'Only staff and conveners invite guests.');
    return session;
  };

  r.post('/sessions/:id/invitations', requireMember(auth), validateBody(CreateInvitationBody), async (req, res) => {
    const sessionId = String(req.params.id);
    const member = res.locals.member as MemberView;
    const session = await chairOf(sessionId, member);
    res
      .status(201)
      .json(
        await auth.createInvitation(
          { id: sessionId, scheduledAt: session.scheduledAt },
          req.body as CreateInvitationBody,
          member.id,
        ),
      );
  });

  r.get('/sessions/:id/invitations', requireMember(auth), async (req, res) => {
    const sessionId = String(req.params.id);
    await chairOf(sessionId, res.locals.member as MemberView);
    res.json({ invitations: await auth.listInvitations(sessionId) });
  });

  r.post('/sessions/:id/invitations/:invitationId/revoke', requireMember(auth), async (req, res) => {
    const sessionId = String(req.params.id);
    await chairOf(sessionId, res.locals.member as MemberView);
    const { invitation, guestId } = await auth.revokeInvitation(sessionId, String(req.params.invitationId));
    if (guestId) deps.onSignOut(guestId, 'invitationRevoked');
    res.json({ invitation });
  });

  r.get('/invite/:token', async (req, res) => {
    const { invitation: inv, guestName } = await auth.previewInvitation(String(req.params.token));
    const session = await rooms.getSession(inv.sessionId);
    if (!session) throw new AppError('NOT_FOUND', 'The session of this invitation is gone.');
    const names = await rooms.roomNames([session.roomId]);
    const preview: InvitationPreview = {
      role: inv.role,
      name: guestName ?? inv.name,
      accepted: inv.acceptedBy !== null,
      session: presentSession(session, names.get(session.roomId) ?? session.roomId),
      expiresAt: inv.expiresAt.toISOString(),
    };
    res.json(preview);
  });

  r.post('/invite/:token/accept', validateBody(AcceptInvitationBody), async (req, res) => {
    const accepted = await auth.acceptInvitation(String(req.params.token), (req.body as AcceptInvitationBody).name);
    setCookie(res, accepted.token);
    await deps.audit.record({
      actor: who(accepted.member),
      action: 'invitation.accept',
      target: accepted.sessionId,
      details: { role: accepted.member.guestRole ?? null },
    });
    res.json({ member: accepted.member, sessionId: accepted.sessionId });
  });

  return r;
}
