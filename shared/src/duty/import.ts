import { z } from 'zod';
import {
  DutyDate,
  type DutyKind,
  dutyKindLabels,
  dutyLimits,
  enteredKinds,
  type ProposalFeedback,
  proposalFeedbackLabels,
} from './ledger';

/** The columns of an import sheet, by the heading staff see, with an English alias. */
export const importColumns = {
  memberId: ['委员编号', 'memberId'],
  kind: ['类别', 'kind'],
  date: ['日期', 'date'],
  title: ['标题', 'title'],
  evidence: ['说明', 'evidence'],
  link: ['链接', 'link'],
  attachmentName: ['附件', 'attachment'],
  department: ['承办单位', 'department'],
  reply: ['办理答复', 'reply'],
  feedback: ['委员评价', 'feedback'],
} as const;
export type ImportColumn = keyof typeof importColumns;

const requiredColumns: ImportColumn[] = ['memberId', 'kind', 'date', 'title'];

export const ImportProblemCode = z.enum([
  'emptyFile',
  'tooManyRows',
  'missingColumn',
  'unknownColumn',
  'required',
  'unknownMember',
  'unknownKind',
  'badDate',
  'tooLong',
  'badLink',
  'badFeedback',
  'proposalOnly',
  'duplicateInFile',
  'alreadyInLedger',
  'recordedByWorkflow',
]);
export type ImportProblemCode = z.infer<typeof ImportProblemCode>;

