/**
 * Issue 12, the hall code: it is derived per session and per day from the session's secret, so
 * the stored secret itself and yesterday's code do not check anyone in, and each person gets a
 * few tries before check-in by code locks them out. Real server, database and socket.io-client.
 */
import { limits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hallCodeFor } from '../src/auth/hall-code';
import { demo, joinAs, must, request, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

const other = (code: string, n = 1) => String((Number(code) + n) % 10 ** limits.hallCodeDigits).padStart(6, '0');

describe('hall code', () => {
  it('changes with the session and the day, and the stored secret alone is not the code', async () => {
    const staff = await joinAs(server, demo.staffId);
    const snap = await must(staff, 'room:join', { sessionId: demo.sessionId });
    const code = snap.hallCode ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const stored = (await server.app.models.Session.findById(demo.sessionId).lean())?.hallCode ?? '';
    const today = new Date();
    expect(hallCodeFor(stored, demo.sessionId, today)).toBe(code);
    const tomorrow = new Date(today.getTime() + 24 * 3600 * 1000);
    expect(hallCodeFor(stored, demo.sessionId, tomorrow)).not.toBe(code);
    expect(hallCodeFor(stored, 'another-session', today)).not.toBe(code);

    const phone = await joinAs(server, 'm-tian-jia');
    if (stored !== code) {
      expect(await request(phone, 'checkin:code', { code: stored })).toMatchObject({
        ok: false,
        error: { code: 'BAD_CODE' },
      });
    }
    const yesterday = hallCodeFor(stored, demo.sessionId, new Date(today.getTime() - 24 * 3600 * 1000));
    if (yesterday !== code) {
      expect(await request(phone, 'checkin:code', { code: yesterday })).toMatchObject({ ok: false });
    }
    expect(await must(phone, 'checkin:code', { code })).toMatchObject({ inHall: true });
  });

  it('locks a person out after a few wrong codes, even for the right one; others still check in', async () => {
    const staff = await joinAs(server, demo.staffId);
    const code = (await must(staff, 'room:join', { sessionId: demo.sessionId })).hallCode ?? '';
    const guesser = await joinAs(server, 'm-feng-gang');
    for (let i = 1; i <= limits.hallCodeTries; i++) {
      expect(await request(guesser, 'checkin:code', { code: other(code, i) })).toMatchObject({
        ok: false,
        error: { code: 'BAD_CODE' },
      });
    }
    expect(await request(guesser, 'checkin:code', { code })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    const honest = await joinAs(server, 'm-song-tao');
    expect(await must(honest, 'checkin:code', { code })).toMatchObject({ inHall: true });
  });
});
