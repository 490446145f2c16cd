import { csvLabels, type DashboardResponse, figureKeys, levelLabels, type ReportLanguage } from '@yitang/shared';

/** Excel reads a CSV as UTF-8 only when it starts with a byte-order mark. */
export const utf8Bom = '\uFEFF';

/**
 * One CSV cell. Quoted when it holds a separator, quote or line break; a text cell starting with
 * = + - @ is prefixed with ' so a spreadsheet does not run it as a formula.
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The dashboard as CSV (RFC 4180, CRLF, UTF-8 with BOM): three heading rows naming the period,
 * the level and the room, a blank row, then one row per month and a total row. The total of
 * leaders taking part counts different people over the whole period, so it is not the sum of
 * the months. Then, after a blank row each, the period's figures by theme and by room level.
 */
export function dashboardCsv(d: DashboardResponse, lang: ReportLanguage): string {
  const l = csvLabels[lang];
  const row = (cells: Array<string | number>) => cells.map(csvCell).join(',');
  const lines = [
    row([l.period, d.from, d.to]),
    row([l.level, levelLabels[lang][d.level]]),
    row([l.room, d.room?.name ?? '']),
    ...(d.theme ? [row([l.theme, d.theme.name])] : []),
    row([l.members, d.members.committee]),
    row([l.withoutProposal, d.members.withoutProposal]),
    row([l.withoutSocialReport, d.members.withoutSocialReport]),
    '',
    row([l.month, ...figureKeys.map((k) => l[k])]),
    ...d.months.map((m) => row([m.month, ...figureKeys.map((k) => m[k])])),
    row([l.total, ...figureKeys.map((k) => d.totals[k])]),
    '',
    row([l.theme, ...figureKeys.map((k) => l[k])]),
    ...d.byTheme.map((t) => row([t.themeId === null ? l.noTheme : t.name, ...figureKeys.map((k) => t[k])])),
    '',
    row([l.level, ...figureKeys.map((k) => l[k])]),
    ...d.byLevel.map((v) => row([levelLabels[lang][v.level], ...figureKeys.map((k) => v[k])])),
  ];
  return `${utf8Bom}${lines.join('\r\n')}\r\n`;
}

/** A download name for the export, e.g. `yitang-dashboard-2026-01-01_2026-12-31-town.csv`. */
export function dashboardFileName(d: DashboardResponse): string {
  const scope = d.room ? d.room.id : d.level;
  return `yitang-dashboard-${d.from}_${d.to}-${scope}.csv`;
}
