import { randomUUID } from 'node:crypto';
import type { PollTallyFrame } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  choice,
  demo,
  joinAs,
  must,
  openPoll,
  request,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
const join = (memberId: string) => joinAs(server, memberId);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  await must(await join(demo.firstConvenerId), 'session:start', {});
});
afterAll(async () => {
  await server.close();
});

/** Every string and number anywhere inside a value, for searching stored records. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (typeof value === 'object') {
    if (value instanceof Date) out.push(value.toISOString());
    else for (const v of Object.values(value)) leaves(v, out);
  } else out.push(String(value));
  return out;
}

describe('secret polls', () => {
  it('keeps who voted and what was voted apart, in storage and on the wire', async () => {
    const convener = await join(demo.firstConvenerId);
    const watcher = await join('m-dong-hai');
    const frames: PollTallyFrame[] = [];
    const wire: unknown[] = [];
    watcher.onAny((_event, payload) => wire.push(payload));
    watcher.on('poll:tally', (f) => frames.push(f));

    const poll = await openPoll(convener, yesNoPoll('无记名:是否同意整治方案?', { secret: true }));
    expect(poll.tally).toBeNull();

    const votes: Array<[string, 'yes' | 'no' | 'abstain']> = [
      ['m-zhu-wenbin', 'yes'],
      ['m-ma-li', 'no'],
      ['m-he-jun', 'yes'],
      ['m-guo-hong', 'abstain'],
    ];
    const voters: ClientSocket[] = [];
    const ballotIds = new Map<string, string>();
    for (const [id, c] of votes) {
      const s = await join(id);
      voters.push(s);
      const ballotId = randomUUID();
      ballotIds.set(id, ballotId);
      const receipt = await must(s, 'vote:cast', { pollId: poll.id, ballotId, content: choice(c) });
      expect(receipt).toEqual({ pollId: poll.id, ballotId, paper: false });
    }
    // The voter list is live; the choices are not.
    const snap = await must(watcher, 'room:snapshot', {});
    const live = snap.polls.find((p) => p.id === poll.id);
    expect(live?.voters.sort()).toEqual(votes.map(([id]) => id).sort());
    expect(live?.tally).toBeNull();
    expect(frames.every((f) => f.tally === null)).toBe(true);
    // A voter's own snapshot says they voted, not what.
    const mine = await must(voters[0] as ClientSocket, 'room:snapshot', {});
    expect(mine.myBallots[poll.id]).toBeNull();

    // Re-sends and second ballots behave as in named polls.
    expect(
      await request(voters[1] as ClientSocket, 'vote:cast', {
        pollId: poll.id,
        ballotId: ballotIds.get('m-ma-li') ?? '',
        content: choice('no'),
      }),
    ).toMatchObject({ ok: true });
    expect(
      await request(voters[1] as ClientSocket, 'vote:cast', {
        pollId: poll.id,
        ballotId: randomUUID(),
        content: choice('yes'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_VOTED' } });

    // Storage: no named ballot exists, no sums are stored while the poll is open; a ballot is
    // its mark (no time) with the content sealed, every seal of the same length.
    const m = server.app.models;
    expect(await m.Ballot.countDocuments({ pollId: poll.id })).toBe(0);
    expect(await m.SecretTally.countDocuments({ _id: poll.id })).toBe(0);
    expect((await m.Poll.findById(poll.id).lean())?.tally).toBeNull();
    const marks = await m.VoterMark.find({ pollId: poll.id }).lean();
    expect(marks).toHaveLength(4);
    for (const mark of marks) {
      expect(Object.keys(mark).sort()).toEqual(['_id', 'ballotId', 'paper', 'pollId', 'sealed']);
      const { sealed, ...clear } = mark;
      expect(leaves(clear).join(' ')).not.toMatch(/yes|no|abstain/);
      expect(sealed?.length).toBe(marks[0]?.sealed?.length);
    }
    // No other collection mentions a voter together with this poll.
    const collections = await server.conn.db?.listCollections().toArray();
    for (const c of collections ?? []) {
      if (['voter_marks', 'attendance', 'members', 'credentials', 'authsessions'].includes(c.name)) continue;
      const docs = await server.conn.db?.collection(c.name).find({}).toArray();
      for (const d of docs ?? []) {
        const text = leaves(d).join(' ');
        if (!text.includes(poll.id)) continue;
        for (const [id] of votes) expect(text, `${c.name} links ${id} to the poll`).not.toContain(id);
      }
    }
    // On the wire, nothing that names a voter carries a choice.
    for (const payload of wire) {
      const text = JSON.stringify(payload);
      if (!text.includes(poll.id)) continue;
      if (votes.some(([id]) => text.includes(id))) {
        expect(text).not.toMatch(/"(yes|no|abstain)":[1-9]/);
        expect(text).not.toMatch(/"choice"/);
      }
    }

    // At close the sums are published as the result.
    const closed = await must(convener, 'poll:close', { pollId: poll.id });
    expect(closed.tally).toEqual({ kind: 'yesno', ballots: 4, yes: 2, no: 1, abstain: 1 });
    expect(closed.result).toMatchObject({ kind: 'yesno', outcome: 'adopted' });
    // After the close the sealed contents are gone: who voted, and the sums, nothing more.
    for (const mark of await m.VoterMark.find({ pollId: poll.id }).lean()) {
      expect(Object.keys(mark).sort()).toEqual(['_id', 'ballotId', 'paper', 'pollId']);
    }
  });
});
