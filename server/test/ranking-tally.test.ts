/**
 * Issue 19: a named ranking vote showed its running point totals while open, which invites
 * tactical ordering. Its tally stays hidden (snapshot, poll view and tally frames) until the close,
 * like a secret ballot's; the ballots cast are still counted live.
 */
import { randomUUID } from 'node:crypto';
import type { PollSettings, PollTallyFrame } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demo, joinAs, must, openPoll, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  await must(await join(demo.firstConvenerId), 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

const ranking: PollSettings = {
  kind: 'ranking',
  question: '夜间摊位区选址排序',
  secret: false,
  electorate: 'members',
  quorum: { type: 'none' },
  majority: { rule: 'simple', base: 'cast' },
  options: [
    { id: 'east', label: '南门东侧空地' },
    { id: 'west', label: '南门西侧停车场' },
    { id: 'lane', label: '学府路辅道' },
  ],
} as PollSettings;

describe('a named ranking vote', () => {
  it('shows no points while open, only the ballots cast, and the points at the close', async () => {
    const convener = await join(demo.firstConvenerId);
    const watcher = await join('m-dong-hai');
    const frames: PollTallyFrame[] = [];
    watcher.on('poll:tally', (f) => frames.push(f));
    const poll = await openPoll(convener, ranking);
    expect(poll.tally).toBeNull();

    const voter = await join('m-zhu-wenbin');
    const framed = new Promise<void>((resolve) =>
      watcher.on('poll:tally', (f) => {
        if (f.pollId === poll.id && f.ballots === 1) resolve();
      }),
    );
    await must(voter, 'vote:cast', {
      pollId: poll.id,
      ballotId: randomUUID(),
      content: { kind: 'ranking', ranking: ['lane', 'east', 'west'] },
    });
    await framed;
    const live = (await must(watcher, 'room:snapshot', {})).polls.find((p) => p.id === poll.id);
    expect(live).toMatchObject({ ballots: 1, tally: null });
    expect(frames.filter((f) => f.pollId === poll.id).every((f) => f.tally === null)).toBe(true);

    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally).toMatchObject({ kind: 'ranking', points: { lane: 2, east: 1 } });
  });
});
