/**
 * 12345 hotline linkage against the real server and database: the signed inbound webhook
 * (signature, timestamp window, replay, idempotency by ticket id), CSV import all or nothing,
 * one-step topics, and the outbound webhook's retries and delivery log against a real HTTP server
 * started here.
 */
import { EventEmitter, once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HotlineDeliveriesResponse,
  type HotlineDeliveryView,
  HotlineImportRefusal,
  HotlineImportResponse,
  HotlineOutboundBody,
  HotlineTicketsResponse,
  HotlineTopicResponse,
  HotlineWebhookReceipt,
  MeResponse,
  TopicResponse,
  TrackingListResponse,
} from '@yitang/shared';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer, type YitangApp } from '../src/app';
import { connectDatabase } from '../src/db/connect';
import { createModels, ensureIndexes, trusted } from '../src/db/models';
import type { HotlineSettings } from '../src/hotline';
import { signBody, verifySignature } from '../src/hotline/signature';
import { createLogger } from '../src/logger';
import { seedDemo } from '../src/seed/demo';
import { connectSocket, demo, must, signIn, uniqueDbName } from '../src/testing';

const SECRET = 'hotline-test-secret-0123456789';

/** The hotline's receiving end: answers 503 to the first `failures` requests, then 200. */
class Receiver extends EventEmitter<{ request: [ReceivedRequest] }> {
  readonly requests: ReceivedRequest[] = [];
  failures = 0;
  private readonly server: Server;
  url = '';

