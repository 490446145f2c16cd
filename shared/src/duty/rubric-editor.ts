import { z } from 'zod';
import { DutyDate } from './ledger';
import { Grade, type RubricBody, RubricBody as RubricBodySchema, type RubricRule } from './rubric';

/**
 * The rubric editor (staff): a year's versions, one draft per year started from the latest
 * version, a preview of every member's score under the draft, and publishing it as the next
 * version, in force from a date. Rules here are pure; the server stores and computes.
 */

/** One difference between two rubric bodies, as a person reads it. */
export const RubricChange = z.object({
  /** What changed: a rule, one of the six minimums, or a rubric-wide setting. */
  target: z.enum(['rule', 'minimum', 'setting']),
  /** The rule's id, the minimum's id, or the setting's name (e.g. `thresholds.excellent`). */
  id: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  /** The changed field of a rule or minimum (`points`, `cap`, `kinds`, …); null when added or removed. */
  field: z.string().nullable(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type RubricChange = z.infer<typeof RubricChange>;

/** How a change record joins a list value (a rule's kinds); screens split on it to name each. */
export const changeListSeparator = '、';

const show = (v: unknown): string =>
  v === null || v === undefined ? '—' : Array.isArray(v) ? v.join(changeListSeparator) : String(v);

function diffFields<T extends object>(
  target: RubricChange['target'],
  id: string,
  before: T,
  after: T,
  fields: ReadonlyArray<keyof T & string>,
): RubricChange[] {
  const out: RubricChange[] = [];
  for (const f of fields) {
    const a = show(before[f]);
    const b = show(after[f]);
    if (a !== b) out.push({ target, id, change: 'changed', field: f, before: a, after: b });
  }
  return out;
}

const ruleFields: ReadonlyArray<keyof RubricRule & string> = [
  'label',
  'kinds',
  'points',
  'cap',
  'onlyWithFeedback',
  'onlyKeyProposals',
];

/** What `to` changes in `from`: rules and minimums by id, then the rubric-wide settings. */
export function rubricChanges(from: RubricBody, to: RubricBody): RubricChange[] {
  const out: RubricChange[] = [];
  const oldRules = new Map(from.rules.map((r) => [r.id, r]));
  const newRules = new Map(to.rules.map((r) => [r.id, r]));
  for (const r of from.rules) {
    const next = newRules.get(r.id);
    if (!next) out.push({ target: 'rule', id: r.id, change: 'removed', field: null, before: r.label, after: null });
    else
      out.push(
        ...diffFields(
          'rule',
          r.id,
          { ...r, onlyKeyProposals: r.onlyKeyProposals === true },
          {
            ...next,
            onlyKeyProposals: next.onlyKeyProposals === true,
          },
          ruleFields,
        ),
      );
  }
  for (const r of to.rules) {
    if (!oldRules.has(r.id))
      out.push({ target: 'rule', id: r.id, change: 'added', field: null, before: null, after: r.label });
  }
  const oldMins = new Map(from.minimums.map((m) => [m.id, m]));
  const newMins = new Map(to.minimums.map((m) => [m.id, m]));
  for (const m of from.minimums) {
    const next = newMins.get(m.id);
    if (!next) out.push({ target: 'minimum', id: m.id, change: 'removed', field: null, before: m.id, after: null });
    else out.push(...diffFields('minimum', m.id, m, next, ['kinds', 'count', 'required']));
  }
  for (const m of to.minimums) {
    if (!oldMins.has(m.id))
      out.push({ target: 'minimum', id: m.id, change: 'added', field: null, before: null, after: m.id });
  }
  const settings: Array<[string, number, number]> = [
    ['allMinimumsBonus', from.allMinimumsBonus, to.allMinimumsBonus],
    ['missingMinimumDeduction', from.missingMinimumDeduction, to.missingMinimumDeduction],
    ['rubricMax', from.rubricMax, to.rubricMax],
    ['evaluationMax', from.evaluationMax, to.evaluationMax],
    ['panelMax', from.panelMax, to.panelMax],
    ['thresholds.excellent', from.thresholds.excellent, to.thresholds.excellent],
    ['thresholds.competent', from.thresholds.competent, to.thresholds.competent],
    ['thresholds.basicallyCompetent', from.thresholds.basicallyCompetent, to.thresholds.basicallyCompetent],
  ];
  for (const [id, a, b] of settings) {
    if (a !== b)
      out.push({ target: 'setting', id, change: 'changed', field: null, before: String(a), after: String(b) });
  }
  return out;
}

/**
 * The version in force on `today`: the highest version whose `effectiveFrom` has come (a version
 * without one took force when it was stored). Null when none has.
 */
export function versionInForce(
  versions: ReadonlyArray<{ version: number; effectiveFrom: string | null }>,
  today: string,
): number | null {
  let best: number | null = null;
  for (const v of versions) {
    if ((v.effectiveFrom === null || v.effectiveFrom <= today) && (best === null || v.version > best)) best = v.version;
  }
  return best;
}

const Person = z.object({ id: z.string(), name: z.string() });

/** A stored version as the editor lists it. */
export const RubricVersionView = z.object({
  version: z.number(),
  rubric: RubricBodySchema.and(z.object({ version: z.number() })),
  /** The day it takes (or took) force; null for a version stored before the editor (in force when stored). */
  effectiveFrom: z.string().nullable(),
  createdAt: z.string(),
  createdBy: Person,
  /** Who drafted it in the editor (null for versions stored otherwise). */
  draftedBy: Person.nullable(),
  /** What it changed in the version before it (empty for the first). */
  changes: z.array(RubricChange),
  state: z.enum(['inForce', 'scheduled', 'earlier']),
});
export type RubricVersionView = z.infer<typeof RubricVersionView>;

/** One step in a draft's life, kept on the draft and carried into the published version's audit. */
export const RubricDraftStep = z.object({
  at: z.string(),
  by: Person,
  action: z.enum(['start', 'save']),
  /** What this step changed in the draft before it (for `start`: nothing). */
  changes: z.array(RubricChange),
});
export type RubricDraftStep = z.infer<typeof RubricDraftStep>;

export const RubricDraftView = z.object({
  year: z.number(),
  /** The version it was started from (0: the year had none); publishing is refused once another version was stored. */
  baseVersion: z.number(),
  /** Grows with each save; a save or publish names the revision it saw. */
  revision: z.number(),
  rubric: RubricBodySchema,
  /** What it changes in its base version. */
  changes: z.array(RubricChange),
  history: z.array(RubricDraftStep),
});
export type RubricDraftView = z.infer<typeof RubricDraftView>;

/** GET /api/duty/rubrics/:year/versions (staff). Newest version first. */
export const RubricVersionsResponse = z.object({
  year: z.number(),
  today: z.string(),
  inForce: z.number().nullable(),
  versions: z.array(RubricVersionView),
  draft: RubricDraftView.nullable(),
});
export type RubricVersionsResponse = z.infer<typeof RubricVersionsResponse>;

/**
 * POST /api/duty/rubrics/:year/draft (staff): starts the year's draft (`revision` 0, from
 * `baseVersion`, the latest version) or saves it (`revision` the one the editor loaded).
 */
export const SaveRubricDraftBody = z.object({
  /** The latest version; 0 for a year that has none yet. */
  baseVersion: z.number().int().min(0),
  revision: z.number().int().min(0),
  rubric: RubricBodySchema,
});
export type SaveRubricDraftBody = z.infer<typeof SaveRubricDraftBody>;

export const RubricDraftResponse = z.object({ draft: RubricDraftView });
export type RubricDraftResponse = z.infer<typeof RubricDraftResponse>;

/** POST /api/duty/rubrics/:year/draft/publish (staff): the draft as seen becomes the next version. */
export const PublishRubricDraftBody = z.object({
  revision: z.number().int().min(1),
  /** Not before today (committee time) nor before the latest version's own date. */
  effectiveFrom: DutyDate,
});
export type PublishRubricDraftBody = z.infer<typeof PublishRubricDraftBody>;

export const PublishRubricDraftResponse = z.object({ version: RubricVersionView });
export type PublishRubricDraftResponse = z.infer<typeof PublishRubricDraftResponse>;

/** A member's total and grade under one rubric. */
export const PreviewScore = z.object({ rubricPoints: z.number(), total: z.number(), grade: Grade });
export type PreviewScore = z.infer<typeof PreviewScore>;

export const RubricPreviewRow = z.object({
  member: z.object({ id: z.string(), name: z.string(), sectorName: z.string().nullable() }),
  /** Under the version in force; null when none is. */
  current: PreviewScore.nullable(),
  draft: PreviewScore,
  /** draft.total − current.total (current counted as 0 when there is none). */
  difference: z.number(),
  gradeChanged: z.boolean(),
});
export type RubricPreviewRow = z.infer<typeof RubricPreviewRow>;

/** GET /api/duty/rubrics/:year/draft/preview (staff): every committee member under the draft and in force. */
export const RubricPreviewResponse = z.object({
  year: z.number(),
  inForceVersion: z.number().nullable(),
  draftRevision: z.number(),
  rows: z.array(RubricPreviewRow),
  /** Members whose total changes, and whose grade (优秀/称职/基本称职/不称职) changes. */
  changed: z.number(),
  gradeChanges: z.number(),
});
export type RubricPreviewResponse = z.infer<typeof RubricPreviewResponse>;
