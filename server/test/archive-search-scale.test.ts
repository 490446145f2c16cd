/**
 * The minutes archive searched without a start date (issue 14, `pnpm bench data-scale`): it used
 * to read every version of every year with a regex (no index serves a substring, on any
 * database). Now it reads back year by year only about a page of sessions, each version by key,
 * and says where it stopped; asking again from there finds the rest, nothing twice.
 */
import { randomUUID } from 'node:crypto';
import { ArchiveResponse, limits } from '@yitang/shared';
import type { CommandStartedEvent, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawCollection } from '../src/db/models';
import { versionKey } from '../src/minutes/review/review.model';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const commands: CommandStartedEvent[] = [];

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), monitorCommands: true });
  server.conn.getClient().on('commandStarted', (e: CommandStartedEvent) => {
    if (e.commandName === 'find' || e.commandName === 'aggregate') commands.push(e);
  });
});
afterAll(async () => {
  await server.close();
});

const phrase = '垃圾分类';

describe('minutes archive search over all years: bounded', () => {
  it('answers a year or a page of sessions at a time, versions by key, and says where to go on; going on finds the rest', async () => {
    const roomId = `room-scale-${randomUUID().slice(0, 8)}`;
    // One session a day: 30 in 2021, 300 in 2020, 5 in 2019; every tenth mentions the phrase.
    const plan = [
      [2021, 30],
      [2020, 300],
      [2019, 5],
    ] as const;
    const sessions = plan.flatMap(([year, count]) =>
      Array.from({ length: count }, (_, i) => ({
        _id: `s-scale-${year}-${i}-${roomId}`,
        scheduledAt: new Date(Date.UTC(year, 0, 1 + i, 2)),
        hit: i % 10 === 0,
      })),
    );
    await server.app.models.Session.insertMany(
      sessions.map((s) => ({
        _id: s._id,
        topic: '历史议题',
        roomId,
        scheduledAt: s.scheduledAt,
        mode: 'hybrid',
        state: 'closed',
        firstConvenerId: demo.firstConvenerId,
        secondConvenerId: null,
        roles: [],
        agenda: [],
        currentItemId: null,
        currentItemStartedAt: null,
        locked: false,
        speakerLimitSeconds: limits.defaultSpeakerLimitSeconds,
        speakers: { queue: [], speaker: null },
        muted: [],
        removed: [],
        startedAt: null,
        closedAt: null,
      })),
    );
    await rawCollection(server.app.models.MinutesMeta).insertMany(
      sessions.map((s) => ({
        _id: s._id,
        status: 'published' as const,
        approvals: [],
        publishedVersionId: versionKey(s._id, 1),
        updatedAt: s.scheduledAt,
      })),
    );
    await rawCollection(server.app.models.MinutesVersion).insertMany(
      sessions.map((s) => ({
        _id: versionKey(s._id, 1),
        sessionId: s._id,
        number: 1,
        reason: 'published' as const,
        label: '发布',
        state: Buffer.alloc(0),
        text: s.hit ? `会议纪要：关于${phrase}的意见。` : '会议纪要：其他事项。',
        createdBy: demo.staffId,
        createdAt: s.scheduledAt,
      })),
    );
    const cookie = await signIn(server.url, demo.staffId);
    const ask = async (to?: string) => {
      const params = new URLSearchParams({ q: phrase, roomId, ...(to ? { to } : {}) });
      const res = await fetch(`${server.url}/api/minutes/archive?${params.toString()}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return ArchiveResponse.parse(await res.json());
    };

    const hits = sessions
      .filter((s) => s.hit)
      .sort((a, b) => b.scheduledAt.getTime() - a.scheduledAt.getTime())
      .map((s) => s._id);
    const found: string[] = [];
    const stops: Array<string | null> = [];
    let to: string | undefined;
    for (let asks = 0; asks < 10; asks += 1) {
      commands.length = 0;
      const answer = await ask(to);
      expect(answer.entries.every((e) => e.excerpt?.includes(phrase))).toBe(true);
      found.push(...answer.entries.map((e) => e.sessionId));
      stops.push(answer.more?.to ?? null);
      // Every version read by key or by its session (no read of every version's text), at most
      // one per session looked at.
      const versionReads = commands
        .filter((e) => e.command[e.commandName] === 'minutes_versions')
        .map((e) => (e.commandName === 'find' ? (e.command.filter as Document) : {}));
      for (const f of versionReads) {
        expect(Object.keys(f).length, JSON.stringify(f)).toBe(1);
        expect(typeof (f._id ?? f.sessionId), JSON.stringify(f)).toBe('string');
      }
      expect(versionReads.length).toBeLessThanOrEqual(limits.minutesArchiveMaxEntries);
      if (!answer.more) break;
      to = answer.more.to;
    }
    // 2021 (its 30); 2020 newest first until 200 were looked at, up to 9 April, which is where the
    // next ask starts; the rest of 2020; 2019; then nothing earlier.
    expect(stops).toEqual(['2020-12-31', '2020-04-09', '2019-12-31', '2018-12-31', null]);
    expect(found).toEqual(hits);
  });
});
