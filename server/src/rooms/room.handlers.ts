import {
  type ClientEventName,
  eventRoles,
  liveOnlyEvents,
  type MemberView,
  mutedRefused,
  readOnlyEvents,
} from '@yitang/shared';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { MemberService } from '../members/member.service';
import { dispatchEvents, type EventHandlers } from '../socket/dispatch';
import type { YitangSocket } from '../socket/types';
import type { Actor, LiveRoom } from './live-room';
import type { RoomRegistry } from './room.registry';

/** Wires one connected socket to the live rooms. Every event is authorised here, by role. */
export function registerRoomHandlers(
  socket: YitangSocket,
  deps: { registry: RoomRegistry; members: MemberService; logger: Logger },
): void {
  let joined: { room: LiveRoom; actor: Actor } | null = null;

  /** The room and the caller's role, after the checks every event shares. */
  const guard = (event: ClientEventName): { room: LiveRoom; actor: Actor } => {
    if (!joined) throw new AppError('NOT_JOINED', 'Join a session first.');
    const { room, actor } = joined;
    if (room.isRemoved(actor.member.id)) throw new AppError('REMOVED', 'You were removed from this session.');
    if (!eventRoles[event].includes(actor.role)) throw new AppError('FORBIDDEN', `Your role may not send ${event}.`);
    if (room.state === 'closed' && !readOnlyEvents.has(event)) {
      throw new AppError('SESSION_CLOSED', 'The session is closed.');
    }
    if (room.state === 'scheduled' && liveOnlyEvents.has(event)) {
      throw new AppError('SESSION_NOT_LIVE', 'The session has not started.');
    }
    if (mutedRefused.has(event) && room.isMuted(actor.member.id)) throw new AppError('MUTED', 'You are muted.');
    return joined;
  };

  const leave = () => {
    if (!joined) return;
    const { room } = joined;
    joined = null;
    socket.data.sessionId = null;
    void socket.leave(room.channel);
    room.exit(socket.data.memberId);
  };

  /** Another participant of the joined session, with their role there. */
  const participant = async (room: LiveRoom, memberId: string): Promise<Actor> => {
    const member: MemberView | null = await deps.members.get(memberId);
    const role = member ? room.roleOf(member) : null;
    if (!member || !role) throw new AppError('NOT_FOUND', 'No such participant in this session.');
    return { member, role };
  };

  const handlers: EventHandlers = {
    'room:join': async ({ sessionId }) => {
      const room = await deps.registry.get(sessionId);
      if (!room) throw new AppError('NOT_FOUND', `No session ${sessionId}.`);
      const role = room.roleOf(socket.data.member);
      if (!role) throw new AppError('FORBIDDEN', 'You are not invited to this session.');
      const actor: Actor = { member: socket.data.member, role };
      if (joined?.room !== room) {
        room.admissible(actor);
        leave();
        if (socket.disconnected) throw new AppError('UNAVAILABLE', 'Disconnected while joining.');
        await room.enter(actor);
        if (socket.disconnected) {
          // The connection closed while the attendance was stored; its 'disconnect' found nothing
          // to leave, so undo the enter here or the member stays present for good.
          room.exit(actor.member.id);
          throw new AppError('UNAVAILABLE', 'Disconnected while joining.');
        }
        joined = { room, actor };
        socket.data.sessionId = room.id;
        await socket.join(room.channel);
      }
      return room.snapshot(actor);
    },
    'room:leave': async () => {
      leave();
      return null;
    },
    'room:snapshot': async () => {
      const { room, actor } = guard('room:snapshot');
      return room.snapshot(actor);
    },
    'room:lock': async ({ locked }) => guard('room:lock').room.lock(locked),
    'session:start': async () => guard('session:start').room.start(),
    'session:close': async () => {
      const { room, actor } = guard('session:close');
      return room.close(actor.member.id);
    },
    'agenda:add': async (p) => guard('agenda:add').room.addItem(p),
    'agenda:update': async (p) => guard('agenda:update').room.updateItem(p),
    'agenda:remove': async ({ itemId }) => guard('agenda:remove').room.removeItem(itemId),
    'agenda:reorder': async ({ itemIds }) => guard('agenda:reorder').room.reorderItems(itemIds),
    'agenda:goto': async ({ itemId }) => guard('agenda:goto').room.gotoItem(itemId),
    'hand:raise': async ({ pointOfOrder }) => {
      const { room, actor } = guard('hand:raise');
      return room.raiseHand(actor.member.id, pointOfOrder);
    },
    'hand:lower': async () => {
      const { room, actor } = guard('hand:lower');
      return room.lowerHand(actor.member.id);
    },
    'queue:reorder': async ({ memberIds }) => guard('queue:reorder').room.reorderQueue(memberIds),
    'queue:remove': async ({ memberId }) => guard('queue:remove').room.removeFromQueue(memberId),
    'speaker:grant': async ({ memberId }) => guard('speaker:grant').room.grant(memberId),
    'speaker:end': async () => {
      const { room, actor } = guard('speaker:end');
      return room.endSpeech(actor);
    },
    'speaker:limit': async ({ seconds }) => guard('speaker:limit').room.setSpeakerLimit(seconds),
    'suggestion:submit': async ({ text }) => {
      const { room, actor } = guard('suggestion:submit');
      return room.submitSuggestion(actor, text);
    },
    'suggestion:mark': async ({ suggestionId, mark }) =>
      guard('suggestion:mark').room.markSuggestion(suggestionId, mark),
    'poll:create': async ({ settings }) => {
      const { room, actor } = guard('poll:create');
      return room.createPoll(actor, settings);
    },
    'poll:update': async ({ pollId, settings }) => guard('poll:update').room.updatePoll(pollId, settings),
    'poll:open': async ({ pollId }) => guard('poll:open').room.openPoll(pollId),
    'poll:close': async ({ pollId }) => guard('poll:close').room.closePoll(pollId),
    'poll:publish': async ({ pollId }) => guard('poll:publish').room.publishPoll(pollId),
    'vote:cast': async (p) => {
      const { room, actor } = guard('vote:cast');
      return room.castVote(actor, p);
    },
    'vote:paper': async (p) => {
      const { room, actor } = guard('vote:paper');
      return room.castPaper(actor, p);
    },
    'checkin:code': async ({ code }) => {
      const { room, actor } = guard('checkin:code');
      return room.checkInByCode(actor, code);
    },
    'checkin:member': async ({ memberId }) => {
      const { room, actor } = guard('checkin:member');
      return room.checkIn(await participant(room, memberId), actor.member.id);
    },
    'checkin:search': async ({ query }) => {
      const { room } = guard('checkin:search');
      const found = await deps.members.search(query, room.id);
      return found.filter((m) => room.roleOf(m) !== null);
    },
    'outcome:draft': async ({ suggestionId }) => {
      const { room, actor } = guard('outcome:draft');
      return room.draftOutcome(actor, suggestionId);
    },
    'outcome:save': async (p) => {
      const { room, actor } = guard('outcome:save');
      return room.saveOutcome(actor, p);
    },
    'moderation:mute': async ({ memberId, muted }) => guard('moderation:mute').room.mute(memberId, muted),
    'moderation:remove': async ({ memberId }) => {
      await guard('moderation:remove').room.remove(memberId);
      return null;
    },
  };

  dispatchEvents(socket, handlers, deps.logger);
  socket.on('disconnect', leave);
}
