import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PollTallyFrame } from '@yitang/shared';
import { Server } from 'socket.io';
import { type Socket as ClientSocket, io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { YitangServer } from '../socket/types';
import { RoomBroadcast } from './room.broadcast';

const channel = 'session:s-1';
const frame = (ballots: number): PollTallyFrame => ({ pollId: 'p-1', ballots, tally: null, votersAdded: [] });

let io: YitangServer;
let url: string;
const clients: ClientSocket[] = [];

beforeEach(async () => {
  const http = createServer();
  io = new Server(http);
  // A client sends its name once connected; the server puts it in the room.
  io.on('connection', (socket) => {
    socket.data.memberId = String(socket.handshake.query.name);
    if (socket.handshake.query.join === '1') void socket.join(channel);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await new Promise<void>((resolve) => io.close(() => resolve()));
});

/** Connects `n` clients (in the room unless `join` is false) and resolves once the server has them all. */
async function clientsOf(n: number, join = true): Promise<ClientSocket[]> {
  const made = Array.from({ length: n }, (_, i) => {
    const c = connect(url, { transports: ['websocket'], query: { name: `c${i}`, join: join ? '1' : '0' } });
    clients.push(c);
    return c;
  });
  await Promise.all(made.map((c) => new Promise<void>((resolve) => c.once('connect', () => resolve()))));
  return made;
}

/** Counts the tally packets Socket.IO's encoder (the server's, which its adapter uses too) encodes from now on. */
function countTallyEncodings(): () => number {
  const encoder = io.encoder;
  const original = encoder.encode.bind(encoder);
  let count = 0;
  encoder.encode = (packet) => {
    if (Array.isArray(packet.data) && packet.data[0] === 'poll:tally') count += 1;
    return original(packet);
  };
  return () => count;
}

/** Collects the ballots counts of the first `count` tally frames a client receives. */
const framesOf = (c: ClientSocket, count: number) =>
  new Promise<number[]>((resolve) => {
    const seen: number[] = [];
    c.on('poll:tally', (f: PollTallyFrame) => {
      seen.push(f.ballots);
      if (seen.length === count) resolve(seen);
    });
  });

describe('a room broadcast sent in slices', () => {
  it('reaches every socket in the room with every frame, in order, a slice at a time', async () => {
    const inRoom = await clientsOf(5);
    const [outsider] = await clientsOf(1, false);
    let outsiderFrames = 0;
    outsider?.on('poll:tally', () => {
      outsiderFrames += 1;
    });
    const b = new RoomBroadcast(io, channel, 2, 0);
    const received = inRoom.map((c) => framesOf(c, 20));
    for (let i = 1; i <= 20; i += 1) b.emit('poll:tally', frame(i));
    // Only the first slice went out at once; the rest waits for turns of the event loop.
    expect(b.pending).toBe(20);
    const expected = Array.from({ length: 20 }, (_, i) => i + 1);
    for (const seen of await Promise.all(received)) expect(seen).toEqual(expected);
    await b.idle();
    expect(b.pending).toBe(0);
    // A frame sent straight to the outsider afterwards is the first thing it sees.
    const marker = new Promise<number>((resolve) =>
      outsider?.once('poll:tally', (f: PollTallyFrame) => resolve(f.ballots)),
    );
    io.to(outsider?.id ?? '').emit('poll:tally', frame(99));
    expect(await marker).toBe(99);
    expect(outsiderFrames).toBe(1);
  });

  it('sends a small room its frames at once', async () => {
    const inRoom = await clientsOf(3);
    const b = new RoomBroadcast(io, channel, 3);
    const received = inRoom.map((c) => framesOf(c, 2));
    b.emit('poll:tally', frame(1));
    b.emit('poll:tally', frame(2));
    expect(b.pending).toBe(0);
    for (const seen of await Promise.all(received)) expect(seen).toEqual([1, 2]);
  });

  it('keeps a small room frame behind a sliced one still going out', async () => {
    const inRoom = await clientsOf(3);
    const b = new RoomBroadcast(io, channel, 2, 0);
    // The socket sent to first leaves; the others include one in the second slice.
    const [firstId] = [...(io.of('/').adapter.rooms.get(channel) ?? [])];
    const stays = inRoom.filter((c) => c.id !== firstId);
    const received = stays.map((c) => framesOf(c, 2));
    b.emit('poll:tally', frame(1));
    void io
      .of('/')
      .sockets.get(firstId ?? '')
      ?.leave(channel);
    // The room is now within one slice, but frame 1 has not reached everyone yet.
    b.emit('poll:tally', frame(2));
    expect(b.pending).toBe(2);
    for (const seen of await Promise.all(received)) expect(seen).toEqual([1, 2]);
  });

  it('leaves out a socket that left the room before its slice went out', async () => {
    const inRoom = await clientsOf(3);
    const b = new RoomBroadcast(io, channel, 1, 0);
    const first = inRoom[0];
    const last = inRoom[2];
    if (!first || !last) throw new Error('three clients expected');
    let lastFrames = 0;
    last.on('poll:tally', () => {
      lastFrames += 1;
    });
    const firstGot = framesOf(first, 1);
    b.emit('poll:tally', frame(1));
    void io
      .of('/')
      .sockets.get(last.id ?? '')
      ?.leave(channel);
    expect(await firstGot).toEqual([1]);
    await b.idle();
    const marker = new Promise<number>((resolve) => last.once('poll:tally', (f: PollTallyFrame) => resolve(f.ballots)));
    io.to(last.id ?? '').emit('poll:tally', frame(99));
    expect(await marker).toBe(99);
    expect(lastFrames).toBe(1);
  });

  it('sends as many slices in one turn as its time budget allows', async () => {
    const inRoom = await clientsOf(5);
    const received = inRoom.map((c) => framesOf(c, 2));
    // One socket a slice: with a budget far longer than five slices take, the whole frame goes
    // out in the turn it was made; without one, a slice a turn.
    const generous = new RoomBroadcast(io, channel, 1, 60_000);
    generous.emit('poll:tally', frame(1));
    expect(generous.pending).toBe(0);
    const strict = new RoomBroadcast(io, channel, 1, 0);
    strict.emit('poll:tally', frame(2));
    expect(strict.pending).toBe(1);
    for (const seen of await Promise.all(received)) expect(seen).toEqual([1, 2]);
  });

  it('tells when the broadcasts made so far have gone out, not waiting for later ones', async () => {
    const inRoom = await clientsOf(3);
    const b = new RoomBroadcast(io, channel, 1, 0);
    expect(b.flushed()).toBeNull();
    const received = inRoom.map((c) => framesOf(c, 2));
    b.emit('poll:tally', frame(1));
    const first = b.flushed();
    b.emit('poll:tally', frame(2));
    await first;
    // Frame 1 has gone to all three; frame 2, made later, is still going out.
    expect(b.pending).toBe(1);
    await b.flushed();
    expect(b.pending).toBe(0);
    for (const seen of await Promise.all(received)) expect(seen).toEqual([1, 2]);
  });

  it('encodes a frame going out in slices once, not once a slice', async () => {
    const inRoom = await clientsOf(5);
    const encoded = countTallyEncodings();
    const b = new RoomBroadcast(io, channel, 2, 0);
    const received = inRoom.map((c) => framesOf(c, 2));
    b.emit('poll:tally', frame(1));
    // A per-member broadcast: everyone shares one payload, so that too is encoded once.
    const shared = frame(2);
    b.emitEach('poll:tally', () => shared);
    for (const seen of await Promise.all(received)) expect(seen).toEqual([1, 2]);
    // Three slices each (2 + 2 + 1 sockets); one encoding each.
    expect(encoded()).toBe(2);
  });

  it.each([
    ['sliced', 2],
    ['small', 10],
  ] as const)(
    'sends each member the payload chosen for them, in order with the other frames (%s)',
    async (_, slice) => {
      const inRoom = await clientsOf(5);
      const b = new RoomBroadcast(io, channel, slice);
      const received = inRoom.map((c) => framesOf(c, 3));
      b.emit('poll:tally', frame(1));
      // c1 and c3 get 100 + their number; everyone else the one shared payload.
      const shared = frame(2);
      const chosen = new Map(['c1', 'c3'].map((name) => [name, frame(100 + Number(name.slice(1)))]));
      b.emitEach('poll:tally', (memberId) => (memberId === null ? shared : (chosen.get(memberId) ?? shared)));
      b.emit('poll:tally', frame(3));
      const seen = await Promise.all(received);
      expect(seen).toEqual([
        [1, 2, 3],
        [1, 101, 3],
        [1, 2, 3],
        [1, 103, 3],
        [1, 2, 3],
      ]);
    },
  );
});
