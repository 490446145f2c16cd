/**
 * Reads that `pnpm bench data-scale` found growing with the years of history (issue 14): on the
 * embedded FerretDB only a top-level equality reaches an index; `$in`, ranges, `$or`, dotted paths
 * and regexes read the whole collection. So these reads must send equality filters only (the
 * driver's commands are checked), on fields the models index.
 */
import { randomUUID } from 'node:crypto';
import {
  ChangeDutyEntryBody,
  type MemberView,
  minutesDocName,
  minutesSchema,
  SubmitDutyEntryBody,
} from '@yitang/shared';
import type { CommandStartedEvent, CommandSucceededEvent, Document } from 'mongodb';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createAudit, verifyLog } from '../src/audit/audit.service';
import { createModels, ensureIndexes, type Models, rawCollection } from '../src/db/models';
import { createLogger } from '../src/logger';
import { createMinutesStore } from '../src/minutes/minutes.store';
import { appendEvent, listEvents } from '../src/minutes/minutes.structure';
import { sessionYear } from '../src/rooms/room.model';
import { roomReads } from '../src/rooms/room.reads';
import { createRoomRepository } from '../src/rooms/room.repository';
import { backfillDutyYears } from '../src/scoring/duty-years';
import { createLedger } from '../src/scoring/ledger';
import { sessionReads } from '../src/sessions';
import { backfillSessionYears } from '../src/sessions/session-years';
import { demo, minutesProvider, signIn, startTestServer, synced, type TestServer } from '../src/testing';

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

