/**
 * Reads that `pnpm bench data-scale` found growing with the years of history (issue 14): on the
 * embedded FerretDB only a top-level equality reaches an index; `$in`, ranges, `$or`, dotted paths
 * and regexes read the whole collection. So these reads must send equality filters only (the
 * driver's commands are checked), on fields the models index.
 */
import { randomUUID } from 'node:crypto';
import type { CommandStartedEvent, Document } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createModels, ensureIndexes, type Models } from '../src/db/models';
import { roomReads } from '../src/rooms/room.reads';
import { createRoomRepository } from '../src/rooms/room.repository';

let conn: Connection;
let models: Models;
const commands: CommandStartedEvent[] = [];

beforeAll(async () => {
  conn = mongoose.createConnection(inject('mongoUri'), {
    dbName: `scalereads_${randomUUID().slice(0, 8)}`,
    sanitizeFilter: true,
    monitorCommands: true,
  });
  await conn.asPromise();
  conn.getClient().on('commandStarted', (e: CommandStartedEvent) => {
    if (e.commandName === 'find' || e.commandName === 'aggregate') commands.push(e);
  });
  models = createModels(conn);
  await ensureIndexes(models);
});
afterAll(async () => {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

/** The filters sent to `collection` (a find's filter, an aggregation's first $match). */
function filtersOn(collection: string): Document[] {
  return commands
    .filter((e) => e.command[e.commandName] === collection)
    .map((e) =>
      e.commandName === 'find'
        ? (e.command.filter as Document)
        : (((e.command.pipeline as Document[])[0]?.$match as Document | undefined) ?? {}),
    );
}

/** A filter of top-level equalities on plain values only. */
function equalityOnly(filter: Document): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      !key.startsWith('$') &&
      !key.includes('.') &&
      (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'),
  );
}

const indexedFields = (model: { schema: { indexes(): Array<[Record<string, unknown>, unknown]> } }) =>
  new Set(model.schema.indexes().flatMap(([fields]) => Object.keys(fields)));

describe('reads whose cost must not grow with history', () => {
  it("the dashboard's attendees of the period's sessions: one equality read per session", async () => {
    const [a, b, old] = ['a', 'b', 'old'].map((x) => `s-${x}-${randomUUID()}`) as [string, string, string];
    const row = (sessionId: string, memberId: string, role: string) => ({
      _id: `${sessionId}:${memberId}` as never,
      sessionId,
      memberId,
      role,
      online: true,
      inHall: false,
      firstSeenAt: new Date(),
      checkedInAt: null,
      checkedInBy: null,
    });
    await models.Attendance.collection.insertMany([
      row(a, 'm-1', 'member'),
      row(a, 'o-2', 'leader'),
      row(b, 'm-1', 'member'),
      row(old, 'm-3', 'member'),
    ]);

    commands.length = 0;
    const rows = await roomReads(models).attendeesAt([a, b, a]);
    expect(
      rows.map((r) => r._id).sort((x, y) => `${x.sessionId}${x.memberId}`.localeCompare(`${y.sessionId}${y.memberId}`)),
    ).toEqual(
      [
        { sessionId: a, memberId: 'm-1', role: 'member' },
        { sessionId: a, memberId: 'o-2', role: 'leader' },
        { sessionId: b, memberId: 'm-1', role: 'member' },
      ].sort((x, y) => `${x.sessionId}${x.memberId}`.localeCompare(`${y.sessionId}${y.memberId}`)),
    );
    const filters = filtersOn('attendance');
    expect(filters.length).toBeGreaterThan(0);
    for (const f of filters) expect(equalityOnly(f), JSON.stringify(f)).toBe(true);
    expect(indexedFields(models.Attendance).has('sessionId')).toBe(true);
  });

  it('a restart finds the live rooms by an equality on the indexed state, not by reading every session', async () => {
    const base = {
      topic: '议题',
      roomId: 'room-x',
      scheduledAt: new Date(),
      mode: 'online',
      firstConvenerId: 'm-1',
      secondConvenerId: null,
      roles: [],
      agenda: [],
      currentItemId: null,
      currentItemStartedAt: null,
      locked: false,
      speakerLimitSeconds: 180,
      speakers: { queue: [], speaker: null },
      muted: [],
      removed: [],
      startedAt: null,
      closedAt: null,
    };
    const live = `s-live-${randomUUID()}`;
    await models.Session.collection.insertMany([
      { ...base, _id: live as never, state: 'live' },
      { ...base, _id: `s-closed-${randomUUID()}` as never, state: 'closed' },
      { ...base, _id: `s-later-${randomUUID()}` as never, state: 'scheduled' },
    ]);

    commands.length = 0;
    expect(await createRoomRepository(models).liveSessionIds()).toEqual([live]);
    const filters = filtersOn('sessions');
    expect(filters.length).toBeGreaterThan(0);
    for (const f of filters) expect(f).toEqual({ state: 'live' });
    expect(indexedFields(models.Session).has('state')).toBe(true);
  });
});
