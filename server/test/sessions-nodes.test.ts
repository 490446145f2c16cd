/**
 * The sessions module on two nodes: REST runs on any node, a live room on the node holding its
 * lease. Taken off a session's list through one node's REST, a member present in the room on the
 * other node leaves it at once and is refused on joining again. Real Redis (from Debian) and the
 * run's database; the two nodes are two servers of this process, each with its own Redis
 * connections, on one Redis.
 */
import { SessionDetailResponse } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { notInvitedMessage } from '../src/sessions';
import {
  type ClientSocket,
  connectSocket,
  demo,
  type InProcessNode,
  type InProcessNodes,
  must,
  request,
  signIn,
  startInProcessNodes,
  uniqueDbName,
} from '../src/testing';

const mongoUri = inject('mongoUri');
const dbName = uniqueDbName('sessnodes');

let cluster: InProcessNodes<readonly ['node-a', 'node-b']>;
let a: InProcessNode;
let b: InProcessNode;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  cluster = await startInProcessNodes({ mongoUri, dbName, nodeIds: ['node-a', 'node-b'] });
  [a, b] = cluster.nodes;
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await cluster?.close();
});

const staff = demo.staffId;
const convener = 'm-he-jun';
const invitee = 'm-song-tao';

async function call(url: string, memberId: string, method: 'POST' | 'DELETE', path: string, body?: unknown) {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await signIn(url, memberId) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function socketOn(node: InProcessNode, memberId: string): Promise<ClientSocket> {
  const socket = await connectSocket(node.url, await signIn(node.url, memberId));
  sockets.push(socket);
  return socket;
}

describe('a membership change through one node reaches the room on the other', () => {
  it('a member taken off the list through node b leaves the room owned by node a, and is refused there', async () => {
    const created = await call(b.url, staff, 'POST', '/sessions', {
      topic: '老旧小区加装电梯协商',
      roomId: demo.roomId,
      scheduledAt: '2026-12-20T14:30:00+08:00',
      mode: 'hybrid',
      firstConvenerId: convener,
      agenda: [{ title: '协商讨论', plannedMinutes: 30 }],
      invitees: [{ memberId: invitee, role: 'member' }],
    });
    expect(created.status).toBe(201);
    const sessionId = SessionDetailResponse.parse(created.json).session.id;

    // The member joins on node a, which takes the room's lease; node b never loads it.
    const member = await socketOn(a, invitee);
    await must(member, 'room:join', { sessionId });
    expect(await b.cluster.ownerElsewhere(sessionId)).toEqual(expect.objectContaining({ nodeId: 'node-a' }));

    const gone = new Promise<string>((resolve) => member.once('disconnect', (reason) => resolve(reason)));
    const removed = await call(b.url, staff, 'DELETE', `/sessions/${sessionId}/invitees/${invitee}`);
    expect(removed.status).toBe(200);
    // Sent away by the server, not a dropped connection the client would retry.
    expect(await gone).toBe('io server disconnect');

    const again = await socketOn(a, invitee);
    const ack = await request(again, 'room:join', { sessionId });
    expect(ack.ok ? null : ack.error).toEqual(
      expect.objectContaining({ code: 'FORBIDDEN', message: notInvitedMessage }),
    );
  });
});