/** A session document's fields besides id, state and time. */
const sessionBase = {
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
    const live = `s-live-${randomUUID()}`;
    await models.Session.collection.insertMany([
      { ...sessionBase, _id: live as never, state: 'live' },
      { ...sessionBase, _id: `s-closed-${randomUUID()}` as never, state: 'closed' },
      { ...sessionBase, _id: `s-later-${randomUUID()}` as never, state: 'scheduled' },
    ]);

    commands.length = 0;
    expect(await createRoomRepository(models).liveSessionIds()).toEqual([live]);
    const filters = filtersOn('sessions');
    expect(filters.length).toBeGreaterThan(0);
    for (const f of filters) expect(f).toEqual({ state: 'live' });
    expect(indexedFields(models.Session).has('state')).toBe(true);
  });

  it("the dashboard's sessions of a period: by equality on the year, the period's sessions only", async () => {
    const roomId = `room-${randomUUID()}`;
    const at = (iso: string) => new Date(iso);
    const docs = [
      ['in', '2031-03-01T02:00:00Z', 'closed'],
      ['live', '2031-12-31T15:00:00Z', 'live'],
      // 1 January 2032, 00:30 in China: the next year there.
      ['next', '2031-12-31T16:30:00Z', 'closed'],
      ['before', '2030-12-31T15:59:00Z', 'closed'],
      ['planned', '2031-05-01T02:00:00Z', 'scheduled'],
    ] as const;
    // Through the model, as tests and fixtures write them: the year comes with the document.
    await models.Session.insertMany(
      docs.map(([key, when, state]) => ({
        ...sessionBase,
        _id: `s-${key}-${roomId}`,
        roomId,
        scheduledAt: at(when),
        state,
      })),
    );
    expect((await models.Session.findById(`s-next-${roomId}`).lean())?.year).toBe(2032);

    commands.length = 0;
    const held = await sessionReads(models).held({
      start: at('2030-12-31T16:00:00Z'),
      end: at('2031-12-31T16:00:00Z'),
      roomIds: new Set([roomId]),
    });
    expect(held.map((s) => s._id).sort()).toEqual([`s-in-${roomId}`, `s-live-${roomId}`]);
    const filters = filtersOn('sessions');
    expect(filters.length).toBeGreaterThan(0);
    for (const f of filters) expect(equalityOnly(f), JSON.stringify(f)).toBe(true);
    expect(indexedFields(models.Session).has('year')).toBe(true);
  });

  it("the dashboard's places of problems: one equality per session and per topic, never $in or $or", async () => {
    // Found by the data-scale bench: `$in`/`$or` here read every session (45.7 s at 1M).
    const roomId = `room-${randomUUID()}`;
    const topicId = `t-${roomId}`;
    await models.Session.insertMany(
      [
        ['a', null],
        ['b', topicId],
        ['c', topicId],
        ['d', null],
      ].map(([key, topic]) => ({
        ...sessionBase,
        _id: `s-${key}-${roomId}`,
        roomId,
        topicId: topic,
        scheduledAt: new Date('2031-03-01T02:00:00Z'),
        state: 'closed',
      })),
    );
    commands.length = 0;
    const places = await sessionReads(models).places({ ids: [`s-a-${roomId}`, `s-b-${roomId}`], topicIds: [topicId] });
    expect(places.map((p) => p._id).sort()).toEqual([`s-a-${roomId}`, `s-b-${roomId}`, `s-c-${roomId}`]);
    expect(places.find((p) => p._id === `s-c-${roomId}`)).toMatchObject({ roomId, topicId });
    const filters = filtersOn('sessions');
    expect(filters).toHaveLength(3);
    for (const f of filters) expect(equalityOnly(f), JSON.stringify(f)).toBe(true);
    expect(indexedFields(models.Session).has('topicId')).toBe(true);
  });

  it('sessions stored before they carried their year get it once, at start', async () => {
    const old = `s-old-${randomUUID()}`;
    await models.Session.collection.insertOne({
      ...sessionBase,
      _id: old as never,
      state: 'closed',
      scheduledAt: new Date('2019-12-31T17:00:00Z'),
    });
    expect(await backfillSessionYears(conn, models)).toBeGreaterThanOrEqual(1);
    expect((await models.Session.findById(old).lean())?.year).toBe(2020);
    expect(sessionYear(new Date('2019-12-31T17:00:00Z'))).toBe(2020);
    // Done once: a later start reads no session for it.
    await models.Session.collection.updateOne({ _id: old as never }, { $unset: { year: '' } });
    commands.length = 0;
    expect(await backfillSessionYears(conn, models)).toBe(0);
    expect(filtersOn('sessions')).toEqual([]);
  });

  it("the minutes archive's sessions: newest first, a few years a page by equality on the year, read only as far as needed", async () => {
    const roomId = `room-${randomUUID()}`;
    const years = [2024, 2023, 2019, 2012];
    await models.Session.insertMany(
      years.flatMap((y) =>
        [3, 9].map((month) => ({
          ...sessionBase,
          _id: `s-${y}-${month}-${roomId}`,
          roomId,
          state: 'closed',
          scheduledAt: new Date(Date.UTC(y, month, 1, 2)),
        })),
      ),
    );
    commands.length = 0;
    const pages = sessionReads(models).archive({ roomId });
    const first = await pages.next();
    const ids = (first.value ?? []).map((s: { _id: string }) => s._id);
    // The first page holds the newest page of years that has sessions (2027 back to 2024), newest first.
    expect(ids).toEqual([`s-2024-9-${roomId}`, `s-2024-3-${roomId}`]);
    const readSoFar = filtersOn('sessions');
    for (const f of readSoFar) expect(equalityOnly(f), JSON.stringify(f)).toBe(true);
    // Stopping there read no older year.
    expect(readSoFar.map((f) => f.year as number).every((y) => y >= 2024)).toBe(true);
    const rest: string[] = [];
    for await (const page of pages) rest.push(...page.map((s) => s._id));
    expect(rest).toEqual([
      `s-2023-9-${roomId}`,
      `s-2023-3-${roomId}`,
      `s-2019-9-${roomId}`,
      `s-2019-3-${roomId}`,
      `s-2012-9-${roomId}`,
      `s-2012-3-${roomId}`,
    ]);
    const bounded = [];
    for await (const page of sessionReads(models).archive({
      roomId,
      from: new Date('2019-06-01T00:00:00Z'),
      before: new Date('2023-06-01T00:00:00Z'),
    }))
      bounded.push(...page.map((s) => s._id));
    expect(bounded).toEqual([`s-2023-3-${roomId}`, `s-2019-9-${roomId}`]);
  });

  it("the tracking list's sessions its reader attended: an equality on the indexed memberId", async () => {
    const memberId = `m-${randomUUID()}`;
    const sessionId = `s-${randomUUID()}`;
    await models.Attendance.collection.insertOne({
      _id: `${sessionId}:${memberId}` as never,
      sessionId,
      memberId,
      role: 'member',
      online: true,
      inHall: false,
      firstSeenAt: new Date(),
      checkedInAt: null,
      checkedInBy: null,
    });
    commands.length = 0;
    expect([...(await createRoomRepository(models).sessionsAttendedBy(memberId))]).toEqual([sessionId]);
    for (const f of filtersOn('attendance')) expect(equalityOnly(f), JSON.stringify(f)).toBe(true);
    expect(indexedFields(models.Attendance).has('memberId')).toBe(true);
  });

  it("a member's duty page reads the year's records by equality on memberId and the indexed year", async () => {
    const memberId = `m-${randomUUID()}`;
    await models.Member.collection.insertOne({
      _id: memberId as never,
      committeeId: 'c-1',
      name: '规模委员',
      kind: 'member',
      sectorId: null,
      title: '委员',
      expertise: [],
    });
    const staff = { id: 's-scale', name: '工作人员', kind: 'staff' } as MemberView;
    const ledger = createLedger(models);
    const enter = (date: string, title: string) =>
      ledger.submit(
        SubmitDutyEntryBody.parse({ memberId, kind: 'goodDeed', date, title, evidence: { text: '见附件' } }),
        staff,
      );
    const inYear = await enter('2031-03-01', '当年的记录');
    const before = await enter('2030-12-31', '前一年的记录');
    const moved = await enter('2030-06-01', '改到当年的记录');
    await enter('2032-01-01', '后一年的记录');
    expect((await models.DutyEntry.findById(inYear._id).lean())?.year).toBe(2031);
    // A change of date moves the record's year with it.
    await ledger.change(moved._id, ChangeDutyEntryBody.parse({ date: '2031-07-01' }), staff);
    // A workflow's record that follows its source into another year too.
    const derived = {
      id: `sr:scale-${randomUUID()}:submitted`,
      memberId,
      kind: 'socialReport' as const,
      title: '社情民意',
      source: 'socialReport' as const,
      proposal: null,
      note: '社情民意 测试',
    };
    await ledger.recordDerived([{ ...derived, date: '2030-11-11' }], staff);
    await ledger.recordDerived([{ ...derived, date: '2031-01-02', follows: true }], staff);

    commands.length = 0;
    const year = await ledger.find({ memberId, year: 2031 });
    expect(year.map((d) => d.title)).toEqual(['社情民意', '当年的记录', '改到当年的记录']);
    const filters = filtersOn('duty_entries');
    expect(filters).toEqual([{ memberId, year: 2031 }]);
    expect(indexedFields(models.DutyEntry).has('year')).toBe(true);
    expect(indexedFields(models.DutyEntry).has('memberId')).toBe(true);
    expect((await ledger.find({ memberId, year: 2030 })).map((d) => d._id)).toEqual([before._id]);
    // Within the year up to a date: the same equality, the date checked here.
    expect((await ledger.find({ memberId, year: 2031, to: '2031-06-30' })).map((d) => d.title)).toEqual([
      '社情民意',
      '当年的记录',
    ]);
  });

  it('duty records stored before they carried their year get it once, at start', async () => {
    const old = `ent:old-${randomUUID()}`;
    await models.DutyEntry.collection.insertOne({
      _id: old as never,
      memberId: 'm-old',
      kind: 'goodDeed',
      date: '2019-12-31',
      title: '旧记录',
      source: 'staff',
      status: 'verified',
      sessionId: null,
      evidence: null,
      proposal: null,
      rejectReason: null,
      batchId: null,
      audit: [],
      createdAt: new Date(),
    });
    expect(await backfillDutyYears(conn, models)).toBeGreaterThanOrEqual(1);
    expect((await models.DutyEntry.findById(old).lean())?.year).toBe(2019);
    // Done once: a later start reads no record for it.
    await models.DutyEntry.collection.updateOne({ _id: old as never }, { $unset: { year: '' } });
    commands.length = 0;
    expect(await backfillDutyYears(conn, models)).toBe(0);
    expect(filtersOn('duty_entries')).toEqual([]);
  });
});

