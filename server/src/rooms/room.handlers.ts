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
import { dispatchEvents, type EventHandlers, type EventObserver } from '../socket/dispatch';
import type { YitangSocket } from '../socket/types';
import type { Actor, LiveRoom } from './live-room';
import { notInvitedMessage } from './roles';
import type { RoomRegistry } from './room.registry';

interface RoomHandlerDeps {
  registry: RoomRegistry;
  members: MemberService;
  logger: Logger;
  /** Told of each event answered ok (the audit log). */
  onEvent?: EventObserver;
}

/**
 * One connected socket's state: the room it joined and its role there. The event handlers are
 * shared by every connection (below), so a connection holds this object and nothing per event.
 */
class Connection {
  joined: { room: LiveRoom; actor: Actor } | null = null;

  constructor(
    readonly socket: YitangSocket,
    readonly deps: RoomHandlerDeps,
  ) {}

  /** The room and the caller's role, after the checks every event shares. */
  guard(event: ClientEventName): { room: LiveRoom; actor: Actor } {
    if (!this.joined) throw new AppError('NOT_JOINED', 'Join a session first.');
    const { room, actor } = this.joined;
    if (room.isRemoved(actor.member.id)) throw new AppError('REMOVED', 'You were removed from this session.');
    if (!eventRoles[event].includes(actor.role)) throw new AppError('FORBIDDEN', `Your role may not send ${event}.`);
    if (room.state === 'closed' && !readOnlyEvents.has(event)) {
      throw new AppError('SESSION_CLOSED', 'The session is closed.');
    }
    if (room.state === 'scheduled' && liveOnlyEvents.has(event)) {
      throw new AppError('SESSION_NOT_LIVE', 'The session has not started.');
    }
    if (mutedRefused.has(event) && room.isMuted(actor.member.id)) throw new AppError('MUTED', 'You are muted.');
    return this.joined;
  }

  leave(): void {
    if (!this.joined) return;
    const { room } = this.joined;
    this.joined = null;
    this.socket.data.sessionId = null;
    void this.socket.leave(room.channel);
    room.exit(this.socket.data.memberId);
  }

  /** Another participant of the joined session, with their role there. */
  async participant(room: LiveRoom, memberId: string): Promise<Actor> {
    const member: MemberView | null = await this.deps.members.get(memberId);
    const role = member ? room.roleOf(member) : null;
    if (!member || !role) throw new AppError('NOT_FOUND', 'No such participant in this session.');
    return { member, role };
  }
}

