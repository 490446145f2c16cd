import { describe, expect, it } from 'vitest';
import { limits } from './limits';
import { derivedLogin, matchMemberColumn, normalizePhone, parseMemberSheet, splitExpertise } from './member-import';

const where = (problems: Array<{ row: number; column: string | null; code: string }>) =>
  problems.map((p) => [p.row, p.column, p.code]);

describe('member sheet headings', () => {
  it('matches Chinese and English headings in any case, also with a note in brackets', () => {
    expect(matchMemberColumn('姓名')).toBe('name');
    expect(matchMemberColumn(' Name ')).toBe('name');
    expect(matchMemberColumn('工作组/专委会')).toBe('workingGroup');
    expect(matchMemberColumn('专委会')).toBe('workingGroup');
    expect(matchMemberColumn('workinggroup')).toBe('workingGroup');
    expect(matchMemberColumn('政协工委')).toBe('district');
    expect(matchMemberColumn('手机(必填)')).toBe('phone');
    expect(matchMemberColumn('手机（选填）')).toBe('phone');
    expect(matchMemberColumn('E-Mail')).toBe('email');
    expect(matchMemberColumn('登录名')).toBe('login');
    expect(matchMemberColumn('爱好')).toBeUndefined();
  });

  it('finds the heading row below blank rows, in any order, and reports unknown, repeated and missing columns', () => {
    const ok = parseMemberSheet([[], ['', ''], ['手机', '姓名'], ['13800138000', '王一']]);
    expect(ok.problems).toEqual([]);
    expect(ok.rows).toMatchObject([{ row: 4, name: '王一', phone: '13800138000' }]);

    const bad = parseMemberSheet([
      ['姓名', '爱好', 'name'],
      ['王一', '', ''],
    ]);
    expect(where(bad.problems)).toEqual([
      [1, '爱好', 'unknownColumn'],
      [1, 'name', 'repeatedColumn'],
    ]);
    expect(bad.rows).toEqual([]);

    expect(where(parseMemberSheet([['手机'], ['13800138000']]).problems)).toEqual([[1, '姓名', 'missingColumn']]);

    // A title and a date above the headings are passed over.
    const titled = parseMemberSheet([
      ['海安市政协委员名册'],
      ['2026年12月'],
      [],
      ['姓名', '手机'],
      ['王一', '13800138000'],
    ]);
    expect(titled.problems).toEqual([]);
    expect(titled.rows).toMatchObject([{ row: 5, name: '王一' }]);
  });

  it('refuses an empty sheet and one with too many rows', () => {
    expect(where(parseMemberSheet([]).problems)).toEqual([[1, null, 'emptyFile']]);
    expect(where(parseMemberSheet([['姓名'], ['', '']]).problems)).toEqual([[1, null, 'emptyFile']]);
    const many = [['姓名'], ...Array.from({ length: limits.memberImportMaxRows + 1 }, (_, i) => [`委员${i}`])];
    expect(where(parseMemberSheet(many).problems)).toEqual([[1, null, 'tooManyRows']]);
    const enough = [['姓名'], ...Array.from({ length: limits.memberImportMaxRows }, (_, i) => [`委员${i}`])];
    expect(parseMemberSheet(enough).problems).toEqual([]);
  });
});

describe('member rows', () => {
  const header = ['姓名', '界别', '工作组/专委会', '工委', '手机', '邮箱', '专长', '职务', '状态', '登录名'];

  it('reads a full row: status by label, expertise split, the phone normalised, the login derived', () => {
    const { rows, problems } = parseMemberSheet([
      header,
      [
        '李华',
        '经济界',
        '经济委',
        '城东工委',
        '+86 138-0013-8000',
        'li@example.cn',
        '金融、财税，法律; 审计',
        '行长',
        '暂停',
        '',
      ],
      ['张三', '', '', '', '', '', '', '', '', 'zhang.san'],
    ]);
    expect(problems).toEqual([]);
    expect(rows[0]).toEqual({
      row: 2,
      name: '李华',
      sector: '经济界',
      workingGroup: '经济委',
      district: '城东工委',
      phone: '13800138000',
      email: 'li@example.cn',
      expertise: ['金融', '财税', '法律', '审计'],
      title: '行长',
      status: 'suspended',
      login: '13800138000',
      loginGiven: false,
    });
    expect(rows[1]).toMatchObject({ sector: null, status: 'serving', login: 'zhang.san', loginGiven: true });
  });

  it('reports each bad cell by row and column, and keeps the good rows for the checks against the records', () => {
    const { rows, problems } = parseMemberSheet([
      header,
      ['', '经济界', '', '', '', '', '', '', '', ''],
      ['王二', '', '', '', '1380013800', 'not-an-email', '', '', '退休', 'a b'],
      ['赵四', '', '', '', '13900139000', '', '', '', 'left', ''],
      ['x'.repeat(limits.maxNameLength + 1), '', '', '', '', '', '', '', '', ''],
    ]);
    expect(where(problems)).toEqual([
      [2, '姓名', 'required'],
      [3, '手机', 'badPhone'],
      [3, '邮箱', 'badEmail'],
      [3, '状态', 'badStatus'],
      [3, '登录名', 'badLogin'],
      [5, '姓名', 'tooLong'],
    ]);
    expect(problems[0]?.problem).toBe('必填项为空');
    expect(rows.map((r) => [r.row, r.status])).toEqual([[4, 'left']]);
  });

  it('reports the same person (name and phone) or login twice in the file', () => {
    const { problems } = parseMemberSheet([
      ['姓名', '手机', '登录名'],
      ['王一', '13800138000', ''],
      ['王一', '138 0013 8000', ''],
      ['王一', '13900139000', 'wang'],
      ['王二', '', 'WANG'],
      ['王一', '', ''],
    ]);
    expect(where(problems)).toEqual([
      [3, '姓名', 'duplicateInFile'],
      [5, '登录名', 'loginInFile'],
    ]);
  });
});

describe('member import helpers', () => {
  it('accepts only mainland mobile numbers', () => {
    expect(normalizePhone('13800138000')).toBe('13800138000');
    expect(normalizePhone('8613800138000')).toBe('13800138000');
    expect(normalizePhone('12800138000')).toBeNull();
    expect(normalizePhone('0513-88001234')).toBeNull();
    expect(normalizePhone('138001380001')).toBeNull();
  });

  it('splits expertise on Chinese and Latin separators, without blanks or repeats', () => {
    expect(splitExpertise('教育、 医疗;教育；;法律,  ')).toEqual(['教育', '医疗', '法律']);
  });

  it('derives a stable login name: the phone, else one from the name', () => {
    expect(derivedLogin('王一', '13800138000')).toBe('13800138000');
    expect(derivedLogin('王一', '')).toMatch(/^m[0-9a-f]{8}$/);
    expect(derivedLogin('王一', '')).toBe(derivedLogin('王一', ''));
    expect(derivedLogin('王一', '')).not.toBe(derivedLogin('王二', ''));
  });
});
