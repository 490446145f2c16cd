import { describe, expect, it } from 'vitest';
import { roomOfUpgrade } from './relay';

describe('roomOfUpgrade: the room a WebSocket upgrade belongs to', () => {
  it.each([
    ['/socket.io/?EIO=4&transport=websocket&room=s-nanmen-snacks', { sessionId: 's-nanmen-snacks', minutes: false }],
    ['/socket.io/?room=s%20x&EIO=4&transport=websocket', { sessionId: 's x', minutes: false }],
    ['/minutes/s-nanmen-snacks', { sessionId: 's-nanmen-snacks', minutes: true }],
    ['/minutes/s%E8%AE%AE', { sessionId: 's议', minutes: true }],
  ])('%s', (url, room) => {
    expect(roomOfUpgrade(url)).toEqual(room);
  });

  it.each([
    '/socket.io/?EIO=4&transport=websocket',
    '/socket.io/?room=&EIO=4',
    '/minutes/',
    '/minutes/%E8%AE',
    '/elsewhere',
    undefined,
  ])('none for %s', (url) => {
    expect(roomOfUpgrade(url)).toBeNull();
  });
});