/** Every event, authorised by `guard` (role, state, mute) before it reaches the room. */
const handlers: EventHandlers<Connection> = {
  'room:join': async (c, { sessionId }) => {
    const room = await c.deps.registry.get(sessionId);
    if (!room) throw new AppError('NOT_FOUND', `No session ${sessionId}.`);
    const role = room.roleOf(c.socket.data.member);
    if (!role) throw new AppError('FORBIDDEN', notInvitedMessage);
    const actor: Actor = { member: c.socket.data.member, role };
    if (c.joined?.room !== room) {
      room.admissible(actor);
      c.leave();
      if (c.socket.disconnected) throw new AppError('UNAVAILABLE', 'Disconnected while joining.');
      await room.enter(actor);
      if (c.socket.disconnected) {
        // The connection closed while the attendance was stored; its 'disconnect' found nothing
        // to leave, so undo the enter here or the member stays present for good.
        room.exit(actor.member.id);
        throw new AppError('UNAVAILABLE', 'Disconnected while joining.');
      }
      c.joined = { room, actor };
      c.socket.data.sessionId = room.id;
      await c.socket.join(room.channel);
    }
    return room.snapshot(actor);
  },
  'room:leave': async (c) => {
    c.leave();
    return null;
  },
  'room:snapshot': async (c) => {
    const { room, actor } = c.guard('room:snapshot');
    return room.snapshot(actor);
  },
  'presence:page': async (c, p) => c.guard('presence:page').room.presencePage(p),
  'room:lock': async (c, { locked }) => c.guard('room:lock').room.lock(locked),
  'session:start': async (c) => c.guard('session:start').room.start(),
  'session:close': async (c) => {
    const { room, actor } = c.guard('session:close');
    return room.close(actor.member.id);
  },
  'agenda:add': async (c, p) => c.guard('agenda:add').room.addItem(p),
  'agenda:update': async (c, p) => c.guard('agenda:update').room.updateItem(p),
  'agenda:remove': async (c, { itemId }) => c.guard('agenda:remove').room.removeItem(itemId),
  'agenda:reorder': async (c, { itemIds }) => c.guard('agenda:reorder').room.reorderItems(itemIds),
  'agenda:goto': async (c, { itemId }) => c.guard('agenda:goto').room.gotoItem(itemId),
  'hand:raise': async (c, { pointOfOrder }) => {
    const { room, actor } = c.guard('hand:raise');
    return room.raiseHand(actor.member.id, pointOfOrder);
  },
  'hand:lower': async (c) => {
    const { room, actor } = c.guard('hand:lower');
    return room.lowerHand(actor.member.id);
  },
  'queue:reorder': async (c, { memberIds }) => c.guard('queue:reorder').room.reorderQueue(memberIds),
  'queue:remove': async (c, { memberId }) => c.guard('queue:remove').room.removeFromQueue(memberId),
  'speaker:grant': async (c, { memberId }) => c.guard('speaker:grant').room.grant(memberId),
  'speaker:end': async (c) => {
    const { room, actor } = c.guard('speaker:end');
    return room.endSpeech(actor);
  },
  'speaker:limit': async (c, { seconds }) => c.guard('speaker:limit').room.setSpeakerLimit(seconds),
  'suggestion:submit': async (c, { text }) => {
    const { room, actor } = c.guard('suggestion:submit');
    return room.submitSuggestion(actor, text);
  },
  'suggestion:mark': async (c, { suggestionId, mark }) =>
    c.guard('suggestion:mark').room.markSuggestion(suggestionId, mark),
  'poll:create': async (c, { settings }) => {
    const { room, actor } = c.guard('poll:create');
    return room.createPoll(actor, settings);
  },
  'poll:update': async (c, { pollId, settings }) => c.guard('poll:update').room.updatePoll(pollId, settings),
  'poll:open': async (c, { pollId }) => c.guard('poll:open').room.openPoll(pollId),
  'poll:close': async (c, { pollId }) => c.guard('poll:close').room.closePoll(pollId),
  'poll:publish': async (c, { pollId }) => c.guard('poll:publish').room.publishPoll(pollId),
  'vote:cast': async (c, p) => {
    const { room, actor } = c.guard('vote:cast');
    return room.castVote(actor, p);
  },
  'vote:paper': async (c, p) => {
    const { room, actor } = c.guard('vote:paper');
    return room.castPaper(actor, p);
  },
  'vote:paperBatch': async (c, p) => {
    const { room, actor } = c.guard('vote:paperBatch');
    return room.castPaperBatch(actor, p);
  },
  'checkin:code': async (c, { code }) => {
    const { room, actor } = c.guard('checkin:code');
    return room.checkInByCode(actor, code);
  },
  'checkin:member': async (c, { memberId }) => {
    const { room, actor } = c.guard('checkin:member');
    return room.checkIn(await c.participant(room, memberId), actor.member.id);
  },
  'checkin:search': async (c, { query }) => {
    const { room } = c.guard('checkin:search');
    const found = await c.deps.members.search(query, room.id);
    return found.filter((m) => room.roleOf(m) !== null);
  },
  'outcome:draft': async (c, { suggestionId }) => {
    const { room, actor } = c.guard('outcome:draft');
    return room.draftOutcome(actor, suggestionId);
  },
  'outcome:save': async (c, p) => {
    const { room, actor } = c.guard('outcome:save');
    return room.saveOutcome(actor, p);
  },
  'moderation:mute': async (c, { memberId, muted }) => c.guard('moderation:mute').room.mute(memberId, muted),
  'moderation:remove': async (c, { memberId }) => {
    await c.guard('moderation:remove').room.remove(memberId);
    return null;
  },
  'moderation:allow': async (c, { memberId, allowed }) => c.guard('moderation:allow').room.allow(memberId, allowed),
};

/** Wires one connected socket to the live rooms. Every event is authorised here, by role. */
export function registerRoomHandlers(socket: YitangSocket, deps: RoomHandlerDeps): void {
  const conn = new Connection(socket, deps);
  dispatchEvents(socket, conn, handlers, deps.logger, deps.onEvent);
  socket.on('disconnect', () => conn.leave());
}
