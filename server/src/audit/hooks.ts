import type { AuditJson, MemberView } from '@yitang/shared';
import type { RequestHandler } from 'express';
import type { EventObserver } from '../socket/dispatch';
import type { Audit } from './audit.service';
import { clip } from './chain';

/**
 * Live-room events that go to the audit log once they succeed: the lifecycle, polls, paper
 * ballots, check-ins and moderation. `details` picks what may be kept: never a ballot's content
 * (secret polls) nor a typed hall code.
 */
const socketEvents: Record<string, (payload: Record<string, unknown>) => { [key: string]: AuditJson }> = {
  'room:lock': (p) => pick(p, ['locked']),
  'session:start': () => ({}),
  'session:close': () => ({}),
  'poll:open': (p) => pick(p, ['pollId']),
  'poll:close': (p) => pick(p, ['pollId']),
  'poll:publish': (p) => pick(p, ['pollId']),
  'vote:paper': (p) => pick(p, ['pollId', 'ballotId', 'memberId']),
  // A secret poll's paper batch: who entered it (the actor) and how many, never the contents.
  'vote:paperBatch': (p) => ({ ...pick(p, ['pollId', 'batchId']), count: batchCount(p.entries) }),
  'checkin:member': (p) => pick(p, ['memberId']),
  'checkin:code': () => ({}),
  'moderation:mute': (p) => pick(p, ['memberId', 'muted']),
  'moderation:remove': (p) => pick(p, ['memberId']),
  'moderation:allow': (p) => pick(p, ['memberId', 'allowed']),
};

function pick(source: Record<string, unknown>, keys: string[]): { [key: string]: AuditJson } {
  const out: { [key: string]: AuditJson } = {};
  for (const k of keys) {
    const v = source[k];
    if (typeof v === 'string') out[k] = clip(v, 200);
    else if (typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return out;
}

/** The number of ballots in a paper batch's `entries` (already validated by its schema). */
function batchCount(entries: unknown): number {
  if (!Array.isArray(entries)) return 0;
  return entries.reduce<number>((n, e) => n + (isRecord(e) && typeof e.count === 'number' ? e.count : 0), 0);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Audits a socket's room events from outside the room code: the event dispatcher tells this
 * observer of each event the room answered ok, and the audited ones are recorded. The room code
 * (owned and reworked elsewhere) needs no audit calls of its own.
 */
export function auditEvents(audit: Audit): EventObserver {
  return (socket, event, payload) => {
    const describe = socketEvents[event];
    if (!describe) return;
    const { member, sessionId } = socket.data;
    void audit.record({
      actor: { id: member.id, name: member.name },
      action: event,
      target: sessionId,
      details: describe(isRecord(payload) ? payload : {}),
    });
  };
}

/**
 * REST calls that go to the audit log once they succeed (2xx), with the body fields kept, by the
 * route pattern Express matched (`req.route.path`). Matching the request's path instead missed
 * what Express routes anyway: it ignores case and a trailing slash, so `/Duty/Rubrics/` was a
 * rubric change with no audit entry. The target is the route's `:id`.
 */
const restRoutes: ReadonlyMap<string, { action: string; fields: string[] }> = new Map([
  ['POST /sessions/:id/minutes/transition', { action: 'minutes.transition', fields: ['to'] }],
  ['POST /sessions/:id/invitations', { action: 'invitation.create', fields: ['role', 'name'] }],
  ['POST /sessions/:id/invitations/:invitationId/revoke', { action: 'invitation.revoke', fields: [] }],
  ['POST /duty/entries/:id/review', { action: 'duty.review', fields: ['decision', 'reason'] }],
  ['POST /duty/sessions/:id/record', { action: 'duty.record', fields: [] }],
  ['POST /duty/rubrics', { action: 'duty.rubric', fields: ['year'] }],
  ['PUT /duty/settings', { action: 'duty.settings', fields: [] }],
  ['POST /duty/import', { action: 'duty.import', fields: [] }],
  ['POST /hotline/imports', { action: 'hotline.import', fields: [] }],
  ['POST /hotline/tickets/:id/topic', { action: 'hotline.topic', fields: [] }],
  ['POST /topics/:id/accept', { action: 'topic.accept', fields: ['seat', 'secondConvenerId'] }],
  ['POST /topics/:id/schedule', { action: 'topic.schedule', fields: ['roomId'] }],
  ['POST /tracking/:id/assignee', { action: 'tracking.assign', fields: ['assigneeId'] }],
  ['POST /sessions', { action: 'session.create', fields: ['topic', 'roomId', 'scheduledAt', 'openToAll'] }],
  [
    'PATCH /sessions/:id',
    { action: 'session.edit', fields: ['topic', 'roomId', 'mode', 'secondConvenerId', 'openToAll'] },
  ],
  ['POST /sessions/:id/reschedule', { action: 'session.reschedule', fields: ['scheduledAt'] }],
  ['POST /sessions/:id/cancel', { action: 'session.cancel', fields: ['reason'] }],
  ['POST /sessions/:id/invitees', { action: 'session.invite', fields: ['invitees'] }],
  ['PATCH /sessions/:id/invitees/:memberId', { action: 'session.inviteeRole', fields: ['role'] }],
  ['DELETE /sessions/:id/invitees/:memberId', { action: 'session.uninvite', fields: [] }],
  ['POST /sessions/:id/leave/:memberId', { action: 'session.leave', fields: ['decision'] }],
]);

/**
 * Audits REST calls by route, after the response: role and membership changes, minutes
 * approval and publishing, duty verification, rubric and settings changes, imports. The actor
 * is the member the route's own sign-in check put in `res.locals`. Recorded once the route
 * ends its response with 2xx, also when the client has gone away meanwhile: the change was
 * made all the same.
 */
export function auditRest(audit: Audit): RequestHandler {
  return (req, res, next) => {
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      const pattern: unknown = req.route?.path;
      if (typeof pattern !== 'string') return;
      const route = restRoutes.get(`${req.method} ${pattern}`);
      if (!route || res.statusCode < 200 || res.statusCode >= 300) return;
      const params: Record<string, string | string[] | undefined> = req.params ?? {};
      const id = params.id;
      const details = isRecord(req.body) ? pick(req.body, route.fields) : {};
      // A session's invitee or leave request: whose it is.
      if (typeof params.memberId === 'string') details.memberId = params.memberId;
      if (route.action === 'session.invite' && isRecord(req.body) && Array.isArray(req.body.invitees)) {
        details.invitees = req.body.invitees.flatMap((i: unknown) =>
          isRecord(i) && typeof i.memberId === 'string' ? [`${i.memberId}:${String(i.role)}`] : [],
        );
      }
      if (route.action === 'duty.import') details.dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
      const member = res.locals.member as MemberView | undefined;
      void audit.record({
        actor: member ? { id: member.id, name: member.name } : null,
        action: route.action,
        // Express has decoded the parameter already.
        target: typeof id === 'string' ? id : null,
        details,
      });
    };
    // Settled when the route ends its response, with the status it chose: the change is made by
    // then. 'finish' never comes when the client went away first, and by 'close' the handler
    // may still be running, so neither event can tell.
    const end = res.end;
    res.end = function (this: typeof res, ...args: unknown[]) {
      settle();
      return Reflect.apply(end, this, args);
    } as typeof res.end;
    next();
  };
}
