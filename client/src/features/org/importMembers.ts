import { type ImportedAccount, limits, type MemberImportReport, memberImportColumns } from '@yitang/shared';

/** Whether a chosen or dropped file looks like a sheet the import reads (by name, then type). */
export function isSheetFile(file: { name: string; type: string }): boolean {
  if (/\.(xlsx|csv)$/i.test(file.name)) return true;
  return file.type === 'text/csv' || file.type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
}

export const tooLarge = (file: { size: number }) => file.size > limits.memberImportMaxBytes;

/** Confirming is offered only for a checked file with no problem and someone to create. */
export const mayConfirm = (report: MemberImportReport | null): boolean =>
  report !== null && !report.alreadyImported && report.problems.length === 0 && report.toCreate.members > 0;

/** Upload progress as a whole percentage; an unknown total counts as not started. */
export const percent = (loaded: number, total: number): number =>
  total > 0 ? Math.min(100, Math.max(0, Math.round((loaded / total) * 100))) : 0;

/**
 * One CSV cell: quoted, quotes doubled, and a leading = + - @ (or tab, return) disarmed with an
 * apostrophe, so that a name from the imported file cannot run as a formula when opened.
 */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** CSV text (with a BOM, so Excel reads it as UTF-8) of the given rows. */
export const csvText = (rows: readonly (readonly string[])[]): string =>
  `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/** The full activation link of an imported account. */
export const linkUrl = (origin: string, account: Pick<ImportedAccount, 'path'>) => `${origin}${account.path}`;

/** The links list to download: a heading row, then name, phone, login, link and expiry of each. */
export function linksCsv(
  accounts: readonly ImportedAccount[],
  origin: string,
  headings: readonly [string, string, string, string, string],
  formatExpiry: (iso: string) => string,
): string {
  return csvText([
    headings,
    ...accounts.map((a) => [a.name, a.phone, a.login, linkUrl(origin, a), formatExpiry(a.expiresAt)]),
  ]);
}

const exampleRow = [
  '张明',
  '经济界',
  '经济委',
  '城东工委',
  '13800138000',
  'zhangming@example.cn',
  '金融、财税',
  '某银行行长',
  '在任',
  '',
];

/** A template to fill in: the Chinese headings and one example row. */
export const templateCsv = (): string =>
  csvText([Object.values(memberImportColumns).map((names) => names[0]), exampleRow]);

/** Offers `text` as a file download named `name`. */
export function downloadText(text: string, name: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
