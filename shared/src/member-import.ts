import { z } from 'zod';
import { LoginName } from './accounts';
import { memberStatusNames } from './domain';
import { limits } from './limits';

/**
 * Importing members from a sheet (XLSX or CSV): the columns, the checks that need nothing but
 * the file, and the report the server answers. The checks against the records (a person or a
 * login name already there) are the server's; their problems use the same shape.
 */

/** The columns of a member sheet: the heading staff see first, then the other names accepted. */
export const memberImportColumns = {
  name: ['姓名', 'name'],
  sector: ['界别', 'sector'],
  workingGroup: ['工作组/专委会', '工作组', '专委会', 'workingGroup', 'working group'],
  district: ['工委', '政协工委', 'district'],
  phone: ['手机', '手机号', '手机号码', 'phone', 'mobile'],
  email: ['邮箱', '电子邮箱', 'email', 'e-mail'],
  expertise: ['专长', 'expertise'],
  title: ['职务', 'title'],
  status: ['状态', 'status'],
  login: ['登录名', 'login'],
} as const;
export type MemberImportColumn = keyof typeof memberImportColumns;

/** 在任/暂停/离任, as the member record keeps it (MemberDoc.status). */
export const MemberImportStatus = z.enum(['serving', 'suspended', 'left']);
export type MemberImportStatus = z.infer<typeof MemberImportStatus>;
/** The words a sheet writes for each status: the member status names (domain.ts). */
export const memberImportStatusLabels: Readonly<Record<MemberImportStatus, string>> = memberStatusNames['zh-CN'];

export const MemberImportProblemCode = z.enum([
  'emptyFile',
  'tooManyRows',
  'missingColumn',
  'unknownColumn',
  'repeatedColumn',
  'required',
  'tooLong',
  'badPhone',
  'badEmail',
  'badStatus',
  'badLogin',
  'duplicateInFile',
  'loginInFile',
  'alreadyPresent',
  'loginTaken',
]);
export type MemberImportProblemCode = z.infer<typeof MemberImportProblemCode>;

/** One problem: the sheet's row (the heading is row 1), its column heading, the key and the words. */
export const MemberImportProblem = z.object({
  row: z.number(),
  column: z.string().nullable(),
  code: MemberImportProblemCode,
  problem: z.string(),
});
export type MemberImportProblem = z.infer<typeof MemberImportProblem>;

export const memberImportProblemText: Record<MemberImportProblemCode, string> = {
  emptyFile: '文件中没有数据行',
  tooManyRows: `一次最多导入 ${limits.memberImportMaxRows} 名委员`,
  missingColumn: '缺少必需的列',
  unknownColumn: '无法识别的列标题',
  repeatedColumn: '这一列出现了不止一次',
  required: '必填项为空',
  tooLong: '内容过长',
  badPhone: '手机号应为 11 位中国大陆手机号码',
  badEmail: '邮箱格式不正确',
  badStatus: '状态应为：在任、暂停或离任',
  badLogin: '登录名只能由字母、数字和 . _ - 组成，2 至 40 个字符',
  duplicateInFile: '与本文件中前面的一行是同一个人（姓名和手机号相同）',
  loginInFile: '与本文件中前面的一行登录名相同',
  alreadyPresent: '名册中已有此人（姓名和手机号相同）',
  loginTaken: '登录名已被其他账号使用',
};

export const memberImportProblem = (
  row: number,
  column: string | null,
  code: MemberImportProblemCode,
): MemberImportProblem => ({ row, column, code, problem: memberImportProblemText[code] });

/** A row that passed the file's own checks. */
export interface MemberImportRow {
  row: number;
  name: string;
  sector: string | null;
  workingGroup: string | null;
  district: string | null;
  /** 11 digits, or '' when the sheet has none. */
  phone: string;
  email: string;
  expertise: string[];
  title: string;
  status: MemberImportStatus;
  /** From the sheet, or derived: the phone number, else `m` and a hash of the name. */
  login: string;
  loginGiven: boolean;
}

