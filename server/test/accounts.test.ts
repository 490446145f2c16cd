import { AccountLink, AccountLinkPreview, AccountsResponse, limits, MembersResponse, MeResponse } from '@yitang/shared';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { connectSocket, demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterEach(() => {
  server.closeSockets();
  for (const ws of sockets.splice(0)) ws.terminate();
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
const get = (path: string, cookie?: string) => fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {} });
const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
const me = async (cookie: string) => MeResponse.parse(await (await get('/api/auth/me', cookie)).json()).member;
const login = (username: string, password: string) => post('/api/auth/login', { username, password });

let seq = 0;
/** Staff create an account; answers the activation link. */
async function createAccount(kind: 'member' | 'official' | 'staff' = 'member') {
  seq += 1;
  const staff = await signIn(server.url, demo.staffId);
  const res = await post('/api/accounts', { name: `新委员${seq}`, kind, login: `new-${seq}-${kind}` }, staff);
  expect(res.status).toBe(201);
  return AccountLink.parse(await res.json());
}

/** Creates and activates an account with `password`; answers its id, login and a signed-in cookie. */
async function activeAccount(password = 'a-long-password-1') {
  const link = await createAccount();
  const res = await post(`/api/accounts/links/${link.token}`, { password });
  expect(res.status).toBe(200);
  return { id: link.account.id, login: link.account.login ?? '', cookie: cookieOf(res), password };
}

describe('demo sign-in', () => {
  it('signs in only as the accounts the demo seed created', async () => {
    const link = await createAccount('staff');
    const res = await post('/api/auth/demo-login', { memberId: link.account.id });
    expect(res.status).toBe(404);
    const listed = MembersResponse.parse(await (await get('/api/auth/demo-identities')).json()).members;
    expect(listed.map((m) => m.id)).toContain(demo.staffId);
    expect(listed.map((m) => m.id)).not.toContain(link.account.id);
    // The demo accounts still sign in, by the list and by the demo password.
    expect((await login('zhou-ting', demo.password)).status).toBe(200);
  });

  it('is off while there is no demo data, whatever DEMO_LOGIN says', async () => {
    const bare = await startTestServer({ mongoUri: inject('mongoUri'), seed: false, config: { DEMO_LOGIN: true } });
    try {
      await bare.app.models.Member.create({ _id: 's-real', committeeId: 'c', name: '真实员工', kind: 'staff' });
      const res = await fetch(`${bare.url}/api/auth/demo-login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ memberId: 's-real' }),
      });
      expect(res.status).toBe(404);
      const meRes = MeResponse.parse(await (await fetch(`${bare.url}/api/auth/me`)).json());
      expect(meRes.demoLogin).toBe(false);
      const ids = await fetch(`${bare.url}/api/auth/demo-identities`);
      expect(MembersResponse.parse(await ids.json()).members).toEqual([]);
    } finally {
      await bare.close();
    }
  });
});

describe('first administrator', () => {
  it('is created once from the setup link, which then is dead', async () => {
    const bare = await startTestServer({ mongoUri: inject('mongoUri'), seed: false, config: { DEMO_LOGIN: false } });
    try {
      const token = await bare.app.accounts.openSetup();
      if (!token) throw new Error('no setup link on an empty database');
      const at = (path: string, body?: unknown) =>
        fetch(`${bare.url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      expect((await at(`/api/setup/${token}`)).status).toBe(200);
      expect((await at('/api/setup/not-the-token')).status).toBe(410);
      const made = await at(`/api/setup/${token}`, { name: '管理员', login: 'admin', password: 'first-admin-pw' });
      expect(made.status).toBe(200);
      const member = MeResponse.parse(
        await (await fetch(`${bare.url}/api/auth/me`, { headers: { cookie: cookieOf(made) } })).json(),
      ).member;
      expect(member).toMatchObject({ name: '管理员', kind: 'staff' });
      const again = await at(`/api/setup/${token}`, { name: '第二个', login: 'admin2', password: 'second-admin-pw' });
      expect(again.status).toBe(410);
      expect((await at(`/api/setup/${token}`)).status).toBe(410);
      expect(await bare.app.accounts.openSetup()).toBeNull();
      const signedIn = await fetch(`${bare.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'first-admin-pw' }),
      });
      expect(signedIn.status).toBe(200);
      expect(await bare.app.models.Member.countDocuments()).toBe(1);
      expect((await bare.app.models.Member.findOne().lean())?.admin).toBe(true);
    } finally {
      await bare.close();
    }
  });

  it('is not offered once any account exists', async () => {
    expect(await server.app.accounts.openSetup()).toBeNull();
  });
});

describe('accounts', () => {
  it('only staff list and create accounts', async () => {
    const member = await signIn(server.url, 'm-zhou-min');
    expect((await get('/api/accounts', member)).status).toBe(403);
    expect((await post('/api/accounts', { name: '某人', kind: 'member', login: 'someone' }, member)).status).toBe(403);
    expect((await get('/api/accounts')).status).toBe(401);
    const staff = await signIn(server.url, demo.staffId);
    const list = AccountsResponse.parse(await (await get('/api/accounts', staff)).json()).accounts;
    expect(list.find((a) => a.id === demo.staffId)).toMatchObject({ status: 'active', demo: true, login: 'zhou-ting' });
  });

  it('a new account has no password until its one-time activation link sets one', async () => {
    const link = await createAccount();
    expect(link.path).toBe(`/activate/${link.token}`);
    expect(link.account.status).toBe('pending');
    // The token itself is not stored, only its hash.
    const stored = JSON.stringify(await server.app.models.AccountToken.find().lean());
    expect(stored).not.toContain(link.token);
    const login0 = link.account.login ?? '';
    expect((await login(login0, 'anything-at-all')).status).toBe(401);
    const preview = AccountLinkPreview.parse(await (await get(`/api/accounts/links/${link.token}`)).json());
    expect(preview).toMatchObject({ name: link.account.name, login: login0, purpose: 'activate' });
    expect((await post(`/api/accounts/links/${link.token}`, { password: 'short' })).status).toBe(400);
    const set = await post(`/api/accounts/links/${link.token}`, { password: 'my-own-password' });
    expect(set.status).toBe(200);
    expect((await me(cookieOf(set)))?.id).toBe(link.account.id);
    expect((await post(`/api/accounts/links/${link.token}`, { password: 'another-password' })).status).toBe(410);
    expect((await get(`/api/accounts/links/${link.token}`)).status).toBe(410);
    expect((await login(login0, 'my-own-password')).status).toBe(200);
    expect((await login(login0, 'another-password')).status).toBe(401);
  });

  it('refuses a login name that is taken', async () => {
    const staff = await signIn(server.url, demo.staffId);
    const res = await post('/api/accounts', { name: '重名', kind: 'member', login: 'chen-liqun' }, staff);
    expect(res.status).toBe(409);
  });

  it('people change their own password with the current one', async () => {
    const a = await activeAccount();
    const wrong = await post(
      '/api/account/password',
      { current: 'not-it-at-all', password: 'a-newer-password' },
      a.cookie,
    );
    expect(wrong.status).toBe(401);
    const ok = await post('/api/account/password', { current: a.password, password: 'a-newer-password' }, a.cookie);
    expect(ok.status).toBe(200);
    expect((await login(a.login, a.password)).status).toBe(401);
    expect((await login(a.login, 'a-newer-password')).status).toBe(200);
    expect((await post('/api/account/password', { current: 'x', password: 'a-newer-password' })).status).toBe(401);
  });

  it('changing the password ends every other sign-in of the account, not this one', async () => {
    const a = await activeAccount();
    const other = cookieOf(await login(a.login, a.password));
    expect((await me(other))?.id).toBe(a.id);
    const ok = await post('/api/account/password', { current: a.password, password: 'a-newer-password' }, a.cookie);
    expect(ok.status).toBe(200);
    expect(await me(other)).toBeNull();
    expect((await me(a.cookie))?.id).toBe(a.id);
  });

  it('guessing the current password is limited like signing in', async () => {
    const a = await activeAccount();
    const change = (current: string) =>
      post('/api/account/password', { current, password: 'a-newer-password' }, a.cookie);
    for (let i = 0; i < limits.loginFailuresPerAccount; i += 1) expect((await change(`guess-${i}`)).status).toBe(401);
    const locked = await change(a.password);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('staff create a one-time, expiring reset link; using it signs out the old sessions', async () => {
    const a = await activeAccount();
    const staff = await signIn(server.url, demo.staffId);
    const member = await signIn(server.url, 'm-zhou-min');
    expect((await post(`/api/accounts/${a.id}/reset-link`, {}, member)).status).toBe(403);
    const reset = AccountLink.parse(await (await post(`/api/accounts/${a.id}/reset-link`, {}, staff)).json());
    expect(reset.path).toBe(`/reset/${reset.token}`);
    expect(reset.purpose).toBe('reset');
    const used = await post(`/api/accounts/links/${reset.token}`, { password: 'reset-password-1' });
    expect(used.status).toBe(200);
    expect(await me(a.cookie)).toBeNull();
    expect((await login(a.login, 'reset-password-1')).status).toBe(200);
    expect((await post(`/api/accounts/links/${reset.token}`, { password: 'reset-password-2' })).status).toBe(410);

    const late = AccountLink.parse(await (await post(`/api/accounts/${a.id}/reset-link`, {}, staff)).json());
    await server.app.models.AccountToken.updateMany(
      { memberId: a.id },
      { $set: { expiresAt: new Date(Date.now() - 1) } },
    );
    expect((await post(`/api/accounts/links/${late.token}`, { password: 'reset-password-3' })).status).toBe(410);
  });

  it('a deactivated account is cut off at once: sessions, room and minutes sockets, sign-in', async () => {
    const a = await activeAccount();
    const room = await connectSocket(server.url, a.cookie);
    server.sockets.push(room);
    const roomClosed = new Promise<string>((resolve) => room.once('disconnect', resolve));
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/minutes/${demo.sessionId}`, {
      headers: { cookie: a.cookie },
    });
    sockets.push(ws);
    const minutesClosed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const staff = await signIn(server.url, demo.staffId);
    const member = await signIn(server.url, 'm-zhou-min');
    expect((await post(`/api/accounts/${a.id}/deactivate`, {}, member)).status).toBe(403);
    const off = await post(`/api/accounts/${a.id}/deactivate`, {}, staff);
    expect(off.status).toBe(200);
    expect(await roomClosed).toBe('io server disconnect');
    await minutesClosed;
    expect(await me(a.cookie)).toBeNull();
    expect((await login(a.login, a.password)).status).toBe(401);
    await expect(connectSocket(server.url, a.cookie)).rejects.toThrow();
    const list = AccountsResponse.parse(await (await get('/api/accounts', staff)).json()).accounts;
    expect(list.find((x) => x.id === a.id)?.status).toBe('deactivated');

    expect((await post(`/api/accounts/${a.id}/reactivate`, {}, staff)).status).toBe(200);
    expect((await login(a.login, a.password)).status).toBe(200);
  });

  it('a deactivated demo account cannot be signed into from the demo list either', async () => {
    const staff = await signIn(server.url, demo.staffId);
    expect((await post('/api/accounts/m-yuan-mei/deactivate', {}, staff)).status).toBe(200);
    expect((await post('/api/auth/demo-login', { memberId: 'm-yuan-mei' })).status).toBe(404);
    expect((await post('/api/accounts/m-yuan-mei/reactivate', {}, staff)).status).toBe(200);
    expect((await post('/api/auth/demo-login', { memberId: 'm-yuan-mei' })).status).toBe(200);
  });

  it('staff cannot deactivate themselves', async () => {
    const staff = await signIn(server.url, demo.staffId);
    expect((await post(`/api/accounts/${demo.staffId}/deactivate`, {}, staff)).status).toBe(409);
  });

  it('only an administrator creates, resets or deactivates staff accounts', async () => {
    // The demo's 周婷 is the administrator; 李娜 is staff without that flag.
    const plain = await signIn(server.url, demo.recorderId);
    expect((await post('/api/accounts', { name: '新员工', kind: 'staff', login: 'new-staff-x' }, plain)).status).toBe(
      403,
    );
    expect((await post(`/api/accounts/${demo.staffId}/reset-link`, {}, plain)).status).toBe(403);
    expect((await post(`/api/accounts/${demo.staffId}/deactivate`, {}, plain)).status).toBe(403);
    // Members' accounts are every staff member's work.
    expect((await post('/api/accounts', { name: '新委员', kind: 'member', login: 'new-member-x' }, plain)).status).toBe(
      201,
    );
    expect((await post('/api/accounts/m-tian-jia/reset-link', {}, plain)).status).toBe(200);
  });
});
