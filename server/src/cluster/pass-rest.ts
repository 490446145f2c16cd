import { request } from 'node:http';
import type { Request } from 'express';
import { AppError } from '../errors';
import type { Cluster } from './cluster';
import { RELAY_HEADER } from './relay';

/** How long the owner may take to answer a passed call before the caller is told to try again. */
const passTimeoutMs = 15_000;
/** Headers the owner needs to check the call as its own: who, from which page, what body. */
const passedHeaders = [
  'cookie',
  'origin',
  'host',
  'content-type',
  'user-agent',
  'x-forwarded-for',
  'x-forwarded-proto',
];

/** The owner's answer, sent back to the caller as it came. */
export interface PassedAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * A REST call that acts on a live room, passed to the node that owns the room (as relay.ts passes
 * WebSocket upgrades): the caller's own request, cookie and Origin included, so the owner signs
 * it in and checks it exactly as if it had been sent there. Answers null when this node serves
 * the call: no other live owner, or the call was passed here already (never passed twice).
 */
export async function passToRoomOwner(cluster: Cluster, req: Request, sessionId: string): Promise<PassedAnswer | null> {
  if (req.headers[RELAY_HEADER] !== undefined) return null;
  const owner = await cluster.ownerElsewhere(sessionId);
  if (!owner) return null;
  const body = Buffer.from(JSON.stringify(req.body ?? {}));
  const headers: Record<string, string> = { [RELAY_HEADER]: cluster.nodeId, 'content-length': String(body.length) };
  for (const name of passedHeaders) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  headers['content-type'] = 'application/json';
  const unavailable = () =>
    new AppError('UNAVAILABLE', 'The server holding the live session did not answer; try again.');
  return new Promise<PassedAnswer>((resolve, reject) => {
    const out = request(
      {
        host: owner.host,
        port: owner.port,
        method: req.method,
        path: req.originalUrl,
        headers,
        timeout: passTimeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 502,
            contentType: res.headers['content-type'] ?? 'application/json',
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', () => reject(unavailable()));
      },
    );
    out.on('timeout', () => out.destroy(new Error('the room owner did not answer in time')));
    out.on('error', () => reject(unavailable()));
    out.end(body);
  });
}
