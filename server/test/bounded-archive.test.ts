import { ArchiveResponse, limits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawCollection } from '../src/db/models';
import { type SessionDoc, sessionYear } from '../src/rooms/room.model';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

describe('minutes archive: bounded', () => {
  it(`answers at most minutesArchiveMaxEntries entries, the most recent first`, async () => {
    const extra = limits.minutesArchiveMaxEntries + 10;
    // In this year (China time), which an answer without a start date covers.
    const base = Date.UTC(sessionYear(new Date()), 0, 1);
    await rawCollection(server.app.models.Session).insertMany(
      Array.from(
        { length: extra },
        (_, i): SessionDoc => ({
          _id: `s-archive-${i}`,
          topic: `历史议题${i}`,
          roomId: 'room-shanghu',
          scheduledAt: new Date(base + i * 86_400_000),
          // Written straight into the collection: with the year every writer keeps.
          year: sessionYear(new Date(base + i * 86_400_000)),
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
          hallCode: '000000',
          startedAt: null,
          closedAt: null,
        }),
      ),
    );
    const res = await fetch(`${server.url}/api/minutes/archive`, {
      headers: { cookie: await signIn(server.url, demo.staffId) },
    });
    expect(res.status).toBe(200);
    const { entries, more } = ArchiveResponse.parse(await res.json());
    expect(entries.length).toBe(limits.minutesArchiveMaxEntries);
    // …and says where the rest begins.
    expect(more).not.toBeNull();
    const times = entries.map((e) => Date.parse(e.scheduledAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