  constructor() {
    super();
    this.server = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: 200 };
        if (this.failures > 0) {
          this.failures -= 1;
          entry.status = 503;
        }
        this.requests.push(entry);
        res.statusCode = entry.status;
        res.end(entry.status === 200 ? '{"ok":true}' : 'busy');
        this.emit('request', entry);
      });
    });
  }

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/feedback`;
  }

  /** Resolves with the request once the receiver holds `count` of them. */
  async nth(count: number): Promise<ReceivedRequest> {
    while (this.requests.length < count) await once(this, 'request');
    const r = this.requests[count - 1];
    if (!r) throw new Error('no such request');
    return r;
  }

  /** Resolves with the first request from index `from` on that satisfies `match`. */
  async until(from: number, match: (r: ReceivedRequest) => boolean): Promise<ReceivedRequest> {
    for (let i = from; ; i += 1) {
      const r = await this.nth(i + 1);
      if (match(r)) return r;
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** The real server with hotline settings (startTestServer has none), restartable on one database. */
async function startHotlineServer(mongoUri: string, settings: HotlineSettings) {
  const dbName = uniqueDbName('hotline');
  const logger = createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent');
  let conn: Connection;
  let app: YitangApp;
  let url: string;
  const boot = async (seed: boolean) => {
    conn = await connectDatabase(mongoUri, dbName);
    const models = createModels(conn);
    await ensureIndexes(models);
    if (seed) await seedDemo(models);
    app = createServer({
      config: {
        ALLOWED_ORIGINS: [],
        CLIENT_DIST: '/nonexistent',
        COOKIE_SECURE: false,
        DEMO_LOGIN: true,
        CHROMIUM_PATH: '/usr/bin/chromium',
        ...settings,
      },
      conn,
      logger,
    });
    url = await app.listen(0, '127.0.0.1');
  };
  await boot(true);
  return {
    get url() {
      return url;
    },
    get app() {
      return app;
    },
    get conn() {
      return conn;
    },
    async restart() {
      await app.close();
      await conn.close();
      await boot(false);
    },
    async close() {
      await app.close();
      await conn.dropDatabase().catch(() => undefined);
      await conn.close();
    },
  };
}

let receiver: Receiver;
let server: Awaited<ReturnType<typeof startHotlineServer>>;
const cookies = new Map<string, string>();
const cookieOf = async (memberId: string) => {
  let c = cookies.get(memberId);
  if (!c) {
    c = await signIn(server.url, memberId);
    cookies.set(memberId, c);
  }
  return c;
};
const aMember = 'm-zhou-min';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Posts to the webhook as the hotline does; `sign` overrides let a test break the signature. */
async function sendWebhook(
  body: string,
  sign: { timestamp?: number; secret?: string; headers?: Record<string, string> } = {},
) {
  const timestamp = sign.timestamp ?? nowSeconds();
  const headers = sign.headers ?? {
    'content-type': 'application/json',
    'x-yitang-timestamp': String(timestamp),
    'x-yitang-signature': signBody(sign.secret ?? SECRET, timestamp, body),
  };
  const res = await fetch(`${server.url}/api/hotline/webhook`, { method: 'POST', headers, body });
  return { status: res.status, headers, json: (await res.json()) as unknown };
}

const ticketJson = (ticketId: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    ticketId,
    title: '通扬河桥路灯十年不亮',
    description: '桥上路灯坏了十多年,晚上行人看不清',
    district: '城东镇',
    reportedAt: '2025-03-01T08:00:00+08:00',
    category: '市政照明',
    ...over,
  });

async function upload(csv: string | Uint8Array, memberId: string = demo.staffId, fileName = 'tickets.csv') {
  const form = new FormData();
  form.append('file', new Blob([csv], { type: 'text/csv' }), fileName);
  const res = await fetch(`${server.url}/api/hotline/imports`, {
    method: 'POST',
    headers: { cookie: await cookieOf(memberId) },
    body: form,
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function getJson(path: string, memberId: string = demo.staffId) {
  const res = await fetch(`${server.url}/api${path}`, { headers: { cookie: await cookieOf(memberId) } });
  return { status: res.status, json: (await res.json()) as unknown };
}

async function postJson(path: string, body: unknown, memberId: string = demo.staffId) {
  const res = await fetch(`${server.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: await cookieOf(memberId) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

const storedIds = async (ids: string[]) =>
  (await server.app.models.HotlineTicketRecord.find({ ticketId: trusted({ $in: ids }) }, { ticketId: 1 }).lean())
    .map((d) => d.ticketId)
    .sort();

/** Resolves with the first delivery attempt reported by the outbox that satisfies `match`. */
function nextAttempt(match: (d: HotlineDeliveryView) => boolean): Promise<HotlineDeliveryView> {
  const events = server.app.hotline.outbox.events;
  return new Promise((resolve) => {
    const fn = (d: HotlineDeliveryView) => {
      if (!match(d)) return;
      events.off('attempt', fn);
      resolve(d);
    };
    events.on('attempt', fn);
  });
}

beforeAll(async () => {
  receiver = new Receiver();
  await receiver.start();
  server = await startHotlineServer(inject('mongoUri'), {
    HOTLINE_SECRET: SECRET,
    HOTLINE_OUTBOUND_URL: receiver.url,
    HOTLINE_RETRY_BASE_MS: 20,
    HOTLINE_RETRY_MAX_MS: 80,
    HOTLINE_MAX_ATTEMPTS: 4,
    HOTLINE_TIMEOUT_MS: 5_000,
  });
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('inbound webhook', () => {
  it('stores a signed ticket once and answers a repeat the same', async () => {
    const body = ticketJson('HA-0001');
    const first = await sendWebhook(body);
    expect(first.status).toBe(200);
    const receipt = HotlineWebhookReceipt.parse(first.json);
    expect(receipt).toMatchObject({ id: 'hl-HA-0001', ticketId: 'HA-0001' });

    // The hotline sends it again (a new signature, a later second): the same answer, one ticket.
    const again = await sendWebhook(body, { timestamp: nowSeconds() + 1 });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(await server.app.models.HotlineTicketRecord.countDocuments({ ticketId: 'HA-0001' })).toBe(1);

    const list = HotlineTicketsResponse.parse((await getJson('/hotline/tickets')).json);
    expect(list.tickets.find((t) => t.ticketId === 'HA-0001')).toMatchObject({
      origin: 'webhook',
      title: '通扬河桥路灯十年不亮',
      district: '城东镇',
      topicId: null,
    });
  });

  it('refuses a bad signature, a wrong secret, missing headers and an old timestamp with 401, storing nothing', async () => {
    const body = ticketJson('HA-0002');
    const ts = nowSeconds();
    const cases = [
      await sendWebhook(body, { secret: 'another-secret-entirely-0000' }),
      await sendWebhook(body, {
        headers: {
          'content-type': 'application/json',
          'x-yitang-timestamp': String(ts),
          // Signed for another body.
          'x-yitang-signature': signBody(SECRET, ts, ticketJson('HA-0003')),
        },
      }),
      await sendWebhook(body, { headers: { 'content-type': 'application/json' } }),
      await sendWebhook(body, { timestamp: ts - 301 }),
      await sendWebhook(body, { timestamp: ts + 3_600 }),
    ];
    for (const c of cases) {
      expect(c.status).toBe(401);
      expect(c.json).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    expect(cases[3]?.json).toMatchObject({ error: { message: expect.stringMatching(/window/) } });
    expect(await storedIds(['HA-0002', 'HA-0003'])).toEqual([]);
  });

  it('refuses the exact same request a second time (replay)', async () => {
    const body = ticketJson('HA-0004');
    const first = await sendWebhook(body);
    expect(first.status).toBe(200);
    const replay = await fetch(`${server.url}/api/hotline/webhook`, { method: 'POST', headers: first.headers, body });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/replay/) },
    });
    expect(await server.app.models.HotlineTicketRecord.countDocuments({ ticketId: 'HA-0004' })).toBe(1);
  });

  it('reports a bad ticket or another ticket under a used id, and keeps the first', async () => {
    const missingTitle = await sendWebhook(ticketJson('HA-0005', { title: '' }));
    expect(missingTitle.status).toBe(400);
    expect(missingTitle.json).toMatchObject({
      error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^title/) },
    });
    const notJson = await sendWebhook('{"ticketId":');
    expect(notJson.status).toBe(400);
    const other = await sendWebhook(ticketJson('HA-0001', { title: '另一件事' }));
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({ error: { message: expect.stringMatching(/different content/) } });
    const kept = await server.app.models.HotlineTicketRecord.findById('hl-HA-0001').lean();
    expect(kept?.title).toBe('通扬河桥路灯十年不亮');
    expect(await storedIds(['HA-0005'])).toEqual([]);
  });

  it('checks the signature against the bytes as sent', () => {
    // The route verifies the raw body: re-serialised JSON (other spacing) would not match.
    const body = ticketJson('HA-0006');
    const ts = nowSeconds();
    const sig = signBody(SECRET, ts, body);
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    const verdict = verifySignature({
      secret: SECRET,
      timestampHeader: String(ts),
      signatureHeader: sig,
      rawBody: reformatted,
      now: new Date(),
    });
    expect(verdict).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });
});

