import { describe, expect, it } from 'vitest';
import { hallIdentity, type MediaFloor, mayPublish, mediaRoomName, sessionOfMediaRoom } from './media';

const floor: MediaFloor = { speakerId: 'm-a', firstConvenerId: 'm-c1', secondConvenerId: null, muted: [], allowed: [] };

describe('who publishes in a media room', () => {
  it('is the floor holder, the conveners and the hall; everyone else listens', () => {
    expect(mayPublish(floor, 'm-a')).toBe(true);
    expect(mayPublish(floor, 'm-c1')).toBe(true);
    expect(mayPublish(floor, hallIdentity)).toBe(true);
    expect(mayPublish(floor, 'm-b')).toBe(false);
    expect(mayPublish({ ...floor, speakerId: null }, 'm-a')).toBe(false);
  });

  it('never a muted person, convener or not', () => {
    expect(mayPublish({ ...floor, muted: ['m-a', 'm-c1'] }, 'm-a')).toBe(false);
    expect(mayPublish({ ...floor, muted: ['m-a', 'm-c1'] }, 'm-c1')).toBe(false);
  });

  it('also whoever the conveners allow, unless muted', () => {
    expect(mayPublish({ ...floor, allowed: ['m-b'] }, 'm-b')).toBe(true);
    expect(mayPublish({ ...floor, allowed: ['m-b'], muted: ['m-b'] }, 'm-b')).toBe(false);
    expect(mayPublish({ ...floor, allowed: ['m-b'] }, 'm-d')).toBe(false);
  });

  it('names one room per session, and reads the session back from it', () => {
    expect(mediaRoomName('s-1')).toBe('yitang-session-s-1');
    expect(mediaRoomName('s-1')).not.toBe(mediaRoomName('s-2'));
    expect(sessionOfMediaRoom(mediaRoomName('s-1'))).toBe('s-1');
    expect(sessionOfMediaRoom('yitang-session-')).toBeNull();
    expect(sessionOfMediaRoom('someone-elses-room')).toBeNull();
  });
});
