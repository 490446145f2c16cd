/**
 * Messages outside the browser (issue 18), through real receivers started here: a local SMTP
 * server (`smtp-server`), an HTTP SMS gateway that checks each request's signature, and an HTTP
 * stand-in for WeChat Work (the group robot's webhook, gettoken and message/send). The server's
 * clock is moved instead of waiting hours; each tick resolves once its sends are answered, so
 * the receivers are read right after it, never after a sleep.
 */

import { createHash, createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DeliveryListResponse,
  type DeliveryView,
  minimumNames,
  type NotifyPreferencesBody,
  type NotifyPreferencesView,
  notifyPaths,
  type SessionDetail,
} from '@yitang/shared';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nextQuarterly } from '../src/notifications/notify.service';
import { chinaDay } from '../src/notifications/scheduler';
import { demo, joinAs, must, signIn, startTestServer, type TestServer } from '../src/testing';

const PUBLIC = 'https://yitang.example.gov.cn';
const SMS_SECRET = 'sms-secret-for-tests';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The people: a convener on every channel, and invitees each on one. */
const people = {
  convener: 'm-chen-liqun',
  quiet: 'm-ma-li',
  failing: 'm-gao-ya',
  twoNodes: 'm-xie-fang',
} as const;
const phones: Record<string, string> = {
  [people.convener]: '13800000001',
  [people.quiet]: '13800000002',
  [people.failing]: '13800000003',
  [people.twoNodes]: '13800000004',
  'o-liu-jianguo': '13800000005',
  'm-xiao-bo': '13800000006',
};

interface Mail {
  to: string[];
  raw: string;
}
interface Sms {
  phone: string;
  templateId: string;
  signName: string;
  params: Record<string, string>;
  paramSet: string[];
  outId: string;
}
interface WecomMessage {
  touser: string;
  content: string;
}

const mails: Mail[] = [];
const texts: Sms[] = [];
/** Each text message the gateway takes, as it takes it. */
const arrivals = new EventEmitter<{ sms: [Sms] }>();
const appMessages: WecomMessage[] = [];
const robotMessages: string[] = [];
/** Phones whose messages the gateway answers with 500. */
const failingPhones = new Set<string>();
let badSignatures = 0;
let tokensIssued = 0;

let smtp: SMTPServer;
let gateway: Server;
let wecom: Server;
let server: TestServer;
let second: TestServer | null = null;
let clock = Date.now();
let staff = '';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function listen(s: Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  return (s.address() as AddressInfo).port;
}

/** The SMS gateway: checks the signature as a provider would, then takes or refuses the message. */
function smsGateway(): Server {
  return createServer((req, res) => {
    void readBody(req).then((body) => {
      const header = (name: string) => String(req.headers[name] ?? '');
      const signed = [
        'POST',
        new URL(req.url ?? '/', 'http://x').pathname,
        header('x-sms-timestamp'),
        header('x-sms-nonce'),
        createHash('sha256').update(body).digest('hex'),
      ].join('\n');
      const expected = createHmac('sha256', SMS_SECRET).update(signed).digest('base64');
      if (header('x-sms-key-id') !== 'test-key' || header('x-sms-signature') !== expected) {
        badSignatures += 1;
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"code":"SignatureDoesNotMatch"}');
        return;
      }
      const sms = JSON.parse(body) as Sms;
      if (failingPhones.has(sms.phone)) {
        res.writeHead(500).end('gateway down');
        return;
      }
      texts.push(sms);
      arrivals.emit('sms', sms);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":"OK","message":"OK"}');
    });
  });
}

