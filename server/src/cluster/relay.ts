import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { readUpgradeTarget, refuseUpgrade } from '../http/upgrade';
import type { Logger } from '../logger';
import type { Cluster, RemoteOwner } from './cluster';

/** Set on a connection this node passes to another, so that one never passes it on again. */
export const RELAY_HEADER = 'x-yitang-relayed-by';

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The room a WebSocket upgrade belongs to: `?room=` on the Socket.IO handshake (the client puts
 * it there for nginx), or the session id in `/minutes/<sessionId>`. Null for anything else.
 */
export function roomOfUpgrade(url: string | undefined): { sessionId: string; minutes: boolean } | null {
  // Never throws: the target is whatever a stranger sent, and this runs for every upgrade.
  const target = readUpgradeTarget(url);
  if (target.kind === 'minutes') return { sessionId: target.sessionId, minutes: true };
  if (target.kind === 'socketio' && target.room) return { sessionId: target.room, minutes: false };
  return null;
}

/**
 * Puts this node's room check in front of every WebSocket upgrade already registered on `http`
 * (Socket.IO's and the minutes socket's). nginx normally sends a room's connections to its
 * owner; when it cannot (the owner took the room over while another node was down, or a client
 * reached a node directly) the connection is passed through, byte for byte, to the node that
 * owns the room, so one process keeps serving each room.
 *
 * A minutes document is opened only by its room's owner: a minutes upgrade claims the lease
 * (for an existing session) before the document is loaded here. `refuseMinutes` runs first, so
 * that a stranger (no sign-in, a foreign Origin) or an upgrade during shutdown moves no lease and
 * costs no Redis round trip; the app checks the upgrade fully afterwards, as on a single node.
 */
export function installRelay(
  http: HttpServer,
  deps: {
    cluster: Cluster;
    logger: Logger;
    sessionExists: (sessionId: string) => Promise<boolean>;
    /** The HTTP status to refuse a minutes upgrade with before any lease work, or null to go on. */
    refuseMinutes: (req: IncomingMessage) => Promise<number | null>;
  },
): void {
  const { cluster, logger } = deps;
  const listeners = http.listeners('upgrade') as UpgradeListener[];
  http.removeAllListeners('upgrade');

  const serveHere = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    for (const listener of listeners) listener.call(http, req, socket, head);
  };

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const room = roomOfUpgrade(req.url);
    // Not a room's: the app's own listener answers it (Socket.IO's handshake, or a refusal).
    if (!room) return serveHere(req, socket, head);
    socket.on('error', (err) => logger.warn({ err }, 'upgrade socket error'));
    const relayed = req.headers[RELAY_HEADER] !== undefined;
    void (async () => {
      if (room.minutes) {
        const refusal = await deps.refuseMinutes(req);
        if (refusal !== null) return refuseUpgrade(socket, refusal);
      }
      if (!relayed) {
        const owner = await cluster.ownerElsewhere(room.sessionId);
        if (owner) return pass(req, socket, head, owner);
      }
      if (room.minutes && (await deps.sessionExists(room.sessionId))) {
        await cluster.claim(room.sessionId);
      }
      serveHere(req, socket, head);
    })().catch((err: unknown) => {
      logger.warn(
        { err, sessionId: room.sessionId },
        'room connection refused: owned elsewhere, or Redis or the database unreachable',
      );
      refuseUpgrade(socket, 503);
    });
  });

  /** Replays the upgrade request to the owner and joins the two TCP streams. */
  const pass = (req: IncomingMessage, socket: Duplex, head: Buffer, owner: RemoteOwner) => {
    if (socket.destroyed) return; // the client left while the owner was looked up
    const upstream = connect(owner.port, owner.host);
    const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    lines.push(`${RELAY_HEADER}: ${cluster.nodeId}`);
    upstream.once('connect', () => {
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    // Either side closing ends both: the client reconnects, and is routed again.
    upstream.on('error', (err) => {
      logger.warn({ err, owner: owner.nodeId }, 'relay to the room owner failed');
      socket.destroy();
    });
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  };
}
