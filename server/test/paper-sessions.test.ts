import { committeeToday, PaperSessionView, proposalLimits } from '@yitang/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawCollection } from '../src/db/models';
import { demo } from '../src/seed/demo';
import { signIn, startTestServer, type TestServer } from '../src/testing';

/*
 * Paper sessions (issue 16 part 3): a consultation held outside Yitang, recorded by staff, is a
 * closed session of origin paper whose attendance reaches the duty ledger, whose outcomes become
 * tracking items and whose scan of the sign-in sheet is kept within the proposal attachments' caps.
 */

let server: TestServer;
let staff = '';
let member = '';

const members = ['m-he-jun', 'm-zhu-wenbin'];

/** A day that has passed, in committee time: yesterday. */
function yesterday(): string {
  const d = new Date(`${committeeToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

const body = () => ({
  title: '村规民约修订（纸质记录）',
  roomId: demo.roomId,
  date: yesterday(),
  time: '14:30',
  firstConvenerId: demo.firstConvenerId,
  secondConvenerId: demo.secondConvenerId,
  attendeeIds: [demo.firstConvenerId, demo.secondConvenerId, ...members, demo.leaderId],
  suggestions: [
    { authorId: 'm-he-jun', text: '把河道保洁写进村规民约。' },
    { authorId: 'm-zhu-wenbin', text: '红白喜事简办标准张榜公布。' },
  ],
  outcomes: [{ text: '修订村规民约第七条', department: '市民政局', deadline: null }],
  note: '签到表一页，纪要手写。',
});

async function call(method: string, path: string, cookie: string, json?: unknown) {
  return fetch(`${server.url}/api${path}`, {
    method,
    headers: { cookie, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
}

function scanForm(files: Array<{ name: string; type: string; bytes: number }>) {
  const form = new FormData();
  for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes).fill(7)], { type: f.type }), f.name);
  return form;
}

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  staff = await signIn(server.url, demo.staffId);
  member = await signIn(server.url, 'm-he-jun');
});

afterAll(async () => {
  await server?.close();
});

describe('paper sessions', () => {
  let recorded: PaperSessionView;

  it('staff record one: a closed session whose steps after close all ran', async () => {
    const res = await call('POST', '/paper-sessions', staff, body());
    expect(res.status).toBe(201);
    recorded = PaperSessionView.parse(await res.json());
    expect(recorded).toMatchObject({ attendees: 5, suggestions: 2, outcomes: 1, pendingSteps: [] });
    const doc = await server.app.models.Session.findById(recorded.id).lean();
    expect(doc).toMatchObject({ origin: 'paper', state: 'closed', mode: 'hall', paperNote: '签到表一页，纪要手写。' });
    expect(doc?.scheduledAt.toISOString()).toBe(new Date(`${yesterday()}T14:30:00+08:00`).toISOString());
  });

  it('its attendance reaches the duty ledger as a hall attendance, and suggestions as suggestions', async () => {
    const entries = await rawCollection(server.app.models.DutyEntry).find({ sessionId: recorded.id }).toArray();
    const of = (memberId: string) =>
      entries
        .filter((e) => e.memberId === memberId)
        .map((e) => e.kind)
        .sort();
    expect(of('m-he-jun')).toEqual(['attendedHall', 'suggested']);
    expect(of('m-zhu-wenbin')).toEqual(['attendedHall', 'suggested']);
    // Officials keep no duty record.
    expect(of(demo.secondConvenerId)).toEqual([]);
    // Nobody on the sheet is absent without leave.
    expect(entries.filter((e) => e.kind === 'absence')).toEqual([]);
  });

  it('its outcomes become tracking items like any closed session’s', async () => {
    const items = await rawCollection(server.app.models.TrackingItem).find({ sessionId: recorded.id }).toArray();
    expect(items.map((i) => ({ text: i.text, department: i.department, status: i.status }))).toEqual([
      { text: '修订村规民约第七条', department: '市民政局', status: 'assigned' },
    ]);
  });

  it('the leader on the sheet attended in the leader role', async () => {
    const rows = await rawCollection(server.app.models.Attendance).find({ sessionId: recorded.id }).toArray();
    const role = (id: string) => rows.find((r) => r.memberId === id)?.role;
    expect(role(demo.firstConvenerId)).toBe('firstConvener');
    expect(role(demo.secondConvenerId)).toBe('secondConvener');
    expect(role('m-he-jun')).toBe('member');
    expect(role(demo.leaderId)).toBe('leader');
    expect(rows.every((r) => r.inHall && !r.online)).toBe(true);
  });

  it('the scan of the sign-in sheet is kept and read back; a wrong type, too large or too many are refused', async () => {
    const ok = await fetch(`${server.url}/api/paper-sessions/${recorded.id}/scans`, {
      method: 'POST',
      headers: { cookie: staff },
      body: scanForm([{ name: '签到表.jpg', type: 'image/jpeg', bytes: 2048 }]),
    });
    expect(ok.status).toBe(200);
    const view = PaperSessionView.parse(await ok.json());
    expect(view.scans.map((s) => [s.fileName, s.size])).toEqual([['签到表.jpg', 2048]]);
    const back = await fetch(`${server.url}/api/paper-sessions/scans/${view.scans[0]?.id}`, {
      headers: { cookie: staff },
    });
    expect(back.status).toBe(200);
    expect(back.headers.get('content-disposition')).toMatch(/^attachment/);
    expect((await back.arrayBuffer()).byteLength).toBe(2048);

    const wrongType = await fetch(`${server.url}/api/paper-sessions/${recorded.id}/scans`, {
      method: 'POST',
      headers: { cookie: staff },
      body: scanForm([{ name: 'x.html', type: 'text/html', bytes: 10 }]),
    });
    expect(wrongType.status).toBe(400);
    const tooLarge = await fetch(`${server.url}/api/paper-sessions/${recorded.id}/scans`, {
      method: 'POST',
      headers: { cookie: staff },
      body: scanForm([{ name: 'big.pdf', type: 'application/pdf', bytes: proposalLimits.maxAttachmentBytes + 1 }]),
    });
    expect(tooLarge.status).toBe(413);
    const tooMany = await fetch(`${server.url}/api/paper-sessions/${recorded.id}/scans`, {
      method: 'POST',
      headers: { cookie: staff },
      body: scanForm(
        Array.from({ length: proposalLimits.maxAttachmentsPerUpload }, (_, n) => ({
          name: `p${n}.png`,
          type: 'image/png',
          bytes: 10,
        })),
      ),
    });
    // One is stored already: five more would pass the cap of five a session.
    expect(tooMany.status).toBe(413);
  });

  it('members may not record or read them', async () => {
    expect((await call('POST', '/paper-sessions', member, body())).status).toBe(403);
    expect((await call('GET', '/paper-sessions', member)).status).toBe(403);
    expect((await call('GET', `/paper-sessions/${recorded.id}`, member)).status).toBe(403);
  });

  it('bad input gets a clear 400 and stores nothing', async () => {
    const before = await server.app.models.Session.countDocuments({ origin: 'paper' });
    const cases: Array<[unknown, RegExp]> = [
      [{ ...body(), attendeeIds: [] }, /attendeeIds/],
      [{ ...body(), date: '2026-02-30' }, /date/],
      [{ ...body(), roomId: 'room-nowhere' }, /roomId/],
      [{ ...body(), attendeeIds: [...members, 'm-nobody'] }, /m-nobody/],
      [{ ...body(), suggestions: [{ authorId: demo.staffId, text: '不在签到表上。' }] }, /sign-in sheet/],
      [{ ...body(), firstConvenerId: demo.secondConvenerId, secondConvenerId: null }, /firstConvenerId/],
      [{ ...body(), date: '2099-01-01' }, /after it was held/],
      [{ ...body(), themeId: 'th-none' }, /themeId/],
      [{ ...body(), topicId: 'tp-none' }, /topicId/],
      [{ ...body(), extra: 1 }, /extra|Unrecognized/i],
    ];
    for (const [b, message] of cases) {
      const res = await call('POST', '/paper-sessions', staff, b);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    expect(await server.app.models.Session.countDocuments({ origin: 'paper' })).toBe(before);
    expect((await call('GET', '/paper-sessions/s-nanmen-snacks', staff)).status).toBe(404);
  });

  it('staff list them, newest first', async () => {
    const res = await call('GET', '/paper-sessions', staff);
    expect(res.status).toBe(200);
    const list = (await res.json()) as { sessions: PaperSessionView[] };
    expect(list.sessions.map((s) => s.id)).toContain(recorded.id);
  });
});