/** WeChat Work: an access token for the corp's secret, message/send with it, and the group robot. */
function wecomServer(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const answer = (body: object) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    void readBody(req).then((body) => {
      if (url.pathname === '/cgi-bin/gettoken') {
        if (url.searchParams.get('corpid') !== 'ww-test' || url.searchParams.get('corpsecret') !== 'corp-secret') {
          answer({ errcode: 40001, errmsg: 'invalid credential' });
          return;
        }
        tokensIssued += 1;
        answer({ errcode: 0, errmsg: 'ok', access_token: 'token-1', expires_in: 7200 });
        return;
      }
      if (url.pathname === '/cgi-bin/message/send') {
        if (url.searchParams.get('access_token') !== 'token-1') {
          answer({ errcode: 40014, errmsg: 'invalid access_token' });
          return;
        }
        const m = JSON.parse(body) as {
          touser: string;
          agentid: number;
          markdown: { content: string };
          enable_duplicate_check?: number;
          duplicate_check_interval?: number;
        };
        expect(m.agentid).toBe(1000002);
        // WeChat Work's own check drops a repeat of the same message (a send retried after a lost answer).
        expect(m.enable_duplicate_check).toBe(1);
        expect(m.duplicate_check_interval).toBe(14_400);
        appMessages.push({ touser: m.touser, content: m.markdown.content });
        answer({ errcode: 0, errmsg: 'ok' });
        return;
      }
      if (url.pathname === '/cgi-bin/webhook/send' && url.searchParams.get('key') === 'robot-key') {
        const m = JSON.parse(body) as { msgtype: string; markdown: { content: string } };
        expect(m.msgtype).toBe('markdown');
        robotMessages.push(m.markdown.content);
        answer({ errcode: 0, errmsg: 'ok' });
        return;
      }
      res.writeHead(404).end();
    });
  });
}

let config: Parameters<typeof startTestServer>[0]['config'];

async function api<T>(
  node: TestServer,
  method: string,
  path: string,
  cookie: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${node.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** HH:MM in China time. */
const chinaClock = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(ms))
    .slice(0, 5);

async function prefer(memberId: string, body: Partial<NotifyPreferencesBody>): Promise<void> {
  const full: NotifyPreferencesBody = {
    channels: [],
    email: null,
    phone: null,
    wecomUserId: null,
    quietHours: null,
    locale: 'zh-CN',
    ...body,
  };
  const res = await api(server, 'POST', '/notify/preferences', await signIn(server.url, memberId), full);
  expect(res.status).toBe(200);
}

async function createSession(topic: string, at: number, invitees: string[]): Promise<string> {
  const res = await api<{ session: SessionDetail }>(server, 'POST', '/sessions', staff, {
    topic,
    roomId: 'room-shanghu',
    scheduledAt: new Date(at).toISOString(),
    mode: 'hybrid',
    firstConvenerId: people.convener,
    invitees: invitees.map((memberId) => ({ memberId, role: 'member' })),
  });
  expect(res.status).toBe(201);
  return res.body.session.id;
}

async function log(query = ''): Promise<DeliveryView[]> {
  const res = await api<DeliveryListResponse>(server, 'GET', `/notify/deliveries${query}`, staff);
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

const smsTo = (phone: string) => texts.filter((t) => t.phone === phone);

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  gateway = smsGateway();
  wecom = wecomServer();
  const smsPort = await listen(gateway);
  const wecomPort = await listen(wecom);
  config = {
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    MAIL_FROM: '市政协办公室 <yitang@example.gov.cn>',
    PUBLIC_URL: PUBLIC,
    SMS_URL: `http://127.0.0.1:${smsPort}/sms/send`,
    SMS_KEY_ID: 'test-key',
    SMS_KEY_SECRET: SMS_SECRET,
    SMS_SIGN_NAME: '海安政协',
    SMS_TEMPLATES: 'sessionDayBefore=SMS_0001,sessionHourBefore=SMS_0002,sessionDayBefore.rsvp=SMS_0003',
    WECOM_ROBOT_URL: `http://127.0.0.1:${wecomPort}/cgi-bin/webhook/send?key=robot-key`,
    WECOM_API_BASE: `http://127.0.0.1:${wecomPort}`,
    WECOM_CORP_ID: 'ww-test',
    WECOM_CORP_SECRET: 'corp-secret',
    WECOM_AGENT_ID: '1000002',
    NOTIFY_TICK_MS: 0,
    NOTIFY_RETRY_BASE_MS: 60_000,
    NOTIFY_RETRY_MAX_MS: 600_000,
    NOTIFY_MAX_ATTEMPTS: 3,
  };
  server = await startTestServer({ mongoUri: inject('mongoUri'), config, clock: () => clock });
  staff = await signIn(server.url, 's-zhou-ting');
});

