import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  type ArchiveQuery,
  ArchiveResponse,
  MinutesAuthorship,
  MinutesCommentView,
  MinutesDiff,
  MinutesInfo,
  type MinutesStatus,
  MinutesVersionView,
} from '@yitang/shared';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { fromYDoc } from '../src/minutes/export';
import { plainText } from '../src/minutes/review/text';
import {
  choice,
  demo,
  joinAs,
  minutesProvider,
  must,
  nextReconnect,
  openPoll,
  signIn,
  signInAsGuest,
  startTestServer,
  synced,
  type TestServer,
  whenDoc,
  yesNoPoll,
} from '../src/testing';

const sessionId = demo.sessionId;
const topic = '南通理工学院海安校区南门小吃一条街整治';
const otherSession = 's-review-other';
const otherRoom = 'room-review-other';
const phrase = '临时摊位区';
const firstLine = `与会委员同意在校区南门设置${phrase}，集中经营、统一保洁。`;
const addedLine = '补充:摊位区设在南门东侧空地,由街道负责日常管理。';
const afterPublish = '发布之后偷偷改动的一句话';
const voteResult = '通过：同意 2，反对 1，弃权 0';
const decidedOutcome = '七月底前在南门东侧空地设置临时摊位区';

let server: TestServer;
const providers: WebsocketProvider[] = [];
const cookies = new Map<string, string>();

/** The cookie of a demo identity, signed in once. */
async function as(memberId: string): Promise<string> {
  let c = cookies.get(memberId);
  if (!c) {
    c = await signIn(server.url, memberId);
    cookies.set(memberId, c);
  }
  return c;
}

async function call(cookie: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}/api${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Answers with the status and the error code (if any) of a refused request. */
async function refusal(res: Response): Promise<{ status: number; code: unknown }> {
  const body: unknown = await res.json();
  const code = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
  return { status: res.status, code: typeof code === 'object' && code !== null && 'code' in code ? code.code : null };
}

const minutesPath = `/sessions/${sessionId}/minutes`;
const info = async (cookie: string) => MinutesInfo.parse(await (await call(cookie, 'GET', minutesPath)).json());
const transition = (cookie: string, to: 'inReview' | 'approved' | 'published') =>
  call(cookie, 'POST', `${minutesPath}/transition`, { to });

async function archive(cookie: string, query: Partial<ArchiveQuery>): Promise<ArchiveResponse> {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await call(cookie, 'GET', `/minutes/archive?${params.toString()}`);
  expect(res.status).toBe(200);
  return ArchiveResponse.parse(await res.json());
}

async function openMinutes(memberId: string): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = minutesProvider(server.url, sessionId, doc, await as(memberId));
  providers.push(provider);
  await synced(provider);
  return { doc, provider };
}

const textOf = (doc: Y.Doc) => plainText(fromYDoc(doc));

/** Types a paragraph at the end of the minutes, as the editor would. */
function typeParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const fragment = doc.getXmlFragment('default');
    const paragraph = new Y.XmlElement('paragraph');
    fragment.insert(fragment.length, [paragraph]);
    const t = new Y.XmlText();
    paragraph.insert(0, [t]);
    t.insert(0, text);
  });
}

/** The date (YYYY-MM-DD) of a moment in China Standard Time. */
const cstDay = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  const { Room, Session } = server.app.models;
  await Room.create({ _id: otherRoom, name: '城东镇协商议事室', level: 'town' });
  await Session.create({
    _id: otherSession,
    topic: '城东镇老旧小区加装电梯',
    roomId: otherRoom,
    scheduledAt: new Date('2025-03-01T02:00:00Z'),
    mode: 'hall',
    state: 'scheduled',
    firstConvenerId: 'm-he-jun',
    secondConvenerId: null,
    hallCode: '424242',
  });
});
afterAll(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await server.close();
});