describe('CSV import', () => {
  const header = '工单编号,标题,内容,区域,受理时间,类别';

  it('reports every bad row with its row, column and reason, and stores nothing', async () => {
    const csv = [
      header,
      'CSV-1,南门小吃街油烟扰民,,城东镇,2025-03-02T09:00:00+08:00,环境',
      'CSV-2,,标题空,城东镇,2025-03-02T09:00:00+08:00,环境',
      'CSV-3,时间不对,,城东镇,昨天,环境',
      'CSV-1,重复的工单,,城东镇,2025-03-02T09:00:00+08:00,环境',
    ].join('\n');
    const res = await upload(csv);
    expect(res.status).toBe(400);
    const refusal = HotlineImportRefusal.parse(res.json);
    expect(refusal.problems.map((p) => [p.row, p.field, p.code])).toEqual([
      [2, 'title', 'required'],
      [3, 'reportedAt', 'badFormat'],
      [4, 'ticketId', 'duplicateInFile'],
    ]);
    expect(await storedIds(['CSV-1', 'CSV-2', 'CSV-3'])).toEqual([]);
    expect(await server.app.models.HotlineImport.countDocuments({})).toBe(0);
  });

  it('refuses a file that is not UTF-8, a missing column, and a file that is not attached', async () => {
    // "工单编号" in GBK.
    const gbk = Uint8Array.from([0xb9, 0xa4, 0xb5, 0xa5, 0xb1, 0xe0, 0xba, 0xc5, 0x0a, 0x41, 0x0a]);
    const notUtf8 = HotlineImportRefusal.parse((await upload(gbk)).json);
    expect(notUtf8.problems).toMatchObject([{ row: 0, code: 'notCsv' }]);
    const noTitle = HotlineImportRefusal.parse((await upload('工单编号,受理时间\nX-1,2025-03-02T09:00:00Z\n')).json);
    expect(noTitle.problems).toMatchObject([{ row: 0, field: 'title', code: 'missingColumn' }]);
    const res = await fetch(`${server.url}/api/hotline/imports`, {
      method: 'POST',
      headers: { cookie: await cookieOf(demo.staffId) },
      body: new FormData(),
    });
    expect(res.status).toBe(400);
  });

  it('imports a good file, and again imports nothing twice', async () => {
    const csv = [
      header,
      'CSV-1,南门小吃街油烟扰民,"晚上油烟大,窗户不能开",城东镇,2025-03-02T09:00:00+08:00,环境',
      'CSV-2,老旧小区加装电梯,,海安街道,2025-03-03T10:00:00+08:00,住建',
    ].join('\r\n');
    const first = await upload(csv);
    expect(first.status).toBe(201);
    expect(HotlineImportResponse.parse(first.json)).toMatchObject({ imported: ['CSV-1', 'CSV-2'], alreadyPresent: [] });
    const again = await upload(csv);
    expect(again.status).toBe(201);
    expect(HotlineImportResponse.parse(again.json)).toMatchObject({ imported: [], alreadyPresent: ['CSV-1', 'CSV-2'] });
    expect(
      await server.app.models.HotlineTicketRecord.countDocuments({ ticketId: trusted({ $in: ['CSV-1', 'CSV-2'] }) }),
    ).toBe(2);
    const list = HotlineTicketsResponse.parse((await getJson('/hotline/tickets')).json);
    expect(list.tickets.find((t) => t.ticketId === 'CSV-1')).toMatchObject({
      origin: 'csv',
      description: '晚上油烟大,窗户不能开',
    });
  });

  it('refuses a file whose ticket was received before with other content, storing none of its rows', async () => {
    const csv = [
      header,
      'CSV-4,新的一件,,城东镇,2025-03-04T09:00:00+08:00,环境',
      'CSV-1,油烟扰民(改过标题),,城东镇,2025-03-02T09:00:00+08:00,环境',
    ].join('\n');
    const res = await upload(csv);
    expect(res.status).toBe(400);
    expect(HotlineImportRefusal.parse(res.json).problems).toMatchObject([
      { row: 2, field: 'ticketId', code: 'conflict' },
    ]);
    expect(await storedIds(['CSV-4'])).toEqual([]);
  });

  it('removes what an import inserted when a ticket arrives meanwhile with other content', async () => {
    // Between the check and the insert, the webhook stores RACE-2 with another title: the insert
    // then fails on that one ticket, and the rows this import did insert are removed again.
    const { createHotlineService } = await import('../src/hotline/hotline.service');
    const service = createHotlineService({
      models: server.app.models,
      logger: createLogger('silent'),
      outbox: server.app.hotline.outbox,
      topics: null,
      topicOfSession: async () => null,
      beforeImportInsert: async () => {
        const res = await sendWebhook(ticketJson('RACE-2', { title: '抢先到达的另一件事' }));
        expect(res.status).toBe(200);
      },
    });
    const ticket = (ticketId: string) => ({
      ticketId,
      title: '同一批次',
      description: '',
      district: '',
      category: '',
      reportedAt: '2025-03-05T08:00:00Z',
    });
    const by = MeResponse.parse((await getJson('/auth/me')).json).member;
    if (!by) throw new Error('staff not signed in');
    const outcome = await service.importTickets([ticket('RACE-1'), ticket('RACE-2'), ticket('RACE-3')], by, 'race.csv');
    expect(outcome).toMatchObject({ ok: false, problems: [{ row: 2, code: 'conflict' }] });
    expect(await storedIds(['RACE-1', 'RACE-2', 'RACE-3'])).toEqual(['RACE-2']);
    const kept = await server.app.models.HotlineTicketRecord.findById('hl-RACE-2').lean();
    expect(kept).toMatchObject({ origin: 'webhook', title: '抢先到达的另一件事' });
    expect(await server.app.models.HotlineImport.find({ fileName: 'race.csv' }).lean()).toMatchObject([
      { state: 'failed' },
    ]);
  });

  it('keeps once a ticket the webhook stored meanwhile with the same content, and imports the rest', async () => {
    const same = { title: '同一批次', description: '', district: '', category: '', reportedAt: '2025-03-05T08:00:00Z' };
    const { createHotlineService } = await import('../src/hotline/hotline.service');
    const service = createHotlineService({
      models: server.app.models,
      logger: createLogger('silent'),
      outbox: server.app.hotline.outbox,
      topics: null,
      topicOfSession: async () => null,
      beforeImportInsert: async () => {
        expect((await sendWebhook(JSON.stringify({ ticketId: 'SAME-2', ...same }))).status).toBe(200);
      },
    });
    const by = MeResponse.parse((await getJson('/auth/me')).json).member;
    if (!by) throw new Error('staff not signed in');
    const outcome = await service.importTickets(
      ['SAME-1', 'SAME-2', 'SAME-3'].map((ticketId) => ({ ticketId, ...same })),
      by,
      'same.csv',
    );
    expect(outcome).toMatchObject({ ok: true, result: { imported: ['SAME-1', 'SAME-3'], alreadyPresent: ['SAME-2'] } });
    expect(await storedIds(['SAME-1', 'SAME-2', 'SAME-3'])).toEqual(['SAME-1', 'SAME-2', 'SAME-3']);
    expect(await server.app.models.HotlineTicketRecord.findById('hl-SAME-2').lean()).toMatchObject({
      origin: 'webhook',
    });
  });

  it('rolls back at start an import that a crash left unfinished', async () => {
    const { HotlineImport, HotlineTicketRecord } = server.app.models;
    const longAgo = new Date(Date.now() - 60 * 60_000);
    await HotlineImport.create({
      _id: 'hi-crashed',
      state: 'importing',
      by: demo.staffId,
      fileName: 'crashed.csv',
      tickets: 1,
      startedAt: longAgo,
      finishedAt: null,
    });
    await HotlineTicketRecord.create({
      _id: 'hl-CRASH-1',
      ticketId: 'CRASH-1',
      title: '写了一半',
      reportedAt: '2025-03-05T08:00:00Z',
      origin: 'csv',
      importId: 'hi-crashed',
      receivedAt: longAgo,
    });
    // Not listed while its import is unfinished.
    const before = HotlineTicketsResponse.parse((await getJson('/hotline/tickets')).json);
    expect(before.tickets.map((t) => t.ticketId)).not.toContain('CRASH-1');
    await server.restart();
    cookies.clear();
    expect(await storedIds(['CRASH-1'])).toEqual([]);
    expect(await server.app.models.HotlineImport.findById('hi-crashed').lean()).toMatchObject({ state: 'failed' });
  });

  it('is for staff only', async () => {
    expect((await upload('x', aMember)).status).toBe(403);
    expect((await getJson('/hotline/tickets', aMember)).status).toBe(403);
    const anonymous = await fetch(`${server.url}/api/hotline/tickets`);
    expect(anonymous.status).toBe(401);
  });
});

