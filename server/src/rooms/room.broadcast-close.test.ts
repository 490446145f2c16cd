import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PollTallyFrame } from '@yitang/shared';
import { Server } from 'socket.io';
import { type Socket as ClientSocket, io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { YitangServer } from '../socket/types';
import { RoomBroadcast } from './room.broadcast';

const channel = 'session:s-closed';
const frame = (ballots: number): PollTallyFrame => ({ pollId: 'p-1', ballots, tally: null, votersAdded: [] });

let io: YitangServer;
let url: string;
const clients: ClientSocket[] = [];

beforeEach(async () => {
  const http = createServer();
  io = new Server(http);
  io.on('connection', (socket) => void socket.join(channel));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

/** Connects `n` clients in the room; resolves once the server has put them all there. */
async function roomOf(n: number): Promise<ClientSocket[]> {
  const made = Array.from({ length: n }, () => {
    const c = connect(url, { transports: ['websocket'] });
    clients.push(c);
    return c;
  });
  await Promise.all(made.map((c) => new Promise<void>((resolve) => c.once('connect', () => resolve()))));
  while ((io.of('/').adapter.rooms.get(channel)?.size ?? 0) < n) {
    await new Promise<void>((resolve) => io.of('/').adapter.once('join-room', () => resolve()));
  }
  return made;
}

describe('a closed room broadcast', () => {
  it('drops what it had not sent yet and everything sent later', async () => {
    const inRoom = await roomOf(5);
    const seen = inRoom.map(() => [] as number[]);
    inRoom.forEach((c, i) => {
      c.on('poll:tally', (f: PollTallyFrame) => {
        seen[i]?.push(f.ballots);
      });
    });
    const b = new RoomBroadcast(io, channel, 2, 0);
    b.emit('poll:tally', frame(1));
    b.emit('poll:tally', frame(2));
    // The first slice of frame 1 went out at once; the rest waits for turns of the event loop.
    expect(b.pending).toBe(2);
    b.close();
    expect(b.pending).toBe(0);
    b.emit('poll:tally', frame(3));
    expect(b.pending).toBe(0);
    // Once the broadcast has nothing left to do, a frame sent to the whole room is the next
    // thing each client sees after what had already gone out.
    await b.idle();
    const markers = inRoom.map(
      (c) =>
        new Promise<void>((resolve) =>
          c.on('poll:tally', (f: PollTallyFrame) => {
            if (f.ballots === 99) resolve();
          }),
        ),
    );
    io.to(channel).emit('poll:tally', frame(99));
    await Promise.all(markers);
    const firstSlice = seen.filter((s) => s[0] === 1).length;
    expect(firstSlice).toBe(2);
    for (const s of seen) expect(s).toEqual(s[0] === 1 ? [1, 99] : [99]);
  });
});
