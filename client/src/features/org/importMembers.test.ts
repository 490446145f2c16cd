import { limits, type MemberImportReport } from '@yitang/shared';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../lib/errors';
import { importOutcome } from './importApi';
import { csvCell, isSheetFile, linksCsv, mayConfirm, percent, templateCsv, tooLarge } from './importMembers';

const report = (over: Partial<MemberImportReport> = {}): MemberImportReport => ({
  rows: 2,
  alreadyImported: false,
  toCreate: { members: 2, sectors: ['体育界'], workingGroups: [], districts: [] },
  problems: [],
  ...over,
});

describe('member import page logic', () => {
  it('takes .xlsx and .csv files, by name or type, within the size limit', () => {
    expect(isSheetFile({ name: '名册.XLSX', type: '' })).toBe(true);
    expect(isSheetFile({ name: 'members.csv', type: '' })).toBe(true);
    expect(isSheetFile({ name: 'download', type: 'text/csv' })).toBe(true);
    expect(isSheetFile({ name: '名册.xls', type: 'application/vnd.ms-excel' })).toBe(false);
    expect(isSheetFile({ name: 'photo.png', type: 'image/png' })).toBe(false);
    expect(tooLarge({ size: limits.memberImportMaxBytes })).toBe(false);
    expect(tooLarge({ size: limits.memberImportMaxBytes + 1 })).toBe(true);
  });

  it('offers to confirm only a clean report with someone to create', () => {
    expect(mayConfirm(report())).toBe(true);
    expect(mayConfirm(null)).toBe(false);
    expect(mayConfirm(report({ problems: [{ row: 3, column: '手机', code: 'badPhone', problem: '…' }] }))).toBe(false);
    expect(mayConfirm(report({ alreadyImported: true }))).toBe(false);
    expect(mayConfirm(report({ toCreate: { members: 0, sectors: [], workingGroups: [], districts: [] } }))).toBe(false);
  });

  it('shows upload progress as a bounded whole percentage', () => {
    expect(percent(0, 0)).toBe(0);
    expect(percent(512, 1024)).toBe(50);
    expect(percent(2048, 1024)).toBe(100);
  });

  it('writes the links list as CSV Excel opens as UTF-8, and disarms cells that would run as formulas', () => {
    expect(csvCell('王"一"')).toBe('"王""一"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1')).toBe('"\'-1"');
    const text = linksCsv(
      [
        {
          row: 2,
          memberId: 'm-1',
          name: '欧阳明远',
          phone: '13900001000',
          login: 'sample1',
          path: '/activate/abc',
          expiresAt: '2026-12-13T08:00:00.000Z',
        },
      ],
      'https://yitang.example',
      ['姓名', '手机', '登录名', '激活链接', '有效期至'],
      (iso) => iso.slice(0, 10),
    );
    expect(text).toBe(
      '\uFEFF"姓名","手机","登录名","激活链接","有效期至"\r\n' +
        '"欧阳明远","13900001000","sample1","https://yitang.example/activate/abc","2026-12-13"\r\n',
    );
  });

  it('offers a template whose headings are the import’s Chinese column names', () => {
    const [head = ''] = templateCsv().replace('\uFEFF', '').split('\r\n');
    expect(head).toBe('"姓名","界别","工作组/专委会","工委","手机","邮箱","专长","职务","状态","登录名"');
  });
});

describe('member import answers', () => {
  it('reads a report, a refusal with its report, and an error', () => {
    const ok = importOutcome(200, { report: report(), dryRun: true, accounts: [] });
    expect(ok).toMatchObject({ ok: true, dryRun: true });
    const refused = importOutcome(400, {
      error: { code: 'BAD_REQUEST', message: 'The file has 1 problem(s); nothing was imported.' },
      report: report({ problems: [{ row: 3, column: '手机', code: 'badPhone', problem: '…' }] }),
    });
    expect(refused).toMatchObject({ ok: false, report: { problems: [{ row: 3 }] } });
    expect(() => importOutcome(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'too large' } })).toThrow(
      new ClientError('PAYLOAD_TOO_LARGE', 413),
    );
    expect(() => importOutcome(403, null)).toThrow(ClientError);
    expect(() => importOutcome(200, { nonsense: true })).toThrow(ClientError);
  });
});