describe('ticket to topic, and status back to the hotline', () => {
  it('turns a ticket into a topic once', async () => {
    const first = await postJson('/hotline/tickets/hl-HA-0001/topic', {});
    expect(first.status).toBe(201);
    const made = HotlineTopicResponse.parse(first.json);
    expect(made.created).toBe(true);
    const topicId = made.ticket.topicId;
    expect(topicId).toBeTruthy();
    expect(made.ticket.topicState).toBe('proposed');

    const again = HotlineTopicResponse.parse((await postJson('/hotline/tickets/hl-HA-0001/topic', {})).json);
    expect(again).toMatchObject({ created: false, ticket: { topicId } });
    const { topic } = TopicResponse.parse((await getJson(`/topics/${topicId}`)).json);
    expect(topic).toMatchObject({ source: 'hotline', sourceRef: 'HA-0001', title: '通扬河桥路灯十年不亮' });
    expect(topic.description).toContain('HA-0001');

    expect((await postJson('/hotline/tickets/hl-HA-0001/topic', {}, aMember)).status).toBe(403);
    expect((await postJson('/hotline/tickets/hl-NOPE/topic', {})).status).toBe(404);
  });

  it('sends a decline to the hotline, retrying with backoff until it is taken, with one key', async () => {
    const made = HotlineTopicResponse.parse((await postJson('/hotline/tickets/hl-CSV-2/topic', {})).json);
    const topicId = made.ticket.topicId ?? '';
    receiver.failures = 2;
    const before = receiver.requests.length;
    const delivered = nextAttempt((d) => d.ticketId === 'CSV-2' && d.state === 'delivered');
    const reason = '属于住建部门年度计划,已纳入加装电梯专项';
    expect((await postJson(`/topics/${topicId}/decline`, { reason })).status).toBe(200);

    const third = await receiver.nth(before + 3);
    const view = await delivered;
    const sent = receiver.requests.slice(before, before + 3);
    expect(sent.map((r) => r.status)).toEqual([503, 503, 200]);
    // Every attempt: the same body and idempotency key, each signed with the shared secret.
    const key = third.headers['idempotency-key'];
    expect(key).toBe(view.id);
    for (const r of sent) {
      expect(r.headers['idempotency-key']).toBe(key);
      expect(r.body).toBe(third.body);
      const ok = verifySignature({
        secret: SECRET,
        timestampHeader: String(r.headers['x-yitang-timestamp']),
        signatureHeader: String(r.headers['x-yitang-signature']),
        rawBody: r.body,
        now: new Date(),
      });
      expect(ok.ok).toBe(true);
    }
    expect(HotlineOutboundBody.parse(JSON.parse(third.body))).toMatchObject({
      deliveryId: key,
      ticketId: 'CSV-2',
      topicId,
      change: { kind: 'topic', status: 'declined', reason },
    });

    // The log staff read: each attempt with its status and the next retry.
    const log = HotlineDeliveriesResponse.parse((await getJson('/hotline/deliveries?ticketId=CSV-2')).json);
    expect(log.deliveries).toHaveLength(1);
    const entry = log.deliveries[0];
    expect(entry?.state).toBe('delivered');
    expect(entry?.attempts.map((a) => [a.statusCode, a.error, a.nextAttemptAt === null])).toEqual([
      [503, 'HTTP 503', false],
      [503, 'HTTP 503', false],
      [200, null, true],
    ]);
    expect(entry?.nextAttemptAt).toBeNull();

    // The ticket list mirrors the topic and counts the delivery.
    const ticket = HotlineTicketsResponse.parse((await getJson('/hotline/tickets')).json).tickets.find(
      (t) => t.ticketId === 'CSV-2',
    );
    expect(ticket).toMatchObject({ topicState: 'declined', deliveries: { pending: 0, delivered: 1, failed: 0 } });
  });

  it('refuses the delivery log to members', async () => {
    expect((await getJson('/hotline/deliveries', aMember)).status).toBe(403);
    expect((await postJson('/hotline/deliveries/hd-x/retry', {}, aMember)).status).toBe(403);
  });

  it('resumes a pending delivery after a restart', async () => {
    const made = HotlineTopicResponse.parse((await postJson('/hotline/tickets/hl-CSV-1/topic', {})).json);
    const topicId = made.ticket.topicId ?? '';
    receiver.failures = 1_000;
    const before = receiver.requests.length;
    const firstFailure = nextAttempt((d) => d.ticketId === 'CSV-1');
    expect((await postJson(`/topics/${topicId}/decline`, { reason: '重复议题' })).status).toBe(200);
    const failed = await firstFailure;
    expect(failed).toMatchObject({ state: 'pending', attempts: [{ statusCode: 503 }] });

    // Restart while it waits for its next attempt; the new process sends it from the outbox.
    await server.restart();
    cookies.clear();
    receiver.failures = 0;
    await receiver.until(before, (r) => r.status === 200);
    await server.app.hotline.outbox.idle();
    const [entry] = HotlineDeliveriesResponse.parse(
      (await getJson('/hotline/deliveries?ticketId=CSV-1')).json,
    ).deliveries;
    expect(entry?.state).toBe('delivered');
    // One delivery, one key, however many attempts.
    const keys = new Set(receiver.requests.slice(before).map((r) => r.headers['idempotency-key']));
    expect(keys).toEqual(new Set([entry?.id]));
  });

  it('gives up after the last attempt, and sends again when staff ask', async () => {
    const made = HotlineTopicResponse.parse((await postJson('/hotline/tickets/hl-HA-0004/topic', {})).json);
    receiver.failures = 4; // HOTLINE_MAX_ATTEMPTS
    const gaveUp = nextAttempt((d) => d.ticketId === 'HA-0004' && d.state === 'failed');
    expect((await postJson(`/topics/${made.ticket.topicId}/decline`, { reason: '不属于政协协商范围' })).status).toBe(
      200,
    );
    const failed = await gaveUp;
    expect(failed.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 503]);
    expect(failed.attempts.at(-1)?.nextAttemptAt).toBeNull();
    expect(failed.nextAttemptAt).toBeNull();
    const listed = HotlineTicketsResponse.parse((await getJson('/hotline/tickets')).json).tickets.find(
      (t) => t.ticketId === 'HA-0004',
    );
    expect(listed?.deliveries).toEqual({ pending: 0, delivered: 0, failed: 1 });

    // Only a given-up delivery can be sent again.
    const delivered = nextAttempt((d) => d.id === failed.id && d.state === 'delivered');
    const retried = await postJson(`/hotline/deliveries/${failed.id}/retry`, {});
    expect(retried.status).toBe(200);
    const done = await delivered;
    expect(done.attempts.map((a) => a.statusCode)).toEqual([503, 503, 503, 503, 200]);
    expect((await postJson(`/hotline/deliveries/${failed.id}/retry`, {})).json).toMatchObject({
      error: { code: 'ILLEGAL_TRANSITION' },
    });
  });

  it('reports acceptance, scheduling and the outcome’s progress of a hotline topic, each once', async () => {
    const delivered = new Map<string, HotlineDeliveryView>();
    const arrived = new EventEmitter();
    const onAttempt = (d: HotlineDeliveryView) => {
      if (d.ticketId !== 'HA-0006' || d.state !== 'delivered') return;
      delivered.set(d.id, d);
      arrived.emit('delivered');
    };
    server.app.hotline.outbox.events.on('attempt', onAttempt);
    const deliveredCount = async (n: number) => {
      while (delivered.size < n) await once(arrived, 'delivered');
    };

    expect((await sendWebhook(ticketJson('HA-0006', { title: '人民路夜市噪音扰民' }))).status).toBe(200);
    const made = HotlineTopicResponse.parse((await postJson('/hotline/tickets/hl-HA-0006/topic', {})).json);
    const topicId = made.ticket.topicId ?? '';
    const department = '市市场监督管理局';
    const accept1 = await postJson(
      `/topics/${topicId}/accept`,
      { seat: 'first', secondConvenerId: demo.secondConvenerId, department },
      demo.firstConvenerId,
    );
    expect(accept1.status).toBe(200);
    expect((await postJson(`/topics/${topicId}/accept`, { seat: 'second' }, demo.secondConvenerId)).status).toBe(200);
    await deliveredCount(1);

    const rooms = (await getJson('/rooms')).json as { rooms: Array<{ id: string }> };
    const scheduled = await postJson(`/topics/${topicId}/schedule`, {
      scheduledAt: '2025-04-01T09:00:00+08:00',
      roomId: rooms.rooms[0]?.id,
      mode: 'hall',
      agenda: [{ title: '夜市噪音怎么管', plannedMinutes: 30 }],
      invitees: [],
    });
    expect(scheduled.status).toBe(200);
    const sessionId = TopicResponse.parse(scheduled.json).topic.sessionId ?? '';
    await deliveredCount(2);

    // The session is held and records one outcome; closing it creates the tracking item.
    const convener = await connectSocket(server.url, await cookieOf(demo.firstConvenerId));
    try {
      await must(convener, 'room:join', { sessionId });
      await must(convener, 'session:start', {});
      await must(convener, 'outcome:save', {
        outcomeId: null,
        text: '夜市22点后停止使用扩音设备,城管每晚巡查',
        department,
        deadline: '2025-05-31',
        pollId: null,
        suggestionIds: [],
        record: true,
      });
      await must(convener, 'session:close', {});
    } finally {
      convener.close();
    }
    await server.app.minutesIdle(sessionId);
    const items = TrackingListResponse.parse((await getJson(`/tracking?sessionId=${sessionId}`)).json).items;
    expect(items).toHaveLength(1);
    const itemId = items[0]?.id ?? '';
    const step = async (memberId: string, type: 'start' | 'report' | 'verify' | 'close') => {
      const res = await postJson(`/tracking/${itemId}/actions`, { action: { type } }, memberId);
      expect(res.status, type).toBe(200);
    };
    await step(demo.secondConvenerId, 'start');
    await step(demo.secondConvenerId, 'report');
    await deliveredCount(3);
    await step(demo.firstConvenerId, 'verify');
    await deliveredCount(4);
    await step(demo.staffId, 'close');
    // The item closed, and with it the topic (every item of its session is closed).
    await deliveredCount(6);
    server.app.hotline.outbox.events.off('attempt', onAttempt);

    const changes = [...delivered.values()].map((d) => d.change);
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: 'topic', status: 'accepted', reason: null },
        { kind: 'topic', status: 'scheduled', reason: null },
        { kind: 'tracking', trackingItemId: itemId, status: 'reportedDone', text: expect.any(String), department },
        { kind: 'tracking', trackingItemId: itemId, status: 'verified', text: expect.any(String), department },
        { kind: 'tracking', trackingItemId: itemId, status: 'closed', text: expect.any(String), department },
        { kind: 'topic', status: 'closed', reason: null },
      ]),
    );
    // Nothing else was sent for this ticket: not `proposed`, `deliberated`, `inProgress` or `start`.
    const log = HotlineDeliveriesResponse.parse((await getJson('/hotline/deliveries?ticketId=HA-0006')).json);
    expect(log.deliveries).toHaveLength(6);
    const ticket = HotlineTicketsResponse.parse((await getJson('/hotline/tickets')).json).tickets.find(
      (t) => t.ticketId === 'HA-0006',
    );
    expect(ticket).toMatchObject({ topicState: 'closed', deliveries: { delivered: 6 } });
  });
});
