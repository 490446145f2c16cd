import {
  AcceptTopicBody,
  DeclineTopicBody,
  type MemberView,
  ScheduleTopicBody,
  TopicProposal,
  TopicState,
  type TopicTrail,
} from '@yitang/shared';
import { Router } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AppError } from '../errors';
import { requireMember, validateBody } from '../http/middleware';
import { roleIn } from '../rooms/roles';
import type { RoomRepository } from '../rooms/room.repository';
import { sessionCalendar } from './calendar';
import type { TopicService } from './topic.service';

const me = (res: { locals: Record<string, unknown> }) => res.locals.member as MemberView;

/**
 * Topics: GET/POST /topics, GET /topics/similar?title=, GET /topics/:id, POST /topics/:id/{accept,
 * decline,schedule}, GET /topics/:id/matches; GET /rooms for scheduling; GET /sessions/:id/calendar.ics.
 */
export function topicRouter(deps: {
  auth: AuthService;
  topics: TopicService;
  rooms: RoomRepository;
  trail: (topicId: string, viewer: MemberView) => Promise<TopicTrail>;
}): Router {
  const r = Router();
  const signedIn = requireMember(deps.auth);

  r.get('/topics', signedIn, async (req, res) => {
    const state = TopicState.safeParse(req.query.state);
    if (req.query.state !== undefined && !state.success) throw new AppError('BAD_REQUEST', 'state: unknown state.');
    res.json({ topics: await deps.topics.list({ state: state.success ? state.data : undefined }) });
  });
  r.get('/topics/similar', signedIn, async (req, res) => {
    const title = typeof req.query.title === 'string' ? req.query.title.slice(0, 200) : '';
    res.json({ similar: title.trim() ? await deps.topics.similar(title) : [] });
  });
  r.post('/topics', signedIn, validateBody(TopicProposal), async (req, res) => {
    res.status(201).json(await deps.topics.propose(req.body as TopicProposal, me(res)));
  });
  r.get('/topics/:id', signedIn, async (req, res) => {
    res.json({ topic: await deps.topics.get(String(req.params.id)) });
  });
  r.post('/topics/:id/accept', signedIn, validateBody(AcceptTopicBody), async (req, res) => {
    res.json({ topic: await deps.topics.accept(String(req.params.id), req.body as AcceptTopicBody, me(res)) });
  });
  r.post('/topics/:id/decline', signedIn, validateBody(DeclineTopicBody), async (req, res) => {
    const body = req.body as DeclineTopicBody;
    res.json({ topic: await deps.topics.decline(String(req.params.id), body.reason, me(res)) });
  });
  r.post('/topics/:id/schedule', signedIn, validateBody(ScheduleTopicBody), async (req, res) => {
    res.json({ topic: await deps.topics.schedule(String(req.params.id), req.body as ScheduleTopicBody, me(res)) });
  });
  r.get('/topics/:id/trail', signedIn, async (req, res) => {
    res.json(await deps.trail(String(req.params.id), me(res)));
  });
  r.get('/topics/:id/matches', signedIn, async (req, res) => {
    res.json({ matches: await deps.topics.matches(String(req.params.id)) });
  });

  r.get('/rooms', signedIn, async (_req, res) => {
    res.json({ rooms: await deps.rooms.listRooms() });
  });

  r.get('/sessions/:id/calendar.ics', signedIn, async (req, res) => {
    const session = await deps.rooms.getSession(String(req.params.id));
    if (!session) throw new AppError('NOT_FOUND', 'No such session.');
    if (!roleIn(session, me(res))) throw new AppError('FORBIDDEN', 'This session is not yours to see.');
    const names = await deps.rooms.roomNames([session.roomId]);
    const appUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res
      .type('text/calendar; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${encodeURIComponent(session._id)}.ics"`)
      .send(sessionCalendar(session, names.get(session.roomId) ?? session.roomId, appUrl));
  });
  return r;
}
