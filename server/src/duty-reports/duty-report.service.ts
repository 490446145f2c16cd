import {
  aggregateDutyReport,
  type ChangeDutyReportRoundBody,
  type DutyReportAggregate,
  type DutyReportResponse,
  type DutyReportRoundView,
  type DutyReportScoreBody,
  type DutyReportView,
  defaultDutyReportCriteria,
  dutyReportContentTypes,
  dutyReportLimits,
  type MemberView,
  type OpenDutyReportRoundBody,
} from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { checkUploadedFiles, cleanFileName, type UploadedFile } from '../http/uploads';
import { KeyedSerial } from '../lib/serial';
import { chinaDate } from '../scoring/ledger';
import { type DutyReportRecord, dutyReportRecord } from './duty-report.duty';
import {
  type DutyReportDoc,
  type DutyReportRoundDoc,
  type DutyReportScoreDoc,
  reportKey,
  roundKey,
  scoreKey,
} from './duty-report.model';

type By = { id: string; name: string };

const changedMeanwhile = 'The round was changed meanwhile; reload and try again.';

const presentReport = (d: DutyReportDoc): DutyReportView => ({
  memberId: d.memberId,
  name: d.name,
  text: d.text ?? null,
  file: d.file ?? null,
  submittedAt: new Date(d.submittedAt).toISOString(),
  versions: d.versions,
});

/**
 * The yearly duty report (述职) as a process: staff open a year's round with criteria and a
 * deadline, name a panel and its meeting; members hand in their report (a file or text) and may
 * replace it until the deadline; each panel member scores the others' reports on each criterion;
 * staff publish, which writes each scored member's result to the duty ledger by natural key.
 * Privacy: a member sees their own aggregate only once published, and nobody but the scorer ever
 * reads a panel member's own scores back.
 */
