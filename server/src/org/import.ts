import { createHash } from 'node:crypto';
import {
  type ImportedAccount,
  limits,
  type MemberImportProblem,
  type MemberImportReport,
  type MemberImportRow,
  type MemberView,
  memberImportColumns,
  memberImportProblem,
  parseMemberSheet,
  personKey,
} from '@yitang/shared';
import type { Accounts } from '../accounts/accounts.service';
import type { Audit } from '../audit';
import { type Models, trusted } from '../db/models';
import { AppError } from '../errors';
import { Serial } from '../lib/serial';
import { readSheet } from '../lib/sheet';
import { createMemberRecords } from '../members/member.service';
import { memberImportModel } from './import.model';

/** A commit refused: the report says why, and nothing was written. */
export class MemberImportRefused extends Error {
  constructor(readonly report: MemberImportReport) {
    super('member import refused');
  }
}

export interface MemberImportOutcome {
  report: MemberImportReport;
  dryRun: boolean;
  accounts: ImportedAccount[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The id of a sector, working group or district an import creates: the contract's prefix and a
 * short part, here from the committee and the name, so that the same name imported twice (or
 * the same file run again after a failure) is the same record.
 */
const naturalId = (prefix: 'sec' | 'wg' | 'dist', committeeId: string, name: string) =>
  `${prefix}-${sha256(`${committeeId}\u0001${name}`).slice(0, 8)}`;

/** 专委会 and other committees (…委员会, …委) are special committees; the rest working groups. */
const groupKind = (name: string): 'workingGroup' | 'specialCommittee' =>
  /专委会|委员会$|委$/.test(name) ? 'specialCommittee' : 'workingGroup';

const heading = (c: keyof typeof memberImportColumns) => memberImportColumns[c][0];

/** Accounts created side by side while committing. */
const rowsAtOnce = 8;

const distinct = (names: Array<string | null>) => [...new Set(names.filter((n): n is string => n !== null))];

/** What a check found: the report, and what a commit needs to write it. */
interface Checked {
  report: MemberImportReport;
  committeeId: string;
  batchId: string;
  rows: MemberImportRow[];
  /** Rows whose account this same import created before it stopped: login → member id. */
  resumed: Map<string, string>;
}

/**
 * Imports members from a sheet, all or nothing. A preview checks the file against the records
 * and writes nothing; a commit checks again and writes only when there is no problem.
 *
 * There are no transactions, so the writes go in an order that running the same file again
 * finishes: the import's record (keyed by the rows' content) first; then the sectors, working
 * groups and districts, with ids from their names and `$setOnInsert`, so a second run finds
 * them; then the members, eight at a time: their login names are added to the import's record
 * *before* their accounts are created, so a second run knows an account under such a name as its
 * own (not "login taken", as long as it is the row's person) and completes it (the member
 * written again with the row's fields, a new activation link, since the first was never
 * answered); last the record turns `done`, and a run of a done import writes nothing.
 * Until then every account it wrote carries `pendingImport` (the import's id): it is in no list
 * or search, cannot sign in, its link does not work, and no link has been emailed; the last row
 * written, one `updateMany` clears the mark on all of them and only then are the links emailed.
 * So an import that failed halfway (a lost database, a stopped process) is invisible and unusable,
 * and is finished by sending the same file again, and no one is created twice. A login name taken meanwhile by someone
 * else is the one failure that cannot be finished: that run takes back the accounts it made, and
 * the sectors, groups and districts it created that no member points at.
 */
export function createMemberImporter(deps: {
  models: Models;
  accounts: Accounts;
  audit: Audit;
  /** Called after each row's account is written (the count so far, 1, 2, …): a test stops a real commit here. */
  afterRow?: (n: number, account: ImportedAccount) => void | Promise<void>;
}) {
  const { models, accounts, audit } = deps;
  const { WorkingGroup, District } = models;
  const members = createMemberRecords(models);
  const MemberImport = memberImportModel(WorkingGroup.db);
  const one = new Serial();

  async function check(file: Buffer, caller: MemberView): Promise<Checked> {
    const sheet = file.length === 0 ? [] : await readSheet(file);
    const parsed = parseMemberSheet(sheet);
    const committeeId = (await members.committeeOf(caller.id)) ?? 'committee';
    const { rows } = parsed;
    const batchId = `mimp-${sha256(JSON.stringify([committeeId, rows.map(({ row: _row, ...r }) => r)])).slice(0, 32)}`;
    const batch = parsed.problems.length === 0 ? await MemberImport.findById(batchId).lean() : null;
    const empty = { members: 0, sectors: [], workingGroups: [], districts: [] };
    if (batch?.state === 'done') {
      const report = { rows: parsed.dataRows, alreadyImported: true, toCreate: empty, problems: [] };
      return { report, committeeId, batchId, rows: [], resumed: new Map() };
    }

    const mine = new Set(batch?.logins ?? []);
    const creds = await accounts.loginOwners(rows.map((r) => r.login));
    const owner = new Map(creds.map((c) => [c.login, c.memberId]));
    // An account under a login this import reserved is its own, unless it is someone else's
    // after all (created between the reservation and a failure): then the names differ.
    const reservedIds = creds.filter((c) => mine.has(c.login)).map((c) => c.memberId);
    const reservedNames = new Map((await members.namesOf(reservedIds)).map((m) => [m._id, m.name]));
    const resumed = new Map<string, string>();
    const problems: MemberImportProblem[] = [...parsed.problems];
    for (const r of rows) {
      const memberId = owner.get(r.login);
      if (memberId === undefined) continue;
      const name = reservedNames.get(memberId);
      if (mine.has(r.login) && (name === undefined || name === r.name)) resumed.set(r.login, memberId);
      else problems.push(memberImportProblem(r.row, heading('login'), 'loginTaken'));
    }
    const resumedIds = new Set(resumed.values());
    const namesakes = await members.namesakes([...new Set(rows.map((r) => r.name))]);
    const present = new Set(
      namesakes.filter((m) => !resumedIds.has(m._id)).map((m) => personKey(m.name, m.phone ?? '')),
    );
    for (const r of rows) {
      if (present.has(personKey(r.name, r.phone)))
        problems.push(memberImportProblem(r.row, heading('name'), 'alreadyPresent'));
    }
    problems.sort((a, b) => a.row - b.row);

    const [sectors, groups, districts] = await Promise.all([
      members.sectorsOf(committeeId),
      WorkingGroup.find({ committeeId }, { name: 1 }).lean(),
      District.find({ committeeId }, { name: 1 }).lean(),
    ]);
    const missing = (have: Array<{ name: string }>, wanted: Array<string | null>) => {
      const names = new Set(have.map((d) => d.name));
      return distinct(wanted).filter((n) => !names.has(n));
    };
    const report: MemberImportReport = {
      rows: parsed.dataRows,
      alreadyImported: false,
      toCreate: {
        members: rows.filter((r) => !resumed.has(r.login)).length,
        sectors: missing(
          sectors,
          rows.map((r) => r.sector),
        ),
        workingGroups: missing(
          groups,
          rows.map((r) => r.workingGroup),
        ),
        districts: missing(
          districts,
          rows.map((r) => r.district),
        ),
      },
      problems,
    };
    return { report, committeeId, batchId, rows, resumed };
  }

  /** The sectors, groups and districts the rows name, created where missing: name → id. */
  async function ensureNamed(checked: Checked) {
    const { committeeId, rows } = checked;
    const ids = {
      sector: new Map<string, string>(),
      group: new Map<string, string>(),
      district: new Map<string, string>(),
    };
    const [sectors, groups, districts] = await Promise.all([
      members.sectorsOf(committeeId),
      WorkingGroup.find({ committeeId }, { name: 1, order: 1 }).lean(),
      District.find({ committeeId }, { name: 1, order: 1 }).lean(),
    ]);
    const nextOrder = (docs: Array<{ order: number }>) => docs.reduce((n, d) => Math.max(n, d.order + 1), 0);

    for (const d of sectors) ids.sector.set(d.name, d._id);
    let order = nextOrder(sectors);
    for (const name of distinct(rows.map((r) => r.sector)).filter((n) => !ids.sector.has(n))) {
      const _id = naturalId('sec', committeeId, name);
      await members.ensureSector(_id, { committeeId, name, order: order++ });
      ids.sector.set(name, _id);
    }
    for (const d of groups) ids.group.set(d.name, d._id);
    order = nextOrder(groups);
    for (const name of distinct(rows.map((r) => r.workingGroup)).filter((n) => !ids.group.has(n))) {
      const _id = naturalId('wg', committeeId, name);
      await WorkingGroup.updateOne(
        { _id },
        { $setOnInsert: { committeeId, name, kind: groupKind(name), order: order++ } },
        { upsert: true },
      );
      ids.group.set(name, _id);
    }
    for (const d of districts) ids.district.set(d.name, d._id);
    order = nextOrder(districts);
    for (const name of distinct(rows.map((r) => r.district)).filter((n) => !ids.district.has(n))) {
      const _id = naturalId('dist', committeeId, name);
      await District.updateOne({ _id }, { $setOnInsert: { committeeId, name, order: order++ } }, { upsert: true });
      ids.district.set(name, _id);
    }
    return ids;
  }

  async function commit(checked: Checked, caller: MemberView): Promise<ImportedAccount[]> {
    const { batchId, committeeId, rows, resumed } = checked;
    await MemberImport.updateOne(
      { _id: batchId },
      {
        $setOnInsert: {
          committeeId,
          state: 'writing',
          logins: [],
          rows: rows.length,
          by: caller.id,
          startedAt: new Date(),
          doneAt: null,
        },
      },
      { upsert: true },
    );
    const ids = await ensureNamed(checked);
    const fieldsOf = (r: MemberImportRow) => ({
      sectorId: r.sector === null ? null : (ids.sector.get(r.sector) ?? null),
      workingGroupId: r.workingGroup === null ? null : (ids.group.get(r.workingGroup) ?? null),
      districtId: r.district === null ? null : (ids.district.get(r.district) ?? null),
      phone: r.phone,
      email: r.email,
      expertise: r.expertise,
      title: r.title,
      status: r.status,
    });

    /** One row's account: completed if this import made it before it stopped, else created. */
    const writeRow = async (
      r: MemberImportRow,
    ): Promise<{ account: ImportedAccount; link: Awaited<ReturnType<Accounts['create']>>; isNew: boolean }> => {
      const fields = fieldsOf(r);
      let memberId = resumed.get(r.login);
      let link: Awaited<ReturnType<Accounts['create']>>;
      const isNew = memberId === undefined;
      if (memberId !== undefined) {
        // Created by this import before it stopped: complete the member (its document too, if the
        // stop came between the login and the member) and give it a new link.
        await members.upsert(memberId, fields, { committeeId, name: r.name, kind: 'member', pendingImport: batchId });
        link = await accounts.resetLink(memberId, caller, { pendingImport: batchId });
      } else {
        // The member is written whole, with its fields, in one document, marked as this
        // unfinished import's; its link is emailed only once the whole import has completed.
        link = await accounts.create({ name: r.name, kind: 'member', login: r.login, ...fields }, caller, {
          pendingImport: batchId,
        });
        memberId = link.account.id;
      }
      const account = { row: r.row, memberId, name: r.name, phone: r.phone, login: r.login };
      const imported = { ...account, path: link.path, expiresAt: link.expiresAt };
      written += 1;
      await deps.afterRow?.(written, imported);
      return { account: imported, link, isNew };
    };

    let written = 0;
    const links: Array<Awaited<ReturnType<Accounts['create']>>> = [];
    const created: ImportedAccount[] = [];
    const createdNow: Array<{ memberId: string; login: string }> = [];
    // A few rows at a time: each account is several small writes, and waiting on each in turn
    // made a large roll take minutes.
    for (let i = 0; i < rows.length; i += rowsAtOnce) {
      const chunk = rows.slice(i, i + rowsAtOnce);
      const fresh = chunk.filter((r) => !resumed.has(r.login)).map((r) => r.login);
      // The logins are reserved before their accounts are made (see above).
      if (fresh.length > 0) {
        await MemberImport.updateOne({ _id: batchId }, { $addToSet: { logins: trusted({ $each: fresh }) } });
      }
      const settled = await Promise.allSettled(chunk.map(writeRow));
      for (const s of settled) {
        if (s.status !== 'fulfilled') continue;
        created.push(s.value.account);
        links.push(s.value.link);
        if (s.value.isNew) createdNow.push({ memberId: s.value.account.memberId, login: s.value.account.login });
      }
      const failed = settled.findIndex((s) => s.status === 'rejected');
      if (failed === -1) continue;
      const err = (settled[failed] as PromiseRejectedResult).reason as unknown;
      const row = chunk[failed];
      if (row && err instanceof AppError && err.code === 'ILLEGAL_TRANSITION' && !resumed.has(row.login)) {
        // The login name was taken since the check (another node, or the accounts page): take
        // back what this run created, so that nothing of the file is written.
        await undo(checked, [...createdNow, ...fresh.map((login) => ({ memberId: '', login }))]);
        throw new MemberImportRefused({
          ...checked.report,
          problems: [memberImportProblem(row.row, heading('login'), 'loginTaken')],
        });
      }
      // Anything else (the database): left as it is, finished by sending the same file again.
      throw err;
    }
    // Every row written: the accounts go live together, and only now are their links emailed.
    const mailed = await accounts.completeImport(batchId, links);
    const mailOf = new Map(mailed.map((l) => [l.account.id, l.mail]));
    for (const a of created) a.mail = mailOf.get(a.memberId);
    await MemberImport.updateOne({ _id: batchId }, { $set: { state: 'done', doneAt: new Date() } });
    const { toCreate } = checked.report;
    await audit.record({
      actor: { id: caller.id, name: caller.name },
      action: 'org.members.import',
      target: batchId,
      details: {
        rows: rows.length,
        members: createdNow.length,
        completed: resumed.size,
        sectors: toCreate.sectors.length,
        workingGroups: toCreate.workingGroups.length,
        districts: toCreate.districts.length,
      },
    });
    return created;
  }

  /**
   * Takes back the accounts one run created (nobody has their links yet) and their logins from
   * the import's record, then the sectors, groups and districts it created that no member
   * points at (one another import or the org console gave a member meanwhile stays).
   */
  async function undo(checked: Checked, made: Array<{ memberId: string; login: string }>) {
    const { batchId, committeeId, report } = checked;
    const memberIds = made.map((m) => m.memberId).filter((id) => id !== '');
    await accounts.discard(memberIds);
    await MemberImport.updateOne({ _id: batchId }, { $pull: { logins: trusted({ $in: made.map((m) => m.login) }) } });
    const unused = async (field: 'sectorId' | 'workingGroupId' | 'districtId', ids: string[]) => {
      const taken = await members.referenced(field, ids);
      return ids.filter((id) => !taken.has(id));
    };
    const createdIds = (prefix: 'sec' | 'wg' | 'dist', names: string[]) =>
      names.map((n) => naturalId(prefix, committeeId, n));
    const sectors = await unused('sectorId', createdIds('sec', report.toCreate.sectors));
    const groups = await unused('workingGroupId', createdIds('wg', report.toCreate.workingGroups));
    const districts = await unused('districtId', createdIds('dist', report.toCreate.districts));
    await members.removeSectors(sectors);
    await WorkingGroup.deleteMany({ _id: trusted({ $in: groups }) });
    await District.deleteMany({ _id: trusted({ $in: districts }) });
  }

  async function run(file: Buffer, caller: MemberView, dryRun: boolean): Promise<MemberImportOutcome> {
    const checked = await check(file, caller);
    if (dryRun || checked.report.alreadyImported) return { report: checked.report, dryRun, accounts: [] };
    if (checked.report.problems.length > 0) throw new MemberImportRefused(checked.report);
    return { report: checked.report, dryRun, accounts: await commit(checked, caller) };
  }

  return {
    /** One import at a time in this process; natural keys and login names guard across processes. */
    importFile(file: Buffer, caller: MemberView, dryRun: boolean): Promise<MemberImportOutcome> {
      if (caller.kind !== 'staff') return Promise.reject(new AppError('FORBIDDEN', 'Staff import members.'));
      if (file.length > limits.memberImportMaxBytes) {
        return Promise.reject(new AppError('PAYLOAD_TOO_LARGE', 'The file is too large.'));
      }
      return one.run(() => run(file, caller, dryRun));
    },
  };
}

export type MemberImporter = ReturnType<typeof createMemberImporter>;
