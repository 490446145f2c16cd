import {
  AddInviteesBody,
  CancelSessionBody,
  CreateSessionBody,
  InviteeRoleBody,
  LeaveDecisionBody,
  type MemberView,
  PatchSessionBody,
  RescheduleSessionBody,
  RsvpBody,
} from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { requireMember, validateBody } from '../http/middleware';
import type { SessionService } from './session.service';

const me = (res: { locals: Record<string, unknown> }) => res.locals.member as MemberView;

/**
 * Sessions: GET /sessions (those the caller may enter, as the room list shows them),
 * GET /sessions/mine (with the caller's invitation), POST /sessions (staff), GET /sessions/:id,
 * GET /sessions/:id/detail, PATCH /sessions/:id, POST /sessions/:id/{reschedule,cancel,rsvp},
 * POST /sessions/:id/invitees, PATCH|DELETE /sessions/:id/invitees/:memberId,
 * POST /sessions/:id/leave/:memberId. Conveners and staff manage; invitees answer for themselves.
 * (POST /sessions/:id/invitations is the guest invitation link, in auth/.)
 */
export function sessionRouter(deps: { auth: AuthService; sessions: SessionService }): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);
  const { sessions } = deps;
  const id = (req: { params: unknown }) => String((req.params as Record<string, unknown>).id);

  r.get('/sessions', signedIn, async (_req, res) => {
    res.json({ sessions: await sessions.visible(me(res)) });
  });
  r.get('/sessions/mine', signedIn, async (_req, res) => {
    res.json(await sessions.mine(me(res)));
  });
  r.post('/sessions', signedIn, validateBody(CreateSessionBody), async (req, res) => {
    res.status(201).json({ session: await sessions.create(req.body as CreateSessionBody, me(res)) });
  });
  r.get('/sessions/:id', signedIn, async (req, res) => {
    const session = (await sessions.visible(me(res))).find((s) => s.id === id(req));
    if (!session) {
      // Tells a refusal apart from a session that does not exist.
      await sessions.detail(id(req), me(res));
    }
    res.json({ session });
  });
  r.get('/sessions/:id/detail', signedIn, async (req, res) => {
    res.json({ session: await sessions.detail(id(req), me(res)) });
  });
  r.patch('/sessions/:id', signedIn, validateBody(PatchSessionBody), async (req, res) => {
    res.json({ session: await sessions.patch(id(req), req.body as PatchSessionBody, me(res)) });
  });
  r.post('/sessions/:id/reschedule', signedIn, validateBody(RescheduleSessionBody), async (req, res) => {
    const body = req.body as RescheduleSessionBody;
    res.json({ session: await sessions.reschedule(id(req), body.scheduledAt, me(res)) });
  });
  r.post('/sessions/:id/cancel', signedIn, validateBody(CancelSessionBody), async (req, res) => {
    const body = req.body as CancelSessionBody;
    res.json({ session: await sessions.cancel(id(req), body.reason, me(res)) });
  });
  r.post('/sessions/:id/invitees', signedIn, validateBody(AddInviteesBody), async (req, res) => {
    res.json({ session: await sessions.addInvitees(id(req), req.body as AddInviteesBody, me(res)) });
  });
  r.patch('/sessions/:id/invitees/:memberId', signedIn, validateBody(InviteeRoleBody), async (req, res) => {
    const body = req.body as InviteeRoleBody;
    res.json({ session: await sessions.setInviteeRole(id(req), String(req.params.memberId), body.role, me(res)) });
  });
  r.delete('/sessions/:id/invitees/:memberId', signedIn, async (req, res) => {
    res.json({ session: await sessions.removeInvitee(id(req), String(req.params.memberId), me(res)) });
  });
  r.post('/sessions/:id/rsvp', signedIn, validateBody(RsvpBody), async (req, res) => {
    res.json({ session: await sessions.rsvp(id(req), req.body as RsvpBody, me(res)) });
  });
  r.post('/sessions/:id/leave/:memberId', signedIn, validateBody(LeaveDecisionBody), async (req, res) => {
    const body = req.body as LeaveDecisionBody;
    res.json({
      session: await sessions.decideLeave(id(req), String(req.params.memberId), body.decision, me(res)),
    });
  });
  return r;
}
