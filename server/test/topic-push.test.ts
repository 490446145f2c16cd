import { ProposeTopicResponse, TopicResponse } from '@yitang/shared';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ClientSocket, demo, joinAs, must, next, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const official = 'o-liu-jianguo';

async function call(memberId: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: await signIn(server.url, memberId) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as unknown;
}

/** A socket the way a topic page opens one: `?topic=` on the handshake. */
async function watchTopic(memberId: string, topicId: string): Promise<ClientSocket> {
  const socket: ClientSocket = ioClient(server.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie: await signIn(server.url, memberId) },
    query: { topic: topicId },
  });
  server.sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('an open topic page hears its topic move', () => {
  it('is told when the session’s after-close step holds the topic and starts tracking it', async () => {
    const { topic } = ProposeTopicResponse.parse(
      await call('m-dong-hai', 'POST', '/topics', {
        title: '城北公园夜间照明不足',
        description: '群众反映',
        source: 'member',
      }),
    );
    await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/accept`, {
      seat: 'first',
      secondConvenerId: official,
      department: '市城市管理局',
    });
    await call(official, 'POST', `/topics/${topic.id}/accept`, { seat: 'second' });
    const scheduled = TopicResponse.parse(
      await call(demo.firstConvenerId, 'POST', `/topics/${topic.id}/schedule`, {
        scheduledAt: '2026-12-10T14:30:00+08:00',
        roomId: demo.roomId,
        mode: 'hybrid',
        agenda: [{ title: '协商讨论', plannedMinutes: 45 }],
        invitees: [],
      }),
    ).topic;
    const sessionId = scheduled.sessionId ?? '';

    // The proposer has the topic page open; another topic's page hears nothing of it.
    const page = await watchTopic('m-dong-hai', topic.id);
    const otherPage = await watchTopic('m-dong-hai', 'tp-another');
    const heard: string[] = [];
    otherPage.on('topic:changed', (d) => heard.push(d.topicId));
    const tracked = next(page, 'topic:changed', (d) => d.state === 'inProgress');

    const convener = await joinAs(server, demo.firstConvenerId, sessionId);
    await must(convener, 'session:start', {});
    await must(convener, 'outcome:save', {
      outcomeId: null,
      text: '年底前补齐城北公园路灯',
      department: '市城市管理局',
      deadline: '2026-12-31',
      pollId: null,
      suggestionIds: [],
      record: true,
    });
    await must(convener, 'session:close', {});

    expect(await tracked).toEqual({ topicId: topic.id, state: 'inProgress' });
    // Told after the move: the trail read now shows it.
    const view = TopicResponse.parse(await call('m-dong-hai', 'GET', `/topics/${topic.id}`)).topic;
    expect(view.state).toBe('inProgress');
    await server.app.minutesIdle(sessionId);
    expect(heard).toEqual([]);
  });
});