describe('the minutes document load (data-scale: 1.93x at 1,000,000 in one run)', () => {
  let server: TestServer;
  /** Every command the server sent, started and answered, in order. */
  const events: Array<{ started: boolean; e: CommandStartedEvent | CommandSucceededEvent }> = [];
  const started = () => events.filter((x) => x.started).map((x) => x.e as CommandStartedEvent);

  beforeAll(async () => {
    server = await startTestServer({ mongoUri: inject('mongoUri'), monitorCommands: true });
    const client = server.conn.getClient();
    client.on('commandStarted', (e: CommandStartedEvent) => events.push({ started: true, e }));
    client.on('commandSucceeded', (e: CommandSucceededEvent) => events.push({ started: false, e }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('reads by key and by the indexed document name only, the session and its status in one round trip, without a write, and loads the snapshot with the records after it', async () => {
    const models = createModels(server.conn);
    const held = await rawCollection(models.Session).findOne({ state: 'closed', _id: /^s-year-/ as never });
    if (!held) throw new Error('the demo has no held session');
    const sessionId = held._id;
    const name = minutesDocName(sessionId);
    const stored = await createMinutesStore(models).load(name);
    // A record after the snapshot, as a live copy leaves it, and one of another document.
    const writer = new Y.Doc();
    if (stored.state) Y.applyUpdate(writer, stored.state);
    const later: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => later.push(u));
    appendEvent(writer, held.agenda[0]?.id ?? null, {
      kind: 'speech',
      refId: 'r-scale',
      text: '规模测试：快照之后的发言',
    });
    await rawCollection(models.MinutesUpdate).insertMany([
      { doc: name, seq: stored.lastSeq + 1, update: Buffer.from(later[0] as Uint8Array), at: new Date() },
      {
        doc: minutesDocName(`s-other-${randomUUID()}`),
        seq: 1,
        update: Buffer.from(later[0] as Uint8Array),
        at: new Date(),
      },
    ]);
    const cookie = await signIn(server.url, demo.staffId);
    // Last used ten minutes ago: the touch is due at this upgrade.
    const lastUsed = new Date(Date.now() - 10 * 60_000);
    await models.AuthSession.updateMany({ memberId: demo.staffId }, { $set: { lastSeenAt: lastUsed } });

    // Idle connections in the driver's pool, so that two reads asked together start together
    // (a read that has to open a connection first would start after the other's answer).
    await Promise.all(Array.from({ length: 4 }, () => models.Member.findById(demo.staffId).lean()));
    events.length = 0;
    const doc = new Y.Doc();
    const provider = minutesProvider(server.url, sessionId, doc, cookie);
    await synced(provider);
    const during = [...events];
    provider.destroy();

    expect(doc.getXmlFragment(minutesSchema.fragment).toString()).toBe(
      writer.getXmlFragment(minutesSchema.fragment).toString(),
    );
    expect(listEvents(doc).map((e) => e.text)).toContain('规模测试：快照之后的发言');

    const byCollection = new Map(
      Object.values(models).map((m) => [
        m.collection.collectionName,
        m as unknown as Parameters<typeof indexedFields>[0],
      ]),
    );
    const path = ['authsessions', 'members', 'sessions', 'minutes_meta', 'minutes_snapshots', 'minutes_updates'];
    const finds = started().filter((e) => e.commandName === 'find' && path.includes(e.command.find as string));
    expect(new Set(finds.map((e) => e.command.find))).toEqual(new Set(path));
    for (const e of finds) {
      const filter = e.command.filter as Document;
      expect(equalityOnly(filter), JSON.stringify(filter)).toBe(true);
      const model = byCollection.get(e.command.find as string);
      if (!model) throw new Error(`no model for ${e.command.find}`);
      for (const key of Object.keys(filter)) expect(key === '_id' || indexedFields(model).has(key), key).toBe(true);
    }
    expect(finds.find((e) => e.command.find === 'minutes_updates')?.command.filter).toEqual({ doc: name });

    // Both asked before either answered.
    const at = (collection: string, kind: boolean) => {
      const req = finds.find((e) => e.command.find === collection)?.requestId;
      return during.findIndex((x) => x.started === kind && x.e.requestId === req);
    };
    expect(at('sessions', true)).toBeLessThan(at('minutes_meta', false));
    expect(at('minutes_meta', true)).toBeLessThan(at('sessions', false));

    // The due touch is not awaited by the upgrade: written with the open sockets' next ones.
    expect(started().filter((e) => e.commandName === 'update' && e.command.update === 'authsessions')).toEqual([]);
    await vi.waitFor(
      async () => {
        const s = await models.AuthSession.findOne({ memberId: demo.staffId }).lean();
        expect(s?.lastSeenAt?.getTime()).toBeGreaterThan(lastUsed.getTime());
      },
      { timeout: 5000, interval: 100 },
    );
    doc.destroy();
    writer.destroy();
  });
});

describe('an audit append (every sign-in writes one)', () => {
  it('finds the head once, then appends without reading the log, and catches up on another writer by key', async () => {
    const key = Buffer.alloc(32, 7);
    const logger = createLogger('silent');
    const one = createAudit({ models, logger, key });
    const other = createAudit({ models, logger, key });
    await one.record({ actor: null, action: 'auth.login', details: { n: 1 } });
    commands.length = 0;
    for (let n = 2; n <= 4; n++) await one.record({ actor: null, action: 'auth.login', details: { n } });
    // No read at all: the head was known (the embedded FerretDB sorts the whole log for a head read).
    expect(filtersOn('auditlog')).toEqual([]);

    // Another process appends: the first finds out when its seq is taken and walks on by _id.
    await other.record({ actor: null, action: 'auth.login', details: { n: 5 } });
    commands.length = 0;
    await one.record({ actor: null, action: 'auth.login', details: { n: 6 } });
    const reads = filtersOn('auditlog');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((f) => Object.keys(f).join() === '_id' && equalityOnly(f))).toBe(true);
    const seqs = (await models.AuditEntry.find({}, { _id: 1 }).sort({ _id: 1 }).lean()).map((e) => e._id);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await verifyLog(models, key)).problems).toEqual([]);
  });
});
