/**
 * What a database administrator watching every command learns of a secret poll. Every command
 * the server sends on its own connection is recorded (the driver's command monitoring), for two
 * runs of the same poll with the same voters, in the same order, casting the same multiset of
 * choices, but with the choices swapped between voters. If the two records are the same once
 * the values that are random by design (ids, ballot ids, ciphertexts, times) are replaced by
 * placeholders that keep their length, then nothing written lets anyone tell the two runs apart:
 * no voter can be paired with a choice. Any per-ballot sum, clear content, choice-dependent
 * length or order shows up as a difference.
 */
import { randomUUID } from 'node:crypto';
import type { BallotContent, PollSettings } from '@yitang/shared';
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClientSocket,
  choice,
  demo,
  joinAs,
  must,
  openPoll,
  startTestServer,
  type TestServer,
  yesNoPoll,
} from '../src/testing';

let server: TestServer;
let convener: ClientSocket;
const voters: Array<{ id: string; socket: ClientSocket }> = [];
let recording: CommandStartedEvent[] | null = null;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), monitorCommands: true });
  server.conn.getClient().on('commandStarted', (e) => recording?.push(e));
  convener = await joinAs(server, demo.firstConvenerId);
  await must(convener, 'session:start', {});
  const members = await server.app.models.Member.find({ kind: 'member' }).sort({ _id: 1 }).lean();
  for (const m of members.filter((m) => m._id !== demo.firstConvenerId).slice(0, 8)) {
    voters.push({ id: m._id, socket: await joinAs(server, m._id) });
  }
  expect(voters).toHaveLength(8);
});
afterAll(async () => {
  await server.close();
});

/** Driver bookkeeping that is not the server's data. */
const bookkeeping = new Set(['lsid', '$clusterTime', 'txnNumber', '$readPreference', 'signature', 'apiVersion']);
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A command with the values that are random by design replaced by placeholders: the poll's id,
 * each voter's ballot id (by voter), other uuids, long opaque strings and binaries (by length),
 * times. Numbers, keys, short strings and the order of everything stay.
 */
function normalise(value: unknown, names: Map<string, string>): unknown {
  if (value === null || value === undefined) return value;
  if (value instanceof Date) return '<time>';
  if (typeof value === 'string') {
    let s = value;
    for (const [from, to] of names) s = s.replaceAll(from, to);
    s = s.replace(uuid, '<uuid>');
    return s.length > 40 && /^[A-Za-z0-9+/=._-]+$/.test(s) ? `<opaque:${s.length}>` : s;
  }
  if (typeof value !== 'object') return value;
  if ('_bsontype' in value) {
    if (value._bsontype === 'Binary' && 'length' in value && typeof value.length === 'function') {
      return `<binary:${String(value.length())}>`;
    }
    if (value._bsontype === 'ObjectId') return '<oid>';
    return `<${String(value._bsontype)}:${String(value)}>`;
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, names));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (bookkeeping.has(k)) continue;
    // A running number as a key (the audit log's entries) counts records, not choices.
    out[k] = k === '_id' && typeof v === 'number' ? '<seq>' : normalise(v, names);
  }
  return out;
}

/**
 * Runs one secret poll: opens it, has voter i cast `contents[i]`, one after the other, closes
 * it, and returns every command sent meanwhile that concerns the poll, normalised.
 */
async function run(settings: PollSettings, contents: BallotContent[]) {
  const poll = await openPoll(convener, settings);
  const names = new Map<string, string>([[poll.id, '<poll>']]);
  const sent: CommandStartedEvent[] = [];
  recording = sent;
  for (const [i, { socket }] of voters.entries()) {
    const content = contents[i];
    if (!content) throw new Error('one ballot per voter');
    const ballotId = randomUUID();
    names.set(ballotId, `<ballot of voter ${i}>`);
    await must(socket, 'vote:cast', { pollId: poll.id, ballotId, content });
  }
  const closed = await must(convener, 'poll:close', { pollId: poll.id });
  recording = null;
  const secrets = [poll.id, ...names.keys()];
  const personal = [...names.keys()].filter((k) => k !== poll.id).concat(voters.map((v) => v.id));
  const concerns = sent.filter((e) => {
    const text = JSON.stringify(e.command);
    if (!secrets.some((s) => text.includes(s))) return false;
    // The audit log records the convener's open and close, written after their answer, so
    // whether one falls inside the recording is timing; an entry naming a voter or a ballot is
    // compared like every other write.
    return e.command[e.commandName] !== 'auditlog' || personal.some((s) => text.includes(s));
  });
  // Per collection, in the order sent: the order between collections is the event loop's (an
  // audit entry may be written before or after a ballot), the order within one is what a
  // reader of that collection's history sees.
  const commands: Record<string, unknown[]> = {};
  for (const e of concerns) {
    const target = e.command[e.commandName];
    const key = `${e.commandName} ${typeof target === 'string' ? target : ''}`;
    commands[key] = [...(commands[key] ?? []), normalise(e.command, names)];
  }
  return { closed, commands };
}

/** The same choices, each moved to another voter. */
const rotate = <T>(xs: T[]): T[] => [...xs.slice(1), ...xs.slice(0, 1)];

describe('a secret poll as the database sees it', () => {
  it.each<[string, PollSettings, BallotContent[]]>([
    [
      'yes/no',
      yesNoPoll('无记名:数据库可见性', { secret: true }),
      (['yes', 'no', 'yes', 'abstain', 'no', 'yes', 'yes', 'no'] as const).map(choice),
    ],
    [
      'score, blanks included',
      {
        kind: 'score',
        question: '无记名评分:数据库可见性',
        secret: true,
        electorate: 'members',
        quorum: { type: 'none' },
        majority: { rule: 'simple', base: 'cast' },
        options: [
          { id: 'a', label: '方案甲' },
          { id: 'b', label: '方案乙' },
        ],
        scoreRange: { min: 1, max: 100 },
      },
      [
        { kind: 'score', scores: { a: 100, b: 1 } },
        { kind: 'score', scores: {} },
        { kind: 'score', scores: { a: 5, b: 99 } },
        { kind: 'score', scores: { a: 1, b: 1 } },
        { kind: 'score', scores: {} },
        { kind: 'score', scores: { a: 100, b: 100 } },
        { kind: 'score', scores: { a: 7, b: 3 } },
        { kind: 'score', scores: { a: 42, b: 64 } },
      ],
    ],
  ])('writes the same commands whoever chose what (%s)', async (_name, settings, contents) => {
    const first = await run(settings, contents);
    const second = await run(settings, rotate(contents));
    // The runs differ only in who chose what, so their results are the same.
    expect(second.closed.tally).toEqual(first.closed.tally);
    expect(first.closed.tally?.ballots).toBe(voters.length);
    // The record is not empty: every ballot was written where the test could see it.
    for (const i of voters.keys()) {
      expect(JSON.stringify(first.commands)).toContain(`<ballot of voter ${i}>`);
    }
    expect(second.commands).toEqual(first.commands);
  });
});