afterAll(async () => {
  await second?.close();
  await server?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  await new Promise<void>((resolve) => gateway?.close(() => resolve()));
  await new Promise<void>((resolve) => wecom?.close(() => resolve()));
});

/** Whole minutes, as quiet hours are. */
const start = Math.floor(Date.now() / 60_000) * 60_000;
const firstAt = start + 3 * DAY;
let firstId = '';

describe('preferences', () => {
  it('start from the addresses on the member’s record, and refuse what is not an address', async () => {
    const member = 'm-song-tao';
    const patched = await api(server, 'PATCH', `/org/members/${member}`, staff, {
      phone: '13900000000',
      email: 'song@example.gov.cn',
    });
    expect(patched.status).toBe(200);
    const cookie = await signIn(server.url, member);
    const first = await api<NotifyPreferencesView>(server, 'GET', '/notify/preferences', cookie);
    expect(first.body).toMatchObject({ channels: [], phone: '13900000000', email: 'song@example.gov.cn' });
    expect(first.body.available.sort()).toEqual(['email', 'sms', 'wecom', 'wecomRobot']);
    const bad = await api(server, 'POST', '/notify/preferences', cookie, { ...first.body, phone: '12345' });
    expect(bad.status).toBe(400);
    const { available: _, ...body } = first.body;
    const saved = await api<NotifyPreferencesView>(server, 'POST', '/notify/preferences', cookie, {
      ...body,
      channels: ['sms'],
      email: null,
    });
    expect(saved.body).toMatchObject({ channels: ['sms'], phone: '13900000000', email: null });
  });
});

describe('a scheduled reminder', () => {
  it('arrives once on each channel, after a restart in between', async () => {
    await prefer(people.convener, {
      channels: ['email', 'sms', 'wecom'],
      email: 'chen@example.gov.cn',
      phone: phones[people.convener],
      wecomUserId: 'ChenLiQun',
    });
    await prefer(people.failing, { channels: ['sms'], phone: phones[people.failing] });
    firstId = await createSession('南门小吃街夜间经营秩序', firstAt, [people.failing]);
    const job = await server.app.notify.scheduler.find(`session-reminder:${firstId}:day-before`);
    expect(job?.state).toBe('due');
    expect(new Date(job?.runAt ?? 0).getTime()).toBe(firstAt - DAY);

    // Nothing is due yet: a tick sends nothing.
    await server.app.notify.tick();
    expect(mails.length + texts.length + appMessages.length + robotMessages.length).toBe(0);

    await server.restart();
    failingPhones.add(phones[people.failing] ?? '');
    clock = firstAt - DAY + 60_000;
    await server.app.notify.tick();

    expect(mails.filter((m) => m.to.includes('chen@example.gov.cn'))).toHaveLength(1);
    const mail = mails[0]?.raw.replace(/\r\n[ \t]+/g, ' ') ?? '';
    expect(mail).toContain(`X-Yitang-Delivery: session-reminder:${firstId}:day-before#1:${people.convener}:email`);
    const text = Buffer.from(mail.split('\r\n\r\n')[1] ?? '', 'base64').toString('utf8');
    expect(text).toContain('您受邀参加的协商议事活动“南门小吃街夜间经营秩序”');
    expect(text).toContain(`${PUBLIC}/s/${firstId}`);
    const sms = smsTo(phones[people.convener] ?? '');
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ templateId: 'SMS_0001', signName: '海安政协' });
    // Named variables (Alibaba Cloud's TemplateParam) and the same in order (Tencent Cloud's TemplateParamSet).
    const at = `${chinaDay(new Date(firstAt))} ${chinaClock(firstAt)}`;
    expect(sms[0]?.params).toEqual({ topic: '南门小吃街夜间经营秩序', at });
    expect(sms[0]?.paramSet).toEqual(['南门小吃街夜间经营秩序', at]);
    expect(sms[0]?.outId).toBe(`session-reminder:${firstId}:day-before#1:${people.convener}:sms`);
    expect(badSignatures).toBe(0);
    expect(appMessages.filter((m) => m.touser === 'ChenLiQun')).toHaveLength(1);
    expect(appMessages[0]?.content).toContain(`${PUBLIC}/s/${firstId}`);
    expect(robotMessages).toHaveLength(1);
    expect(robotMessages[0]).toContain('明日协商：南门小吃街夜间经营秩序');

    // Ticking again (and again after another restart) sends nothing twice.
    await server.app.notify.tick();
    await server.restart();
    await server.app.notify.tick();
    expect(mails).toHaveLength(1);
    expect(smsTo(phones[people.convener] ?? '')).toHaveLength(1);
    expect(appMessages).toHaveLength(1);
    expect(robotMessages).toHaveLength(1);
    expect(tokensIssued).toBe(1);

    // Each run and attempt was claimed by key, on the day it was made: one run, five attempts (one refused).
    expect(await server.conn.collection('notify_claims').countDocuments({ day: chinaDay(new Date(clock)) })).toBe(6);
    const sent = await log('?state=sent');
    expect(sent.map((d) => d.channel).sort()).toEqual(['email', 'sms', 'wecom', 'wecomRobot']);
    // The log hides the middle of an address.
    expect(sent.find((d) => d.channel === 'sms')?.to).toBe('138****0001');
  });

  it('moves when the session is rescheduled and goes when it is cancelled', async () => {
    const id = await createSession('老旧小区加装电梯', start + 10 * DAY, []);
    const key = `session-reminder:${id}:hour-before`;
    expect((await server.app.notify.scheduler.find(key))?.rev).toBe(1);
    const moved = start + 11 * DAY;
    const res = await api(server, 'POST', `/sessions/${id}/reschedule`, staff, {
      scheduledAt: new Date(moved).toISOString(),
    });
    expect(res.status).toBe(200);
    const job = await server.app.notify.scheduler.find(key);
    expect(job?.rev).toBe(2);
    expect(new Date(job?.runAt ?? 0).getTime()).toBe(moved - HOUR);
    expect((await api(server, 'POST', `/sessions/${id}/cancel`, staff, { reason: '议题已办结' })).status).toBe(200);
    expect((await server.app.notify.scheduler.find(key))?.state).toBe('cancelled');
  });
});

