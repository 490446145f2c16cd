/**
 * Single sign-on against a real OpenID Connect provider (`oidc-provider`) started here on a free
 * port, with the real `openid-client` in the server. The browser is this test: it follows the
 * redirects with a cookie jar per site and submits the provider's own sign-in and consent forms.
 *
 * The server believes it is reached at PUBLIC (its address behind a proxy, as in production);
 * the test plays that proxy too, sending the provider's redirect back to where the server listens.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountLink, MeResponse } from '@yitang/shared';
import fc from 'fast-check';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

const PUBLIC = 'https://yitang.example.gov.cn';
const CALLBACK = `${PUBLIC}/api/auth/oidc/callback`;
const CLIENT = { id: 'yitang', secret: 'yitang-test-client-secret' };

/** The identities the platform knows, by subject, with the claims it releases for them. */
const identities: Record<string, Record<string, unknown>> = {
  'gov-linked': { email: 'linked@example.cn', email_verified: true },
  'gov-unknown': { email: 'nobody@example.cn', email_verified: true },
  'gov-cut-off': {},
  'gov-email': { email: 'Zhou.Min@Example.cn', email_verified: true },
  'gov-unverified': { email: 'zhou.min@example.cn', email_verified: false },
  'gov-phone': { phone_number: '+86 139-0000-1234', phone_number_verified: true },
  'gov-shared-phone': { phone_number: '13900005678', phone_number_verified: true },
};

let providerHttp: HttpServer;
let issuer: string;
let server: TestServer;
let byEmail: TestServer;
let byPhone: TestServer;

