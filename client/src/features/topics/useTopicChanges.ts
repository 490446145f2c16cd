import type { ClientToServerEvents, ServerToClientEvents } from '@yitang/shared';
import { useEffect, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';

/**
 * Calls `changed` whenever the topic moves on the server (e.g. held and tracked once its session's
 * after-close step ran), and each time the socket (re)connects, so a move made between the page's
 * first read and the connection is not missed. Signed out, no socket is opened.
 */
export function useTopicChanges(topicId: string, signedIn: boolean, changed: () => void): void {
  const latest = useRef(changed);
  latest.current = changed;
  useEffect(() => {
    if (!signedIn) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      withCredentials: true,
      transports: ['websocket'],
      query: { topic: topicId },
    });
    socket.on('connect', () => latest.current());
    socket.on('topic:changed', (d) => {
      if (d.topicId === topicId) latest.current();
    });
    return () => {
      socket.disconnect();
    };
  }, [topicId, signedIn]);
}
