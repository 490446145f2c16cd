import { type ClientEventName, eventRoles } from '@yitang/shared';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { dispatchEvents, type EventHandlers } from '../socket/dispatch';
import type { YitangSocket } from '../socket/types';
import type { LiveRoom } from './live-room';
import type { RoomRegistry } from './room.registry';

/** Wires one connected socket to the live rooms: join/leave, agenda, polls, votes. */
export function registerRoomHandlers(socket: YitangSocket, deps: { registry: RoomRegistry; logger: Logger }): void {
  const me = () => ({ memberId: socket.data.memberId, name: socket.data.name });
  let joined: LiveRoom | null = null;

  /** The room this socket is in, after checking the caller's role may send `event`. */
  const roomFor = (event: ClientEventName): LiveRoom => {
    if (!joined) throw new AppError('NOT_JOINED', 'Join a session first.');
    if (!eventRoles[event].includes(joined.roleOf(socket.data.memberId))) {
      throw new AppError('FORBIDDEN', `Your role may not send ${event}.`);
    }
    return joined;
  };

  const leave = () => {
    if (!joined) return;
    const room = joined;
    joined = null;
    socket.data.sessionId = null;
    void socket.leave(room.channel);
    room.exit(socket.data.memberId);
  };

  const handlers: EventHandlers = {
    'room:join': async ({ sessionId }) => {
      const room = await deps.registry.get(sessionId);
      if (!room) throw new AppError('NOT_FOUND', `No session ${sessionId}.`);
      if (socket.disconnected) throw new AppError('UNAVAILABLE', 'Disconnected while joining.');
      if (joined !== room) {
        leave();
        joined = room;
        socket.data.sessionId = room.id;
        room.enter(me(), socket.id);
        await socket.join(room.channel);
      }
      return room.snapshot(socket.data.memberId);
    },
    'room:leave': async () => {
      leave();
      return null;
    },
    'room:snapshot': async () => roomFor('room:snapshot').snapshot(socket.data.memberId),
    'agenda:goto': async ({ itemId }) => roomFor('agenda:goto').gotoItem(itemId),
    'poll:open': async (p) => roomFor('poll:open').openPoll(socket.data.memberId, p),
    'poll:close': async ({ pollId }) => roomFor('poll:close').closePoll(socket.data.memberId, pollId),
    'vote:cast': async (p) => roomFor('vote:cast').castVote(me(), p),
  };

  dispatchEvents(socket, handlers, deps.logger);
  socket.on('disconnect', leave);
}
