import type { ProposalStatsResponse, ProposalStatsRow } from '@yitang/shared';
import ExcelJS from 'exceljs';
import { csvCell, utf8Bom } from '../reports/dashboard.csv';

const head = ['分组', '提案数', '应答复', '按期答复', '按期答复率', '满意', '基本满意', '不满意', '满意率'];

const percent = (x: number | null) => (x === null ? '' : `${Math.round(x * 1000) / 10}%`);

function cells(r: ProposalStatsRow): Array<string | number> {
  return [
    r.label,
    r.total,
    r.due,
    r.onTime,
    percent(r.onTimeRate),
    r.satisfied,
    r.basicallySatisfied,
    r.dissatisfied,
    percent(r.satisfactionRate),
  ];
}

/** The sections of the statistics, each a title and its rows. */
function sections(s: ProposalStatsResponse): Array<[string, ProposalStatsRow[]]> {
  return [
    ['按办理状态', s.byState],
    ['按主办单位', s.byDepartment],
    ['按界别', s.bySector],
    ['合计', [s.total]],
  ];
}

export const statsFileName = (s: ProposalStatsResponse, ext: 'csv' | 'xlsx') => `proposals-${s.year}.${ext}`;

/**
 * The statistics as CSV (UTF-8 with BOM, CRLF, the dashboard's quoting, which also keeps a cell
 * from running as a formula): a title row, then each section with its heading row.
 */
export function statsCsv(s: ProposalStatsResponse): string {
  const row = (c: Array<string | number>) => c.map(csvCell).join(',');
  const lines = [row([`${s.year}年度提案办理统计`])];
  for (const [title, rows] of sections(s)) {
    lines.push('', row([title]), row(head), ...rows.map((r) => row(cells(r))));
  }
  return `${utf8Bom}${lines.join('\r\n')}\r\n`;
}

/** The statistics as a workbook: one sheet per section. */
export async function statsXlsx(s: ProposalStatsResponse): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '议堂';
  for (const [title, rows] of sections(s)) {
    const ws = wb.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([`${s.year}年度提案办理统计 — ${title}`]);
    ws.addRow(head).font = { bold: true };
    for (const r of rows) ws.addRow(cells(r));
    ws.columns.forEach((c, i) => {
      c.width = i === 0 ? 24 : 10;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
