/**
 * A member import stopped halfway through a real commit (the importer's `afterRow` hook throws
 * after the tenth account): the accounts it wrote are in no list, cannot sign in, their links do
 * not work and none was emailed (a real SMTP receiver started here counts the messages). The same
 * file sent again finishes the import: all 30 live, each address emailed once.
 */

import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { AccountsResponse, ImportedAccount, MemberImportResponse } from '@yitang/shared';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { trusted } from '../src/db/models';
import { createMemberService } from '../src/members/member.service';
import { createMemberImporter } from '../src/org/import';
import { demo, signIn, startTestServer, type TestServer } from '../src/testing';

const fixture = readFileSync(new URL('../../e2e/fixtures/members-30.xlsx', import.meta.url));

/** Recipients of the messages the receiver took. */
const mailedTo: string[] = [];
let smtp: SMTPServer;
let server: TestServer;
let staff = '';

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        mailedTo.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  server = await startTestServer({
    mongoUri: inject('mongoUri'),
    config: {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      MAIL_FROM: '市政协办公室 <yitang@example.gov.cn>',
      PUBLIC_URL: 'https://yitang.example.gov.cn',
    },
  });
  staff = await signIn(server.url, demo.staffId);
});

afterAll(async () => {
  await server?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

const tokenOf = (a: ImportedAccount) => a.path.split('/').pop() ?? '';

async function listedLogins(): Promise<Set<string>> {
  const res = await fetch(`${server.url}/api/accounts`, { headers: { cookie: staff } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as AccountsResponse;
  return new Set(body.accounts.map((a) => a.login ?? ''));
}

describe('a member import stopped halfway', () => {
  it('leaves nothing usable until the same file finishes it, then makes all 30 live and emails them once', async () => {
    const { models } = server.app;
    const members = createMemberService(models);
    const caller = await members.get(demo.staffId);
    if (!caller) throw new Error('no demo staff');

    const written: ImportedAccount[] = [];
    const stopping = createMemberImporter({
      models,
      accounts: server.app.accounts,
      audit: server.app.audit,
      afterRow: (n, account) => {
        written.push(account);
        if (n === 10) throw new Error('stopped at row 10');
      },
    });
    await expect(stopping.importFile(fixture, caller, false)).rejects.toThrow('stopped at row 10');

    // Rows were written (the ten, and the rest of their group of eight), but none is usable.
    expect(written.length).toBeGreaterThanOrEqual(10);
    expect(written.length).toBeLessThan(30);
    const ids = written.map((a) => a.memberId);
    expect(await models.Member.countDocuments({ _id: trusted({ $in: ids }) })).toBe(written.length);
    const listed = await listedLogins();
    for (const a of written) expect(listed.has(a.login)).toBe(false);
    const everyone = new Set((await members.list()).map((m) => m.id));
    for (const id of ids) expect(everyone.has(id)).toBe(false);
    for (const a of written) {
      const preview = await fetch(`${server.url}/api/accounts/links/${tokenOf(a)}`);
      expect(preview.status).toBe(410);
    }
    const use = await fetch(`${server.url}/api/accounts/links/${tokenOf(written[0] as ImportedAccount)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'a-long-enough-password' }),
    });
    expect(use.status).toBe(410);
    expect(await members.getActive(ids[0] as string)).toBeNull();
    // Staff cannot hand out a link for such an account either.
    const relink = await fetch(`${server.url}/api/accounts/${ids[0]}/reset-link`, {
      method: 'POST',
      headers: { cookie: staff },
    });
    expect(relink.status).toBe(404);
    expect(mailedTo).toEqual([]);

    // The same file again, through the route: it finishes, and everything goes live at once.
    const res = await fetch(`${server.url}/api/org/members/import`, {
      method: 'POST',
      headers: { cookie: staff, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(fixture),
    });
    expect(res.status).toBe(200);
    const done = (await res.json()) as MemberImportResponse;
    expect(done.accounts).toHaveLength(30);
    expect(
      done.accounts
        .slice(0, written.length)
        .map((a) => a.memberId)
        .sort(),
    ).toEqual([...ids].sort());
    const nowListed = await listedLogins();
    for (const a of done.accounts) expect(nowListed.has(a.login)).toBe(true);
    expect(await models.Member.countDocuments({ pendingImport: trusted({ $exists: true }) })).toBe(0);
    for (const a of done.accounts) {
      const preview = await fetch(`${server.url}/api/accounts/links/${tokenOf(a)}`);
      expect(preview.status).toBe(200);
    }
    // Each address in the file got its link once, only now; the rows without one got none.
    const withEmail = done.accounts.filter((a) => a.mail === 'sent');
    expect(withEmail.length).toBeGreaterThan(0);
    expect(mailedTo).toHaveLength(withEmail.length);
    expect(new Set(mailedTo).size).toBe(mailedTo.length);
    expect(done.accounts.filter((a) => a.mail === 'noAddress').length + withEmail.length).toBe(30);
  });

  it('takes back the accounts and the sectors, groups and districts it created when a login is taken during the commit', async () => {
    const { models } = server.app;
    const caller = await createMemberService(models).get(demo.staffId);
    if (!caller) throw new Error('no demo staff');
    const rows = [['姓名', '手机', '登录名', '界别', '工作组', '工委']];
    for (let i = 0; i < 20; i++) {
      rows.push([`撤回委员${i}`, `1330000${String(2000 + i)}`, `undo-${i}`, '撤回界', '撤回工作组', '撤回片区工委']);
    }
    const file = Buffer.from(`${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
    const members = await models.Member.countDocuments({});
    const importer = createMemberImporter({
      models,
      accounts: server.app.accounts,
      audit: server.app.audit,
      // After the first account, someone takes row 20's login on the accounts page.
      afterRow: async (n) => {
        if (n !== 1) return;
        const other = await fetch(`${server.url}/api/accounts`, {
          method: 'POST',
          headers: { cookie: staff, 'content-type': 'application/json' },
          body: JSON.stringify({ name: '另一位', kind: 'member', login: 'undo-19' }),
        });
        expect(other.status).toBe(201);
      },
    });
    // The check found nothing: the login was taken during the commit, at row 21.
    const preview = await importer.importFile(file, caller, true);
    expect(preview.report.problems).toEqual([]);
    await expect(importer.importFile(file, caller, false)).rejects.toMatchObject({
      report: { problems: [{ row: 21, code: 'loginTaken' }] },
    });
    expect(await models.Member.countDocuments({})).toBe(members + 1);
    expect(await models.Member.countDocuments({ name: /^撤回委员/ })).toBe(0);
    expect(await models.Sector.countDocuments({ name: '撤回界' })).toBe(0);
    expect(await models.WorkingGroup.countDocuments({ name: '撤回工作组' })).toBe(0);
    expect(await models.District.countDocuments({ name: '撤回片区工委' })).toBe(0);
  });
});
