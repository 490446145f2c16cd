import { limits } from '@yitang/shared';
import { CsvError, parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AppError } from '../errors';
import { readEntry, ZipRefused, zipEntries } from './zip-bounds';

/**
 * Reading an uploaded spreadsheet, bounded: the first sheet of an XLSX workbook or a CSV file
 * (UTF-8) as rows of text cells. Used by every import (duty records, members); each validates
 * the cells its own way.
 */

const isXlsx = (file: Buffer) => file.length >= 4 && file.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10); // sheet dates are read as UTC midnight
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** 'A' → 1, 'Z' → 26, 'AA' → 27. */
const columnNumber = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** The last row and column a sheet's XML uses: its cells, its rows and its declared dimension. */
function sheetExtent(xml: string): { rows: number; columns: number } {
  let rows = 0;
  let columns = 0;
  const cell = (ref: string) => {
    const m = /^([A-Z]{1,3})(\d+)$/.exec(ref);
    if (!m) return;
    columns = Math.max(columns, columnNumber(m[1] ?? ''));
    rows = Math.max(rows, Number(m[2]));
  };
  const dimension = /<(?:\w+:)?dimension\b[^>]*\bref="([^"]*)"/.exec(xml);
  for (const ref of dimension?.[1]?.split(':') ?? []) cell(ref);
  // A row without `r` follows the one before it.
  let last = 0;
  for (const m of xml.matchAll(/<(?:\w+:)?row\b([^>]*)>/g)) {
    const r = /\br="(\d+)"/.exec(m[1] ?? '');
    last = r ? Number(r[1]) : last + 1;
    rows = Math.max(rows, last);
  }
  for (const m of xml.matchAll(/<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"/g)) cell(m[1] ?? '');
  return { rows, columns };
}

/**
 * Refuses a workbook that would make the parser (or the loop over its cells) do unbounded work,
 * before it runs: a zip bomb (sizes summed from the central directory, each file inflated no
 * further than allowed) or a small sheet naming a far-away cell (ExcelJS's row and column counts
 * follow the furthest cell, and every cell up to them would be visited).
 */
function checkXlsxBounds(file: Buffer): void {
  const tooLarge = (what: string) => new AppError('PAYLOAD_TOO_LARGE', `The workbook is too large: ${what}.`);
  try {
    const entries = zipEntries(file, limits.importMaxZipEntries);
    const declared = entries.reduce((n, e) => n + e.uncompressedSize, 0);
    if (declared > limits.importMaxUncompressedBytes) {
      throw tooLarge(`more than ${limits.importMaxUncompressedBytes / 1024 / 1024} MB unpacked`);
    }
    let budget = limits.importMaxUncompressedBytes;
    for (const entry of entries) {
      const bytes = readEntry(file, entry, Math.min(budget, entry.uncompressedSize));
      budget -= bytes.length;
      if (!/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) continue;
      const { rows, columns } = sheetExtent(bytes.toString('utf8'));
      if (rows > limits.importMaxSheetRows || columns > limits.importMaxColumns) {
        throw tooLarge(
          `a sheet may use at most ${limits.importMaxSheetRows} rows and ${limits.importMaxColumns} columns`,
        );
      }
    }
  } catch (err) {
    if (!(err instanceof ZipRefused)) throw err;
    if (err.reason === 'tooLarge') throw tooLarge('a file in it unpacks to more than allowed');
    throw new AppError('BAD_REQUEST', 'The file is not a readable XLSX workbook.');
  }
}

/** The first sheet of an XLSX file, or a CSV file (UTF-8), as rows of text cells. */
export async function readSheet(file: Buffer): Promise<string[][]> {
  if (isXlsx(file)) {
    checkXlsxBounds(file);
    const wb = new ExcelJS.Workbook();
    try {
      // exceljs declares its own Buffer type; Node's is what it reads.
      await wb.xlsx.load(file as unknown as ExcelJS.Buffer);
    } catch {
      throw new AppError('BAD_REQUEST', 'The file is not a readable XLSX workbook.');
    }
    const ws = wb.worksheets[0];
    // A zip with no sheet in it (a renamed archive, a document of another kind) is no workbook.
    if (!ws) throw new AppError('BAD_REQUEST', 'The file is not a readable XLSX workbook: it has no sheet.');
    const rows: string[][] = [];
    // Bounded again here, whatever ExcelJS counted (checkXlsxBounds refused larger sheets).
    const rowCount = Math.min(ws.rowCount, limits.importMaxSheetRows);
    const columnCount = Math.min(ws.columnCount, limits.importMaxColumns);
    for (let r = 1; r <= rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= columnCount; c++) cells.push(cellText(row.getCell(c).value));
      rows.push(cells);
    }
    return rows;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    throw new AppError('BAD_REQUEST', 'The CSV file is not UTF-8: save it as “CSV UTF-8” and try again.');
  }
  try {
    // Blank lines are kept (and skipped by validation) so that row numbers match the sheet.
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (err) {
    if (err instanceof CsvError) throw new AppError('BAD_REQUEST', `The CSV file cannot be read: ${err.message}`);
    throw err;
  }
}
