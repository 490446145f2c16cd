/**
 * Activation and reset links by email, through a real SMTP receiver (`smtp-server`) started here
 * on a free port: the message that arrives carries a link that works. With the SMTP server down
 * the account is still created, and staff are told the email did not go.
 */

import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { AccountLink } from '@yitang/shared';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type TestServer } from '../src/testing';

const PUBLIC = 'https://yitang.example.gov.cn';
const FROM = '市政协办公室 <yitang@example.gov.cn>';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** Messages as the receiver took them, and a wait for the next one. */
const inbox: Received[] = [];
const waiting: ((m: Received) => void)[] = [];
const nextMessage = () =>
  new Promise<Received>((resolve) => {
    const ready = inbox.shift();
    if (ready) resolve(ready);
    else waiting.push(resolve);
  });

let smtp: SMTPServer;
let smtpPort: number;
let server: TestServer;
let smtpDown: TestServer;
/** The first administrator's sign-in (from the setup link: no demo data here). */
let staff = '';

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const message: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        const resolve = waiting.shift();
        if (resolve) resolve(message);
        else inbox.push(message);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  server = await startTestServer({
    mongoUri: inject('mongoUri'),
    seed: false,
    config: { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: FROM, PUBLIC_URL: PUBLIC },
  });
  // A second node on the same data whose SMTP server does not answer.
  smtpDown = await startTestServer({
    mongoUri: inject('mongoUri'),
    dbName: server.dbName,
    seed: false,
    config: { SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`, MAIL_FROM: FROM, PUBLIC_URL: PUBLIC },
  });
  const token = await server.app.accounts.openSetup();
  const admin = await post(server, `/api/setup/${token}`, {
    name: '管理员',
    login: 'admin',
    password: 'first-admin-pw',
  });
  expect(admin.status).toBe(200);
  staff = (admin.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
});

afterAll(async () => {
  await smtpDown?.close();
  await server?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

/** The message's headers (unfolded) and its text, decoded from quoted-printable or base64. */
function decode(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4);
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') {
    const joined = body.replace(/=\r\n/g, '');
    const out: number[] = [];
    for (let i = 0; i < joined.length; i += 1) {
      const hex = joined.slice(i + 1, i + 3);
      if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
        out.push(Number.parseInt(hex, 16));
        i += 2;
      } else out.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
    bytes = Buffer.from(out);
  } else bytes = Buffer.from(body, 'utf8');
  return { headers, text: bytes.toString('utf8').replace(/\r\n/g, '\n') };
}

/** An RFC 2047 header (=?UTF-8?B?…?= or ?Q?), as text. */
function headerText(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_m, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

const post = (app: TestServer, path: string, body: unknown, cookie = '') =>
  fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });

describe('account links by email', () => {
  it('a new account with an email gets one message whose link sets the password', async () => {
    const res = await post(
      server,
      '/api/accounts',
      { name: '林晓', kind: 'member', login: 'lin-xiao', email: 'lin.xiao@example.cn' },
      staff,
    );
    expect(res.status).toBe(201);
    const link = AccountLink.parse(await res.json());
    expect(link.mail).toBe('sent');

    const message = await nextMessage();
    expect(message.to).toEqual(['lin.xiao@example.cn']);
    expect(message.from).toBe('yitang@example.gov.cn');
    const { headers, text } = decode(message.raw);
    const subject = headerText(headers.get('subject') ?? '');
    expect(subject).toContain('议堂账户开通');
    expect(subject).toContain('Your Yitang account');
    // Chinese first, with Chinese punctuation, English second.
    expect(text.indexOf('林晓，您好：')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('林晓，您好：')).toBeLessThan(text.indexOf('Dear 林晓,'));
    expect(text).toContain('登录名为“lin-xiao”');
    const url = text.match(/https:\/\/yitang\.example\.gov\.cn\/activate\/[A-Za-z0-9_-]+/)?.[0];
    expect(url).toBe(`${PUBLIC}${link.path}`);

    // The emailed link is the working one: it sets the password, then the password signs in.
    const token = new URL(url ?? '').pathname.split('/').pop() ?? '';
    expect((await post(server, `/api/accounts/links/${token}`, { password: 'lin-xiao-password' })).status).toBe(200);
    const login = await post(server, '/api/auth/login', { username: 'lin-xiao', password: 'lin-xiao-password' });
    expect(login.status).toBe(200);

    // A reset link goes to the same address.
    const reset = await post(server, `/api/accounts/${link.account.id}/reset-link`, {}, staff);
    expect(AccountLink.parse(await reset.json())).toMatchObject({ purpose: 'reset', mail: 'sent' });
    const second = decode((await nextMessage()).raw);
    expect(headerText(second.headers.get('subject') ?? '')).toContain('议堂密码重设');
    expect(second.text).toMatch(/https:\/\/yitang\.example\.gov\.cn\/reset\/[A-Za-z0-9_-]+/);
    expect(inbox).toEqual([]);
  });

  it('an account with no email address sends nothing and says so', async () => {
    const res = await post(server, '/api/accounts', { name: '无邮箱', kind: 'member', login: 'no-mail' }, staff);
    expect(res.status).toBe(201);
    expect(AccountLink.parse(await res.json()).mail).toBe('noAddress');
  });

  it('with the SMTP server down the account is still created, and staff are told the email did not go', async () => {
    const res = await post(
      smtpDown,
      '/api/accounts',
      { name: '王芳', kind: 'member', login: 'wang-fang-mail', email: 'wang.fang@example.cn' },
      staff,
    );
    expect(res.status).toBe(201);
    const link = AccountLink.parse(await res.json());
    expect(link.mail).toBe('failed');
    // The link staff pass on by hand works.
    expect((await post(smtpDown, `/api/accounts/links/${link.token}`, { password: 'wang-fang-password' })).status).toBe(
      200,
    );
  });
});
