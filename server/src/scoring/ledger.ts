import { randomUUID } from 'node:crypto';
import {
  type ChangeDutyEntryBody,
  type ChangeDutyEntryBody as ChangeSchema,
  type DutyAuditAction,
  type DutyEntryView,
  type LedgerEntry,
  limits,
  type MemberView,
  memberKinds,
  type ReviewDutyEntryBody,
  type SubmitDutyEntryBody,
  type SubmitDutyEntryBody as SubmitSchema,
  workflowKindSources,
  workflowSources,
  yearOf,
} from '@yitang/shared';
import type { z } from 'zod';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { KeyedSerial } from '../lib/serial';
import { createMemberRecords } from '../members/member.service';
import { pollReads } from '../polls/poll.reads';
import { roomReads } from '../rooms/room.reads';
import { absentWithoutLeave } from '../sessions/absence';
import { sessionReads } from '../sessions/session.reads';
import { suggestionReads } from '../suggestions/suggestion.reads';
import type { DutyEntryDoc } from './scoring.model';

type Submit = z.output<typeof SubmitSchema>;
type Change = z.output<typeof ChangeSchema>;

/** A date (YYYY-MM-DD) in the committee's time zone. */
export function chinaDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * The proposal or report a workflow record follows: its writers key every record
 * `<prefix>:<sourceId>:<what>` (pp:…:author, sr:…:submitted), and their ids hold no colon.
 */
const sourceIdOf = (key: string): string | null => key.split(':')[1] || null;

export function presentEntry(doc: DutyEntryDoc, memberName: string): DutyEntryView {
  return {
    id: doc._id,
    memberId: doc.memberId,
    memberName,
    kind: doc.kind,
    date: doc.date,
    title: doc.title,
    source: doc.source,
    status: doc.status,
    sessionId: doc.sessionId ?? null,
    sourceId: workflowSources.includes(doc.source) ? sourceIdOf(doc._id) : null,
    evidence: doc.evidence
      ? {
          text: doc.evidence.text,
          link: doc.evidence.link ?? null,
          attachmentName: doc.evidence.attachmentName ?? null,
        }
      : null,
    proposal: doc.proposal
      ? {
          department: doc.proposal.department ?? null,
          reply: doc.proposal.reply ?? null,
          feedback: doc.proposal.feedback ?? null,
        }
      : null,
    rejectReason: doc.rejectReason ?? null,
    audit: (doc.audit ?? []).map((a) => ({
      at: new Date(a.at).toISOString(),
      by: a.by,
      byName: a.byName,
      action: a.action,
      note: a.note ?? null,
    })),
  };
}

export const toLedgerEntry = (d: DutyEntryDoc): LedgerEntry => ({
  id: d._id,
  memberId: d.memberId,
  kind: d.kind,
  date: d.date,
  status: d.status,
  proposal: d.proposal ? { feedback: d.proposal.feedback ?? null, key: d.proposal.key === true } : null,
});

/**
 * A record another module's workflow derives (a proposal, a co-signature): verified when written,
 * under the natural key its writer gives (`pp:<proposalId>:author`), so a re-run adds nothing.
 */
export interface DerivedRecord {
  id: string;
  memberId: string;
  kind: DutyEntryDoc['kind'];
  date: string;
  title: string;
  source: DutyEntryDoc['source'];
  proposal: NonNullable<DutyEntryDoc['proposal']> | null;
  /** What the audit line says it came from, e.g. `提案 2026-003`. */
  note: string;
  /**
   * The record's kind, date and title follow its source (a 社情民意 report raised to a higher
   * level): a record that exists under this key is changed to them, with an audit line.
   */
  follows?: boolean;
  /**
   * The source no longer earns this record (a report withdrawn, a key no longer written): a
   * record under this key stops counting (rejected, with the note as reason); none is written.
   */
  retired?: boolean;
}