beforeAll(async () => {
  // The provider's address first (its issuer names it), then the provider itself.
  let handle: ReturnType<Provider['callback']> | null = null;
  providerHttp = createHttpServer((req, res) => {
    if (handle) handle(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => providerHttp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(providerHttp.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [CALLBACK],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    async findAccount(_ctx, sub) {
      const claims = identities[sub];
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], phone: ['phone_number', 'phone_number_verified'] },
    cookies: { keys: ['oidc-test-cookie-key'] },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    features: { devInteractions: { enabled: true } },
  });
  handle = provider.callback();

  const oidc = {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT.id,
    OIDC_CLIENT_SECRET: CLIENT.secret,
    PUBLIC_URL: PUBLIC,
  };
  server = await startTestServer({ mongoUri: inject('mongoUri'), config: oidc });
  // A second node on the same data, matching a verified email claim instead of linked subjects.
  byEmail = await startTestServer({
    mongoUri: inject('mongoUri'),
    dbName: server.dbName,
    seed: false,
    config: { ...oidc, OIDC_CLAIM: 'email' },
  });
  // And a third, by a verified phone number.
  byPhone = await startTestServer({
    mongoUri: inject('mongoUri'),
    dbName: server.dbName,
    seed: false,
    config: { ...oidc, OIDC_CLAIM: 'phone_number' },
  });
});

afterAll(async () => {
  await byPhone?.close();
  await byEmail?.close();
  await server?.close();
  await new Promise<void>((resolve) => providerHttp?.close(() => resolve()));
});

/** One site's cookies, as a browser keeps them (paths ignored: each name is used on one path here). */
class Jar {
  readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** A browser: one jar per site, redirects followed by hand. */
class Browser {
  readonly yitang = new Jar();
  readonly platform = new Jar();

  constructor(readonly app: TestServer) {}

  private jarOf(url: URL): Jar {
    return url.origin === issuer ? this.platform : this.yitang;
  }

  async fetch(url: URL, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const jar = this.jarOf(url);
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    jar.take(res);
    return res;
  }

  /** Starts single sign-on at the server; answers the platform's authorization URL. */
  async start(next?: string): Promise<URL> {
    const res = await this.fetch(
      new URL(`/api/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`, this.app.url),
    );
    expect(res.status).toBe(303);
    return new URL(res.headers.get('location') ?? '');
  }

  /**
   * Signs in at the platform as `subject`, submitting its sign-in and consent forms, until it
   * sends the browser back to the server; answers that callback URL (on the public address).
   */
  async atPlatform(authorization: URL, subject: string): Promise<URL> {
    let url = authorization;
    for (let step = 0; step < 12; step += 1) {
      const res = await this.fetch(url);
      if (res.status === 303 || res.status === 302) {
        const next = new URL(res.headers.get('location') ?? '', url);
        if (next.href.startsWith(CALLBACK)) return next;
        url = next;
        continue;
      }
      expect(res.status).toBe(200);
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form at ${url.href}`);
      const form: Record<string, string> = html.includes('name="login"')
        ? { prompt: 'login', login: subject, password: 'any' }
        : { prompt: 'consent' };
      const posted = await this.fetch(new URL(action, url), { method: 'POST', form });
      expect([302, 303]).toContain(posted.status);
      url = new URL(posted.headers.get('location') ?? '', url);
      if (url.href.startsWith(CALLBACK)) return url;
    }
    throw new Error('the platform never sent the browser back');
  }

  /** The proxy's part: the public callback address reaches the server where it listens. */
  callback(publicUrl: URL): Promise<Response> {
    return this.fetch(new URL(`${publicUrl.pathname}${publicUrl.search}`, this.app.url));
  }

  /** The whole sign-in as `subject`: the server's answer to the callback. */
  async signIn(subject: string, next?: string): Promise<Response> {
    return this.callback(await this.atPlatform(await this.start(next), subject));
  }

  async me() {
    const res = await fetch(`${this.app.url}/api/auth/me`, { headers: { cookie: this.yitang.header() } });
    return MeResponse.parse(await res.json()).member;
  }
}

const json = (method: string, url: string, body: unknown, cookie: string) =>
  fetch(url, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const link = (app: TestServer, memberId: string, subject: string, cookie: string) =>
  json('POST', `${app.url}/api/accounts/${memberId}/oidc`, { subject }, cookie);

let seq = 0;
/** An account staff create (and so may link), with its activation link. */
async function newAccount(kind: 'member' | 'staff' = 'member') {
  seq += 1;
  const staff = await signIn(server.url, demo.staffId);
  const res = await json(
    'POST',
    `${server.url}/api/accounts`,
    { name: `统一认证${seq}`, kind, login: `sso-${seq}` },
    staff,
  );
  expect(res.status).toBe(201);
  return AccountLink.parse(await res.json());
}

describe('single sign-on', () => {
  it('is offered only where it is configured', async () => {
    const on = await (await fetch(`${server.url}/api/auth/oidc`)).json();
    expect(on).toEqual({ enabled: true });
    const bare = await startTestServer({ mongoUri: inject('mongoUri'), seed: false });
    try {
      expect(await (await fetch(`${bare.url}/api/auth/oidc`)).json()).toEqual({ enabled: false });
      expect((await fetch(`${bare.url}/api/auth/oidc/start`, { redirect: 'manual' })).status).toBe(404);
      expect((await fetch(`${bare.url}/api/auth/oidc/callback?code=x&state=y`)).status).toBe(404);
    } finally {
      await bare.close();
    }
  });

  it('signs a linked identity into its account with the same session as a password sign-in', async () => {
    const staff = await signIn(server.url, demo.staffId);
    expect((await link(server, 'm-zhou-min', 'gov-linked', staff)).status).toBe(200);
    const browser = new Browser(server);
    const authorization = await browser.start('/sessions');
    // PKCE, state and nonce go to the platform; the verifier stays sealed in the browser's cookie.
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    const res = await browser.callback(await browser.atPlatform(authorization, 'gov-linked'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sessions');
    expect((await browser.me())?.id).toBe('m-zhou-min');
    // A signed-in route answers the session.
    const members = await fetch(`${server.url}/api/members`, { headers: { cookie: browser.yitang.header() } });
    expect(members.status).toBe(200);
    const entry = await server.app.models.AuditEntry.findOne({ action: 'auth.login', target: 'gov-linked' }).lean();
    expect(entry?.actor?.id).toBe('m-zhou-min');
    expect(entry?.details).toMatchObject({ method: 'oidc' });
  });

  it('refuses an identity linked to no account, with whom to ask, and creates nothing', async () => {
    const before = await server.app.models.Member.countDocuments();
    const browser = new Browser(server);
    const res = await browser.signIn('gov-unknown');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('请联系市政协办公室开通账户');
    expect(browser.yitang.cookies.has('yitang_session')).toBe(false);
    expect(await server.app.models.Member.countDocuments()).toBe(before);
  });

  it('refuses a callback whose state does not match the sign-in this browser started', async () => {
    const browser = new Browser(server);
    const back = await browser.atPlatform(await browser.start(), 'gov-linked');
    back.searchParams.set('state', 'someone-elses-state');
    const res = await browser.callback(back);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('请重新登录');
    expect(await browser.me()).toBeNull();
    // And one with no sign-in started at all (no sealed state in the browser).
    const stranger = new Browser(server);
    const again = await stranger.callback(back);
    expect(again.status).toBe(400);
    expect(await stranger.me()).toBeNull();
  });

  it('refuses a replayed code, even with the state cookie it came with', async () => {
    const staff = await signIn(server.url, demo.staffId);
    expect((await link(server, 'm-zhou-min', 'gov-linked', staff)).status).toBe(200);
    const browser = new Browser(server);
    const back = await browser.atPlatform(await browser.start(), 'gov-linked');
    const pending = browser.yitang.header();
    expect((await browser.callback(back)).status).toBe(303);
    // Whoever copied the callback URL and the cookie then tries it again.
    const thief = new Browser(server);
    for (const part of pending.split('; ')) {
      const [k = '', v = ''] = part.split('=');
      thief.yitang.cookies.set(k, v);
    }
    const replay = await thief.callback(back);
    expect(replay.status).toBe(400);
    expect(thief.yitang.cookies.has('yitang_session')).toBe(false);
  });

  it('refuses a deactivated account', async () => {
    const account = await newAccount();
    const staff = await signIn(server.url, demo.staffId);
    expect((await link(server, account.account.id, 'gov-cut-off', staff)).status).toBe(200);
    const off = await json('POST', `${server.url}/api/accounts/${account.account.id}/deactivate`, {}, staff);
    expect(off.status).toBe(200);
    const browser = new Browser(server);
    const res = await browser.signIn('gov-cut-off');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('此账户已停用');
    expect(await browser.me()).toBeNull();
  });

  it('only staff link, only the administrator links a staff account, and one identity reaches one account', async () => {
    const member = await signIn(server.url, 'm-zhou-min');
    expect((await link(server, 'm-zhou-min', 'gov-x', member)).status).toBe(403);
    const admin = await signIn(server.url, demo.staffId);
    // A staff account that is not the administrator's.
    const made = await newAccount('staff');
    const activated = await json(
      'POST',
      `${server.url}/api/accounts/links/${made.token}`,
      { password: 'staff-pw-12345' },
      '',
    );
    expect(activated.status).toBe(200);
    const plainStaff = (activated.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await link(server, demo.staffId, 'gov-admin', plainStaff)).status).toBe(403);
    expect((await link(server, made.account.id, 'gov-staff', admin)).status).toBe(200);
    // Ordinary staff link a member's account.
    const other = await newAccount();
    expect((await link(server, other.account.id, 'gov-taken', plainStaff)).status).toBe(200);
    expect((await link(server, 'm-zhou-min', 'gov-taken', admin)).status).toBe(409);
    expect((await link(server, 'm-zhou-min', '', admin)).status).toBe(400);
    const shown = await (
      await json('GET', `${server.url}/api/accounts/${other.account.id}/oidc`, undefined, admin)
    ).json();
    expect(shown).toEqual({ subject: 'gov-taken', enabled: true });
    // Unlinked, the identity signs in no more.
    expect((await json('POST', `${server.url}/api/accounts/${other.account.id}/oidc/unlink`, {}, admin)).status).toBe(
      200,
    );
    identities['gov-taken'] = {};
    const res = await new Browser(server).signIn('gov-taken');
    expect(res.status).toBe(403);
  });

  it('with OIDC_CLAIM=email, matches one account by a verified email, never an unverified one', async () => {
    await server.app.models.Member.updateOne({ _id: 'm-chen-liqun' }, { $set: { email: 'zhou.min@example.cn' } });
    const unverified = await new Browser(byEmail).signIn('gov-unverified');
    expect(unverified.status).toBe(403);
    const browser = new Browser(byEmail);
    const res = await browser.signIn('gov-email');
    expect(res.status).toBe(303);
    expect((await browser.me())?.id).toBe('m-chen-liqun');
  });

  it('with OIDC_CLAIM=phone_number, matches the one account with that mobile number, none when two share it', async () => {
    const { Member } = server.app.models;
    await Member.updateOne({ _id: 'm-he-jun' }, { $set: { phone: '13900001234' } });
    const browser = new Browser(byPhone);
    expect((await browser.signIn('gov-phone')).status).toBe(303);
    expect((await browser.me())?.id).toBe('m-he-jun');
    for (const id of ['m-zhu-wenbin', 'm-cao-ming'])
      await Member.updateOne({ _id: id }, { $set: { phone: '13900005678' } });
    const shared = await new Browser(byPhone).signIn('gov-shared-phone');
    expect(shared.status).toBe(403);
  });

  it('never fails on whatever a stranger sends to the callback', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('code', 'state', 'iss', 'error', 'session_state', 'x'), fc.string(), {
          maxKeys: 4,
        }),
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        async (query, cookie) => {
          const qs = new URLSearchParams(query).toString();
          const res = await fetch(`${server.url}/api/auth/oidc/callback?${qs}`, {
            redirect: 'manual',
            headers: cookie === undefined ? {} : { cookie: `yitang_oidc=${encodeURIComponent(cookie)}` },
          });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems.map((p) => p.split(':')[0]);
      throw err;
    }
  };

  it('single sign-on needs a client and a callback address, and an https platform', () => {
    expect(problems({ OIDC_ISSUER: 'https://id.example.gov.cn' })).toEqual(['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URI']);
    expect(problems({ OIDC_ISSUER: 'http://id.example.gov.cn', OIDC_CLIENT_ID: 'y', PUBLIC_URL: PUBLIC })).toEqual([
      'OIDC_ISSUER',
    ]);
    expect(problems({ OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'y', PUBLIC_URL: PUBLIC, OIDC_CLAIM: 'name' })).toEqual([
      'OIDC_CLAIM',
    ]);
    const ok = loadConfig({ OIDC_ISSUER: 'https://id.example.gov.cn', OIDC_CLIENT_ID: 'y', PUBLIC_URL: PUBLIC });
    expect(ok.OIDC_CLAIM).toBe('sub');
  });

  it('email needs a sender and the public address its links start with', () => {
    expect(problems({ SMTP_URL: 'smtp://127.0.0.1:25' })).toEqual(['PUBLIC_URL', 'MAIL_FROM']);
    expect(problems({ SMTP_URL: 'http://mail', MAIL_FROM: 'a@b.cn', PUBLIC_URL: PUBLIC })).toEqual(['SMTP_URL']);
    expect(problems({ SMTP_URL: 'smtps://u:p@mail.example.cn:465', MAIL_FROM: 'a@b.cn', PUBLIC_URL: PUBLIC })).toEqual(
      [],
    );
  });

  it('text messages and WeChat Work need the public address their links start with, as email does', () => {
    const sms = {
      SMS_URL: 'https://sms.example.cn/send',
      SMS_KEY_ID: 'k',
      SMS_KEY_SECRET: 'sms-gateway-secret',
      SMS_SIGN_NAME: '海安政协',
    };
    const wecom = { WECOM_CORP_ID: 'ww', WECOM_CORP_SECRET: 's', WECOM_AGENT_ID: '1000002' };
    expect(problems(sms)).toEqual(['PUBLIC_URL']);
    expect(problems({ WECOM_ROBOT_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' })).toEqual([
      'PUBLIC_URL',
    ]);
    expect(problems(wecom)).toEqual(['PUBLIC_URL']);
    // One problem for the missing address, however many channels need it.
    expect(problems({ ...sms, ...wecom })).toEqual(['PUBLIC_URL']);
    expect(problems({ ...sms, ...wecom, PUBLIC_URL: PUBLIC })).toEqual([]);
  });
});
