import { createHash } from 'node:crypto';
import {
  type DutyImportResponse,
  dutyLimits,
  type ImportProblem,
  type ImportRow,
  importIdentity,
  importProblem,
  type MemberView,
  validateImport,
  yearOf,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { Serial } from '../lib/serial';
import { readSheet } from '../lib/sheet';
import { createMemberService } from '../members/member.service';
import { createLedger, type Ledger } from './ledger';
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

/**
 * Imports past records. All rows are validated first (every problem reported, nothing written).
 * Then the rows are written with natural keys under an import keyed by the file's hash; they
 * count only once that import document turns `done`, a single-document update. A failure midway
 * removes what was written; a crash leaves records that no reader shows, and importing the same
 * file again completes it without writing anything twice.
 */
export function createImporter(models: Models, covers: Ledger['workflowCovers'] = createLedger(models).workflowCovers) {
  const { DutyEntry, DutyImport } = models;
  const members = createMemberService(models);
  const one = new Serial();

  async function run(file: Buffer, caller: MemberView, dryRun: boolean): Promise<DutyImportResponse> {
    if (file.length === 0) throw new ImportRefused([importProblem(1, null, 'emptyFile')]);
    const sheet = await readSheet(file);
    const memberIds = await members.memberIds();
    const { rows, problems } = validateImport(sheet, { memberIds });
    if (problems.length > 0) throw new ImportRefused(problems);
    // The workflows' kinds only for years they do not cover: one answer per kind and year.
    const covered = new Map<string, boolean>();
    const recorded: ImportProblem[] = [];
    for (const r of rows) {
      const k = `${r.kind}:${yearOf(r.date)}`;
      if (!covered.has(k)) covered.set(k, await covers(r.kind, yearOf(r.date)));
      if (covered.get(k)) recorded.push(importProblem(r.row, null, 'recordedByWorkflow'));
    }
    if (recorded.length > 0) throw new ImportRefused(recorded);

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
          year: yearOf(r.date),
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