describe('a failing receiver', () => {
  it('gets retries with backoff, then the log shows the failure, and staff send it again', async () => {
    const phone = phones[people.failing] ?? '';
    const id = `session-reminder:${firstId}:day-before#1:${people.failing}:sms`;
    // The first attempt was made in the tick above and refused with a 500.
    let [delivery] = (await log('?channel=sms')).filter((d) => d.id === id);
    expect(delivery?.state).toBe('pending');
    expect(delivery?.attempts).toHaveLength(1);
    for (let n = 1; n <= 2; n += 1) {
      const last = delivery?.attempts.at(-1);
      const at = Date.parse(last?.at ?? '');
      const next = Date.parse(last?.nextAttemptAt ?? '');
      // Exponential backoff with jitter: retry n waits less than base × 2^(n-1).
      expect(next - at).toBeGreaterThanOrEqual(0);
      expect(next - at).toBeLessThan(60_000 * 2 ** (n - 1));
      clock = next;
      await server.app.notify.tick();
      [delivery] = (await log('?channel=sms')).filter((d) => d.id === id);
      expect(delivery?.attempts).toHaveLength(n + 1);
    }
    expect(delivery?.state).toBe('failed');
    expect(delivery?.attempts.every((a) => !a.ok && a.error === 'HTTP 500')).toBe(true);
    expect((await log('?state=failed')).map((d) => d.id)).toContain(id);
    expect(smsTo(phone)).toHaveLength(0);

    // Only staff resend, only what was given up, and an unknown id writes nothing.
    const member = await signIn(server.url, people.failing);
    expect((await api(server, 'POST', `/notify/deliveries/${encodeURIComponent(id)}/resend`, member)).status).toBe(403);
    expect((await api(server, 'POST', '/notify/deliveries/nope/resend', staff)).status).toBe(404);
    const sentId = (await log('?state=sent'))[0]?.id ?? '';
    expect((await api(server, 'POST', `/notify/deliveries/${encodeURIComponent(sentId)}/resend`, staff)).status).toBe(
      409,
    );

    failingPhones.delete(phone);
    const again = await api<{ delivery: DeliveryView }>(
      server,
      'POST',
      `/notify/deliveries/${encodeURIComponent(id)}/resend`,
      staff,
    );
    expect(again.status).toBe(200);
    expect(again.body.delivery.state).toBe('sent');
    expect(again.body.delivery.attempts).toHaveLength(4);
    expect(smsTo(phone)).toHaveLength(1);
  });
});

