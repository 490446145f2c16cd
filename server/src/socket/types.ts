import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '@yitang/shared';
import type { Server, Socket } from 'socket.io';

export type YitangServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type YitangSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Socket.IO room names: one per live session, one per member (to reach all of a member's tabs). */
export const sessionPrefix = 'session:';
export const sessionChannel = (sessionId: string) => `${sessionPrefix}${sessionId}`;
export const memberChannel = (memberId: string) => `member:${memberId}`;
/** One per topic, for the sockets of its open pages (`?topic=` on the handshake). */
export const topicChannel = (topicId: string) => `topic:${topicId}`;
