/**
 * The dispatcher with a real Socket.IO server on port 0 and a real client: an observer that
 * throws neither turns the answer into an error (answered twice, logged as a failed handler)
 * nor keeps the observers after it from running.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { clientEventSchemas } from '@yitang/shared';
import pino from 'pino';
import { Server } from 'socket.io';
import { io as ioClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchEvents, type EventHandlers, type EventObserver, observeAll } from './dispatch';
import type { YitangServer } from './types';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('dispatchEvents', () => {
  it('answers once, and runs every observer, when an observer throws', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    // Every event answers null: only the dispatcher around the handlers is under test.
    const handlers = Object.fromEntries(
      Object.keys(clientEventSchemas).map((name) => [name, async () => null]),
    ) as unknown as EventHandlers<null>;
    const seen: string[] = [];
    const throwing: EventObserver = () => {
      throw new Error('observer broke');
    };
    const counting: EventObserver = (_socket, event) => {
      seen.push(event);
    };
    const http = createServer();
    const io: YitangServer = new Server(http);
    io.on('connection', (socket) => {
      socket.data = { memberId: 'm-test', name: 'test', member: null as never, sessionId: null };
      dispatchEvents(socket, null, handlers, logger, observeAll(logger, throwing, counting));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => io.close(() => resolve())));
    const { port } = http.address() as AddressInfo;
    const client = ioClient(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
    cleanups.push(() => {
      client.close();
    });
    const answer = await client.timeout(5_000).emitWithAck('room:leave', {});
    expect(answer).toEqual({ ok: true, data: null });
    expect(seen).toEqual(['room:leave']);
    expect(lines.some((l) => l.includes('event observer failed'))).toBe(true);
    expect(lines.some((l) => l.includes('event handler failed'))).toBe(false);
  });
});
