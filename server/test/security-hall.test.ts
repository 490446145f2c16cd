/**
 * Issue 12, the hall code: it is derived per session and per day from a key the database never
 * holds, the previous day's code still works for a while after midnight, and each person gets
 * a few tries before check-in by code locks them out for the full lockout span. Real server,
 * database and socket.io-client; the server's clock is injected so midnight comes at once.
 */
import { limits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HallCodes, hallCodeGraceMs } from '../src/auth/hall-code';
import { serverSubkey } from '../src/lib/server-key';
import { demo, joinAs, must, request, startTestServer, type TestServer } from '../src/testing';

// A fixed secret: the codes this test compares are then fixed too, none of them equal by chance.
const secret = Buffer.from('security-hall test secret, 32 bytes or more'.padEnd(48, '.'));
// 23:00 in China (UTC+8), an hour before the committee's midnight.
const lateEvening = Date.UTC(2026, 11, 6, 15, 0, 0);
let now = lateEvening;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri'), ballotSecret: secret, clock: () => now });
});
afterAll(async () => {
  await server.close();
});

const other = (code: string, n = 1) => String((Number(code) + n) % 10 ** limits.hallCodeDigits).padStart(6, '0');
const minutes = (n: number) => n * 60_000;

describe('hall code', () => {
  it('comes from the server key, the session and the day, never from the database', async () => {
    now = lateEvening;
    const staff = await joinAs(server, demo.staffId);
    const code = (await must(staff, 'room:join', { sessionId: demo.sessionId })).hallCode ?? '';
    const codes = new HallCodes(serverSubkey(secret, 'hall code'), () => now);
    expect(code).toBe(codes.current(demo.sessionId));
    expect(code).not.toBe(codes.current(demo.secondSessionId));
    // The session document holds nothing a code could be derived from.
    const stored = await server.app.models.Session.findById(demo.sessionId).lean();
    expect(stored).not.toBeNull();
    expect(stored?.hallCode).toBeUndefined();
    // The same key under another purpose's label gives other codes.
    const wrongKey = new HallCodes(serverSubkey(secret, 'audit chain'), () => now);
    expect(wrongKey.current(demo.sessionId)).not.toBe(code);
  });

  it('takes the previous day’s code for a while after midnight, then only the new one', async () => {
    now = lateEvening;
    const staff = await joinAs(server, demo.staffId);
    const evening = (await must(staff, 'room:join', { sessionId: demo.sessionId })).hallCode ?? '';
    // 00:30: the sitting runs on; the screen still shows the evening's code.
    now = lateEvening + minutes(90);
    const fresh = await joinAs(server, demo.staffId);
    const morning = (await must(fresh, 'room:join', { sessionId: demo.sessionId })).hallCode ?? '';
    expect(morning).toMatch(/^\d{6}$/);
    expect(morning).not.toBe(evening);
    const late = await joinAs(server, 'm-tian-jia');
    expect(await must(late, 'checkin:code', { code: evening })).toMatchObject({ inHall: true });
    // Past the grace period the evening's code checks nobody in; the new one does.
    now = lateEvening + minutes(60) + hallCodeGraceMs;
    const later = await joinAs(server, 'm-zhou-min');
    expect(await request(later, 'checkin:code', { code: evening })).toMatchObject({
      ok: false,
      error: { code: 'BAD_CODE' },
    });
    expect(await must(later, 'checkin:code', { code: morning })).toMatchObject({ inHall: true });
  });

  it('locks a person out after a few wrong codes for the full span from the lockout; others still check in', async () => {
    now = lateEvening + minutes(600);
    const staff = await joinAs(server, demo.staffId);
    const code = (await must(staff, 'room:join', { sessionId: demo.sessionId })).hallCode ?? '';
    const guesser = await joinAs(server, 'm-feng-gang');
    const wrong = async (i: number) =>
      expect(await request(guesser, 'checkin:code', { code: other(code, i) })).toMatchObject({
        ok: false,
        error: { code: 'BAD_CODE' },
      });
    // One typo, then the rest of the tries ten minutes later: the lockout starts with the last.
    await wrong(1);
    now += minutes(10);
    for (let i = 2; i <= limits.hallCodeTries; i++) await wrong(i);
    const lockedAt = now;
    const refused = { ok: false, error: { code: 'RATE_LIMITED' } };
    expect(await request(guesser, 'checkin:code', { code })).toMatchObject(refused);
    // Fifteen minutes after the first typo, but not after the lockout began: still locked.
    now = lockedAt + limits.hallCodeLockSeconds * 1000 - minutes(1);
    expect(await request(guesser, 'checkin:code', { code })).toMatchObject(refused);
    const honest = await joinAs(server, 'm-song-tao');
    expect(await must(honest, 'checkin:code', { code })).toMatchObject({ inHall: true });
    now = lockedAt + limits.hallCodeLockSeconds * 1000;
    expect(await must(guesser, 'checkin:code', { code })).toMatchObject({ inHall: true });
  });
});
