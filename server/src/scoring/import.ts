import { createHash } from 'node:crypto';
import {
  type DutyImportResponse,
  dutyLimits,
  type ImportProblem,
  type ImportRow,
  importIdentity,
  importProblem,
  limits,
  type MemberView,
  validateImport,
} from '@yitang/shared';
import { CsvError, parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { Serial } from '../lib/serial';
import { readEntry, ZipRefused, zipEntries } from '../lib/zip-bounds';
import type { DutyEntryDoc } from './scoring.model';

/** A file that cannot be imported: the problems, and nothing written. */
export class ImportRefused extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super('import refused');
  }
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The natural key of an imported record: the same record imported again is the same record. */
export const importedEntryId = (row: Pick<ImportRow, 'memberId' | 'kind' | 'date' | 'title'>) =>
  `imp:${sha256(importIdentity(row)).slice(0, 32)}`;

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
    if (!ws) return [];
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

/**
 * Imports past records. All rows are validated first (every problem reported, nothing written).
 * Then the rows are written with natural keys under an import keyed by the file's hash; they
 * count only once that import document turns `done`, a single-document update. A failure midway
 * removes what was written; a crash leaves records that no reader shows, and importing the same
 * file again completes it without writing anything twice.
 */
export function createImporter(models: Models) {
  const { DutyEntry, DutyImport, Member } = models;
  const one = new Serial();

  async function run(file: Buffer, caller: MemberView, dryRun: boolean): Promise<DutyImportResponse> {
    if (file.length === 0) throw new ImportRefused([importProblem(1, null, 'emptyFile')]);
    const sheet = await readSheet(file);
    const memberIds = new Set((await Member.find({ kind: 'member' }, { _id: 1 }).lean()).map((m) => m._id));
    const { rows, problems } = validateImport(sheet, { memberIds });
    if (problems.length > 0) throw new ImportRefused(problems);

    const batchId = sha256(file);
    const ids = rows.map((r) => importedEntryId(r));
    const existing = await DutyEntry.find({ _id: trusted({ $in: ids }) }, { batchId: 1 }).lean();
    const owner = new Map(existing.map((e) => [e._id, e.batchId ?? null]));
    const clashes = rows
      .filter((_r, i) => {
        const b = owner.get(ids[i] ?? '');
        return b !== undefined && b !== batchId;
      })
      .map((r) => importProblem(r.row, null, 'alreadyInLedger'));
    if (clashes.length > 0) throw new ImportRefused(clashes);
    const alreadyPresent = existing.length;
    if (dryRun) return { imported: 0, alreadyPresent, dryRun: true };

    const batch = await DutyImport.findById(batchId).lean();
    if (batch?.state === 'done') return { imported: 0, alreadyPresent, dryRun: false };
    if (!batch) {
      try {
        await rawCollection(DutyImport).insertOne({
          _id: batchId,
          state: 'writing',
          rows: rows.length,
          by: caller.id,
          startedAt: new Date(),
          doneAt: null,
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }

    const now = new Date();
    const docs: DutyEntryDoc[] = rows
      .map(
        (r, i): DutyEntryDoc => ({
          _id: ids[i] ?? importedEntryId(r),
          memberId: r.memberId,
          kind: r.kind,
          date: r.date,
          title: r.title,
          source: 'import',
          status: 'verified',
          sessionId: null,
          evidence: r.evidence,
          proposal: r.proposal,
          rejectReason: null,
          batchId,
          audit: [{ at: now, by: caller.id, byName: caller.name, action: 'imported', note: `第 ${r.row} 行` }],
          createdAt: now,
        }),
      )
      .filter((d) => !owner.has(d._id));
    try {
      if (docs.length > 0) await rawCollection(DutyEntry).insertMany(docs, { ordered: false });
    } catch (err) {
      // Someone else's import took one of these records meanwhile, or the database failed: take
      // back what this import wrote, so nothing of it remains.
      await DutyEntry.deleteMany({ batchId });
      await DutyImport.deleteOne({ _id: batchId, state: 'writing' });
      if (!isDuplicateKey(err) && !(err as { writeErrors?: unknown }).writeErrors) throw err;
      const taken = await DutyEntry.find({ _id: trusted({ $in: docs.map((d) => d._id) }) }, { _id: 1 }).lean();
      const takenIds = new Set(taken.map((t) => t._id));
      throw new ImportRefused(
        rows.filter((_r, i) => takenIds.has(ids[i] ?? '')).map((r) => importProblem(r.row, null, 'alreadyInLedger')),
      );
    }
    await DutyImport.updateOne({ _id: batchId }, { $set: { state: 'done', doneAt: new Date() } });
    return { imported: docs.length, alreadyPresent, dryRun: false };
  }

  return {
    /** One import at a time in this process; the natural keys guard across processes. */
    importFile(file: Buffer, caller: MemberView, dryRun = false): Promise<DutyImportResponse> {
      if (caller.kind !== 'staff') return Promise.reject(new AppError('FORBIDDEN', 'Staff import records.'));
      if (file.length > dutyLimits.maxImportBytes) {
        return Promise.reject(new AppError('PAYLOAD_TOO_LARGE', 'The file is too large.'));
      }
      return one.run(() => run(file, caller, dryRun));
    },
  };
}

export type Importer = ReturnType<typeof createImporter>;
