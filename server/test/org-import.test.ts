import { readFileSync } from 'node:fs';
import { limits, type MemberImportRejected, type MemberImportResponse } from '@yitang/shared';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createModels, type Models, trusted } from '../src/db/models';
import { memberImportModel } from '../src/org/import.model';
import { sampleMembers, sheetXlsx } from '../src/org/import.sample';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

let server: TestServer;
let models: Models;
let staff: string;

beforeAll(async () => {
  server = await startTestServer({ mongoUri: inject('mongoUri') });
  models = createModels(server.conn);
  staff = await signIn(server.url, demo.staffId);
});
afterAll(async () => {
  await server.close();
});

const fixture = readFileSync(new URL('../../e2e/fixtures/members-30.xlsx', import.meta.url));

async function upload(file: Buffer | string, opts: { dryRun?: boolean; cookie?: string | null } = {}) {
  const cookie = opts.cookie === undefined ? staff : opts.cookie;
  const res = await fetch(`${server.url}/api/org/members/import${opts.dryRun ? '?dryRun=1' : ''}`, {
    method: 'POST',
    headers: { ...(cookie ? { cookie } : {}), 'content-type': 'application/octet-stream' },
    body: typeof file === 'string' ? file : new Uint8Array(file),
  });
  const body = (await res.json()) as Partial<MemberImportResponse & MemberImportRejected> & {
    error?: { code: string; message: string };
  };
  return { status: res.status, body };
}

const phonePrefix = { C: '137', E: '136', H: '138', M: '134' } as const;

/** The sample's rows with every person, login and named record made new by `tag`. */
function variant(tag: keyof typeof phonePrefix): string[][] {
  const [header = [], ...rows] = sampleMembers();
  return [
    header,
    ...rows.map((r, i) => [
      `${r[0]}${tag}`,
      `${r[1]}${tag}`,
      r[2] ? `${r[2]}${tag}` : '',
      `${r[3]}${tag}`,
      `${phonePrefix[tag]}0000${String(1000 + i).padStart(4, '0')}`,
      r[5] ?? '',
      r[6] ?? '',
      r[7] ?? '',
      r[8] ?? '',
      r[9] ? `${r[9]}${tag.toLowerCase()}` : '',
    ]),
  ];
}

/** CSV text, every cell quoted (the expertise holds commas). */
const csv = (rows: string[][]) =>
  `${rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`;

const where = (problems: Array<{ row: number; column: string | null; code: string }> = []) =>
  problems.map((p) => [p.row, p.column, p.code]);

const count = () => models.Member.countDocuments({});

