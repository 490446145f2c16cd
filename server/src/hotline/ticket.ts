import { type HotlineRowProblem, HotlineTicket, hotlineLimits } from '@yitang/shared';
import { CsvError, parse } from 'csv-parse/sync';

export { HotlineTicket };

type TicketField = keyof HotlineTicket;

/** Header names accepted for each field; English names are matched case-insensitively. */
const HEADER_ALIASES: Record<TicketField, readonly string[]> = {
  ticketId: ['ticketid', '工单编号'],
  title: ['title', '标题'],
  description: ['description', '内容'],
  district: ['district', '区域'],
  reportedAt: ['reportedat', '受理时间'],
  category: ['category', '类别'],
  status: ['status', '状态'],
};
const REQUIRED_COLUMNS: readonly TicketField[] = ['ticketId', 'title', 'reportedAt'];

function fieldForHeader(header: string): TicketField | undefined {
  const name = header.trim().toLowerCase();
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [TicketField, readonly string[]][]) {
    if (aliases.includes(name)) return field;
  }
  return undefined;
}

/** 1-based data row (the header is not counted), or 0 for the file or its header; a code; a message. */
export type CsvRowError = HotlineRowProblem;

/** The problem a zod issue on a field is, in the words the client translates. */
function problemCode(issue: string): CsvRowError['code'] {
  if (issue === 'too_small') return 'required';
  if (issue === 'too_big') return 'tooLong';
  if (issue === 'invalid_format') return 'badFormat';
  return 'invalidField';
}

export interface TicketsCsvResult {
  tickets: HotlineTicket[];
  errors: CsvRowError[];
}

/**
 * Parses a CSV export of hotline tickets (UTF-8, with or without a BOM, RFC 4180 quoting so
 * fields may hold commas and newlines). The first row is a header naming the columns
 * `ticketId,title,description,district,reportedAt,category` (optionally `status`), in any order,
 * or their Chinese names `工单编号,标题,内容,区域,受理时间,类别` (`状态`); `ticketId`, `title` and
 * `reportedAt` are required, the others default to empty. Unknown columns are ignored.
 *
 * Every row is checked and every problem reported (row number, field, message); a ticket id
 * appearing twice in the file is an error on the later row. The import is all or nothing: when
 * `errors` is non-empty the caller must import none of `tickets` and show the errors instead.
 */
export function parseTicketsCsv(text: string | Uint8Array): TicketsCsvResult {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    if (err instanceof CsvError) {
      const line = typeof err.lines === 'number' ? ` (near line ${err.lines})` : '';
      return {
        tickets: [],
        errors: [{ row: 0, code: 'notCsv', message: `The file is not valid CSV${line}: ${err.message}` }],
      };
    }
    throw err;
  }

  const [header, ...rows] = records;
  if (!header) return { tickets: [], errors: [{ row: 0, code: 'emptyFile', message: 'The file is empty.' }] };

  const errors: CsvRowError[] = [];
  const columns = new Map<TicketField, number>();
  header.forEach((name, index) => {
    const field = fieldForHeader(name);
    if (!field) return;
    if (columns.has(field)) {
      errors.push({ row: 0, field, code: 'duplicateColumn', message: `Column "${name}" appears more than once.` });
    } else {
      columns.set(field, index);
    }
  });
  for (const field of REQUIRED_COLUMNS) {
    if (!columns.has(field))
      errors.push({ row: 0, field, code: 'missingColumn', message: `Missing column "${field}".` });
  }
  if (errors.length > 0) return { tickets: [], errors };
  if (rows.length === 0)
    return { tickets: [], errors: [{ row: 0, code: 'noTickets', message: 'The file has no tickets.' }] };
  if (rows.length > hotlineLimits.maxCsvTickets) {
    const message = `The file has ${rows.length} tickets; at most ${hotlineLimits.maxCsvTickets} are taken at once.`;
    return { tickets: [], errors: [{ row: 0, code: 'tooManyTickets', message }] };
  }

  const tickets: HotlineTicket[] = [];
  const firstRowById = new Map<string, number>();
  rows.forEach((cells, index) => {
    const row = index + 1;
    if (cells.length !== header.length) {
      errors.push({ row, code: 'fieldCount', message: `Expected ${header.length} fields, found ${cells.length}.` });
      return;
    }
    const candidate: Record<string, string | undefined> = {};
    for (const field of Object.keys(HEADER_ALIASES) as TicketField[]) {
      const at = columns.get(field);
      const value = at === undefined ? undefined : cells[at];
      // A missing or blank status is absent; other missing optional columns are empty text.
      candidate[field] = field === 'status' ? value?.trim() || undefined : (value ?? '');
    }

    const parsed = HotlineTicket.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        errors.push({
          row,
          ...(typeof field === 'string' ? { field } : {}),
          code: problemCode(issue.code),
          message: issue.message,
        });
      }
      return;
    }
    const ticket = parsed.data;
    const first = firstRowById.get(ticket.ticketId);
    if (first !== undefined) {
      errors.push({
        row,
        field: 'ticketId',
        code: 'duplicateInFile',
        message: `Ticket ${ticket.ticketId} already appears on row ${first}.`,
      });
      return;
    }
    firstRowById.set(ticket.ticketId, row);
    tickets.push(ticket);
  });

  return { tickets, errors };
}
