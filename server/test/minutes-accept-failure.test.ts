/**
 * A minutes socket whose opening fails after the upgrade (the 101 has gone out) is closed as a
 * WebSocket, with 1011, not answered with an HTTP status written into the WebSocket stream
 * (which the client reads as a broken frame). Real server and database; the failure is forced
 * by making the minutes server's `accept` throw.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

const mongoUri = inject('mongoUri');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri });
});
afterAll(async () => {
  await server.close();
});

describe('a minutes socket that cannot be opened', () => {
  it('is closed with 1011 after the upgrade, and the server serves the next one', async () => {
    const cookie = await signIn(server.url, demo.recorderId);
    const minutes = server.app.minutes;
    const accept = minutes.accept;
    minutes.accept = () => {
      throw new Error('forced failure');
    };
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/minutes/${demo.sessionId}`, {
      headers: { cookie },
    });
    const errors: Error[] = [];
    ws.on('error', (err) => errors.push(err));
    const [code] = (await once(ws, 'close')) as [number, Buffer];
    minutes.accept = accept;
    expect(errors).toEqual([]);
    expect(code).toBe(1011);

    // Nothing is left broken: the same member opens the minutes now.
    const again = new WebSocket(`${server.url.replace(/^http/, 'ws')}/minutes/${demo.sessionId}`, {
      headers: { cookie },
    });
    await once(again, 'message');
    again.close();
    await once(again, 'close');
  });
});
