import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  type AssessmentResponse,
  type BulletinResponse,
  type DutyEntriesResponse,
  type DutyImportRejected,
  type DutyImportResponse,
  type MemberDutyResponse,
  type RubricResponse,
  standardRubric,
  validateImport,
} from '@yitang/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { rawCollection } from '../src/db/models';
import { importedEntryId } from '../src/scoring/import';
import type { DutyEntryDoc } from '../src/scoring/scoring.model';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
const cookies = new Map<string, string>();
const cookieOf = async (memberId: string) => {
  let cookie = cookies.get(memberId);
  if (!cookie) {
    cookie = await signIn(server.url, memberId);
    cookies.set(memberId, cookie);
  }
  return cookie;
};
async function call<T>(memberId: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: {
      cookie: await cookieOf(memberId),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T & { error?: { code: string } } };
}
async function upload<T>(file: Buffer, contentType: string, query = '') {
  const res = await fetch(`${server.url}/api/duty/import${query}`, {
    method: 'POST',
    headers: { cookie: await cookieOf(demo.staffId), 'content-type': contentType },
    body: new Uint8Array(file),
  });
  return { status: res.status, body: (await res.json()) as T };
}
const staff = demo.staffId;
const csvType = 'text/csv';
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const header = ['委员编号', '类别', '日期', '标题', '说明', '链接', '附件', '承办单位', '办理答复', '委员评价'];
/** Past records of 2025 for two members outside the demo year's dozen. */
const rows2025 = [
  ['m-tang-li', '专题调研', '2025-02-10', '全市公共文化设施使用情况调研', '形成调研报告', '', '', '', '', ''],
  [
    'm-tang-li',
    '提案',
    '2025-05-06',
    '关于延长文化馆开放时间的提案',
    '',
    '',
    '',
    '市文广旅局',
    '已延长至晚九点',
    '满意',
  ],
  [
    'm-tang-li',
    '实事好事',
    '2025-05-20',
    '为社区老人开设书法班',
    '每周一次,共 12 次',
    'https://example.org/shufa',
    '',
    '',
    '',
    '',
  ],
  ['m-feng-gang', '社情民意信息', '2025-04-02', '关于河道保洁责任不清的信息', '', '', '', '', '', ''],
];

