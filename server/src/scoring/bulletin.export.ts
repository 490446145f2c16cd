import { type Bulletin, type DutyKind, type KindCounts, limits, type QuarterFigures } from '@yitang/shared';
import ExcelJS from 'exceljs';
import { printHtml } from '../minutes/export/pdf';

/** Columns of the bulletin: a heading and the kinds it adds up. */
const columns: Array<[string, DutyKind[]]> = [
  ['参加活动', ['attendedHall', 'attendedOnline']],
  ['发言', ['spoke']],
  ['意见建议', ['suggested']],
  ['表决', ['voted']],
  ['提案', ['proposal']],
  ['联名提案', ['cosigned']],
  ['社情民意', ['socialReport']],
  ['市级采用', ['socialReportCity']],
  ['省级采用', ['socialReportProvince']],
  ['全国政协采用', ['socialReportNational']],
  ['专题调研', ['research']],
  ['实事好事', ['goodDeed']],
  ['招商引智', ['investment']],
  ['培训视察', ['training', 'inspection']],
  ['无故缺席', ['absence']],
];

const count = (c: KindCounts, kinds: DutyKind[]) => kinds.reduce((s, k) => s + (c[k] ?? 0), 0);
const points = (f: QuarterFigures) => (f.points === null ? '—' : String(f.points));
const change = (x: number | null) => (x === null ? '—' : x > 0 ? `+${x}` : String(x));
const quarterName = (q: string) => `${q.slice(0, 4)}年第${'一二三四'[Number(q.slice(6)) - 1]}季度`;

export const bulletinTitle = (b: Bulletin) => `委员履职情况季度通报（${quarterName(b.quarter)}）`;

interface Table {
  head: string[];
  rows: Array<Array<string | number>>;
}

function memberTable(b: Bulletin): Table {
  return {
    head: ['委员', '界别', ...columns.map((c) => c[0]), '本季度得分', '上季度得分', '增减'],
    rows: b.members.map((m) => [
      m.name,
      m.sectorName ?? '',
      ...columns.map(([, kinds]) => count(m.current.counts, kinds)),
      points(m.current),
      points(m.previous),
      change(m.change),
    ]),
  };
}

function sectorTable(b: Bulletin): Table {
  return {
    head: ['界别', '委员人数', ...columns.map((c) => c[0]), '本季度得分', '上季度得分', '增减', '人均得分'],
    rows: b.sectors.map((s) => [
      s.sectorName ?? '未分界别',
      s.members,
      ...columns.map(([, kinds]) => count(s.current.counts, kinds)),
      points(s.current),
      points(s.previous),
      change(s.change),
      s.averagePoints === null ? '—' : s.averagePoints,
    ]),
  };
}

const esc = (s: string | number) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const htmlTable = (t: Table) =>
  `<table><thead><tr>${t.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;

/** The bulletin as a self-contained, inert HTML page laid out for A4 landscape. */
export function bulletinHtml(b: Bulletin): string {
  const title = esc(bulletinTitle(b));
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${title}</title>
<style>
@page { size: A4 landscape; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK SC","Source Han Sans SC",sans-serif; font-size: 9pt; color: #111; }
h1 { font-family: "Noto Serif CJK SC","Noto Sans CJK SC",serif; font-size: 16pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 11pt; margin: 6mm 0 2mm; }
p { margin: 0 0 2mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #555; padding: 1mm 1.2mm; text-align: center; }
thead th { background: #eee; }
tbody th { text-align: left; font-weight: normal; white-space: nowrap; }
tr { break-inside: avoid; }
</style>
</head>
<body>
<h1>${title}</h1>
<p>统计期间：${esc(quarterName(b.quarter))}；对比期间：${esc(quarterName(b.previous))}。只计已核实的履职记录；得分按当年考核细则计算。</p>
<h2>一、各界别履职情况</h2>
${htmlTable(sectorTable(b))}
<h2>二、委员个人履职情况</h2>
${htmlTable(memberTable(b))}
</body>
</html>
`;
}

/**
 * The bulletin as A4 PDF, printed by headless Chromium through the process's one PDF queue (one
 * browser at a time; UNAVAILABLE when the queue is full).
 */
export function bulletinPdf(b: Bulletin, chromiumPath: string, timeout = limits.pdfTimeoutMs): Promise<Buffer> {
  return printHtml(
    bulletinHtml(b),
    { chromiumPath, timeoutMs: timeout },
    { preferCSSPageSize: true, printBackground: true, tagged: true },
  );
}

/** The bulletin as a workbook: one sheet of sectors, one of members. */
export async function bulletinXlsx(b: Bulletin): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '议堂';
  for (const [name, t] of [
    ['界别', sectorTable(b)],
    ['委员', memberTable(b)],
  ] as const) {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
    ws.addRow([`${bulletinTitle(b)}——对比${quarterName(b.previous)}`]);
    ws.addRow(t.head).font = { bold: true };
    for (const r of t.rows)
      ws.addRow(r.map((c) => (typeof c === 'string' && /^[+-]?\d+(\.\d+)?$/.test(c) ? Number(c) : c)));
    ws.columns.forEach((c, i) => {
      c.width = i === 0 ? 14 : 10;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