export function createDutyReportService(deps: {
  models: Models;
  members: { get(id: string): Promise<MemberView | null> };
  /** Whether a session exists, through the sessions module (a meeting may be held as one). */
  sessionExists: (sessionId: string) => Promise<boolean>;
  /** Writes duty records (the ledger's `recordDerived`). */
  recordDuty: (records: DutyReportRecord[], by: By) => Promise<number>;
  clock?: () => number;
}) {
  const { DutyReportRound, DutyReport, DutyReportFile, DutyReportScore } = deps.models;
  const now = deps.clock ?? Date.now;
  const serials = new KeyedSerial();
  const isStaff = (m: MemberView) => m.kind === 'staff';
  const today = () => chinaDate(new Date(now()));

  async function load(year: number): Promise<DutyReportRoundDoc> {
    const doc = Number.isInteger(year)
      ? await DutyReportRound.findById(roundKey(year)).lean<DutyReportRoundDoc>()
      : null;
    if (!doc) throw new AppError('NOT_FOUND', `No duty-report round for ${year}.`);
    return doc;
  }

  const onPanel = (round: DutyReportRoundDoc, by: MemberView) => round.panel.some((p) => p.id === by.id);

  const presentRound = (d: DutyReportRoundDoc): DutyReportRoundView => ({
    year: d.year,
    deadline: d.deadline,
    criteria: d.criteria,
    panel: d.panel,
    meeting: d.meeting ? { date: d.meeting.date, sessionId: d.meeting.sessionId ?? null } : null,
    state: d.state,
    publishedAt: d.publishedAt ? new Date(d.publishedAt).toISOString() : null,
    closed: today() > d.deadline,
  });

  /** Every report's aggregate, from one read of the year's scores. */
  async function results(round: DutyReportRoundDoc, reports: DutyReportDoc[]) {
    const scores = await DutyReportScore.find({ year: round.year }).lean<DutyReportScoreDoc[]>();
    const byMember = new Map<string, Array<Record<string, number>>>();
    for (const s of scores) byMember.set(s.memberId, [...(byMember.get(s.memberId) ?? []), s.scores]);
    return reports.map((r) => ({
      report: r,
      result: aggregateDutyReport(round.criteria, byMember.get(r.memberId) ?? []),
    }));
  }

  async function change(round: DutyReportRoundDoc, set: Partial<DutyReportRoundDoc>): Promise<DutyReportRoundDoc> {
    const next = await DutyReportRound.findOneAndUpdate(
      { _id: round._id, version: round.version },
      { $set: { ...set, version: round.version + 1 } },
      { new: true },
    ).lean<DutyReportRoundDoc>();
    if (!next) throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
    return next;
  }

  /** Writes the published results to the ledger; a record exists once whatever the re-runs. */
  async function record(round: DutyReportRoundDoc, by: By): Promise<number> {
    const reports = await DutyReport.find({ year: round.year }).lean<DutyReportDoc[]>();
    const records = (await results(round, reports))
      .map(({ report, result }) => dutyReportRecord(round.year, report.memberId, result, round.meeting?.date ?? null))
      .filter((r): r is DutyReportRecord => r !== null);
    return records.length === 0 ? 0 : deps.recordDuty(records, by);
  }

  return {
    /**
     * The panel's part of the year's assessment: each scored member's aggregate, once staff have
     * published the round; null before that (or with no round), when nothing of it may show.
     */
    async publishedResults(year: number): Promise<Map<string, { scorers: number; total: number | null }> | null> {
      const round = await DutyReportRound.findById(roundKey(year)).lean<DutyReportRoundDoc>();
      if (round?.state !== 'published') return null;
      const reports = await DutyReport.find({ year }).lean<DutyReportDoc[]>();
      const out = new Map<string, { scorers: number; total: number | null }>();
      for (const { report, result } of await results(round, reports)) {
        if (result.total !== null) out.set(report.memberId, { scorers: result.scorers, total: result.total });
      }
      return out;
    },

    async open(body: OpenDutyReportRoundBody, by: MemberView): Promise<DutyReportRoundView> {
      if (!isStaff(by)) throw new AppError('FORBIDDEN', 'Staff open the duty-report round.');
      const doc: DutyReportRoundDoc = {
        _id: roundKey(body.year),
        year: body.year,
        deadline: body.deadline,
        criteria: body.criteria ?? defaultDutyReportCriteria,
        panel: [],
        meeting: null,
        state: 'open',
        publishedAt: null,
        version: 1,
        createdBy: by.id,
        createdAt: new Date(now()),
      };
      try {
        await rawCollection(DutyReportRound).insertOne(doc);
      } catch (err) {
        if (isDuplicateKey(err)) throw new AppError('ILLEGAL_TRANSITION', `The ${body.year} round is open already.`);
        throw err;
      }
      return presentRound(doc);
    },

    /** Deadline, criteria (before anyone scores), panel and meeting; nothing after publishing. */
    async change(year: number, body: ChangeDutyReportRoundBody, by: MemberView): Promise<DutyReportRoundView> {
      if (!isStaff(by)) throw new AppError('FORBIDDEN', 'Staff run the duty-report round.');
      const round = await load(year);
      if (round.state !== 'open') throw new AppError('ILLEGAL_TRANSITION', 'The results are published.');
      const set: Partial<DutyReportRoundDoc> = {};
      if (body.deadline) set.deadline = body.deadline;
      if (body.criteria) {
        if (await DutyReportScore.exists({ year })) {
          throw new AppError('ILLEGAL_TRANSITION', 'criteria: the panel has started scoring; they no longer change.');
        }
        set.criteria = body.criteria;
      }
      if (body.panel) {
        const ids = [...new Set(body.panel)];
        const people = await Promise.all(ids.map((id) => deps.members.get(id)));
        const panel: Array<{ id: string; name: string }> = [];
        for (const [k, p] of people.entries()) {
          if (!p || (p.kind !== 'member' && p.kind !== 'staff') || p.status === 'left') {
            throw new AppError('BAD_REQUEST', `panel: ${ids[k]} is no committee member or staff.`);
          }
          panel.push({ id: p.id, name: p.name });
        }
        set.panel = panel;
      }
      if (body.meeting !== undefined) {
        if (body.meeting?.sessionId && !(await deps.sessionExists(body.meeting.sessionId))) {
          throw new AppError('BAD_REQUEST', 'meeting.sessionId: no such session.');
        }
        set.meeting = body.meeting;
      }
      return presentRound(await change(round, set));
    },

    /**
     * A member hands in their report, as a file (PDF, DOCX or text) or written inline; handing
     * in again replaces it, until the deadline (committee time).
     */
    async submit(
      year: number,
      input: { text: string } | { files: UploadedFile[] },
      by: MemberView,
    ): Promise<DutyReportView> {
      if (by.kind !== 'member') throw new AppError('FORBIDDEN', 'Committee members hand in a duty report.');
      const round = await load(year);
      if (round.state !== 'open') throw new AppError('ILLEGAL_TRANSITION', 'The results are published.');
      if (today() > round.deadline) {
        throw new AppError('ILLEGAL_TRANSITION', `The deadline (${round.deadline}) has passed.`);
      }
      const key = reportKey(year, by.id);
      let file: DutyReportDoc['file'] = null;
      let text: string | null = null;
      if ('files' in input) {
        checkUploadedFiles(input.files, {
          maxFiles: 1,
          maxFileBytes: dutyReportLimits.maxFileBytes,
          allowed: (t) => (dutyReportContentTypes as readonly string[]).includes(t),
          tooMany: 'One file: the report.',
        });
        const f = input.files[0];
        if (!f)
          throw new AppError('BAD_REQUEST', 'No file: send the report in the "files" field, or its text as JSON.');
        file = { fileName: cleanFileName(f.originalname, 200), contentType: f.mimetype, size: f.size };
        await serials.run(key, () =>
          DutyReportFile.replaceOne({ _id: key }, { year, data: f.buffer }, { upsert: true }).catch((err: unknown) => {
            if (!isDuplicateKey(err)) throw err;
            return DutyReportFile.replaceOne({ _id: key }, { year, data: f.buffer }, { upsert: true });
          }),
        );
      } else {
        text = input.text;
      }
      const write = () =>
        DutyReport.findOneAndUpdate(
          { _id: key },
          {
            $set: { year, memberId: by.id, name: by.name, text, file, submittedAt: new Date(now()) },
            $inc: { versions: 1 },
          },
          { upsert: true, new: true },
        ).lean<DutyReportDoc>();
      const doc = await serials.run(key, () =>
        write().catch((err: unknown) => {
          // Two first hand-ins at once: one upsert inserts, the other meets the key and updates.
          if (!isDuplicateKey(err)) throw err;
          return write();
        }),
      );
      if (!doc) throw new AppError('INTERNAL', 'The report was not stored.');
      if (text !== null) await DutyReportFile.deleteOne({ _id: key });
      return presentReport(doc);
    },

    /** A report's file: for its author, staff and the panel. */
    async file(year: number, memberId: string, by: MemberView) {
      const round = await load(year);
      if (!(by.id === memberId || isStaff(by) || onPanel(round, by)))
        throw new AppError('NOT_FOUND', 'No such report.');
      const key = reportKey(year, memberId);
      const [report, bytes] = await Promise.all([
        DutyReport.findById(key).lean<DutyReportDoc>(),
        rawCollection(DutyReportFile).findOne({ _id: key }),
      ]);
      if (!report?.file || !bytes) throw new AppError('NOT_FOUND', 'The report has no file.');
      const data = bytes.data as unknown as Buffer | { buffer: Uint8Array };
      return { ...report.file, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer) };
    },

    /** A panel member scores another member's report on every criterion; scoring again replaces it. */
    async score(year: number, memberId: string, body: DutyReportScoreBody, by: MemberView): Promise<void> {
      const round = await load(year);
      if (!onPanel(round, by)) throw new AppError('FORBIDDEN', 'Only the panel scores duty reports.');
      if (memberId === by.id) throw new AppError('FORBIDDEN', 'Nobody scores their own report.');
      if (round.state !== 'open') throw new AppError('ILLEGAL_TRANSITION', 'The results are published.');
      const report = await DutyReport.exists({ _id: reportKey(year, memberId) });
      if (!report) throw new AppError('NOT_FOUND', 'No such report.');
      const ids = round.criteria.map((c) => c.id);
      const given = Object.keys(body.scores);
      const unknown = given.filter((k) => !ids.includes(k));
      if (unknown.length > 0) throw new AppError('BAD_REQUEST', `scores: no criterion ${unknown.join(', ')}.`);
      for (const c of round.criteria) {
        const s = body.scores[c.id];
        if (s === undefined) throw new AppError('BAD_REQUEST', `scores.${c.id}: a score for ${c.label} is missing.`);
        if (s > c.max) throw new AppError('BAD_REQUEST', `scores.${c.id}: at most ${c.max} for ${c.label}.`);
      }
      const key = scoreKey(year, memberId, by.id);
      const doc = { year, memberId, scorerId: by.id, scores: body.scores, at: new Date(now()) };
      await serials.run(key, () =>
        DutyReportScore.replaceOne({ _id: key }, doc, { upsert: true }).catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
          return DutyReportScore.replaceOne({ _id: key }, doc, { upsert: true });
        }),
      );
    },

    /**
     * Staff publish the results: members see their own aggregate, and each scored report reaches
     * the duty ledger. Publishing again writes the records again (nothing is added twice).
     */
    async publish(year: number, by: MemberView): Promise<{ round: DutyReportRoundView; recorded: number }> {
      if (!isStaff(by)) throw new AppError('FORBIDDEN', 'Staff publish the results.');
      let round = await load(year);
      if (round.state === 'open') {
        try {
          round = await change(round, { state: 'published', publishedAt: new Date(now()) });
        } catch (err) {
          // Another change won the version: published meanwhile (by another click or node) is
          // what was asked for; anything else is told to reload.
          round = await load(year);
          if (round.state !== 'published') throw err;
        }
      }
      return { round: presentRound(round), recorded: await record(round, by) };
    },

    async view(year: number, by: MemberView): Promise<DutyReportResponse> {
      const round = await load(year);
      const staff = isStaff(by);
      const panel = onPanel(round, by);
      const published = round.state === 'published';
      if (!staff && !panel && by.kind !== 'member') throw new AppError('FORBIDDEN', 'Members and staff only.');
      // Only what the caller may see is read: their own report, or everyone's for staff and panel.
      const reports =
        staff || panel
          ? await DutyReport.find({ year }).sort({ _id: 1 }).lean<DutyReportDoc[]>()
          : await DutyReport.find({ _id: reportKey(year, by.id) }).lean<DutyReportDoc[]>();
      const own = reports.find((r) => r.memberId === by.id) ?? null;
      let ownResult: DutyReportAggregate | null = null;
      let all: Array<{ report: DutyReportDoc; result: DutyReportAggregate }> = [];
      if (staff || (own && published)) {
        all = await results(round, staff ? reports : own ? [own] : []);
        if (own && published) ownResult = all.find((x) => x.report.memberId === by.id)?.result ?? null;
      }
      let toScore: DutyReportResponse['toScore'] = [];
      if (panel) {
        const mine = await DutyReportScore.find({ year, scorerId: by.id }).lean<DutyReportScoreDoc[]>();
        const given = new Map(mine.map((s) => [s.memberId, s.scores]));
        toScore = reports
          .filter((r) => r.memberId !== by.id)
          .map((r) => ({ report: presentReport(r), myScores: given.get(r.memberId) ?? null }));
      }
      return {
        round: presentRound(round),
        mine: by.kind === 'member' ? { report: own ? presentReport(own) : null, result: ownResult } : null,
        toScore,
        results: staff ? all.map((x) => ({ report: presentReport(x.report), result: x.result })) : [],
        viewer: { staff, panel },
      };
    },
  };
}

export type DutyReportService = ReturnType<typeof createDutyReportService>;