async function xlsxOf(rows: string[][], dateCells = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('履职记录');
  ws.addRow(header);
  for (const r of rows) {
    // Spreadsheets usually hold dates as dates, not text.
    ws.addRow(dateCells ? r.map((c, i) => (i === 2 ? new Date(`${c}T00:00:00Z`) : c)) : r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const csvOf = (rows: string[][]) =>
  Buffer.from([header, ...rows].map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n'));

/** Records of 2025 of the two members the import files are about. */
const importedCount = async () =>
  (await call<DutyEntriesResponse>(staff, 'GET', '/duty/entries?year=2025')).body.entries.filter(
    (e) => e.memberId === 'm-tang-li' || e.memberId === 'm-feng-gang',
  ).length;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
});
afterAll(async () => {
  await server?.close();
});

describe('the demo year’s assessment over REST', () => {
  it('matches the hand computation, with grades and ranks', async () => {
    const { body } = await call<AssessmentResponse>(staff, 'GET', '/duty/assessment?year=2026');
    const row = (id: string) => body.rows.find((r) => r.member.id === id);
    expect(row('m-chen-liqun')?.assessment).toMatchObject({ total: 96.8, grade: 'excellent', rubricPoints: 60 });
    expect(row('m-chen-liqun')?.rank).toBe(1);
    expect(row('m-xu-jing')?.rank).toBe(2);
    expect(row('m-zhu-wenbin')?.assessment).toMatchObject({ total: 60.4, grade: 'basicallyCompetent' });
    expect(row('m-wu-guoqiang')?.assessment).toMatchObject({ total: 26, grade: 'incompetent' });
    expect(row('m-gao-ya')?.assessment.evaluation).toEqual({ count: 0, average: null, points: 0 });
    const who = (id: string) => body.statements.find((s) => s.minimumId === id)?.members.map((m) => m.name);
    expect(who('proposal')).toContain('朱文斌');
    expect(who('consultation')).toContain('高雅');
    expect(body.totals.counts.proposal).toBe(16);
  });

  it('evaluators’ scores are shown only as aggregates; nobody scores themselves; the panel is staff', async () => {
    const me = async () => (await call<MemberDutyResponse>('m-gao-ya', 'GET', '/duty/me?year=2026')).body;
    expect((await me()).assessment?.total).toBe(39);
    for (const [rater, score] of [
      ['m-tang-li', 80],
      ['m-yuan-mei', 90],
    ] as const) {
      const r = await call(rater, 'POST', '/duty/ratings', {
        kind: 'evaluation',
        year: 2026,
        memberId: 'm-gao-ya',
        score,
      });
      expect(r.status).toBe(204);
    }
    // Scoring again replaces the rater's score.
    await call('m-yuan-mei', 'POST', '/duty/ratings', {
      kind: 'evaluation',
      year: 2026,
      memberId: 'm-gao-ya',
      score: 100,
    });
    const a = (await me()).assessment;
    expect(a?.evaluation).toEqual({ count: 2, average: 90, points: 18 });
    expect(a?.total).toBe(57);
    expect(JSON.stringify(await me())).not.toContain('m-yuan-mei');
    expect(
      (
        await call('m-gao-ya', 'POST', '/duty/ratings', {
          kind: 'evaluation',
          year: 2026,
          memberId: 'm-gao-ya',
          score: 100,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('m-tang-li', 'POST', '/duty/ratings', {
          kind: 'panel',
          year: 2026,
          memberId: 'm-gao-ya',
          score: 100,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call('m-tang-li', 'POST', '/duty/ratings', {
          kind: 'evaluation',
          year: 2026,
          memberId: 'm-gao-ya',
          score: 101,
        })
      ).status,
    ).toBe(400);
  });
});

describe('rubrics are versioned per year', () => {
  it('staff store versions; the newest is in force; a bad rubric is refused', async () => {
    expect((await call(staff, 'GET', '/duty/rubrics/2025')).status).toBe(404);
    expect((await call('m-tang-li', 'POST', '/duty/rubrics', standardRubric(2025))).status).toBe(403);
    const bad = await call(staff, 'POST', '/duty/rubrics', { ...standardRubric(2025), rubricMax: 70 });
    expect(bad.status).toBe(400);
    const v1 = await call<RubricResponse>(staff, 'POST', '/duty/rubrics', {
      ...standardRubric(2025),
      allMinimumsBonus: 0,
    });
    expect(v1.body.rubric.version).toBe(1);
    const v2 = await call<RubricResponse>(staff, 'POST', '/duty/rubrics', standardRubric(2025));
    expect(v2.body.rubric.version).toBe(2);
    const now = await call<RubricResponse>('m-tang-li', 'GET', '/duty/rubrics/2025');
    expect(now.body.rubric).toMatchObject({ version: 2, allMinimumsBonus: 5 });
  });
});

describe('import of past records: all or nothing', () => {
  it('a file with a bad row is refused with its row and column, and nothing is imported', async () => {
    const bad = [...rows2025, ['m-nobody', '提案', '2025-13-01', '无效的一行', '', '', '', '', '', '很好']];
    for (const [file, type] of [
      [csvOf(bad), csvType],
      [await xlsxOf(bad), xlsxType],
    ] as const) {
      const res = await upload<DutyImportRejected>(file, type);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
      expect(res.body.problems.map((p) => [p.row, p.column, p.code])).toEqual([
        [6, '委员编号', 'unknownMember'],
        [6, '日期', 'badDate'],
        [6, '委员评价', 'badFeedback'],
      ]);
    }
    expect(await importedCount()).toBe(0);
  });

  it('counts blank lines of a CSV, so the row named is the row in the sheet', async () => {
    const file = Buffer.from(`\ufeff${header.join(',')}\r\n\r\nm-tang-li,发言,2025-01-01,标题,,,,,,\r\n`);
    const res = await upload<DutyImportRejected>(file, csvType);
    expect(res.body.problems.map((p) => [p.row, p.column, p.code])).toEqual([[3, '类别', 'unknownKind']]);
  });

  it('refuses proposals and 社情民意 of a year the workflows cover, naming the row', async () => {
    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4);
    const file = Buffer.from(
      `\ufeff${header.join(',')}\r\nm-tang-li,提案,${year}-02-01,本年度的提案,,,,,,\r\nm-tang-li,专题调研,${year}-02-01,本年度的调研,,,,,,\r\n`,
    );
    const res = await upload<DutyImportRejected>(file, csvType);
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p) => [p.row, p.code])).toEqual([[2, 'recordedByWorkflow']]);
    // Nothing of the file was written, the row that passed included.
    const entries = (await call<DutyEntriesResponse>(staff, 'GET', `/duty/entries?year=${year}&memberId=m-tang-li`))
      .body.entries;
    expect(entries.filter((e) => e.title.startsWith('本年度的'))).toEqual([]);
  });

  it('a dry run validates only', async () => {
    const res = await upload<DutyImportResponse>(csvOf(rows2025), csvType, '?dryRun=1');
    expect(res.body).toEqual({ imported: 0, alreadyPresent: 0, dryRun: true });
    expect(await importedCount()).toBe(0);
  });

  it('a crash midway leaves records nobody sees; importing the file again completes it once', async () => {
    // What a crash after two of four writes leaves behind: an unfinished import and two records.
    const file = await xlsxOf(rows2025, true);
    const batchId = createHash('sha256').update(file).digest('hex');
    const { rows } = validateImport([header, ...rows2025], { memberIds: new Set(['m-tang-li', 'm-feng-gang']) });
    await server.app.models.DutyImport.create({
      _id: batchId,
      state: 'writing',
      rows: 4,
      by: staff,
      startedAt: new Date(),
    });
    const partial: DutyEntryDoc[] = rows.slice(0, 2).map((r) => ({
      _id: importedEntryId(r),
      memberId: r.memberId,
      kind: r.kind,
      date: r.date,
      year: Number(r.date.slice(0, 4)),
      title: r.title,
      source: 'import',
      status: 'verified',
      sessionId: null,
      evidence: r.evidence,
      proposal: r.proposal,
      rejectReason: null,
      batchId,
      audit: [],
      createdAt: new Date(),
    }));
    await rawCollection(server.app.models.DutyEntry).insertMany(partial);
    expect(await importedCount()).toBe(0);
    expect((await call<MemberDutyResponse>('m-tang-li', 'GET', '/duty/me?year=2025')).body.entries).toEqual([]);

    const res = await upload<DutyImportResponse>(file, xlsxType);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ imported: 2, alreadyPresent: 2, dryRun: false });
    expect(await importedCount()).toBe(4);
    const again = await upload<DutyImportResponse>(file, xlsxType);
    expect(again.body).toEqual({ imported: 0, alreadyPresent: 4, dryRun: false });
    expect(await importedCount()).toBe(4);

    const mine = (await call<MemberDutyResponse>('m-tang-li', 'GET', '/duty/me?year=2025')).body;
    const proposal = mine.entries.find((e) => e.kind === 'proposal');
    expect(proposal?.proposal).toEqual({ department: '市文广旅局', reply: '已延长至晚九点', feedback: 'satisfied' });
    expect(proposal?.audit[0]).toBeUndefined(); // written by the simulated crash, without an audit line
    const deed = mine.entries.find((e) => e.kind === 'goodDeed');
    expect(deed?.audit.map((a) => [a.action, a.by, a.note])).toEqual([['imported', staff, '第 4 行']]);
    expect(deed?.evidence).toEqual({
      text: '每周一次,共 12 次',
      link: 'https://example.org/shufa',
      attachmentName: null,
    });
  });

  it('another file repeating a record already in the ledger is refused whole', async () => {
    const overlap = [
      ['m-feng-gang', '视察', '2025-06-18', '视察城区河道整治', '', '', '', '', '', ''],
      rows2025[3] ?? [],
    ];
    const res = await upload<DutyImportRejected>(csvOf(overlap), csvType);
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p) => [p.row, p.code])).toEqual([[3, 'alreadyInLedger']]);
    expect(await importedCount()).toBe(4);
  });

  it('two servers importing overlapping files at once: one file whole, the other nothing', async () => {
    const other = await startTestServer({ mongoUri: inject('mongoUri'), dbName: server.dbName, seed: false });
    try {
      const shared = ['m-tang-li', '视察', '2024-06-30', '视察全市公共图书馆', '', '', '', '', '', ''];
      const fileOf = (name: string) =>
        csvOf([
          ...Array.from({ length: 40 }, (_, i) => [
            'm-tang-li',
            '学习培训',
            '2024-03-01',
            `${name}-${i + 1}`,
            '',
            '',
            '',
            '',
            '',
            '',
          ]),
          shared,
        ]);
      const post = async (url: string, file: Buffer) => {
        const res = await fetch(`${url}/api/duty/import`, {
          method: 'POST',
          headers: { cookie: await signIn(url, staff), 'content-type': csvType },
          body: new Uint8Array(file),
        });
        return res.status;
      };
      const statuses = await Promise.all([post(server.url, fileOf('甲')), post(other.url, fileOf('乙'))]);
      expect(statuses.sort()).toEqual([200, 400]);
      const titles = (
        await call<DutyEntriesResponse>(staff, 'GET', '/duty/entries?year=2024&memberId=m-tang-li')
      ).body.entries
        .filter((e) => e.kind === 'training')
        .map((e) => e.title.split('-')[0]);
      expect(titles).toHaveLength(40);
      expect(new Set(titles).size).toBe(1);
    } finally {
      await other.app.close();
      await other.conn.close();
    }
  });

  it('explains an unreadable file', async () => {
    const gbk = Buffer.from([0xc2, 0xc4, 0xd6, 0xb0, 0x0a]); // "履职" in GBK
    const res = await upload<{ error: { code: string; message: string } }>(gbk, csvType);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('UTF-8');
    expect((await call('m-tang-li', 'POST', '/duty/import', {})).status).toBe(403);
  });
});

