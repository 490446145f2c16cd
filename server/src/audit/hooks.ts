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
  'checkin:member': (p) => pick(p, ['memberId']),
  'checkin:code': () => ({}),
  'moderation:mute': (p) => pick(p, ['memberId', 'muted']),
  'moderation:remove': (p) => pick(p, ['memberId']),
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

/** A path segment as written, if its escapes are broken (the route answered anyway). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
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

/** REST calls that go to the audit log once they succeed (2xx), with the body fields kept. */
const restRoutes: Array<{ method: string; path: RegExp; action: string; fields: string[] }> = [
  { method: 'POST', path: /^\/sessions\/([^/]+)\/minutes\/transition$/, action: 'minutes.transition', fields: ['to'] },
  { method: 'POST', path: /^\/sessions\/([^/]+)\/invitations$/, action: 'invitation.create', fields: ['role', 'name'] },
  {
    method: 'POST',
    path: /^\/sessions\/([^/]+)\/invitations\/([^/]+)\/revoke$/,
    action: 'invitation.revoke',
    fields: [],
  },
  { method: 'POST', path: /^\/duty\/entries\/([^/]+)\/review$/, action: 'duty.review', fields: ['decision', 'reason'] },
  { method: 'POST', path: /^\/duty\/sessions\/([^/]+)\/record$/, action: 'duty.record', fields: [] },
  { method: 'POST', path: /^\/duty\/rubrics$/, action: 'duty.rubric', fields: ['year'] },
  { method: 'PUT', path: /^\/duty\/settings$/, action: 'duty.settings', fields: [] },
  { method: 'POST', path: /^\/duty\/import$/, action: 'duty.import', fields: [] },
  { method: 'POST', path: /^\/hotline\/imports$/, action: 'hotline.import', fields: [] },
  { method: 'POST', path: /^\/hotline\/tickets\/([^/]+)\/topic$/, action: 'hotline.topic', fields: [] },
  { method: 'POST', path: /^\/topics\/([^/]+)\/accept$/, action: 'topic.accept', fields: ['seat', 'secondConvenerId'] },
  { method: 'POST', path: /^\/topics\/([^/]+)\/schedule$/, action: 'topic.schedule', fields: ['roomId'] },
  { method: 'POST', path: /^\/tracking\/([^/]+)\/assignee$/, action: 'tracking.assign', fields: ['assigneeId'] },
];

/**
 * Audits REST calls by route, after the response: role and membership changes, minutes
 * approval and publishing, duty verification, rubric and settings changes, imports. The actor
 * is the member the route's own sign-in check put in `res.locals`.
 */
export function auditRest(audit: Audit): RequestHandler {
  return (req, res, next) => {
    const route = restRoutes.find((r) => r.method === req.method && r.path.test(req.path));
    if (route) {
      const target = route.path.exec(req.path)?.[1] ?? null;
      const details = isRecord(req.body) ? pick(req.body, route.fields) : {};
      if (route.action === 'duty.import') details.dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
      res.on('finish', () => {
        if (res.statusCode < 200 || res.statusCode >= 300) return;
        const member = res.locals.member as MemberView | undefined;
        void audit.record({
          actor: member ? { id: member.id, name: member.name } : null,
          action: route.action,
          target: target ? safeDecode(target) : null,
          details,
        });
      });
    }
    next();
  };
}