describe('quiet hours', () => {
  it('hold back a non-urgent message until they end and let an urgent one through', async () => {
    const at = start + 5 * DAY;
    // Quiet from the session's time of day until half an hour before it, the next day.
    await prefer(people.quiet, {
      channels: ['sms'],
      phone: phones[people.quiet],
      quietHours: { from: chinaClock(at), to: chinaClock(at - 30 * 60_000) },
    });
    const id = await createSession('城区停车难问题', at, [people.quiet]);
    const phone = phones[people.quiet] ?? '';

    clock = at - DAY + 60_000;
    await server.app.notify.tick();
    expect(smsTo(phone)).toHaveLength(0);
    const held = (await log('?state=held')).find((d) => d.id.startsWith(`session-reminder:${id}:day-before`));
    expect(held?.memberId).toBe(people.quiet);
    expect(held?.nextAttemptAt).toBe(new Date(at - 30 * 60_000).toISOString());

    // The hour's reminder is urgent: it goes at once, quiet hours or not.
    clock = at - HOUR + 60_000;
    await server.app.notify.tick();
    expect(smsTo(phone).map((t) => t.templateId)).toEqual(['SMS_0002']);

    // When the quiet hours end, the held message goes out (the invitee has not answered: the RSVP template).
    clock = at - 30 * 60_000;
    await server.app.notify.tick();
    expect(smsTo(phone).map((t) => t.templateId)).toEqual(['SMS_0002', 'SMS_0003']);
  });
});

describe('two nodes', () => {
  it('send each message once', async () => {
    second = await startTestServer({
      mongoUri: inject('mongoUri'),
      dbName: server.dbName,
      seed: false,
      config,
      clock: () => clock,
    });
    await prefer(people.twoNodes, {
      channels: ['email', 'sms', 'wecom'],
      email: 'xie@example.gov.cn',
      phone: phones[people.twoNodes],
      wecomUserId: 'XieFang',
    });
    const at = start + 8 * DAY;
    const id = await createSession('农村人居环境整治', at, [people.twoNodes]);
    const node2 = second;
    for (const moment of [at - DAY + 60_000, at - HOUR + 60_000]) {
      clock = moment;
      await Promise.all([server.app.notify.tick(), node2.app.notify.tick(), node2.app.notify.tick()]);
    }
    await Promise.all([server.app.notify.tick(), node2.app.notify.tick()]);
    expect(mails.filter((m) => m.to.includes('xie@example.gov.cn'))).toHaveLength(2);
    expect(smsTo(phones[people.twoNodes] ?? '').map((t) => t.templateId)).toEqual(['SMS_0003', 'SMS_0002']);
    expect(appMessages.filter((m) => m.touser === 'XieFang')).toHaveLength(2);
    expect(robotMessages.filter((m) => m.includes('农村人居环境整治'))).toHaveLength(2);
    const mine = (await log()).filter((d) => d.id.startsWith(`session-reminder:${id}:`));
    // Each reminder: the convener on three channels, the invitee on three, the group robot once.
    expect(mine).toHaveLength(2 * 7);
    expect(mine.every((d) => d.state === 'sent' && d.attempts.length === 1)).toBe(true);
  });
});

/** Resolves once job `key` is stored (on the first server). */
async function plannedJob(key: string): Promise<void> {
  const scheduler = server.app.notify.scheduler;
  const planned = new Promise<void>((resolve) => {
    const listener = (k: string) => {
      if (k !== key) return;
      scheduler.events.off('planned', listener);
      resolve();
    };
    scheduler.events.on('planned', listener);
  });
  if (await scheduler.find(key)) return;
  await planned;
}

