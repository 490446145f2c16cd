import { CreatedInvitation, InvitationPreview, limits, MeResponse } from '@yitang/shared';
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { connectSocket, demo, must, request, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server.close();
});

const post = (path: string, body: unknown, cookie?: string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe('password accounts', () => {
  it('signs in with the right password only, with an httpOnly SameSite=Lax cookie', async () => {
    const bad = await post('/api/auth/login', { username: 'chen-liqun', password: 'wrong' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_CREDENTIALS' } });
    const unknown = await post('/api/auth/login', { username: 'nobody', password: demo.password });
    expect(unknown.status).toBe(401);

    const ok = await post('/api/auth/login', { username: 'chen-liqun', password: demo.password });
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const me = MeResponse.parse(
      await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie: cookieOf(ok) } })).json(),
    );
    expect(me.member).toMatchObject({ id: demo.firstConvenerId, kind: 'member' });
    // The stored credential is a hash, never the password.
    const cred = await server.app.models.Credential.findById('chen-liqun').lean();
    expect(cred?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('disconnects every socket of a member within a second of logout', async () => {
    const cookie = await signIn(server.url, 'm-tang-li');
    const a = await connectSocket(server.url, cookie);
    const b = await connectSocket(server.url, cookie);
    const gone = Promise.all([a, b].map((s) => new Promise<string>((resolve) => s.once('disconnect', resolve))));
    const started = Date.now();
    await post('/api/auth/logout', {}, cookie);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('invitations', () => {
  it('lets staff invite a guest into one role in one session, and revoke it', async () => {
    const staffCookie = await signIn(server.url, demo.staffId);
    const memberCookie = await signIn(server.url, 'm-zhou-min');
    const refused = await post(
      `/api/sessions/${demo.sessionId}/invitations`,
      { role: 'stakeholder', name: '摊主代表' },
      memberCookie,
    );
    expect(refused.status).toBe(403);

    const created = CreatedInvitation.parse(
      await (
        await post(
          `/api/sessions/${demo.sessionId}/invitations`,
          { role: 'stakeholder', name: '摊主代表 张强', hours: 2 },
          staffCookie,
        )
      ).json(),
    );
    expect(created.path).toBe(`/invite/${created.token}`);
    // The token itself is not stored.
    const stored = await server.app.models.Invitation.findById(created.invitation.id).lean();
    expect(JSON.stringify(stored)).not.toContain(created.token);

    const preview = InvitationPreview.parse(await (await fetch(`${server.url}/api/invite/${created.token}`)).json());
    expect(preview).toMatchObject({ role: 'stakeholder', name: '摊主代表 张强', session: { id: demo.sessionId } });

    const accepted = await post(`/api/invite/${created.token}/accept`, { name: '张强' });
    expect(accepted.status).toBe(200);
    const guestCookie = cookieOf(accepted);
    const body = (await accepted.json()) as { member: { id: string } };
    expect(body).toMatchObject({
      sessionId: demo.sessionId,
      member: { kind: 'guest', name: '张强', guestRole: 'stakeholder' },
    });

    // Opened again (WeChat hands the link to the system browser; a second device): the same guest
    // comes back in, under the name given the first time, and no second guest is made.
    const again = InvitationPreview.parse(await (await fetch(`${server.url}/api/invite/${created.token}`)).json());
    expect(again).toMatchObject({ accepted: true, name: '张强' });
    const reentered = await post(`/api/invite/${created.token}/accept`, { name: '别人' });
    expect(reentered.status).toBe(200);
    expect(await reentered.json()).toMatchObject({ member: { id: body.member.id, name: '张强' } });
    expect(await server.app.models.Member.countDocuments({ kind: 'guest', guestRole: 'stakeholder' })).toBe(1);
    const secondCookie = cookieOf(reentered);
    expect(secondCookie).not.toBe(guestCookie);

    const guest = await connectSocket(server.url, guestCookie);
    const snap = await must(guest, 'room:join', { sessionId: demo.sessionId });
    expect(snap.you.role).toBe('stakeholder');

    // Revoked: the guest is signed out and their sockets dropped.
    const gone = new Promise<string>((resolve) => guest.once('disconnect', resolve));
    const revoked = await post(
      `/api/sessions/${demo.sessionId}/invitations/${created.invitation.id}/revoke`,
      {},
      staffCookie,
    );
    expect(revoked.status).toBe(200);
    expect(await gone).toBe('io server disconnect');
    const me = MeResponse.parse(
      await (await fetch(`${server.url}/api/auth/me`, { headers: { cookie: guestCookie } })).json(),
    );
    expect(me.member).toBeNull();
    await expect(connectSocket(server.url, guestCookie)).rejects.toThrow('UNAUTHENTICATED');
    await expect(connectSocket(server.url, secondCookie)).rejects.toThrow('UNAUTHENTICATED');
    // …and the link no longer lets them back in.
    expect((await post(`/api/invite/${created.token}/accept`, { name: '张强' })).status).toBe(410);
  });

  it('keeps a link sent a week ahead valid until the day after its session', async () => {
    const staffCookie = await signIn(server.url, demo.staffId);
    const inAWeek = new Date(Date.now() + 7 * 24 * 3600_000);
    await server.app.models.Session.updateOne({ _id: demo.sessionId }, { $set: { scheduledAt: inAWeek } });
    const created = CreatedInvitation.parse(
      await (
        await post(`/api/sessions/${demo.sessionId}/invitations`, { role: 'observer', name: '旁听' }, staffCookie)
      ).json(),
    );
    expect(Date.parse(created.invitation.expiresAt)).toBe(inAWeek.getTime() + limits.invitationGraceHours * 3600_000);
    // Staff can still choose a lifetime.
    const short = CreatedInvitation.parse(
      await (
        await post(
          `/api/sessions/${demo.sessionId}/invitations`,
          { role: 'observer', name: '旁听', hours: 2 },
          staffCookie,
        )
      ).json(),
    );
    expect(Date.parse(short.invitation.expiresAt)).toBeLessThan(Date.now() + 3 * 3600_000);
  });

  it('admits exactly one guest when the same link is accepted several times at once', async () => {
    const staffCookie = await signIn(server.url, demo.staffId);
    const created = CreatedInvitation.parse(
      await (
        await post(`/api/sessions/${demo.sessionId}/invitations`, { role: 'citizenRep', name: '群众代表' }, staffCookie)
      ).json(),
    );
    const answers = await Promise.all(
      ['甲', '乙', '丙', '丁'].map((name) => post(`/api/invite/${created.token}/accept`, { name })),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const ids = new Set(
      await Promise.all(answers.map(async (a) => ((await a.json()) as { member: { id: string } }).member.id)),
    );
    expect(ids.size).toBe(1);
    expect(await server.app.models.Member.countDocuments({ kind: 'guest', guestRole: 'citizenRep' })).toBe(1);
  });

  it('refuses expired and unknown invitation links', async () => {
    const staffCookie = await signIn(server.url, demo.staffId);
    const created = CreatedInvitation.parse(
      await (
        await post(`/api/sessions/${demo.sessionId}/invitations`, { role: 'citizenRep', name: '群众代表' }, staffCookie)
      ).json(),
    );
    await server.app.models.Invitation.updateOne(
      { _id: created.invitation.id },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    const expired = await fetch(`${server.url}/api/invite/${created.token}`);
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ error: { code: 'INVITATION_INVALID' } });
    expect((await fetch(`${server.url}/api/invite/not-a-token`)).status).toBe(410);
  });

  it('admits a guest to no other session', async () => {
    const staffCookie = await signIn(server.url, demo.staffId);
    await server.app.models.Session.create({
      ...(await server.app.models.Session.findById(demo.sessionId).lean()),
      _id: 's-other',
      topic: '另一个议题',
      state: 'scheduled',
    });
    const created = CreatedInvitation.parse(
      await (
        await post(`/api/sessions/${demo.sessionId}/invitations`, { role: 'observer', name: '旁听' }, staffCookie)
      ).json(),
    );
    const guestCookie = cookieOf(await post(`/api/invite/${created.token}/accept`, { name: '旁听者' }));
    const guest = await connectSocket(server.url, guestCookie);
    expect(await request(guest, 'room:join', { sessionId: 's-other' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    guest.close();
  });
});

describe('origin allowlist', () => {
  it('refuses a foreign Origin on the Socket.IO upgrade and on the minutes upgrade', async () => {
    const cookie = await signIn(server.url, 'm-zhou-min');
    const foreign = ioClient(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie, origin: 'https://evil.example' },
    });
    const err = await new Promise<Error>((resolve) => foreign.once('connect_error', resolve));
    expect(err).toBeInstanceOf(Error);
    foreign.close();

    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/minutes/${demo.sessionId}`, {
      headers: { cookie, origin: 'https://evil.example' },
    });
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);

    // The server's own origin is fine.
    const own = ioClient(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie, origin: server.url },
    });
    await new Promise<void>((resolve) => own.once('connect', () => resolve()));
    own.close();
  });
});