/** The report of a preview, and of a commit: what the file holds and what importing it creates. */
export const MemberImportReport = z.object({
  /** Data rows in the file (blank rows are not counted). */
  rows: z.number(),
  /** The same rows were imported before: nothing is left to write. */
  alreadyImported: z.boolean(),
  toCreate: z.object({
    members: z.number(),
    sectors: z.array(z.string()),
    workingGroups: z.array(z.string()),
    districts: z.array(z.string()),
  }),
  problems: z.array(MemberImportProblem),
});
export type MemberImportReport = z.infer<typeof MemberImportReport>;

/** One account the commit created, with its one-time activation link to pass on. */
export const ImportedAccount = z.object({
  row: z.number(),
  memberId: z.string(),
  name: z.string(),
  phone: z.string(),
  login: z.string(),
  /** The link's path, e.g. `/activate/…`: prefix the site's address. */
  path: z.string(),
  expiresAt: z.string(),
  /** Whether the link was also emailed (as `AccountLink.mail`). */
  mail: z.enum(['sent', 'failed', 'noAddress', 'off']).optional(),
});
export type ImportedAccount = z.infer<typeof ImportedAccount>;

/**
 * POST /api/org/members/import?dryRun=1: 200 with the report (problems included, nothing written).
 * POST /api/org/members/import: 200 with the report and the accounts created; 400 with the report
 * when there is any problem, and then nothing was written.
 */
export const MemberImportResponse = z.object({
  report: MemberImportReport,
  dryRun: z.boolean(),
  accounts: z.array(ImportedAccount),
});
export type MemberImportResponse = z.infer<typeof MemberImportResponse>;

export const MemberImportRejected = z.object({
  error: z.object({ code: z.literal('BAD_REQUEST'), message: z.string() }),
  report: MemberImportReport,
});
export type MemberImportRejected = z.infer<typeof MemberImportRejected>;

const heading = (c: MemberImportColumn) => memberImportColumns[c][0];
const fold = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

const columnByHeading = new Map<string, MemberImportColumn>();
for (const [c, names] of Object.entries(memberImportColumns) as Array<[MemberImportColumn, readonly string[]]>) {
  for (const n of names) columnByHeading.set(fold(n), c);
}

/**
 * The column a heading names, in either language and any case, also with a note in brackets
 * after it (“手机(必填)”); undefined for an unknown one.
 */
export function matchMemberColumn(text: string): MemberImportColumn | undefined {
  const folded = fold(text);
  return columnByHeading.get(folded) ?? columnByHeading.get(folded.replace(/[(（][^()（）]*[)）]$/, '').trim());
}

/**
 * A mainland mobile number as 11 digits: spaces and dashes are dropped, and a leading +86 or 86.
 * null when it is not one.
 */
