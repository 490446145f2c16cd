import {
  type AssessmentResponse,
  type AssessmentRow,
  assess,
  type Bulletin,
  buildBulletin,
  type DutyEntryView,
  DutyKind,
  type DutyMemberRef,
  type DutyRatingBody,
  type DutySettings,
  type LedgerEntry,
  type MemberDutyResponse,
  type MemberView,
  minimumStatements,
  type PanelResult,
  type Quarter,
  type Rubric,
  type RubricBody,
  type SessionState,
  scoreMember,
  versionInForce,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { Serial } from '../lib/serial';
import type { MemberService } from '../members/member.service';
import { chinaDate, createLedger, presentEntry, toLedgerEntry } from './ledger';
import { createRubricEditor } from './rubric-editor';
import { type DutyEntryDoc, type RubricDoc, ratingKey, rubricKey } from './scoring.model';

/** The committee's one settings document (a deployment serves one committee). */
const settingsKey = 'committee';

const toRubric = (d: RubricDoc): Rubric => ({ ...d.body, year: d.year, version: d.version });
const ref = (m: MemberView): DutyMemberRef => ({
  id: m.id,
  name: m.name,
  sectorId: m.sectorId,
  sectorName: m.sectorName,
});

/**
 * Member duty performance: the ledger, rubrics per year, democratic evaluation and duty-report
 * panel scores, the committee's setting on rankings, each member's year, the annual assessment and
 * the quarterly bulletin. Scores are computed by the pure rules in shared; this only reads and
 * writes. Privacy: members see their own records; staff see all.
 */
export function createScoringService(deps: {
  models: Models;
  members: MemberService;
  /** A session's state, read through the sessions module (null: no such session). */
  sessionState: (sessionId: string) => Promise<SessionState | null>;
  /**
   * The year's published 述职 results by member, through the duty-report module; null while the
   * year's round is not published (or there is none).
   */
  panelResults?: (year: number) => Promise<ReadonlyMap<string, PanelResult> | null>;
}) {
  const { models, members } = deps;
  const { Rubric, DutyRating, DutySettings } = models;
  const ledger = createLedger(models);
  const rubricSerial = new Serial();

  const isStaff = (m: MemberView) => m.kind === 'staff';

  /** Every stored version of a year's rubric (a handful), oldest first. */
  function rubricVersions(year: number): Promise<RubricDoc[]> {
    return Rubric.find({ year }).sort({ version: 1 }).lean<RubricDoc[]>();
  }

  /**
   * The version in force today: the highest whose day has come (the editor publishes versions
   * from a day on; a version stored otherwise is in force at once). Drafts are never read here.
   */
  async function rubricFor(year: number): Promise<Rubric | null> {
    const docs = await rubricVersions(year);
    const version = versionInForce(
      docs.map((d) => ({ version: d.version, effectiveFrom: d.effectiveFrom ?? null })),
      chinaDate(),
    );
    const doc = docs.find((d) => d.version === version);
    return doc ? toRubric(doc) : null;
  }

  async function committeeMembers(): Promise<MemberView[]> {
    return (await members.list()).filter((m) => m.kind === 'member');
  }

  async function settings(): Promise<DutySettings> {
    const doc = await DutySettings.findById(settingsKey).lean();
    return { rankingsVisibleToMembers: doc?.rankingsVisibleToMembers ?? false };
  }

  /**
   * Each member's evaluation scores and panel part. Once the year's 述职 round is published its
   * results are the panel's part for everyone (a member it did not score gets none), and panel
   * scores recorded by hand no longer count: one panel, not two.
   */
  async function ratingsOf(
    year: number,
    memberId?: string,
  ): Promise<Map<string, { evaluation: number[]; panel: number[] | PanelResult }>> {
    const [rows, published] = await Promise.all([
      DutyRating.find(memberId ? { year, memberId } : { year }, { kind: 1, memberId: 1, score: 1 }).lean(),
      deps.panelResults ? deps.panelResults(year) : null,
    ]);
    const recorded = new Map<string, { evaluation: number[]; panel: number[] }>();
    for (const r of rows) {
      let m = recorded.get(r.memberId);
      if (!m) {
        m = { evaluation: [], panel: [] };
        recorded.set(r.memberId, m);
      }
      m[r.kind].push(r.score);
    }
    const out = new Map<string, { evaluation: number[]; panel: number[] | PanelResult }>(recorded);
    if (!published) return out;
    for (const [id, m] of recorded) out.set(id, { evaluation: m.evaluation, panel: published.get(id) ?? [] });
    for (const [id, result] of published) {
      if (memberId !== undefined && id !== memberId) continue;
      out.set(id, { evaluation: recorded.get(id)?.evaluation ?? [], panel: result });
    }
    return out;
  }

  function present(docs: DutyEntryDoc[], names: ReadonlyMap<string, string>): DutyEntryView[] {
    return docs.map((d) => presentEntry(d, names.get(d.memberId) ?? d.memberId));
  }

  /** Staff see everyone; a member only themselves. */
  function mayRead(caller: MemberView, memberId: string) {
    if (!isStaff(caller) && caller.id !== memberId)
      throw new AppError('FORBIDDEN', 'Members see their own records only.');
  }

  async function memberYear(memberId: string, year: number): Promise<MemberDutyResponse> {
    const member = await members.get(memberId);
    if (member?.kind !== 'member') throw new AppError('NOT_FOUND', 'No such member.');
    const [rubric, docs, ratings] = await Promise.all([
      rubricFor(year),
      ledger.find({ memberId, year }),
      ratingsOf(year, memberId),
    ]);
    const score = rubric ? scoreMember(rubric, memberId, docs.map(toLedgerEntry)) : null;
    const r = ratings.get(memberId) ?? { evaluation: [], panel: [] };
    const assessment = rubric && score ? assess(rubric, score, r.evaluation, r.panel) : null;
    return {
      member: ref(member),
      year,
      rubric,
      entries: present(docs, new Map([[member.id, member.name]])),
      score,
      assessment,
    };
  }

  return {
    ledger,
    rubricFor,
    /** Staff's rubric editor: versions, the year's draft, its preview, publishing. */
    rubricEditor: createRubricEditor({ models, members, ledger, rubricVersions, committeeMembers, ratingsOf }),
    settings,

    /** After a session closes: its duty records (idempotent). */
    recordSession(sessionId: string, by: { id: string; name: string }): Promise<number> {
      return ledger.fromSession(sessionId, by);
    },

    /** The same, asked for by staff: a closed session's records, written once whatever the retries. */
    async recordSessionAgain(sessionId: string, caller: MemberView): Promise<number> {
      if (!isStaff(caller)) throw new AppError('FORBIDDEN', 'Staff keep the ledger.');
      const state = await deps.sessionState(sessionId);
      if (!state) throw new AppError('NOT_FOUND', 'No such session.');
      if (state !== 'closed') throw new AppError('SESSION_NOT_LIVE', 'The session has not closed yet.');
      return ledger.fromSession(sessionId, caller);
    },

    async memberYear(caller: MemberView, memberId: string, year: number): Promise<MemberDutyResponse> {
      mayRead(caller, memberId);
      return memberYear(memberId, year);
    },

    async entries(
      caller: MemberView,
      q: { status?: string; year?: number; memberId?: string },
    ): Promise<DutyEntryView[]> {
      const memberId = isStaff(caller) ? q.memberId : caller.id;
      if (q.memberId && memberId !== q.memberId) mayRead(caller, q.memberId);
      const docs = await ledger.find({ memberId, status: q.status, year: q.year });
      const names = new Map((await members.list()).map((m) => [m.id, m.name]));
      return present(docs, names);
    },

    async entry(caller: MemberView, id: string): Promise<DutyEntryView> {
      const doc = await ledger.get(id);
      if (!doc) throw new AppError('NOT_FOUND', 'No such record.');
      mayRead(caller, doc.memberId);
      const m = await members.get(doc.memberId);
      return presentEntry(doc, m?.name ?? doc.memberId);
    },

    async presentOne(doc: DutyEntryDoc): Promise<DutyEntryView> {
      const m = await members.get(doc.memberId);
      return presentEntry(doc, m?.name ?? doc.memberId);
    },

    /** Stores a new version of a year's rubric (staff); the highest version is in force. */
    createRubric(body: RubricBody, caller: MemberView): Promise<Rubric> {
      if (!isStaff(caller)) return Promise.reject(new AppError('FORBIDDEN', 'Staff keep the rubric.'));
      return rubricSerial.run(async () => {
        const version = ((await rubricVersions(body.year)).at(-1)?.version ?? 0) + 1;
        try {
          await rawCollection(Rubric).insertOne({
            _id: rubricKey(body.year, version),
            year: body.year,
            version,
            body,
            createdBy: caller.id,
            createdAt: new Date(),
          });
        } catch (err) {
          if (isDuplicateKey(err))
            throw new AppError('ILLEGAL_TRANSITION', 'Another version was stored meanwhile; reload.');
          throw err;
        }
        return { ...body, version };
      });
    },

    /** A democratic-evaluation score (any member or staff, of another member) or a panel score (staff). */
    async rate(body: DutyRatingBody, caller: MemberView): Promise<void> {
      if (body.kind === 'panel' && !isStaff(caller)) throw new AppError('FORBIDDEN', 'The duty-report panel is staff.');
      if (body.kind === 'evaluation' && !(isStaff(caller) || caller.kind === 'member')) {
        throw new AppError('FORBIDDEN', 'Members and staff evaluate.');
      }
      if (body.memberId === caller.id) throw new AppError('FORBIDDEN', 'Nobody scores themselves.');
      const target = await members.get(body.memberId);
      if (target?.kind !== 'member') throw new AppError('NOT_FOUND', 'No such member.');
      // One document per rater, member and year; scoring again replaces the score.
      const write = () =>
        DutyRating.replaceOne(
          { _id: ratingKey(body.kind, body.year, caller.id, body.memberId) },
          {
            kind: body.kind,
            year: body.year,
            raterId: caller.id,
            memberId: body.memberId,
            score: body.score,
            at: new Date(),
          },
          { upsert: true },
        );
      // Two first scores at once: one upsert inserts, the other meets the key and replaces.
      await write().catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
        return write();
      });
    },

    async changeSettings(next: DutySettings, caller: MemberView): Promise<DutySettings> {
      if (!isStaff(caller)) throw new AppError('FORBIDDEN', 'Staff change the committee’s settings.');
      await DutySettings.replaceOne(
        { _id: settingsKey },
        { rankingsVisibleToMembers: next.rankingsVisibleToMembers, changedBy: caller.id, changedAt: new Date() },
        { upsert: true },
      );
      return next;
    },

    /**
     * The annual assessment: each member's rubric points, evaluation and panel aggregates, total
     * and grade; ranks (staff always, members when the committee shows rankings); statements on
     * the six minimums (staff). A member receives their own row only.
     */
    async assessment(caller: MemberView, year: number): Promise<AssessmentResponse> {
      const rubric = await rubricFor(year);
      if (!rubric) throw new AppError('NOT_FOUND', `No rubric for ${year}.`);
      const staff = isStaff(caller);
      const [all, docs, ratings, s] = await Promise.all([
        committeeMembers(),
        ledger.find({ year, status: 'verified' }),
        ratingsOf(year),
        settings(),
      ]);
      // Each member's records apart, so scoring is linear in the ledger's size.
      const byMember = new Map<string, LedgerEntry[]>();
      for (const d of docs) {
        const list = byMember.get(d.memberId) ?? [];
        list.push(toLedgerEntry(d));
        byMember.set(d.memberId, list);
      }
      const rows: AssessmentRow[] = all.map((m) => {
        const score = scoreMember(rubric, m.id, byMember.get(m.id) ?? []);
        const r = ratings.get(m.id) ?? { evaluation: [], panel: [] };
        return { member: ref(m), score, assessment: assess(rubric, score, r.evaluation, r.panel), rank: null };
      });
      // Competition ranking: equal totals share a rank.
      const sorted = [...rows].sort((a, b) => b.assessment.total - a.assessment.total);
      const rankVisible = staff || s.rankingsVisibleToMembers;
      if (rankVisible) {
        sorted.forEach((row, i) => {
          const prev = sorted[i - 1];
          row.rank = prev && prev.assessment.total === row.assessment.total ? prev.rank : i + 1;
        });
      }
      const counts = Object.fromEntries(DutyKind.options.map((k) => [k, 0])) as Record<DutyKind, number>;
      for (const e of docs) counts[e.kind] += 1;
      const sessions = new Set(docs.filter((d) => d.sessionId).map((d) => d.sessionId)).size;
      const names = new Map(all.map((m) => [m.id, m.name]));
      return {
        year,
        rubricVersion: rubric.version,
        rows: staff ? sorted : sorted.filter((r) => r.member.id === caller.id),
        statements: staff
          ? minimumStatements(
              rubric,
              rows.map((r) => r.score),
              names,
            )
          : [],
        totals: { counts, sessions },
        rankingsVisible: rankVisible,
        ranking: rankVisible
          ? sorted.map((r) => ({
              rank: r.rank ?? 0,
              member: r.member,
              total: r.assessment.total,
              grade: r.assessment.grade,
            }))
          : [],
      };
    },

    /**
     * The quarterly bulletin: every member and sector for staff; for a member, their own row only
     * (no sectors, which would show others' figures).
     */
    async bulletin(caller: MemberView, quarter: Quarter): Promise<Bulletin> {
      const staff = isStaff(caller);
      if (!staff && caller.kind !== 'member') throw new AppError('FORBIDDEN', 'Members and staff read bulletins.');
      const year = Number(quarter.slice(0, 4));
      const years = [...new Set([year, Number(quarter.slice(6)) === 1 ? year - 1 : year])];
      const [everyone, rubrics, docs] = await Promise.all([
        committeeMembers(),
        Promise.all(years.map(async (y) => [y, await rubricFor(y)] as const)),
        models.DutyEntry.find({
          ...(staff ? {} : { memberId: caller.id }),
          status: 'verified',
          date: trusted({ $gte: `${Math.min(...years)}-01-01`, $lte: `${year}-12-31` }),
        }).lean<DutyEntryDoc[]>(),
      ]);
      const visible = await ledger.visible(docs);
      const byYear = new Map(rubrics);
      const all = staff ? everyone : everyone.filter((m) => m.id === caller.id);
      const bulletin = buildBulletin({
        quarter,
        members: all.map((m) => ({ id: m.id, name: m.name, sectorId: m.sectorId, sectorName: m.sectorName })),
        ledger: visible.map(toLedgerEntry),
        rubricFor: (y) => byYear.get(y) ?? null,
      });
      return staff ? bulletin : { ...bulletin, sectors: [] };
    },

    thisYear: () => Number(chinaDate().slice(0, 4)),
  };
}

export type ScoringService = ReturnType<typeof createScoringService>;