/** 09:00 China time, `days` after the China day `day`. */
const morning = (day: string, days: number) => Date.parse(`${day}T09:00:00+08:00`) + days * DAY + 60_000;

describe('tracking deadlines', () => {
  it('remind a week and a day ahead, then chase an overdue item by itself, escalating', async () => {
    const official = 'o-liu-jianguo';
    const phone = phones[official] ?? '';
    await prefer(official, { channels: ['sms'], phone });
    const deadline = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(start + 20 * DAY));
    const created = await api<{ item: { id: string } }>(server, 'POST', '/tracking', staff, {
      kind: 'staff',
      title: '大桥路灯',
      text: '修复通济桥路灯',
      department: '市城市管理局',
      deadline,
    });
    expect(created.status).toBe(201);
    const itemId = created.body.item.id;
    // The item plans its jobs behind the answer (tracking listeners run after it): the chase is planned last.
    await plannedJob(`trackingOverdue:${itemId}:${deadline}`);
    const templates = () => smsTo(phone).map((t) => t.templateId);

    clock = morning(deadline, -7);
    await server.app.notify.tick();
    expect(templates()).toEqual(['trackingDueWeek']);
    expect(smsTo(phone)[0]?.params).toMatchObject({ text: '修复通济桥路灯', deadline });

    clock = morning(deadline, -1);
    await server.app.notify.tick();
    await server.app.notify.tick();
    expect(templates()).toEqual(['trackingDueWeek', 'trackingDueDay']);

    // The day after the deadline the item is chased as staff would chase it, and the group hears.
    clock = morning(deadline, 1);
    await server.app.notify.tick();
    await server.app.notify.tick();
    expect(templates()).toEqual(['trackingDueWeek', 'trackingDueDay', 'trackingOverdue']);
    expect(robotMessages.filter((m) => m.includes('修复通济桥路灯'))).toHaveLength(1);
    // A week later, still overdue: chased again, one level up.
    clock = morning(deadline, 8);
    await server.app.notify.tick();
    expect(templates()).toEqual(['trackingDueWeek', 'trackingDueDay', 'trackingOverdue', 'trackingOverdue']);
    const levels = smsTo(phone)
      .filter((t) => t.templateId === 'trackingOverdue')
      .map((t) => Number(t.params.level));
    expect(levels[1]).toBe((levels[0] ?? 0) + 1);
    const item = await api<{ item: { chases: Array<{ byName: string; level: number }> } }>(
      server,
      'GET',
      `/tracking/${encodeURIComponent(itemId)}`,
      staff,
    );
    expect(item.body.item.chases.map((c) => c.level)).toEqual(levels);
    expect(item.body.item.chases.every((c) => c.byName === '议堂自动督办')).toBe(true);
  });
});

describe('the floor', () => {
  it('reaches the speaker at once, even in their quiet hours', async () => {
    const speaker = 'm-xiao-bo';
    const phone = phones[speaker] ?? '';
    // Quiet all day but one minute: only an urgent message gets through now.
    await prefer(speaker, {
      channels: ['sms'],
      phone,
      quietHours: { from: chinaClock(clock), to: chinaClock(clock - 60_000) },
    });
    const convener = await joinAs(server, demo.firstConvenerId);
    await joinAs(server, speaker);
    await must(convener, 'session:start', {});
    const arrived = new Promise<Sms>((resolve) => {
      const listener = (sms: Sms) => {
        if (sms.phone !== phone) return;
        arrivals.off('sms', listener);
        resolve(sms);
      };
      arrivals.on('sms', listener);
    });
    await must(convener, 'speaker:grant', { memberId: speaker });
    const sms = await arrived;
    expect(sms.templateId).toBe('floorYours');
    server.closeSockets();
  });
});