export function normalizePhone(text: string): string | null {
  let digits = text.replace(/[\s-]/g, '');
  if (/^(\+?86)1\d{10}$/.test(digits)) digits = digits.slice(-11);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Splits 专长 on 、,,;; and trims; no empty items, no repeats. */
export const splitExpertise = (text: string): string[] => [
  ...new Set(
    text
      .split(/[、,，;；]/)
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  ),
];

const statusByText = new Map<string, MemberImportStatus>();
for (const s of MemberImportStatus.options) {
  statusByText.set(s, s);
  statusByText.set(memberImportStatusLabels[s], s);
}

/** 32 bits of FNV-1a over the UTF-16 units, as 8 hex digits: stable across runs and platforms. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The login name of a row without one: the phone number, else `m` and a hash of the name. */
export const derivedLogin = (name: string, phone: string): string => (phone !== '' ? phone : `m${shortHash(name)}`);

/** Same person: same name and phone. */
export const personKey = (name: string, phone: string): string => `${name}\u0001${phone}`;

const maxExpertise = 20;
/** Rows (not blank) that may stand above the heading row: a title, a date, a note. */
const titleRows = 5;
/** As the member records page allows (shared/src/org.ts). */
const maxEmail = 120;

/**
 * The file's own checks, before any record is read: the heading row (the first row that is not
 * blank), every data row, and repeats within the file. Every problem is reported with its row
 * and column; the rows without one are returned too, so that the server checks them against the
 * records and a preview tells everything at once.
 */
export function parseMemberSheet(sheet: readonly (readonly string[])[]): {
  rows: MemberImportRow[];
  dataRows: number;
  problems: MemberImportProblem[];
} {
  const problems: MemberImportProblem[] = [];
  const add = (row: number, column: string | null, code: MemberImportProblemCode) =>
    problems.push(memberImportProblem(row, column, code));

  const lines = sheet.map((cells, i) => ({ cells: cells.map((c) => c.trim()), row: i + 1 }));
  const nonBlank = lines.filter((l) => l.cells.some((c) => c !== ''));
  // The heading row is the first with a name heading among the first few (a title such as
  // “海安市政协委员名册” often stands above it); without one, the first row, to report on.
  const found = nonBlank.slice(0, titleRows + 1).findIndex((l) => l.cells.some((c) => matchMemberColumn(c) === 'name'));
  const [header, ...data] = nonBlank.slice(Math.max(0, found));
  if (!header || data.length === 0) {
    add(header?.row ?? 1, null, 'emptyFile');
    return { rows: [], dataRows: 0, problems };
  }
  if (data.length > limits.memberImportMaxRows) {
    add(header.row, null, 'tooManyRows');
    return { rows: [], dataRows: data.length, problems };
  }

  const index = new Map<MemberImportColumn, number>();
  header.cells.forEach((text, i) => {
    if (text === '') return;
    const c = matchMemberColumn(text);
    if (!c) add(header.row, text, 'unknownColumn');
    else if (index.has(c)) add(header.row, text, 'repeatedColumn');
    else index.set(c, i);
  });
  if (!index.has('name')) add(header.row, heading('name'), 'missingColumn');
  if (problems.length > 0) return { rows: [], dataRows: data.length, problems };

  const rows: MemberImportRow[] = [];
  const people = new Set<string>();
  const logins = new Set<string>();
  for (const { cells, row } of data) {
    const cell = (c: MemberImportColumn) => {
      const i = index.get(c);
      return i === undefined ? '' : (cells[i] ?? '');
    };
    const before = problems.length;
    const text = (c: MemberImportColumn, max: number): string => {
      const v = cell(c);
      if (v.length > max) add(row, heading(c), 'tooLong');
      return v;
    };

    const name = text('name', limits.maxNameLength);
    if (name === '') add(row, heading('name'), 'required');
    const sector = text('sector', limits.maxNameLength);
    const workingGroup = text('workingGroup', limits.maxNameLength);
    const district = text('district', limits.maxNameLength);
    const title = text('title', limits.maxDepartmentLength);

    const phoneText = cell('phone');
    const phone = phoneText === '' ? '' : normalizePhone(phoneText);
    if (phone === null) add(row, heading('phone'), 'badPhone');

    const email = text('email', maxEmail);
    if (email !== '' && !emailPattern.test(email)) add(row, heading('email'), 'badEmail');

    const expertise = splitExpertise(cell('expertise'));
    if (expertise.length > maxExpertise || expertise.some((e) => e.length > limits.maxNameLength)) {
      add(row, heading('expertise'), 'tooLong');
    }

    const statusText = cell('status');
    const status = statusText === '' ? 'serving' : statusByText.get(statusText.toLowerCase());
    if (!status) add(row, heading('status'), 'badStatus');

    const loginText = cell('login');
    if (loginText !== '' && !LoginName.safeParse(loginText).success) add(row, heading('login'), 'badLogin');

    if (problems.length > before || phone === null || !status) continue;

    const key = personKey(name, phone);
    if (people.has(key)) {
      add(row, heading('name'), 'duplicateInFile');
      continue;
    }
    people.add(key);
    const login = loginText !== '' ? loginText : derivedLogin(name, phone);
    if (logins.has(login.toLowerCase())) {
      add(row, heading('login'), 'loginInFile');
      continue;
    }
    logins.add(login.toLowerCase());
    rows.push({
      row,
      name,
      sector: sector || null,
      workingGroup: workingGroup || null,
      district: district || null,
      phone,
      email,
      expertise,
      title,
      status,
      login,
      loginGiven: loginText !== '',
    });
  }
  return { rows, dataRows: data.length, problems };
}