describe('the quarterly bulletin', () => {
  // From the imported 2025 records and the 2025 rubric (v2, standard), by hand:
  // 唐丽 Q2: proposal 4 + feedback 1 + good deed 3 = 8; Q1: research 5; change +3.
  // 冯刚 Q2: social report 3; Q1: 0; change +3. Sector 民盟 (4 members): 8 vs 5, average 2.
  const quarter = '2025-Q2';

  it('compares each member and each sector with the previous quarter', async () => {
    const { status, body } = await call<BulletinResponse>(staff, 'GET', `/duty/bulletin?quarter=${quarter}`);
    expect(status).toBe(200);
    const b = body.bulletin;
    expect(b.previous).toBe('2025-Q1');
    expect(b.members).toHaveLength(30);
    const tang = b.members.find((m) => m.memberId === 'm-tang-li');
    expect(tang).toMatchObject({ current: { points: 8 }, previous: { points: 5 }, change: 3 });
    expect(tang?.current.counts).toMatchObject({ proposal: 1, goodDeed: 1, research: 0 });
    expect(b.members.find((m) => m.memberId === 'm-feng-gang')).toMatchObject({ current: { points: 3 }, change: 3 });
    const minmeng = b.sectors.find((s) => s.sectorName === '民盟');
    expect(minmeng).toMatchObject({
      members: 4,
      current: { points: 8 },
      previous: { points: 5 },
      change: 3,
      averagePoints: 2,
    });
    expect((await call(staff, 'GET', '/duty/bulletin?quarter=2025-Q5')).status).toBe(400);
  });

  it('downloads as XLSX, read back with exceljs', async () => {
    const res = await fetch(`${server.url}/api/duty/bulletin/export.xlsx?quarter=${quarter}`, {
      headers: { cookie: await cookieOf(staff) },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('委员履职情况季度通报'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['界别', '委员']);
    const sheet = wb.getWorksheet('委员');
    if (!sheet) throw new Error('no 委员 sheet');
    const head = (sheet.getRow(2).values as ExcelJS.CellValue[]).slice(1);
    const col = (name: string) => head.indexOf(name) + 1;
    // Co-signatures and the levels a 社情民意 report was adopted at have their own columns.
    expect(head).toEqual(expect.arrayContaining(['联名提案', '社情民意', '市级采用', '省级采用', '全国政协采用']));
    let tang: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === '唐丽') tang = row;
    });
    expect(tang?.getCell(col('界别')).value).toBe('民盟');
    expect(tang?.getCell(col('提案')).value).toBe(1);
    expect(tang?.getCell(col('本季度得分')).value).toBe(8);
    expect(tang?.getCell(col('上季度得分')).value).toBe(5);
    expect(tang?.getCell(col('增减')).value).toBe(3);
    expect(sheet.getRow(1).getCell(1).value).toBe('委员履职情况季度通报（2025年第二季度）——对比2025年第一季度');
  });

  it('downloads as PDF, with the title, the sectors and the members in its text', async () => {
    const res = await fetch(`${server.url}/api/duty/bulletin/export.pdf?quarter=${quarter}`, {
      headers: { cookie: await cookieOf(staff) },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', '-', '-'], { input: pdf }).toString('utf8');
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('委员履职情况季度通报（2025年第二季度）');
    expect(flat).toContain('各界别履职情况');
    expect(flat).toContain('民盟');
    const tangLine = text.split('\n').find((l) => l.includes('唐丽')) ?? '';
    expect(tangLine.trim().split(/\s+/).slice(-3)).toEqual(['8', '5', '+3']);
  }, 60_000);

  it('downloaded by a member, holds their own row only', async () => {
    const res = await fetch(`${server.url}/api/duty/bulletin/export.xlsx?quarter=${quarter}`, {
      headers: { cookie: await cookieOf('m-tang-li') },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const names: unknown[] = [];
    wb.getWorksheet('委员')?.eachRow((row, n) => {
      if (n > 2) names.push(row.getCell(1).value);
    });
    expect(names).toEqual(['唐丽']);
    expect(wb.getWorksheet('界别')?.rowCount).toBe(2);
  });
});
