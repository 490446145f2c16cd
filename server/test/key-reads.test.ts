/**
 * Reads on paths that run for every participant (a connection's handshake, a join's snapshot)
 * must be key lookups: the embedded FerretDB answers a lone `_id` equality from its key and scans
 * the whole collection for any other filter, `_id: {$in: …}` included. Measured on it with
 * 100,000 stored ballots: 16.4 s per join with `$in`, 23 ms with point reads.
 */
import { randomUUID } from 'node:crypto';
import type { CommandStartedEvent } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createModels, ensureIndexes, type Models } from '../src/db/models';
import { createMemberService } from '../src/members/member.service';
import { ballotKey } from '../src/polls/poll.model';
import { createPollRepository } from '../src/polls/poll.repository';
import { choice, uniqueDbName } from '../src/testing';

let conn: Connection;
let models: Models;
const finds: CommandStartedEvent[] = [];

beforeAll(async () => {
  conn = mongoose.createConnection(inject('mongoUri'), {
    dbName: uniqueDbName('keyreads'),
    sanitizeFilter: true,
    monitorCommands: true,
  });
  await conn.asPromise();
  conn.getClient().on('commandStarted', (e: CommandStartedEvent) => {
    if (e.commandName === 'find') finds.push(e);
  });
  models = createModels(conn);
  await ensureIndexes(models);
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

describe('reads made at every join and handshake', () => {
  it("finds a voter's ballots, named and secret, by key only", async () => {
    const repo = createPollRepository(models);
    const [named, secret, untouched] = ['p-named', 'p-secret', 'p-none'].map((p) => `${p}-${randomUUID()}`) as [
      string,
      string,
      string,
    ];
    const voter = 'm-key-reader';
    await models.Ballot.collection.insertOne({
      _id: ballotKey(named, voter) as never,
      pollId: named,
      ballotId: randomUUID(),
      voterId: voter,
      content: choice('no'),
      paper: false,
      enteredBy: null,
      castAt: new Date(),
    });
    await models.VoterMark.collection.insertOne({
      _id: ballotKey(secret, voter) as never,
      pollId: secret,
      ballotId: randomUUID(),
      paper: false,
    });

    finds.length = 0;
    const mine = await repo.ballotsOf(voter, [named, secret, untouched]);
    expect(Object.fromEntries(mine)).toEqual({ [named]: choice('no'), [secret]: null });

    expect(finds.length).toBeGreaterThan(0);
    for (const e of finds) {
      const filter: unknown = e.command.filter;
      expect(filter, JSON.stringify(filter)).toEqual({ _id: expect.any(String) });
    }
  });

  it('reads the member behind a connection, with their sector, by key only', async () => {
    const sectorId = `sec-${randomUUID()}`;
    const memberId = `m-${randomUUID()}`;
    await models.Sector.collection.insertMany([
      { _id: sectorId as never, name: '经济界' },
      { _id: `sec-${randomUUID()}` as never, name: '教育界' },
    ]);
    await models.Member.collection.insertOne({
      _id: memberId as never,
      name: '周明',
      kind: 'member',
      sectorId,
      title: '',
    });
    const members = createMemberService(models);

    finds.length = 0;
    const member = await members.get(memberId);
    expect(member).toMatchObject({ id: memberId, name: '周明', sectorId, sectorName: '经济界' });
    expect(finds.length).toBeGreaterThan(0);
    for (const e of finds) {
      const filter: unknown = e.command.filter;
      expect(filter, JSON.stringify(filter)).toEqual({ _id: expect.any(String) });
    }
  });
});