describe('minutes review: draft → in review → approved → published', () => {
  let recorder: { doc: Y.Doc; provider: WebsocketProvider };
  let probe: { doc: Y.Doc; provider: WebsocketProvider };
  let versions: MinutesVersionView[] = [];

  it('takes a version when the session closes; the minutes stay a draft', async () => {
    const convener = await joinAs(server, demo.firstConvenerId);
    const second = await joinAs(server, demo.secondConvenerId);
    const member = await joinAs(server, 'm-zhou-min');
    await must(convener, 'session:start', {});

    recorder = await openMinutes(demo.recorderId);
    probe = await openMinutes(demo.staffId);
    typeParagraph(recorder.doc, firstLine);
    await whenDoc(probe.doc, () => textOf(probe.doc).includes(firstLine));

    const poll = await openPoll(convener, yesNoPoll(`是否同意设置${phrase}?`));
    for (const [socket, c] of [
      [convener, 'yes'],
      [second, 'yes'],
      [member, 'no'],
    ] as const) {
      await must(socket, 'vote:cast', { pollId: poll.id, ballotId: randomUUID(), content: choice(c) });
    }
    await must(convener, 'poll:close', { pollId: poll.id });
    // For the printed minutes: a published result and a recorded outcome are the decided items, and
    // 周敏, online, is checked in in the hall too (counted once, in the hall).
    await must(convener, 'poll:publish', { pollId: poll.id });
    await must(convener, 'outcome:save', {
      outcomeId: null,
      text: decidedOutcome,
      department: '海安市城市管理局',
      deadline: '2027-06-30',
      pollId: poll.id,
      suggestionIds: [],
      record: true,
    });
    await must(convener, 'checkin:member', { memberId: 'm-zhou-min' });

    // Nothing to review before the close: comments and review are refused.
    const early = await call(await as('m-zhou-min'), 'POST', `${minutesPath}/comments`, { quote: '', text: '意见' });
    expect(await refusal(early)).toEqual({ status: 409, code: 'ILLEGAL_TRANSITION' });
    expect(await refusal(await transition(await as(demo.staffId), 'inReview'))).toEqual({
      status: 409,
      code: 'ILLEGAL_TRANSITION',
    });

    await must(convener, 'session:close', {});
    await server.app.minutesIdle(sessionId);
    const now = await info(await as(demo.staffId));
    expect(now).toMatchObject({ sessionId, topic, sessionState: 'closed', status: 'draft', publishedVersionId: null });
    expect(now.versions.map((v) => [v.number, v.reason])).toEqual([[1, 'sessionClosed']]);
    expect(now.versions[0]?.textLength).toBeGreaterThan(firstLine.length);
  });

  it('goes to review by a convener or staff only, with a version', async () => {
    expect(await refusal(await transition(await as('m-zhou-min'), 'inReview'))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const res = await transition(await as(demo.staffId), 'inReview');
    expect(res.status).toBe(200);
    const now = MinutesInfo.parse(await res.json());
    expect(now.status).toBe('inReview');
    expect(now.versions.map((v) => v.reason)).toEqual(['sessionClosed', 'review']);
  });

  it('takes comments from participants only, while in review; conveners and the recorder resolve them', async () => {
    const res = await call(await as('m-zhou-min'), 'POST', `${minutesPath}/comments`, {
      quote: phrase,
      text: '建议写明摊位区的具体位置和管理责任。',
    });
    expect(res.status).toBe(201);
    const comment = MinutesCommentView.parse(await res.json());
    expect(comment).toMatchObject({ authorId: 'm-zhou-min', authorName: '周敏', quote: phrase, resolved: false });

    // A guest of another session is no participant here.
    const outsider = await signInAsGuest(server.url, await as(demo.staffId), 'citizenRep', '赵大爷', otherSession);
    expect(
      await refusal(await call(outsider, 'POST', `${minutesPath}/comments`, { quote: phrase, text: '外人的意见' })),
    ).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await call(outsider, 'GET', minutesPath)).status).toBe(403);

    const resolvePath = `${minutesPath}/comments/${comment.id}/resolve`;
    expect(await refusal(await call(await as('m-zhou-min'), 'POST', resolvePath))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const resolved = await call(await as(demo.recorderId), 'POST', resolvePath);
    expect(MinutesCommentView.parse(await resolved.json()).resolved).toBe(true);
    const listed = await info(await as('m-lin-feng'));
    expect(listed.comments).toEqual([{ ...comment, resolved: true }]);
  });

  it('is approved only when both conveners have approved; writers then reconnect read-only', async () => {
    // The recorder still writes while the minutes are in review.
    typeParagraph(recorder.doc, addedLine);
    await whenDoc(probe.doc, () => textOf(probe.doc).includes(addedLine));

    expect(await refusal(await transition(await as('m-zhou-min'), 'approved'))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await refusal(await transition(await as(demo.staffId), 'approved'))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const once = MinutesInfo.parse(await (await transition(await as(demo.firstConvenerId), 'approved')).json());
    expect(once).toMatchObject({ status: 'inReview', approvals: [demo.firstConvenerId] });
    // Approving twice changes nothing.
    const twice = MinutesInfo.parse(await (await transition(await as(demo.firstConvenerId), 'approved')).json());
    expect(twice).toMatchObject({ status: 'inReview', approvals: [demo.firstConvenerId] });
    expect(twice.versions.map((v) => v.reason)).toEqual(['sessionClosed', 'review']);

    const reconnected = nextReconnect(recorder.provider);
    const res = await transition(await as(demo.secondConvenerId), 'approved');
    expect(res.status).toBe(200);
    const approved = MinutesInfo.parse(await res.json());
    expect(approved.status).toBe('approved');
    expect([...approved.approvals].sort()).toEqual([demo.firstConvenerId, demo.secondConvenerId].sort());
    expect(approved.versions.map((v) => v.reason)).toEqual(['sessionClosed', 'review', 'approval']);
    expect(await reconnected).toBe(4001);
  });

  it('is published by a convener or staff, and then frozen', async () => {
    expect(await refusal(await transition(await as('m-zhou-min'), 'published'))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const reconnected = nextReconnect(recorder.provider);
    const res = await transition(await as(demo.firstConvenerId), 'published');
    expect(res.status).toBe(200);
    const published = MinutesInfo.parse(await res.json());
    versions = published.versions;
    expect(published.status).toBe('published');
    expect(versions.map((v) => v.reason)).toEqual(['sessionClosed', 'review', 'approval', 'published']);
    expect(published.publishedVersionId).toBe(versions[3]?.id);
    expect(await reconnected).toBe(4001);

    // The recorder's edit on the read-only connection: handled (its awareness, sent after it,
    // reaches a fresh reader) but never applied.
    const reader = await openMinutes('m-gao-ya');
    const seen = new Promise<void>((resolve) => {
      const check = () => {
        if (reader.provider.awareness.getStates().has(recorder.doc.clientID)) resolve();
      };
      reader.provider.awareness.on('change', check);
      check();
    });
    typeParagraph(recorder.doc, afterPublish);
    recorder.provider.awareness.setLocalStateField('user', { name: '李娜' });
    await seen;
    expect(textOf(reader.doc)).toContain(addedLine);
    expect(textOf(reader.doc)).not.toContain(afterPublish);

    for (const p of providers.splice(0)) p.destroy();
    await server.restart(); // flushes every write
    cookies.clear();
    const fresh = await openMinutes('m-gao-ya');
    expect(textOf(fresh.doc)).toContain(addedLine);
    expect(textOf(fresh.doc)).not.toContain(afterPublish);

    // No transition leaves a published state, and no version is taken any more.
    for (const to of ['inReview', 'approved', 'published'] as const) {
      expect(await refusal(await transition(await as(demo.firstConvenerId), to))).toEqual({
        status: 409,
        code: 'ILLEGAL_TRANSITION',
      });
    }
    expect(
      await refusal(await call(await as(demo.recorderId), 'POST', `${minutesPath}/versions`, { label: '再存一版' })),
    ).toEqual({ status: 409, code: 'ILLEGAL_TRANSITION' });
    expect((await info(await as(demo.staffId))).versions).toEqual(versions);
  });

  it("shows a version's text and the diff between review and publication", async () => {
    const [, review, , published] = versions;
    if (!review || !published) throw new Error('versions missing');
    const text = await (await call(await as('m-zhou-min'), 'GET', `${minutesPath}/versions/${review.id}/text`)).json();
    expect(text).toMatchObject({ text: expect.stringContaining(firstLine), markdown: expect.stringContaining(phrase) });

    const res = await call(await as('m-zhou-min'), 'GET', `${minutesPath}/diff?from=${review.id}&to=${published.id}`);
    const diff = MinutesDiff.parse(await res.json());
    expect(diff).toMatchObject({ from: review.id, to: published.id });
    // A new paragraph adds its line and the blank line that separates it.
    const added = diff.lines.filter((l) => l.op === 'added').map((l) => l.text);
    expect(added.filter((t) => t.trim() !== '')).toEqual([addedLine]);
    expect(diff.lines.filter((l) => l.op === 'removed')).toEqual([]);
    expect(diff.lines).toContainEqual({ op: 'same', text: firstLine });

    const missing = await call(await as('m-zhou-min'), 'GET', `${minutesPath}/diff?from=${review.id}&to=nope`);
    expect(missing.status).toBe(404);
  });

  it('names the authors', async () => {
    const authors = MinutesAuthorship.parse(
      await (await call(await as('m-zhou-min'), 'GET', `${minutesPath}/authors`)).json(),
    );
    const recorderRow = authors.find((a) => a.memberId === demo.recorderId);
    expect(recorderRow).toMatchObject({ name: '李娜' });
    expect(recorderRow?.edits).toBeGreaterThanOrEqual(2);
  });
});

describe('minutes archive', () => {
  // The demo's held year (demo-history.ts, sessions `s-year-…`) is archived too, most of it
  // published; these checks are about this file's sessions, so its entries are set aside.
  const ids = (r: ArchiveResponse) => r.entries.map((e) => e.sessionId).filter((id) => !id.startsWith('s-year-'));

  it('filters by status, date and room', async () => {
    const staff = await as(demo.staffId);
    // The demo's second session (never held) is listed too, as a draft.
    // Without a start date an answer covers this year; the earlier years come from `more.to`.
    const thisYear = await archive(staff, {});
    expect(ids(thisYear)).toEqual([demo.secondSessionId, sessionId]);
    expect(thisYear.more).not.toBeNull();
    const earlier = await archive(staff, { to: thisYear.more?.to });
    expect(ids(earlier)).toEqual([otherSession]);
    const statusOf = (r: ArchiveResponse, id: string): MinutesStatus | undefined =>
      r.entries.find((e) => e.sessionId === id)?.status;
    const all = thisYear;
    expect(statusOf(all, sessionId)).toBe('published');
    expect(statusOf(earlier, otherSession)).toBe('draft');
    expect(ids(await archive(staff, { status: 'published' }))).toEqual([sessionId]);
    const drafts = await archive(staff, { status: 'draft' });
    expect(ids(drafts)).toEqual([demo.secondSessionId]);
    expect(ids(await archive(staff, { status: 'draft', to: drafts.more?.to }))).toEqual([otherSession]);
    expect(ids(await archive(staff, { roomId: otherRoom }))).toEqual([otherSession]);

    const day = cstDay(all.entries.find((e) => e.sessionId === sessionId)?.scheduledAt ?? '');
    expect(ids(await archive(staff, { from: day, to: day }))).toEqual([sessionId]);
    expect(ids(await archive(staff, { from: '2025-03-01', to: '2025-03-01' }))).toEqual([otherSession]);
    expect(ids(await archive(staff, { to: '2025-02-28' }))).toEqual([]);

    // Others see published minutes only.
    const member = await as('m-zhou-min');
    expect(ids(await archive(member, {}))).toEqual([sessionId]);
    const year = (await archive(member, {})).entries.filter((e) => e.sessionId.startsWith('s-year-'));
    expect(year.length).toBeGreaterThan(0);
    expect(year.every((e) => e.status === 'published')).toBe(true);
    expect(ids(await archive(member, { status: 'draft' }))).toEqual([]);

    expect((await call(staff, 'GET', '/minutes/archive?from=yesterday')).status).toBe(400);
    expect((await call(staff, 'GET', '/minutes/archive?from=2025-13-45')).status).toBe(400);
  });

  it('finds a Chinese phrase typed into the minutes, with an excerpt', async () => {
    const found = await archive(await as('m-zhou-min'), { q: phrase });
    expect(ids(found)).toEqual([sessionId]);
    expect(found.entries[0]?.excerpt).toContain(phrase);
    // A phrase only the recorder typed: the excerpt is its context there.
    const typed = await archive(await as('m-zhou-min'), { q: '统一保洁' });
    expect(ids(typed)).toEqual([sessionId]);
    expect(typed.entries[0]?.excerpt).toContain(`${phrase}，集中经营、统一保洁。`);
    expect((await archive(await as('m-zhou-min'), { q: '地下停车场改造' })).entries).toEqual([]);
    // Regular-expression characters are text.
    expect((await archive(await as(demo.staffId), { q: '.*' })).entries).toEqual([]);
  });
});

describe('minutes export', () => {
  const exportPath = (format: string, query = '') => `${minutesPath}/export.${format}${query}`;

  it('exports the published version as Markdown with the title and the vote result', async () => {
    const res = await call(await as('m-zhou-min'), 'GET', exportPath('md'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[ -~]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("''")[1] ?? '')).toBe(`${topic}-会议纪要.md`);
    const md = await res.text();
    expect(md.startsWith(`# 关于${topic}的协商议事活动纪要\n`)).toBe(true);
    expect(md).toContain(voteResult);
    // Both conveners preside.
    expect(md).toMatch(/\n- \*\*主持\*\*：\S+、\S+\n/);
    expect(md).toContain(addedLine);
    expect(md).not.toContain(afterPublish);
  });

  it('exports Word; only staff choose another version', async () => {
    const res = await call(await as('m-zhou-min'), 'GET', exportPath('docx'));
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    const info0 = await info(await as(demo.staffId));
    const review = info0.versions.find((v) => v.reason === 'review');
    const asMember = await call(await as('m-zhou-min'), 'GET', exportPath('md', `?versionId=${review?.id}`));
    expect(asMember.status).toBe(403);
    const asStaff = await call(await as(demo.staffId), 'GET', exportPath('md', `?versionId=${review?.id}`));
    expect(asStaff.status).toBe(200);
    expect(await asStaff.text()).not.toContain(addedLine);
    expect((await call(await as(demo.staffId), 'GET', exportPath('txt'))).status).toBe(400);
  });

  it.skipIf(!existsSync('/usr/bin/chromium'))(
    'exports a PDF laid out as a 协商议事活动纪要, read back in order, whose counts add up',
    async () => {
      const res = await call(await as('m-zhou-min'), 'GET', exportPath('pdf'));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      const pdf = Buffer.from(await res.arrayBuffer());
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
      expectLayout(text.replace(/\s+/g, ''));
    },
    60_000,
  );

  it('exports Word laid out the same way, read back from its XML', async () => {
    const res = await call(await as('m-zhou-min'), 'GET', exportPath('docx'));
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const text = Array.from(xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g), (m) => m[1]).join('');
    expectLayout(text.replace(/\s+/g, ''));
  });
});

/**
 * The parts of a 协商议事活动纪要 in order (whitespace removed): title, number, time and place,
 * 主持, 出席, 列席, content by agenda item, 议定事项, the conveners' signatures; and the
 * attendance counts add up (周敏 joined online and was checked in in the hall: once, in the hall).
 */
function expectLayout(flat: string): void {
  const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
  let at = -1;
  for (const piece of [
    `关于${topic}的协商议事活动纪要`,
    `〔${year}〕第`,
    '号',
    '时间：',
    '地点：',
    '形式：',
    '主持：',
    '出席：周敏',
    '列席：',
    '共3人：现场1人，线上2人',
    '主要内容',
    // By agenda item: the vote in the section of the item it was taken under, the typed text after.
    `表决：是否同意设置${phrase}？——${voteResult.replace(/\s+/g, '')}`,
    firstLine,
    '议定事项',
    decidedOutcome,
    `是否同意设置${phrase}?——${voteResult.replace(/\s+/g, '')}`,
    '召集人',
    '签字：',
    '日期：',
  ]) {
    const next = flat.indexOf(piece, at + 1);
    expect(next, `${piece} after position ${at} in ${flat}`).toBeGreaterThan(at);
    at = next;
  }
  const [, total, hall, online] = /共(\d+)人：现场(\d+)人，线上(\d+)人/.exec(flat) ?? [];
  expect(Number(hall) + Number(online)).toBe(Number(total));
}

describe('minutes review under concurrency (one conditional update per change)', () => {
  const raceSession = 's-review-race';
  const path = `/sessions/${raceSession}/minutes`;
  const conveners = ['m-xu-jing', 'm-ma-li'];

  beforeAll(async () => {
    await server.app.models.Session.create({
      _id: raceSession,
      topic: '养老服务中心选址',
      roomId: otherRoom,
      scheduledAt: new Date('2025-04-01T02:00:00Z'),
      mode: 'online',
      state: 'closed',
      firstConvenerId: conveners[0],
      secondConvenerId: conveners[1],
      hallCode: '434343',
      closedAt: new Date('2025-04-01T04:00:00Z'),
    });
  });

  it('numbers versions taken at once without gaps or duplicates', async () => {
    const staff = await as(demo.staffId);
    const all = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call(staff, 'POST', `${path}/versions`, { label: `第${i}次保存` })),
    );
    expect(all.map((r) => r.status)).toEqual(Array(6).fill(201));
    const numbers = (await Promise.all(all.map(async (r) => MinutesVersionView.parse(await r.json()).number))).sort(
      (a, b) => a - b,
    );
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await refusal(await call(await as('m-zhou-min'), 'POST', `${path}/versions`, { label: '' }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('approves once when both conveners approve at the same moment, and publishes once', async () => {
    const staff = await as(demo.staffId);
    expect((await call(staff, 'POST', `${path}/transition`, { to: 'inReview' })).status).toBe(200);
    const approvals = await Promise.all(
      conveners.map(async (id) => call(await as(id), 'POST', `${path}/transition`, { to: 'approved' })),
    );
    expect(approvals.map((r) => r.status)).toEqual([200, 200]);
    const approved = MinutesInfo.parse(await (await call(staff, 'GET', path)).json());
    expect(approved.status).toBe('approved');
    expect(approved.versions.filter((v) => v.reason === 'approval')).toHaveLength(1);

    const publishes = await Promise.all(
      [...conveners, demo.staffId].map(async (id) =>
        call(await as(id), 'POST', `${path}/transition`, { to: 'published' }),
      ),
    );
    expect(publishes.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const published = MinutesInfo.parse(await (await call(staff, 'GET', path)).json());
    const publishedVersions = published.versions.filter((v) => v.reason === 'published');
    expect(publishedVersions).toHaveLength(1);
    expect(published.publishedVersionId).toBe(publishedVersions[0]?.id);

    // The printed number: the year's next one after the minutes published before, and theirs unchanged.
    const numberOf = async (session: string) => {
      const md = await (await call(staff, 'GET', `/sessions/${session}/minutes/export.md`)).text();
      const m = /\n〔(\d{4})〕第(\d+)号\n/.exec(md);
      return m ? { year: Number(m[1]), number: Number(m[2]) } : null;
    };
    const earlier = await numberOf(sessionId);
    expect(earlier).not.toBeNull();
    expect(await numberOf(raceSession)).toEqual({ year: earlier?.year, number: (earlier?.number ?? 0) + 1 });
    expect(await numberOf(sessionId)).toEqual(earlier);
  });
});

describe('minutes sign-off guard rails (issue 19)', () => {
  const guardSession = 's-review-guard';
  const path = `/sessions/${guardSession}/minutes`;
  const [first, second] = ['m-xu-jing', 'm-ma-li'];
  const notices = async (memberId: string) => {
    const body = (await (await call(await as(memberId), 'GET', '/notifications')).json()) as {
      notifications: Array<{ kind: string; link: string; params: Record<string, string> }>;
    };
    return body.notifications.filter((n) => n.kind === 'minutesToApprove' && n.link === `/s/${guardSession}/minutes`);
  };

  beforeAll(async () => {
    await server.app.models.Session.create({
      _id: guardSession,
      topic: '社区食堂运营补贴',
      roomId: otherRoom,
      scheduledAt: new Date('2025-05-01T02:00:00Z'),
      mode: 'online',
      state: 'closed',
      firstConvenerId: first,
      secondConvenerId: second,
      hallCode: '454545',
      closedAt: new Date('2025-05-01T04:00:00Z'),
    });
  });

  it('asks both conveners to approve when it goes to review, and the other one after each approval', async () => {
    const staff = await as(demo.staffId);
    expect((await call(staff, 'POST', `${path}/transition`, { to: 'inReview' })).status).toBe(200);
    for (const id of [first, second]) {
      const mine = await notices(id);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ link: `/s/${guardSession}/minutes`, params: { topic: '社区食堂运营补贴' } });
    }
    expect((await call(await as(first), 'POST', `${path}/transition`, { to: 'approved' })).status).toBe(200);
    // The second convener is reminded that only their approval is missing; the first is not.
    expect(await notices(second)).toHaveLength(2);
    expect(await notices(first)).toHaveLength(1);
  });

  it('is taken back to draft by a convener or staff, dropping the approvals so far', async () => {
    expect(await refusal(await call(await as('m-zhou-min'), 'POST', `${path}/transition`, { to: 'draft' }))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const back = await call(await as(second), 'POST', `${path}/transition`, { to: 'draft' });
    expect(back.status).toBe(200);
    expect(MinutesInfo.parse(await back.json())).toMatchObject({ status: 'draft', approvals: [] });
    // From draft there is nothing to take back.
    expect(await refusal(await call(await as(second), 'POST', `${path}/transition`, { to: 'draft' }))).toEqual({
      status: 409,
      code: 'ILLEGAL_TRANSITION',
    });
  });

  it('refuses approval and publication over open comments unless the person says they saw them', async () => {
    const staff = await as(demo.staffId);
    expect((await call(staff, 'POST', `${path}/transition`, { to: 'inReview' })).status).toBe(200);
    // A new round asks both conveners again.
    expect(await notices(first)).toHaveLength(2);
    await server.app.models.MinutesComment.create({
      _id: `c-${randomUUID()}`,
      sessionId: guardSession,
      authorId: first,
      authorName: '许静',
      quote: '',
      text: '补贴标准尚未写明。',
      createdAt: new Date(),
      resolved: false,
    });
    const refused = await call(await as(first), 'POST', `${path}/transition`, { to: 'approved' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toContain('1 review comment(s) are still open');
    expect(MinutesInfo.parse(await (await call(staff, 'GET', path)).json()).approvals).toEqual([]);

    for (const id of [first, second]) {
      const ok = await call(await as(id), 'POST', `${path}/transition`, { to: 'approved', openCommentsSeen: true });
      expect(ok.status).toBe(200);
    }
    expect(await refusal(await call(staff, 'POST', `${path}/transition`, { to: 'published' }))).toEqual({
      status: 409,
      code: 'ILLEGAL_TRANSITION',
    });
    const published = await call(staff, 'POST', `${path}/transition`, { to: 'published', openCommentsSeen: true });
    expect(MinutesInfo.parse(await published.json()).status).toBe('published');
  });
});