/** Inserts records whose ids may already exist; returns how many were new. */
async function insertNew(models: Models, docs: DutyEntryDoc[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    const res = await rawCollection(models.DutyEntry).insertMany(docs, { ordered: false });
    return res.insertedCount;
  } catch (err) {
    // An unordered insert reports every duplicate and still writes the rest.
    const e = err as { writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
    const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : null;
    // Every record not refused as a duplicate was written.
    if (writeErrors?.every((w) => (w.code ?? w.err?.code) === 11000)) return docs.length - writeErrors.length;
    if (isDuplicateKey(err) && docs.length === 1) return 0;
    throw err;
  }
}

/**
 * The ledger: records derived from closed sessions, entered by members (pending until staff
 * verify) or staff, and changed with an audit line for each change.
 */
export function createLedger(models: Models) {
  const { DutyEntry, DutyImport } = models;
  /** Who is a committee member is the members module's answer. */
  const memberRecords = createMemberRecords(models);
  /** Sessions, attendance and speeches, suggestions and votes are read through their modules. */
  const sessions = sessionReads(models);
  const rooms = roomReads(models);
  const suggestionsOf = suggestionReads(models);
  const polls = pollReads(models);
  /** One write at a time per record (see docs/architecture.md on FerretDB). */
  const serials = new KeyedSerial();

  const auditLine = (by: { id: string; name: string }, action: DutyAuditAction, note: string | null = null) => ({
    at: new Date(),
    by: by.id,
    byName: by.name,
    action,
    note,
  });

  /** Records of imports that have not finished are not part of the ledger yet. */
  async function visible(docs: DutyEntryDoc[]): Promise<DutyEntryDoc[]> {
    const batches = [...new Set(docs.map((d) => d.batchId).filter((b): b is string => !!b))];
    if (batches.length === 0) return docs;
    const done = new Set(
      (await DutyImport.find({ _id: trusted({ $in: batches }), state: 'done' }, { _id: 1 }).lean()).map((b) => b._id),
    );
    return docs.filter((d) => !d.batchId || done.has(d.batchId));
  }

  /** Hand entries of a workflow's kind only for years it does not cover (see workflowCovers). */
  async function refuseCovered(kind: DutyEntryDoc['kind'], date: string): Promise<void> {
    if (await ledgerCovers(kind, yearOf(date))) {
      throw new AppError(
        'FORBIDDEN',
        `${kind}: the ${workflowKindSources[kind]} workflow records these itself in ${yearOf(date)}; enter only earlier years by hand.`,
      );
    }
  }

  async function ledgerCovers(kind: DutyEntryDoc['kind'], year: number): Promise<boolean> {
    const source = workflowKindSources[kind];
    if (!source) return false;
    if (year >= yearOf(chinaDate())) return true;
    const found = await DutyEntry.findOne(
      { source, date: trusted({ $gte: `${year}-01-01`, $lte: `${year}-12-31` }) },
      { _id: 1 },
    ).lean();
    return found !== null;
  }

  async function getEntry(id: string): Promise<DutyEntryDoc | null> {
    const doc = await DutyEntry.findById(id).lean<DutyEntryDoc>();
    if (!doc) return null;
    return (await visible([doc]))[0] ?? null;
  }

  return {
    visible,
    get: getEntry,

    /**
     * Writes derived records (see DerivedRecord): new keys are inserted, verified; a record that
     * exists keeps everything but its proposal detail (the reply and feedback come later), which
     * is set when it changed. Only committee members keep a duty record. Returns how many were new.
     */
    async recordDerived(records: DerivedRecord[], by: { id: string; name: string }): Promise<number> {
      const retired = records.filter((r) => r.retired);
      if (retired.length > 0) {
        // One update per reason: keys that hold no record (or a retired one) are left alone.
        const byNote = new Map<string, DerivedRecord[]>();
        for (const r of retired)
          byNote.set(`${r.source}\u0001${r.note}`, [...(byNote.get(`${r.source}\u0001${r.note}`) ?? []), r]);
        for (const group of byNote.values()) {
          const { source, note } = group[0] as DerivedRecord;
          await DutyEntry.updateMany(
            { _id: trusted({ $in: group.map((r) => r.id) }), source, status: trusted({ $ne: 'rejected' as const }) },
            { $set: { status: 'rejected', rejectReason: note }, $push: { audit: auditLine(by, 'rejected', note) } },
          );
        }
        records = records.filter((r) => !r.retired);
        if (records.length === 0) return 0;
      }
      const members = await memberRecords.membersAmong([...new Set(records.map((r) => r.memberId))]);
      const mine = records.filter((r) => members.has(r.memberId));
      const now = new Date();
      const docs: DutyEntryDoc[] = mine.map((r) => ({
        _id: r.id,
        memberId: r.memberId,
        kind: r.kind,
        date: r.date,
        year: yearOf(r.date),
        title: r.title,
        source: r.source,
        status: 'verified',
        sessionId: null,
        evidence: null,
        proposal: r.proposal,
        rejectReason: null,
        batchId: null,
        audit: [auditLine(by, 'recorded', r.note)],
        createdAt: now,
      }));
      const added = await insertNew(models, docs);
      for (const r of mine) {
        if (r.follows) {
          // Only a record that differs is changed, so a re-run adds no audit line.
          await serials.run(r.id, () =>
            DutyEntry.updateOne(
              {
                _id: r.id,
                source: r.source,
                $or: [{ kind: trusted({ $ne: r.kind }) }, { date: trusted({ $ne: r.date }) }],
              },
              {
                $set: { kind: r.kind, date: r.date, year: yearOf(r.date), title: r.title },
                $push: { audit: auditLine(by, 'changed', `kind,date,title:${r.note}`) },
              },
            ),
          );
        }
        if (!r.proposal) continue;
        // Plain sets of the latest detail: the same value twice changes nothing.
        await serials.run(r.id, () =>
          DutyEntry.updateOne({ _id: r.id, source: r.source }, { $set: { proposal: r.proposal } }),
        );
      }
      return added;
    },

    /**
     * Ledger records matching a filter (memberId, status, year), oldest first. The year is an
     * equality on the records' `year`, so a member's year reads that year's records only (on the
     * embedded database a range on `date` reads every record the member ever had).
     */
    async find(filter: { memberId?: string; memberIds?: string[]; status?: string; year?: number; to?: string }) {
      const q: Record<string, unknown> = {};
      if (filter.memberId) q.memberId = filter.memberId;
      else if (filter.memberIds) q.memberId = trusted({ $in: filter.memberIds });
      if (filter.status) q.status = filter.status;
      if (filter.year) q.year = filter.year;
      else if (filter.to) q.date = trusted({ $lte: filter.to });
      const docs = await DutyEntry.find(q).sort({ date: 1, _id: 1 }).lean<DutyEntryDoc[]>();
      const to = filter.to;
      return visible(filter.year && to ? docs.filter((d) => d.date <= to) : docs);
    },

    /**
     * Whether the proposals or 社情民意 workflow covers a kind's year, so that nobody enters or
     * imports it by hand: the current year on (the workflows are live), and any earlier year in
     * which the workflow wrote a record. Other kinds are never covered.
     */
    workflowCovers: ledgerCovers,

    /**
     * Derives the records of a closed session from what the room stored: attendance (hall or
     * online, one per person), speeches, suggestions and votes (named ballots and secret voter
     * marks). Natural keys make a retry, a restart or a reconnect add nothing.
     */
    async fromSession(sessionId: string, by: { id: string; name: string }): Promise<number> {
      const session = await sessions.find(sessionId);
      if (session?.state !== 'closed') return 0;
      const date = chinaDate(session.startedAt ?? session.scheduledAt);
      const [attendance, speeches, suggestions, sessionPolls] = await Promise.all([
        rooms.attendance(sessionId),
        rooms.speeches(sessionId),
        suggestionsOf.ofSession(sessionId),
        polls.ofSession(sessionId),
      ]);
      // Named ballots and secret voter marks alike, by pollId:voterId.
      const votes = await polls.votesIn(sessionPolls.map((p) => p._id));

      // 缺席未请假: derived by the sessions module from invitations, attendance and approved leave.
      const absent = absentWithoutLeave(session, attendance);
      const people = new Set<string>([
        ...absent,
        ...attendance.map((a) => a.memberId),
        ...speeches.map((s) => s.memberId),
        ...suggestions.map((s) => s.authorId),
        ...[...votes.values()].map((v) => v.memberId),
      ]);
      // Only committee members keep a duty record (not officials, staff or guests).
      const members = await memberRecords.membersAmong([...people]);
      const questions = new Map(sessionPolls.map((p) => [p._id, p.settings.question]));
      const now = new Date();
      const audit = [auditLine(by, 'recorded', `会议 ${sessionId}`)];
      const base = {
        date,
        year: yearOf(date),
        source: 'session' as const,
        status: 'verified' as const,
        sessionId,
        evidence: null,
        proposal: null,
        rejectReason: null,
        batchId: null,
        audit,
        createdAt: now,
      };
      const docs: DutyEntryDoc[] = [];
      for (const a of attendance) {
        if (!members.has(a.memberId) || !(a.inHall || a.online)) continue;
        docs.push({
          ...base,
          _id: `ses:${sessionId}:${a.memberId}:attended`,
          memberId: a.memberId,
          kind: a.inHall ? 'attendedHall' : 'attendedOnline',
          title: `参加协商活动：${session.topic}`,
        });
      }
      for (const s of speeches) {
        // A point of order is no speech; nor is a turn given and handed back in a few seconds.
        if (!members.has(s.memberId) || s.pointOfOrder || s.durationSeconds < limits.minSpeechSecondsForDuty) continue;
        docs.push({
          ...base,
          _id: `spk:${sessionId}:${s.memberId}:${new Date(s.startedAt).getTime()}`,
          memberId: s.memberId,
          kind: 'spoke',
          title: `在“${clip(session.topic, 40)}”上发言`,
        });
      }
      for (const s of suggestions) {
        if (!members.has(s.authorId)) continue;
        docs.push({ ...base, _id: `sug:${s._id}`, memberId: s.authorId, kind: 'suggested', title: clip(s.text, 80) });
      }
      for (const [key, v] of votes) {
        if (!members.has(v.memberId)) continue;
        docs.push({
          ...base,
          _id: `vote:${key}`,
          memberId: v.memberId,
          kind: 'voted',
          title: `参加表决：${clip(questions.get(v.pollId) ?? '', 60)}`,
        });
      }
      for (const memberId of absent) {
        if (!members.has(memberId)) continue;
        docs.push({
          ...base,
          _id: `abs:${sessionId}:${memberId}`,
          memberId,
          kind: 'absence',
          title: `缺席未请假：${clip(session.topic, 40)}`,
        });
      }
      return insertNew(models, docs);
    },

    /** A member's submission (pending) or a staff entry (counts at once). */
    async submit(body: Submit, caller: MemberView): Promise<DutyEntryDoc> {
      const staff = caller.kind === 'staff';
      const memberId = staff ? body.memberId : (body.memberId ?? caller.id);
      if (!memberId) throw new AppError('BAD_REQUEST', 'memberId: staff name the member the record belongs to');
      if (!staff && memberId !== caller.id)
        throw new AppError('FORBIDDEN', 'Members submit records for themselves only.');
      if (!staff && caller.kind !== 'member')
        throw new AppError('FORBIDDEN', 'Only committee members keep a duty record.');
      if (!staff && !memberKinds.includes(body.kind)) {
        throw new AppError(
          'FORBIDDEN',
          body.kind === 'absence'
            ? 'Staff record absences.'
            : `${body.kind}: recorded by its workflow (proposals, 社情民意); staff enter earlier years.`,
        );
      }
      if ((await memberRecords.kindOf(memberId)) !== 'member') throw new AppError('NOT_FOUND', 'No such member.');
      if (body.proposal && body.kind !== 'proposal') {
        throw new AppError('BAD_REQUEST', 'proposal: only a proposal has a reply and feedback');
      }
      await refuseCovered(body.kind, body.date);
      const doc: DutyEntryDoc = {
        _id: `ent:${randomUUID()}`,
        memberId,
        kind: body.kind,
        date: body.date,
        year: yearOf(body.date),
        title: body.title,
        source: staff ? 'staff' : 'member',
        status: staff ? 'verified' : 'pending',
        sessionId: null,
        evidence: body.evidence,
        proposal:
          body.kind === 'proposal' ? (body.proposal ?? { department: null, reply: null, feedback: null }) : null,
        rejectReason: null,
        batchId: null,
        audit: [auditLine(caller, staff ? 'entered' : 'submitted')],
        createdAt: new Date(),
      };
      await rawCollection(DutyEntry).insertOne(doc);
      return doc;
    },

    /**
     * Changes a record entered by hand. Its member may change it until it is verified (a rejected
     * record goes back to staff), and may give feedback on a proposal's reply at any time; staff
     * may change any entered record. Each change names the fields in the audit list.
     */
    change(id: string, body: Change, caller: MemberView): Promise<DutyEntryDoc> {
      return serials.run(id, async () => {
        const doc = await getEntry(id);
        if (!doc) throw new AppError('NOT_FOUND', 'No such record.');
        const staff = caller.kind === 'staff';
        if (!staff && doc.memberId !== caller.id) throw new AppError('FORBIDDEN', 'Not your record.');
        if (doc.source === 'session') throw new AppError('FORBIDDEN', 'Records from sessions are not changed by hand.');
        if (workflowSources.includes(doc.source)) {
          throw new AppError(
            'FORBIDDEN',
            'This record follows its proposal or 社情民意 report: change it there (the feedback goes on the proposal).',
          );
        }
        if (body.date !== undefined && yearOf(body.date) !== yearOf(doc.date)) await refuseCovered(doc.kind, body.date);
        if (body.proposal && doc.kind !== 'proposal') {
          throw new AppError('BAD_REQUEST', 'proposal: only a proposal has a reply and feedback');
        }
        const set: Partial<DutyEntryDoc> = {};
        const fields: string[] = [];
        if (body.date !== undefined && body.date !== doc.date) {
          set.date = body.date;
          set.year = yearOf(body.date);
          fields.push('date');
        }
        if (body.title !== undefined && body.title !== doc.title) {
          set.title = body.title;
          fields.push('title');
        }
        if (body.evidence !== undefined) {
          set.evidence = body.evidence;
          fields.push('evidence');
        }
        if (body.proposal !== undefined) {
          const before = doc.proposal ?? { department: null, reply: null, feedback: null };
          const after = body.proposal;
          if (!staff && (after.department !== (before.department ?? null) || after.reply !== (before.reply ?? null))) {
            throw new AppError('FORBIDDEN', 'The department’s reply is recorded by staff.');
          }
          set.proposal = after;
          fields.push('proposal');
        }
        const onlyFeedback = fields.length === 1 && fields[0] === 'proposal';
        if (!staff && doc.status === 'verified' && !onlyFeedback) {
          throw new AppError('ILLEGAL_TRANSITION', 'A verified record is changed by staff only.');
        }
        if (fields.length === 0) return doc;
        // A member's change to a rejected record sends it back to staff.
        if (!staff && doc.status === 'rejected') {
          set.status = 'pending';
          set.rejectReason = null;
        }
        const line = auditLine(caller, 'changed', fields.join(','));
        const res = await DutyEntry.updateOne({ _id: id, status: doc.status }, { $set: set, $push: { audit: line } });
        if (res.matchedCount !== 1)
          throw new AppError('ILLEGAL_TRANSITION', 'The record changed meanwhile; reload it.');
        return { ...doc, ...set, audit: [...doc.audit, line] };
      });
    },

    /** Staff verify a pending record, or reject it with a reason. */
    review(id: string, body: ReviewDutyEntryBody, caller: MemberView): Promise<DutyEntryDoc> {
      if (caller.kind !== 'staff') return Promise.reject(new AppError('FORBIDDEN', 'Staff verify records.'));
      return serials.run(id, async () => {
        const doc = await getEntry(id);
        if (!doc) throw new AppError('NOT_FOUND', 'No such record.');
        if (doc.status !== 'pending')
          throw new AppError('ILLEGAL_TRANSITION', `The record is ${doc.status}, not pending.`);
        const set =
          body.decision === 'verify'
            ? { status: 'verified' as const, rejectReason: null }
            : { status: 'rejected' as const, rejectReason: body.reason };
        const line = auditLine(caller, body.decision === 'verify' ? 'verified' : 'rejected', set.rejectReason);
        const res = await DutyEntry.updateOne({ _id: id, status: 'pending' }, { $set: set, $push: { audit: line } });
        if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', 'The record is no longer pending.');
        return { ...doc, ...set, audit: [...doc.audit, line] };
      });
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
export type { ChangeDutyEntryBody, SubmitDutyEntryBody };
