import type {
  MemberView,
  MinutesStatus,
  SessionView,
  TopicTrail,
  TrackingItemView,
  TrailHotlineMessage,
} from '@yitang/shared';
import { resultText } from '../minutes/review/labels';
import type { OutcomeRepository } from '../outcomes/outcome.repository';
import type { PollRepository } from '../polls/poll.repository';
import { roleIn } from '../rooms/roles';
import type { RoomRepository } from '../rooms/room.repository';
import { presentSession } from '../rooms/room.repository';
import type { TopicService } from './topic.service';

export interface TrailDeps {
  topics: TopicService;
  rooms: RoomRepository;
  polls: PollRepository;
  outcomes: OutcomeRepository;
  minutesStatus: (sessionId: string) => Promise<MinutesStatus>;
  /** The session's tracking items the viewer may see (the topic's proposer sees them all). */
  tracking: (sessionId: string, viewer: MemberView) => Promise<TrackingItemView[]>;
  /** The 12345 ticket and the status reports sent back, for a hotline-sourced topic. */
  hotline: (topicId: string) => Promise<TrailHotlineMessage[]>;
  /** The topic's sessions, oldest first (the sessions module). */
  rounds: (topicId: string) => Promise<SessionView[]>;
}

/**
 * The topic trail: proposal and acceptance, the session, its minutes, polls and outcomes, the
 * tracking items with their reports, verification and ratings, and the hotline messages. Joined
 * in code (one query per part), as the storage rules ask.
 */
export async function topicTrail(deps: TrailDeps, topicId: string, viewer: MemberView): Promise<TopicTrail> {
  const topic = await deps.topics.get(topicId);
  // A ticket's text is a citizen's own words (addresses, names): staff only, as on the hotline
  // pages. Others see that a ticket came in, and the status reports sent back.
  const hotline = (await deps.hotline(topic.id)).map((m) =>
    m.kind === 'ticket' && viewer.kind !== 'staff' ? { ...m, text: '' } : m,
  );
  // A guest belongs to one session only: of the topic's other sessions they see nothing.
  const rounds = (await deps.rounds(topic.id)).filter((r) => viewer.kind !== 'guest' || r.id === viewer.guestSessionId);
  const sessionId = topic.sessionId;
  const session = sessionId ? await deps.rooms.getSession(sessionId) : null;
  const member = session ? roleIn(session, viewer) !== null : false;
  if (!sessionId || !session || (viewer.kind === 'guest' && !member)) {
    return { topic, session: null, rounds, minutesStatus: null, polls: [], outcomes: [], tracking: [], hotline };
  }
  const closed = session.state === 'closed';
  const [names, polls, outcomes, tracking, minutesStatus] = await Promise.all([
    deps.rooms.roomNames([session.roomId]),
    deps.polls.listForSession(sessionId),
    // Outcomes leave the room when the session closes.
    member || closed ? deps.outcomes.listForSession(sessionId) : Promise.resolve([]),
    deps.tracking(sessionId, viewer),
    closed ? deps.minutesStatus(sessionId) : Promise.resolve(null),
  ]);
  return {
    topic,
    session: presentSession(session, names.get(session.roomId) ?? session.roomId),
    rounds,
    // Outside the session, minutes show once published; their drafts and reviews are the room's.
    minutesStatus: member || minutesStatus === 'published' ? minutesStatus : null,
    // The session's members see its polls as the room shows them, drafts included; others see
    // only the polls whose results the conveners published.
    polls: polls
      .filter((p) => member || p.stage === 'published')
      .map((p) => ({
        id: p._id,
        question: p.settings.question,
        stage: p.stage,
        // Results leave the room when the conveners publish them.
        result: p.stage === 'published' ? resultText(p.settings, p.result, p.tally) : null,
      })),
    outcomes: outcomes.filter((o) => o.status === 'recorded'),
    tracking,
    hotline,
  };
}
