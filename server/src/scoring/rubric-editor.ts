import { randomUUID } from 'node:crypto';
import {
  assess,
  type LedgerEntry,
  type MemberView,
  type PanelResult,
  type PreviewScore,
  type PublishRubricDraftBody,
  type Rubric,
  type RubricChange,
  type RubricDraftView,
  type RubricPreviewResponse,
  type RubricPreviewRow,
  type RubricVersionsResponse,
  type RubricVersionView,
  round2,
  rubricChanges,
  type SaveRubricDraftBody,
  scoreMember,
  versionInForce,
} from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import type { MemberService } from '../members/member.service';
import { chinaDate, type Ledger, toLedgerEntry } from './ledger';
import { type RubricDoc, type RubricDraftDoc, rubricKey } from './scoring.model';

type MemberRatings = { evaluation: number[]; panel: number[] | PanelResult };
type Ratings = Map<string, MemberRatings>;

const draftKey = (year: number) => String(year);

/**
 * The rubric editor (staff): a year's versions, its one draft, the preview of every member's score
 * under the draft beside the version in force, publishing (the next version, in force from a day)
 * and discarding. Nothing here changes a visible score until a published version's day comes:
 * scores read `rubricFor`, which never reads a draft.
 */
export function createRubricEditor(deps: {
  models: Models;
  members: MemberService;
  ledger: Ledger;
  rubricVersions: (year: number) => Promise<RubricDoc[]>;
  committeeMembers: () => Promise<MemberView[]>;
  ratingsOf: (year: number) => Promise<Ratings>;
}) {
  const { models, members } = deps;
  const { RubricDraft } = models;

  function mustBeStaff(caller: MemberView) {
    if (caller.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff keep the rubric.');
  }

  const toRubric = (d: RubricDoc): Rubric => ({ ...d.body, year: d.year, version: d.version });

  const presentDraft = (d: RubricDraftDoc, base: RubricDoc | undefined): RubricDraftView => ({
    year: d.year,
    baseVersion: d.baseVersion,
    revision: d.revision,
    rubric: d.body,
    changes: base ? rubricChanges(base.body, d.body) : [],
    history: d.history.map((h) => ({ at: h.at.toISOString(), by: h.by, action: h.action, changes: h.changes })),
  });

  async function names(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of new Set(ids)) out.set(id, (await members.get(id))?.name ?? id);
    return out;
  }

  function presentVersion(
    d: RubricDoc,
    before: RubricDoc | undefined,
    inForce: number | null,
    who: ReadonlyMap<string, string>,
  ): RubricVersionView {
    return {
      version: d.version,
      rubric: toRubric(d),
      effectiveFrom: d.effectiveFrom ?? null,
      createdAt: d.createdAt.toISOString(),
      createdBy: { id: d.createdBy, name: d.createdByName ?? who.get(d.createdBy) ?? d.createdBy },
      draftedBy: d.draftedBy ?? null,
      changes: d.changes ?? (before ? rubricChanges(before.body, d.body) : []),
      state: d.version === inForce ? 'inForce' : inForce === null || d.version > inForce ? 'scheduled' : 'earlier',
    };
  }

  const inForceOf = (docs: RubricDoc[], today: string) =>
    versionInForce(
      docs.map((d) => ({ version: d.version, effectiveFrom: d.effectiveFrom ?? null })),
      today,
    );

  async function draftOf(year: number): Promise<RubricDraftDoc | null> {
    return RubricDraft.findById(draftKey(year)).lean<RubricDraftDoc>();
  }

  function checkYear(year: number, body?: { year: number }) {
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      throw new AppError('BAD_REQUEST', 'year: expected e.g. 2026');
    if (body && body.year !== year) {
      throw new AppError('BAD_REQUEST', `rubric.year: the draft is for ${year}, the rubric says ${body.year}`);
    }
  }

  /** A member's rubric points, total and grade under one rubric. */
  function scoreUnder(rubric: Rubric, memberId: string, entries: LedgerEntry[], r: MemberRatings): PreviewScore {
    const a = assess(rubric, scoreMember(rubric, memberId, entries), r.evaluation, r.panel);
    return { rubricPoints: a.rubricPoints, total: a.total, grade: a.grade };
  }

  return {
    /** A year's versions, newest first, which is in force today, and the draft if one is open. */
    async versions(caller: MemberView, year: number): Promise<RubricVersionsResponse> {
      mustBeStaff(caller);
      checkYear(year);
      const today = chinaDate();
      const [docs, draft] = await Promise.all([deps.rubricVersions(year), draftOf(year)]);
      const inForce = inForceOf(docs, today);
      const who = await names(docs.filter((d) => !d.createdByName).map((d) => d.createdBy));
      const views = docs.map((d, i) => presentVersion(d, docs[i - 1], inForce, who));
      return {
        year,
        today,
        inForce,
        versions: views.reverse(),
        draft: draft
          ? presentDraft(
              draft,
              docs.find((d) => d.version === draft.baseVersion),
            )
          : null,
      };
    },

    /**
     * Starts the year's draft (revision 0) from the latest version, or saves it over the revision
     * the editor loaded. Returns the draft and what this step changed.
     */
    async saveDraft(
      caller: MemberView,
      year: number,
      body: SaveRubricDraftBody,
    ): Promise<{ draft: RubricDraftView; changes: RubricChange[] }> {
      mustBeStaff(caller);
      checkYear(year, body.rubric);
      const docs = await deps.rubricVersions(year);
      // A year without a version yet starts from version 0 (the client offers the standard rubric).
      const latest = docs.at(-1);
      const latestVersion = latest?.version ?? 0;
      if (body.baseVersion !== latestVersion) {
        throw new AppError(
          'ILLEGAL_TRANSITION',
          latest
            ? `Version ${latestVersion} is the latest for ${year}; a draft starts from it (reload).`
            : `${year} has no version yet; a draft starts from version 0 (reload).`,
        );
      }
      const by = { id: caller.id, name: caller.name };
      const at = new Date();
      if (body.revision === 0) {
        const changes = latest ? rubricChanges(latest.body, body.rubric) : [];
        const doc: RubricDraftDoc = {
          _id: draftKey(year),
          draftId: randomUUID(),
          year,
          baseVersion: latestVersion,
          revision: 1,
          body: body.rubric,
          history: [{ at, by, action: 'start', changes }],
          updatedAt: at,
        };
        try {
          await rawCollection(RubricDraft).insertOne(doc);
        } catch (err) {
          if (isDuplicateKey(err))
            throw new AppError('ILLEGAL_TRANSITION', `${year} already has a draft; open it, or discard it first.`);
          throw err;
        }
        return { draft: presentDraft(doc, latest), changes };
      }
      const current = await draftOf(year);
      if (!current) throw new AppError('NOT_FOUND', `${year} has no draft (it was published or discarded).`);
      if (current.revision !== body.revision || current.baseVersion !== body.baseVersion) {
        throw new AppError('ILLEGAL_TRANSITION', 'The draft was changed meanwhile; reload it.');
      }
      const changes = rubricChanges(current.body, body.rubric);
      const next: RubricDraftDoc = {
        ...current,
        revision: current.revision + 1,
        body: body.rubric,
        history: [...current.history, { at, by, action: 'save', changes }],
        updatedAt: at,
      };
      // The revision seen is the precondition: of two saves from the same revision, one wins.
      const res = await rawCollection(RubricDraft).updateOne(
        { _id: current._id, revision: current.revision },
        { $set: { revision: next.revision, body: next.body, history: next.history, updatedAt: at } },
      );
      if (res.matchedCount === 0)
        throw new AppError('ILLEGAL_TRANSITION', 'The draft was changed meanwhile; reload it.');
      return { draft: presentDraft(next, latest), changes };
    },

    /**
     * Every committee member's total and grade under the draft beside the version in force: one
     * read of the year's verified records (an equality on `year`), one of its ratings.
     */
    async preview(caller: MemberView, year: number): Promise<RubricPreviewResponse> {
      mustBeStaff(caller);
      checkYear(year);
      const [draft, docs, all, entries, ratings] = await Promise.all([
        draftOf(year),
        deps.rubricVersions(year),
        deps.committeeMembers(),
        deps.ledger.find({ year, status: 'verified' }),
        deps.ratingsOf(year),
      ]);
      if (!draft) throw new AppError('NOT_FOUND', `${year} has no draft.`);
      const inForce = inForceOf(docs, chinaDate());
      const currentDoc = docs.find((d) => d.version === inForce);
      const current = currentDoc ? toRubric(currentDoc) : null;
      const proposed: Rubric = { ...draft.body, version: draft.baseVersion + 1 };
      const byMember = new Map<string, LedgerEntry[]>();
      for (const d of entries) {
        const list = byMember.get(d.memberId) ?? [];
        list.push(toLedgerEntry(d));
        byMember.set(d.memberId, list);
      }
      const none: MemberRatings = { evaluation: [], panel: [] };
      const rows: RubricPreviewRow[] = all.map((m) => {
        const list = byMember.get(m.id) ?? [];
        const r = ratings.get(m.id) ?? none;
        const now = current ? scoreUnder(current, m.id, list, r) : null;
        const next = scoreUnder(proposed, m.id, list, r);
        return {
          member: { id: m.id, name: m.name, sectorName: m.sectorName },
          current: now,
          draft: next,
          difference: round2(next.total - (now?.total ?? 0)),
          gradeChanged: now !== null && now.grade !== next.grade,
        };
      });
      return {
        year,
        inForceVersion: inForce,
        draftRevision: draft.revision,
        rows,
        changed: rows.filter((r) => r.difference !== 0).length,
        gradeChanges: rows.filter((r) => r.gradeChanged).length,
      };
    },

    /**
     * The draft, at the revision the caller saw, becomes the next version, in force from
     * `effectiveFrom`; earlier versions stay. A publish retried after the version was stored
     * (the process stopped before the draft was removed) finds its own version and finishes.
     */
    async publish(
      caller: MemberView,
      year: number,
      body: PublishRubricDraftBody,
    ): Promise<{ version: RubricVersionView; changes: RubricChange[] }> {
      mustBeStaff(caller);
      checkYear(year);
      const today = chinaDate();
      const [draft, docs] = await Promise.all([draftOf(year), deps.rubricVersions(year)]);
      if (!draft) throw new AppError('NOT_FOUND', `${year} has no draft.`);
      if (draft.revision !== body.revision)
        throw new AppError('ILLEGAL_TRANSITION', 'The draft was changed meanwhile; reload it.');
      const own = docs.find((d) => d.draftId === draft.draftId);
      const base = docs.find((d) => d.version === draft.baseVersion);
      let doc: RubricDoc;
      if (own) {
        doc = own;
      } else {
        const latest = docs.at(-1);
        if ((latest?.version ?? 0) !== draft.baseVersion) {
          throw new AppError(
            'ILLEGAL_TRANSITION',
            `Version ${latest?.version ?? '?'} was stored after this draft started from version ${draft.baseVersion}; discard the draft and start again.`,
          );
        }
        if (body.effectiveFrom < today) {
          throw new AppError(
            'BAD_REQUEST',
            `effectiveFrom: ${body.effectiveFrom} has passed; choose ${today} or later.`,
          );
        }
        if (latest?.effectiveFrom && body.effectiveFrom < latest.effectiveFrom) {
          throw new AppError(
            'BAD_REQUEST',
            `effectiveFrom: version ${latest.version} takes force on ${latest.effectiveFrom}; choose that day or later.`,
          );
        }
        const changes = base ? rubricChanges(base.body, draft.body) : [];
        const drafter = draft.history[0]?.by ?? { id: caller.id, name: caller.name };
        const version = draft.baseVersion + 1;
        doc = {
          _id: rubricKey(year, version),
          year,
          version,
          body: draft.body,
          createdBy: caller.id,
          createdByName: caller.name,
          createdAt: new Date(),
          effectiveFrom: body.effectiveFrom,
          draftedBy: drafter,
          draftId: draft.draftId,
          changes,
        };
        try {
          await rawCollection(models.Rubric).insertOne(doc);
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          const stored = await models.Rubric.findById(doc._id).lean<RubricDoc>();
          if (stored?.draftId !== draft.draftId)
            throw new AppError('ILLEGAL_TRANSITION', 'Another version was stored meanwhile; reload.');
          doc = stored;
        }
      }
      await RubricDraft.deleteOne({ _id: draft._id, draftId: draft.draftId });
      const all = [...docs.filter((d) => d.version !== doc.version), doc].sort((a, b) => a.version - b.version);
      const inForce = inForceOf(all, today);
      const view = presentVersion(doc, base, inForce, new Map([[caller.id, caller.name]]));
      return { version: view, changes: view.changes };
    },

    /** Drops the year's draft; no version or score changes. */
    async discard(caller: MemberView, year: number): Promise<{ revision: number }> {
      mustBeStaff(caller);
      checkYear(year);
      const draft = await draftOf(year);
      if (!draft) throw new AppError('NOT_FOUND', `${year} has no draft.`);
      await RubricDraft.deleteOne({ _id: draft._id, draftId: draft.draftId });
      return { revision: draft.revision };
    },
  };
}

export type RubricEditor = ReturnType<typeof createRubricEditor>;