/** One problem of an import: the sheet's row (the heading is row 1), its column heading, what is wrong. */
export const ImportProblem = z.object({
  row: z.number(),
  column: z.string().nullable(),
  code: ImportProblemCode,
  problem: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

/** A row that passed validation, ready to be written. */
export interface ImportRow {
  row: number;
  memberId: string;
  kind: DutyKind;
  date: string;
  title: string;
  evidence: { text: string; link: string | null; attachmentName: string | null } | null;
  proposal: { department: string | null; reply: string | null; feedback: ProposalFeedback | null } | null;
}

const problemText: Record<ImportProblemCode, string> = {
  emptyFile: '文件中没有数据行',
  tooManyRows: `一次最多导入 ${dutyLimits.maxImportRows} 行`,
  missingColumn: '缺少必需的列',
  unknownColumn: '无法识别的列标题',
  required: '必填项为空',
  unknownMember: '没有这个委员编号',
  unknownKind: `类别应为：${enteredKinds.map((k) => dutyKindLabels[k]).join('、')}`,
  badDate: '日期应为 YYYY-MM-DD 格式的有效日期',
  tooLong: '内容过长',
  badLink: '链接应以 http:// 或 https:// 开头',
  badFeedback: '委员评价应为：满意、基本满意或不满意',
  proposalOnly: '只有提案才有承办单位、办理答复和委员评价',
  duplicateInFile: '与本文件中前面的一行重复',
  alreadyInLedger: '履职记录中已有这条记录',
  recordedByWorkflow: '这一年度的提案和社情民意信息由系统按办理流程自动记录，只能导入更早年度的记录',
};

const kindByText = new Map<string, DutyKind>();
for (const k of enteredKinds) {
  kindByText.set(k.toLowerCase(), k);
  kindByText.set(dutyKindLabels[k], k);
}
const feedbackByText = new Map<string, ProposalFeedback>();
for (const [k, label] of Object.entries(proposalFeedbackLabels) as Array<[ProposalFeedback, string]>) {
  feedbackByText.set(label, k);
  feedbackByText.set(k.toLowerCase(), k);
}

/** The key that makes an imported record unique: the same record imported twice is one record. */
export const importIdentity = (r: Pick<ImportRow, 'memberId' | 'kind' | 'date' | 'title'>): string =>
  [r.memberId, r.kind, r.date, r.title].join('\u0001');

/**
 * Validates a whole sheet before anything is written: the first row holds the headings, the rest
 * are records. Every problem is reported with its row and column; rows are returned only when
 * there is none.
 */
export function validateImport(
  sheet: readonly (readonly string[])[],
  known: { memberIds: ReadonlySet<string> },
): { rows: ImportRow[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const add = (row: number, column: string | null, code: ImportProblemCode) =>
    problems.push({ row, column, code, problem: problemText[code] });

  const [header = [], ...body] = sheet;
  const data = body
    .map((cells, i) => ({ cells: cells.map((c) => c.trim()), row: i + 2 }))
    .filter((r) => r.cells.some((c) => c !== ''));
  if (data.length === 0) {
    add(1, null, 'emptyFile');
    return { rows: [], problems };
  }
  if (data.length > dutyLimits.maxImportRows) {
    add(1, null, 'tooManyRows');
    return { rows: [], problems };
  }

  const index = new Map<ImportColumn, number>();
  header.forEach((h, i) => {
    const heading = h.trim();
    if (heading === '') return;
    const col = (Object.keys(importColumns) as ImportColumn[]).find((c) =>
      (importColumns[c] as readonly string[]).some((name) => name.toLowerCase() === heading.toLowerCase()),
    );
    if (col) index.set(col, i);
    else add(1, heading, 'unknownColumn');
  });
  for (const c of requiredColumns) if (!index.has(c)) add(1, importColumns[c][0], 'missingColumn');
  if (problems.length > 0) return { rows: [], problems };

  const rows: ImportRow[] = [];
  const seen = new Set<string>();
  for (const { cells, row } of data) {
    const cell = (c: ImportColumn) => {
      const i = index.get(c);
      return i === undefined ? '' : (cells[i] ?? '');
    };
    const heading = (c: ImportColumn) => importColumns[c][0];
    const before = problems.length;
    const text = (c: ImportColumn, max: number, required: boolean): string | null => {
      const v = cell(c);
      if (v === '') {
        if (required) add(row, heading(c), 'required');
        return null;
      }
      if (v.length > max) add(row, heading(c), 'tooLong');
      return v;
    };

    const memberId = text('memberId', 64, true);
    if (memberId && !known.memberIds.has(memberId)) add(row, heading('memberId'), 'unknownMember');
    const kindText = text('kind', 40, true);
    const kind = kindText ? (kindByText.get(kindText) ?? kindByText.get(kindText.toLowerCase())) : undefined;
    if (kindText && !kind) add(row, heading('kind'), 'unknownKind');
    const date = text('date', 10, true);
    if (date && !DutyDate.safeParse(date).success) add(row, heading('date'), 'badDate');
    const title = text('title', dutyLimits.maxTitleLength, true);
    const evidenceText = text('evidence', dutyLimits.maxEvidenceLength, false);
    const link = text('link', dutyLimits.maxLinkLength, false);
    if (link && !/^https?:\/\/\S+$/.test(link)) add(row, heading('link'), 'badLink');
    const attachmentName = text('attachmentName', dutyLimits.maxAttachmentNameLength, false);
    const department = text('department', dutyLimits.maxTitleLength, false);
    const reply = text('reply', dutyLimits.maxReplyLength, false);
    const feedbackText = text('feedback', 20, false);
    const feedback = feedbackText ? (feedbackByText.get(feedbackText) ?? null) : null;
    if (feedbackText && !feedback) add(row, heading('feedback'), 'badFeedback');
    if (kind && kind !== 'proposal') {
      for (const c of ['department', 'reply', 'feedback'] as const)
        if (cell(c) !== '') add(row, heading(c), 'proposalOnly');
    }
    if (problems.length > before || !memberId || !kind || !date || !title) continue;

    const parsed: ImportRow = {
      row,
      memberId,
      kind,
      date,
      title,
      evidence: evidenceText || link || attachmentName ? { text: evidenceText ?? title, link, attachmentName } : null,
      proposal: kind === 'proposal' ? { department, reply, feedback } : null,
    };
    const identity = importIdentity(parsed);
    if (seen.has(identity)) {
      add(row, null, 'duplicateInFile');
      continue;
    }
    seen.add(identity);
    rows.push(parsed);
  }
  return problems.length > 0 ? { rows: [], problems } : { rows, problems };
}

/** A problem found later, against what the ledger already holds. */
export const importProblem = (row: number, column: string | null, code: ImportProblemCode): ImportProblem => ({
  row,
  column,
  code,
  problem: problemText[code],
});
