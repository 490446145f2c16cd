import ExcelJS from 'exceljs';

/**
 * The sample member sheet (e2e/fixtures/members-30.xlsx, written by scripts/make-members-xlsx.ts):
 * 30 invented members in 4 sectors, 2 working groups and 2 district committees, under the
 * headings the member import reads. The tests import it from here too.
 */

export const sampleHeader = ['姓名', '界别', '工作组/专委会', '工委', '手机', '邮箱', '专长', '职务', '状态', '登录名'];

const sectors = ['科学技术界', '文化艺术界', '新闻出版界', '体育界'];
const groups = ['乡村振兴工作组', '营商环境专委会'];
const districts = ['南湖片区工委', '北岭片区工委'];
const surnames = ['欧阳', '司马', '上官', '诸葛', '东方', '慕容'];
const givenNames = ['明远', '清源', '若溪', '知秋', '怀瑾'];
const expertise = [
  '科技创新、人工智能',
  '非遗保护，民俗文化',
  '新闻传播; 舆情',
  '全民健身、青少年体育',
  '农业技术',
  '',
];
const titles = ['研究员', '馆长', '主编', '教练', '工程师', ''];
const statuses = ['在任', '在任', '在任', '在任', '暂停', '离任'];

/** The heading row and 30 invented members, as the sheet's text. */
export function sampleMembers(): string[][] {
  const rows = Array.from({ length: 30 }, (_, i) => {
    const name = `${surnames[i % surnames.length]}${givenNames[Math.floor(i / surnames.length)]}`;
    const phone = `1390000${String(1000 + i).padStart(4, '0')}`;
    return [
      name,
      sectors[i % 4] ?? '',
      i % 3 === 2 ? '' : (groups[i % 2] ?? ''),
      districts[Math.floor(i / 15)] ?? '',
      phone,
      i % 2 === 0 ? `member${i + 1}@example.cn` : '',
      expertise[i % expertise.length] ?? '',
      titles[i % titles.length] ?? '',
      statuses[i % statuses.length] ?? '',
      i % 5 === 0 ? `sample${i + 1}` : '',
    ];
  });
  return [sampleHeader, ...rows];
}

/** A workbook with one sheet holding `rows`. */
export async function sheetXlsx(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('委员名册');
  for (const row of rows) ws.addRow(row);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c) => {
    c.width = 16;
  });
  // The phone column as text, so that a spreadsheet keeps the digits as typed.
  ws.getColumn(5).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}
