/**
 * Baseline for the minutes relay: @y/websocket-server 0.1.1 (its own `setupWSConnection`, no
 * persistence) on a bare HTTP server, in a process of its own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { docs, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { processHandlers, serve } from './lib/rpc';

const http = createServer();
const wss = new WebSocketServer({ server: http });
wss.on('connection', (ws, req) => setupWSConnection(ws, req));
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const { port } = http.address() as AddressInfo;

serve(
  {
    ...processHandlers,
    sockets: () => wss.clients.size,
    docs: () => docs.size,
    stop: () => new Promise<void>((resolve) => http.close(() => resolve())),
  },
  { url: `http://127.0.0.1:${port}` },
);