describe('minutes', () => {
  it('still waiting a day after the close are asked for, and again later', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    await must(convener, 'session:close', {});
    await server.app.minutesIdle(demo.sessionId);
    const key = `minutes-review:${demo.sessionId}`;
    await plannedJob(key);
    server.closeSockets();
    const phone = phones[people.convener] ?? '';
    const asked = () => smsTo(phone).filter((t) => t.templateId === 'minutesReview');

    const due = new Date((await server.app.notify.scheduler.find(key))?.runAt ?? 0).getTime();
    expect(due - clock).toBeGreaterThanOrEqual(DAY - 60_000);
    clock = due + 60_000;
    await server.app.notify.tick();
    await server.app.notify.tick();
    expect(asked()).toHaveLength(1);
    // Asked of a draft: its recorders and the first convener (the stored message keeps the status).
    const stored = await server.conn
      .collection<{ params: Record<string, string> }>('notify_deliveries')
      .findOne({ kind: 'minutesReview', memberId: people.convener, channel: 'sms' });
    expect(stored?.params).toMatchObject({ status: 'draft' });
    expect(appMessages.at(-1)?.content).toContain(`${PUBLIC}/s/${demo.sessionId}/minutes`);

    clock += 2 * DAY;
    await server.app.notify.tick();
    expect(asked()).toHaveLength(2);
    // Claims of weeks ago guard nothing any more: a new day's tick deleted them.
    expect(
      await server.conn.collection('notify_claims').countDocuments({ day: chinaDay(new Date(firstAt - DAY)) }),
    ).toBe(0);
  });
});

describe('the second convener', () => {
  it('is told through his own channels that his approval of the minutes is needed', async () => {
    const convener2 = demo.secondConvenerId;
    const phone = '13800000007';
    await prefer(convener2, { channels: ['sms', 'wecom'], phone, wecomUserId: 'WangHaiTao' });
    const asked = () => smsTo(phone).filter((t) => t.templateId === 'minutesReview');
    const toHim = () => appMessages.filter((m) => m.touser === 'WangHaiTao');
    const transition = `/sessions/${demo.sessionId}/minutes/transition`;
    const first = await signIn(server.url, people.convener);

    // Sent to review: both conveners are asked, each on his channels.
    expect((await api(server, 'POST', transition, first, { to: 'inReview' })).status).toBe(200);
    await server.app.notify.tick();
    expect(asked()).toHaveLength(1);
    expect(asked()[0]?.params.topic).toBeTruthy();

    // The first convener approves: the second, still waiting, is asked again, and only he.
    const firstAsked = smsTo(phones[people.convener] ?? '').length;
    expect((await api(server, 'POST', transition, first, { to: 'approved' })).status).toBe(200);
    await server.app.notify.tick();
    await server.app.notify.tick();
    expect(asked()).toHaveLength(2);
    expect(smsTo(phones[people.convener] ?? '')).toHaveLength(firstAsked);
    expect(toHim()).toHaveLength(2);
    const link = `${PUBLIC}${notifyPaths.minutes(demo.sessionId)}`;
    expect(toHim().every((m) => m.content.includes('会议纪要待您审阅') && m.content.includes(`(${link})`))).toBe(true);
    const logged = (await log('?kind=minutesReview')).filter((d) => d.memberId === convener2);
    expect(logged.map((d) => d.channel).sort()).toEqual(['sms', 'sms', 'wecom', 'wecom']);
    expect(
      logged.every((d) => d.state === 'sent' && d.id.startsWith('notice:minutes-approve:') && d.link === link),
    ).toBe(true);
  });
});