describe('member import', () => {
  it('previews the sample XLSX without writing, then imports its 30 members and creates their sectors, groups and districts', async () => {
    const before = await count();
    const preview = await upload(fixture, { dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.body.report).toEqual({
      rows: 30,
      alreadyImported: false,
      toCreate: {
        members: 30,
        sectors: ['科学技术界', '文化艺术界', '新闻出版界', '体育界'],
        workingGroups: ['乡村振兴工作组', '营商环境专委会'],
        districts: ['南湖片区工委', '北岭片区工委'],
      },
      problems: [],
    });
    expect(await count()).toBe(before);
    expect(await models.Sector.countDocuments({ name: '体育界' })).toBe(0);

    const done = await upload(fixture);
    expect(done.status).toBe(200);
    expect(done.body.accounts).toHaveLength(30);
    expect(await count()).toBe(before + 30);

    const first = done.body.accounts?.[0];
    expect(first).toMatchObject({ row: 2, name: '欧阳明远', phone: '13900001000', login: 'sample1' });
    expect(first?.path).toMatch(/^\/activate\/\S+$/);
    expect(done.body.accounts?.[1]?.login).toBe('13900001001');

    // The member has every field of its row, pointing at the records the import created.
    const m = await models.Member.findById(first?.memberId).lean();
    const sector = await models.Sector.findOne({ name: '科学技术界' }).lean();
    const group = await models.WorkingGroup.findOne({ name: '营商环境专委会' }).lean();
    const district = await models.District.findOne({ name: '南湖片区工委' }).lean();
    expect(group?.kind).toBe('specialCommittee');
    expect(m).toMatchObject({
      kind: 'member',
      committeeId: demo.committeeId,
      sectorId: sector?._id,
      districtId: district?._id,
      phone: '13900001000',
      email: 'member1@example.cn',
      expertise: ['科技创新', '人工智能'],
      title: '研究员',
      status: 'serving',
    });
    const fifth = await models.Member.findById(done.body.accounts?.[4]?.memberId).lean();
    expect(fifth?.status).toBe('suspended');

    // Each link works: it names the person and the login.
    const token = first?.path.replace('/activate/', '') ?? '';
    const link = await fetch(`${server.url}/api/accounts/links/${token}`);
    expect(await link.json()).toMatchObject({ name: '欧阳明远', login: 'sample1', purpose: 'activate' });

    // One audit entry with the counts.
    const entries = await models.AuditEntry.find({ action: 'org.members.import' }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.details).toMatchObject({ rows: 30, members: 30, sectors: 4, workingGroups: 2, districts: 2 });
  });

  it('running a committed import again changes nothing', async () => {
    const before = await count();
    const tokens = await models.AccountToken.countDocuments({});
    const preview = await upload(fixture, { dryRun: true });
    expect(preview.body.report).toMatchObject({ rows: 30, alreadyImported: true, problems: [] });
    expect(preview.body.report?.toCreate.members).toBe(0);
    const again = await upload(fixture);
    expect(again.status).toBe(200);
    expect(again.body.accounts).toEqual([]);
    expect(await count()).toBe(before);
    expect(await models.AccountToken.countDocuments({})).toBe(tokens);
    expect(await models.Sector.countDocuments({ name: '体育界' })).toBe(1);
  });

  it('imports 30 members from a CSV file (UTF-8, with a BOM) the same way', async () => {
    const before = await count();
    const rows = variant('C');
    const done = await upload(`\uFEFF${csv(rows)}`);
    expect(done.status).toBe(200);
    expect(done.body.report?.toCreate).toMatchObject({
      members: 30,
      sectors: ['科学技术界C', '文化艺术界C', '新闻出版界C', '体育界C'],
    });
    expect(done.body.accounts?.map((a) => a.name)).toEqual(rows.slice(1).map((r) => r[0]));
    expect(await count()).toBe(before + 30);
    expect(await models.District.countDocuments({ name: '北岭片区工委C' })).toBe(1);
  });

  it('reports the problems of rows 3 and 17 by column, and writes nothing, also when committed', async () => {
    const rows = variant('E');
    const row3 = rows[2] ?? [];
    const row17 = rows[16] ?? [];
    row3[4] = '1390000123';
    row17[5] = 'member@';
    row17[8] = '退休';
    const file = await sheetXlsx(rows);
    const members = await count();
    const sectors = await models.Sector.countDocuments({});

    const preview = await upload(file, { dryRun: true });
    expect(preview.status).toBe(200);
    expect(where(preview.body.report?.problems)).toEqual([
      [3, '手机', 'badPhone'],
      [17, '邮箱', 'badEmail'],
      [17, '状态', 'badStatus'],
    ]);
    expect(preview.body.report?.problems[0]?.problem).toBe('手机号应为 11 位中国大陆手机号码');

    const refused = await upload(file);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('BAD_REQUEST');
    expect(where(refused.body.report?.problems)).toEqual(where(preview.body.report?.problems));
    expect(await count()).toBe(members);
    expect(await models.Sector.countDocuments({})).toBe(sectors);
  });

  it('reports a person already in the records and a login name already taken', async () => {
    const rows = [
      ['姓名', '手机', '登录名'],
      ['司马明远', '13900001001', 'another'],
      ['新委员', '13500000000', demo.staffId.replace(/^s-/, '')],
      ['又一位', '13500000001', ''],
    ];
    const members = await count();
    const refused = await upload(csv(rows));
    expect(refused.status).toBe(400);
    expect(where(refused.body.report?.problems)).toEqual([
      [2, '姓名', 'alreadyPresent'],
      [3, '登录名', 'loginTaken'],
    ]);
    expect(refused.body.report?.toCreate.members).toBe(3);
    expect(await count()).toBe(members);
  });

  it('finishes an import that stopped halfway when the same file is sent again, creating no one twice', async () => {
    const rows = variant('H');
    const file = await sheetXlsx(rows);
    const first = await upload(file);
    expect(first.status).toBe(200);
    const made = first.body.accounts ?? [];
    const after = await count();

    // What a run that stopped at row 22 leaves: the import still writing, rows 2–20 created,
    // row 21 stopped inside the account's creation (its login taken, no member yet), rows 22–31
    // not reached.
    const imports = memberImportModel(models.Member.db);
    const batch = await imports.findOne({ logins: made[0]?.login }).lean();
    expect(batch?.state).toBe('done');
    const unreached = made.slice(20);
    const ids = unreached.map((a) => a.memberId);
    await imports.updateOne(
      { _id: batch?._id },
      { $set: { state: 'writing' }, $pull: { logins: trusted({ $in: unreached.map((a) => a.login) }) } },
    );
    await models.AccountToken.deleteMany({ memberId: trusted({ $in: ids }) });
    await models.Credential.deleteMany({ memberId: trusted({ $in: ids }) });
    await models.Member.deleteMany({ _id: trusted({ $in: ids }) });
    const half = made[19];
    await models.AccountToken.deleteMany({ memberId: half?.memberId });
    await models.Member.deleteOne({ _id: half?.memberId });

    const preview = await upload(file, { dryRun: true });
    expect(preview.body.report).toMatchObject({ alreadyImported: false, problems: [] });
    expect(preview.body.report?.toCreate.members).toBe(10);

    const finished = await upload(file);
    expect(finished.status).toBe(200);
    expect(finished.body.accounts).toHaveLength(30);
    expect(await count()).toBe(after);
    // The first 20 are the same members, with a new link each (the first answer never arrived).
    expect(finished.body.accounts?.slice(0, 20).map((a) => a.memberId)).toEqual(
      made.slice(0, 20).map((a) => a.memberId),
    );
    const completed = await models.Member.findById(half?.memberId).lean();
    expect(completed).toMatchObject({
      name: half?.name,
      kind: 'member',
      phone: half?.phone,
      committeeId: demo.committeeId,
    });
    expect(completed?.sectorId).not.toBeNull();
    const link = await fetch(`${server.url}/api/accounts/links/${finished.body.accounts?.[19]?.path.split('/').pop()}`);
    expect(await link.json()).toMatchObject({ name: half?.name, purpose: 'activate' });
    expect(await models.Credential.countDocuments({ _id: trusted({ $in: made.map((a) => a.login) }) })).toBe(30);

    const again = await upload(file);
    expect(again.body.report?.alreadyImported).toBe(true);
    expect(await count()).toBe(after);
  });

  it('does not take as its own an account someone else made under a login it had reserved', async () => {
    const file = csv([
      ['姓名', '手机', '登录名'],
      ['甲委员', '13300000001', 'reserved-a'],
      ['乙委员', '13300000002', 'reserved-b'],
    ]);
    const first = await upload(file);
    expect(first.status).toBe(200);
    const [a, b] = first.body.accounts ?? [];
    // The import stopped after reserving row 3's login, before its account; then the accounts
    // page gave that login to someone else.
    const imports = memberImportModel(models.Member.db);
    await imports.updateOne({ logins: a?.login }, { $set: { state: 'writing' } });
    await models.AccountToken.deleteMany({ memberId: b?.memberId });
    await models.Credential.deleteMany({ memberId: b?.memberId });
    await models.Member.deleteOne({ _id: b?.memberId });
    const other = await fetch(`${server.url}/api/accounts`, {
      method: 'POST',
      headers: { cookie: staff, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '丙', kind: 'member', login: 'reserved-b' }),
    });
    expect(other.status).toBe(201);

    const members = await count();
    const refused = await upload(file);
    expect(refused.status).toBe(400);
    expect(where(refused.body.report?.problems)).toEqual([[3, '登录名', 'loginTaken']]);
    expect(await count()).toBe(members);
    expect((await models.Member.findOne({ name: '丙' }).lean())?.phone).toBe('');
  });

  it('refuses anyone but staff', async () => {
    const members = await count();
    const member = await upload(csv(variant('M')), { cookie: await signIn(server.url, 'm-chen-liqun') });
    expect(member.status).toBe(403);
    const nobody = await upload(csv(variant('M')), { cookie: null });
    expect(nobody.status).toBe(401);
    expect(await count()).toBe(members);
  });

  it('answers a clear 4xx to a zip bomb, an oversized body and a file that is no sheet', async () => {
    const bomb = new JSZip();
    bomb.file('[Content_Types].xml', '<Types/>');
    bomb.file('xl/worksheets/sheet1.xml', Buffer.alloc(limits.importMaxUncompressedBytes + 1024, 0x20));
    const bombFile = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(bombFile.length).toBeLessThan(limits.memberImportMaxBytes);
    const boom = await upload(bombFile, { dryRun: true });
    expect(boom.status).toBe(413);
    expect(boom.body.error?.message).toMatch(/too large/);

    const big = await upload(Buffer.alloc(limits.memberImportMaxBytes + 1, 0x41), { dryRun: true });
    expect(big.status).toBe(413);

    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80]);
    const notSheet = await upload(png, { dryRun: true });
    expect(notSheet.status).toBe(400);
    expect(notSheet.body.error?.message).toMatch(/UTF-8/);

    const zip = new JSZip();
    zip.file('notes.txt', 'not a workbook');
    const notXlsx = await upload(await zip.generateAsync({ type: 'nodebuffer' }), { dryRun: true });
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.body.error?.message).toMatch(/XLSX/);

    // An empty file, or one of blank lines, is a file with nothing to import: the report says so.
    for (const nothing of [Buffer.alloc(0), '\r\n\r\n']) {
      const empty = await upload(nothing, { dryRun: true });
      expect(empty.status).toBe(200);
      expect(where(empty.body.report?.problems)).toEqual([[1, null, 'emptyFile']]);
    }
  });
});