describe('the quarterly note', () => {
  it('tells a member which of the six minimums they still miss, and plans the next quarter', async () => {
    const first = nextQuarterly(start);
    expect(await server.app.notify.scheduler.find(first.key)).toMatchObject({ state: 'due' });
    // The committee's rubric for the quarter's year: the demo's, carried over.
    const year = Number(first.key.slice(-7, -3));
    const rubrics = server.conn.collection<{
      _id: string;
      year: number;
      body: Record<string, unknown>;
      effectiveFrom?: string | null;
    }>('duty_rubrics');
    const current = await rubrics.findOne({}, { sort: { year: -1, version: -1 } });
    expect(current).not.toBeNull();
    if (current && current.year !== year) {
      await rubrics.insertOne({
        ...current,
        _id: `rubric-${year}-carried`,
        year,
        body: { ...current.body, year },
        effectiveFrom: null,
      });
    }
    // Coming activities: the note names those the member (高雅, 专长：法律) is invited to, has not
    // asked leave from and that fit their expertise, each with its link; none of the others.
    const runDay = (days: number) => chinaDay(new Date(first.at.getTime() + days * DAY));
    const activity = async (kind: string, title: string, date: string, invitees: string[]) => {
      const res = await api<{ id: string }>(server, 'POST', '/activities', staff, {
        kind,
        title,
        date,
        place: '市政协会议室',
        invitees,
      });
      expect(res.status, title).toBe(201);
      return res.body.id;
    };
    const fitting = await activity('inspection', '法律援助工作站建设情况视察', runDay(14), [people.failing]);
    const unfitting = await activity('research', '农村道路建设调研', runDay(10), [people.failing]);
    const notInvited = await activity('inspection', '法律服务进社区视察', runDay(12), ['m-ma-li']);
    const past = await activity('sector', '法律顾问团座谈', runDay(-2), [people.failing]);
    const onLeave = await activity('training', '法律实务培训', runDay(20), [people.failing]);
    const leave = await api(server, 'POST', `/activities/${onLeave}/rsvp`, await signIn(server.url, people.failing), {
      answer: 'leave',
      reason: '外出开庭',
    });
    expect(leave.status).toBe(200);

    const phone = phones[people.failing] ?? '';
    clock = first.at.getTime() + 60_000;
    await server.app.notify.tick();
    const notes = smsTo(phone).filter((t) => t.templateId === 'quarterlyMinimums');
    expect(notes).toHaveLength(1);
    // The text's variable names the minimums in the member's language, not by id.
    const named = notes[0]?.params.missing ?? '';
    expect(
      named
        .replace(/等$/, '')
        .split('、')
        .every((n) => Object.values(minimumNames['zh-CN']).includes(n)),
    ).toBe(true);
    expect(notes[0]?.paramSet).toEqual([named]);
    // The stored message holds them whole (a text message's variables are cut to its template's).
    const stored = await server.conn
      .collection<{ params: Record<string, string>; text: string }>('notify_deliveries')
      .findOne({ kind: 'quarterlyMinimums', memberId: people.failing });
    const link = `${PUBLIC}/activities/${fitting}`;
    expect(stored?.params.activities?.split('\n')).toEqual([
      `法律援助工作站建设情况视察|${runDay(14)}|inspection|${link}`,
    ]);
    expect(stored?.text).toContain(`履职活动：“法律援助工作站建设情况视察”（视察，${runDay(14)}，${link}）`);
    for (const other of [unfitting, notInvited, past, onLeave]) expect(stored?.text).not.toContain(other);
    const next = nextQuarterly(clock);
    expect(await server.app.notify.scheduler.find(next.key)).toMatchObject({ state: 'due' });
    expect((await server.app.notify.scheduler.find(first.key))?.state).toBe('done');
  });
});

describe('reads', () => {
  it('the scheduler, the deliveries and the claims read by equalities the embedded database pushes down to its indexes', async () => {
    const db = server.conn.db;
    if (!db) throw new Error('no database');
    const probes: Array<[string, Record<string, unknown>]> = [
      ['notify_jobs', { slot: chinaDay(new Date(clock)), state: 'due' }],
      ['notify_jobs', { state: 'due' }],
      ['notify_deliveries', { state: 'pending' }],
      ['notify_deliveries', { month: '2026-12' }],
      ['notify_claims', { day: chinaDay(new Date(clock)) }],
    ];
    for (const [collection, filter] of probes) {
      const res = await db.command({ explain: { find: collection, filter } });
      // FerretDB says whether it pushed the filter down; MongoDB itself answers with its own planner.
      if ('filterPushdown' in res) expect(res.filterPushdown, `${collection} ${JSON.stringify(filter)}`).toBe(true);
      else expect(JSON.stringify(res.queryPlanner?.winningPlan)).toContain('IXSCAN');
    }
    for (const [collection, key] of [
      ['notify_jobs', 'slot'],
      ['notify_jobs', 'state'],
      ['notify_deliveries', 'state'],
      ['notify_deliveries', 'month'],
      ['notify_claims', 'day'],
    ] as const) {
      const indexes = await db.collection(collection).indexes();
      expect(indexes.some((i) => Object.keys(i.key)[0] === key)).toBe(true);
    }
  });
});
