import {
  type DutyKind,
  type DutyStatus,
  dutyKindLabels,
  type ProposalFeedback,
  standardRubric,
  yearOf,
} from '@yitang/shared';
import type { Collection, OptionalUnlessRequiredId } from 'mongodb';
import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import { type DutyEntryDoc, type DutyRatingDoc, type RubricDoc, ratingKey, rubricKey } from './scoring.model';

/** The demo's assessment year: a stored rubric and a year of records for a dozen members. */
export const demoYear = 2026;

type Group = [DutyKind, number, { feedback?: Array<ProposalFeedback | null>; status?: DutyStatus; date?: string }?];

interface DemoMember {
  id: string;
  groups: Group[];
  /** Democratic-evaluation scores (by other members) and duty-report panel scores (by staff). */
  evaluation: number[];
  panel: number[];
}

/** The plan of the demo year. Its scores and grades are worked out by hand in demo-year.test.ts. */
export const demoYearPlan: DemoMember[] = [
  {
    id: 'm-chen-liqun',
    groups: [
      ['attendedHall', 6],
      ['spoke', 5],
      ['suggested', 4],
      ['voted', 3],
      ['proposal', 2, { feedback: ['satisfied', 'basicallySatisfied'] }],
      ['socialReport', 2],
      ['research', 1],
      ['goodDeed', 2],
      ['investment', 1],
      ['training', 2],
    ],
    evaluation: [95, 90, 88, 91],
    panel: [90, 96],
  },
  {
    id: 'm-zhou-min',
    groups: [
      ['attendedOnline', 3],
      ['spoke', 2],
      ['suggested', 3],
      ['voted', 2],
      ['proposal', 1],
      ['socialReport', 1],
      ['research', 1],
      ['goodDeed', 1],
      ['training', 1],
    ],
    evaluation: [85, 80, 90],
    panel: [80, 84],
  },
  {
    id: 'm-sun-jianhua',
    groups: [
      ['attendedHall', 2],
      ['spoke', 1],
      ['proposal', 1, { feedback: ['dissatisfied'] }],
      ['socialReport', 1],
      ['research', 1],
      ['goodDeed', 1],
      ['investment', 3],
      ['inspection', 1],
    ],
    evaluation: [90, 86, 88, 92],
    panel: [88, 90],
  },
  {
    id: 'm-li-xiaoyan',
    groups: [
      ['attendedHall', 4],
      ['spoke', 3],
      ['suggested', 5],
      ['voted', 3],
      ['proposal', 3, { feedback: ['satisfied', null, null] }],
      ['socialReport', 4],
      ['goodDeed', 1],
      ['research', 1, { status: 'pending' }],
    ],
    evaluation: [90, 90],
    panel: [85, 95],
  },
  {
    id: 'm-wu-guoqiang',
    groups: [
      ['attendedOnline', 1],
      ['voted', 1],
      ['absence', 2],
      ['proposal', 1],
    ],
    evaluation: [70, 60, 65],
    panel: [60, 70],
  },
  {
    id: 'm-xu-jing',
    groups: [
      ['attendedHall', 5],
      ['spoke', 6],
      ['suggested', 2],
      ['proposal', 2, { feedback: ['satisfied', 'satisfied'] }],
      ['socialReport', 3],
      ['research', 2],
      ['goodDeed', 2],
      ['training', 4],
      ['inspection', 2],
    ],
    evaluation: [88, 86, 90, 88],
    panel: [85, 87],
  },
  {
    id: 'm-zhu-wenbin',
    groups: [
      ['attendedHall', 3],
      ['spoke', 2],
      ['suggested', 2],
      ['socialReport', 2],
      ['research', 1],
      ['goodDeed', 3],
      ['inspection', 1],
      ['training', 1],
      ['proposal', 1, { status: 'rejected' }],
    ],
    evaluation: [80, 82, 84],
    panel: [80, 80],
  },
  {
    id: 'm-ma-li',
    groups: [
      ['attendedOnline', 2],
      ['attendedHall', 2],
      ['spoke', 4],
      ['suggested', 6],
      ['voted', 4],
      ['proposal', 1, { feedback: ['basicallySatisfied'] }],
      ['socialReport', 1],
      ['research', 1],
      ['goodDeed', 1],
    ],
    evaluation: [92, 88, 90],
    panel: [86, 90],
  },
  {
    id: 'm-hu-zhiyong',
    groups: [
      ['attendedHall', 2],
      ['proposal', 1],
      ['socialReport', 1],
      ['research', 1],
      ['goodDeed', 1],
      ['investment', 2],
      ['absence', 1],
    ],
    evaluation: [84, 86],
    panel: [80, 90],
  },
  {
    id: 'm-gao-ya',
    groups: [
      ['proposal', 2],
      ['socialReport', 2],
      ['research', 1],
      ['goodDeed', 1],
      ['training', 2],
    ],
    evaluation: [],
    panel: [85, 85],
  },
  {
    id: 'm-lin-feng',
    groups: [
      ['attendedHall', 1],
      ['spoke', 1],
      ['suggested', 1],
      ['voted', 1],
      ['proposal', 1, { feedback: ['satisfied'] }],
      ['socialReport', 1],
      ['research', 1],
      ['goodDeed', 1],
      ['investment', 1],
      ['inspection', 3],
    ],
    evaluation: [90, 95, 85],
    panel: [95, 95],
  },
  {
    id: 'm-he-jun',
    groups: [
      ['research', 1, { date: `${demoYear - 1}-12-20` }],
      ['attendedHall', 2],
      ['spoke', 2],
      ['proposal', 1],
      ['socialReport', 1],
      ['goodDeed', 1],
      ['absence', 4],
    ],
    evaluation: [75, 70, 80],
    panel: [70, 80],
  },
];

/** Evaluators (members outside the dozen) and the duty-report panel (staff). */
const evaluators = ['m-guo-hong', 'm-luo-bin', 'm-liang-xue', 'm-song-tao'];
const panellists = ['s-zhou-ting', 's-li-na'];

const two = (n: number) => String(n).padStart(2, '0');

/** The demo year's records, ratings and rubric as stored documents (deterministic). */
export function demoYearDocs(at = new Date(`${demoYear}-01-01T00:00:00Z`)) {
  const entries: DutyEntryDoc[] = [];
  const ratings: DutyRatingDoc[] = [];
  for (const m of demoYearPlan) {
    let seq = 0;
    for (const [kind, count, opts] of m.groups) {
      for (let i = 0; i < count; i++) {
        seq += 1;
        // Spread over January to November, one record a few days after the last.
        const date = opts?.date ?? `${demoYear}-${two(((seq * 3) % 11) + 1)}-${two(((seq * 7) % 27) + 1)}`;
        const status = opts?.status ?? 'verified';
        const feedback = opts?.feedback?.[i] ?? null;
        entries.push({
          _id: `demo:${m.id}:${seq}`,
          memberId: m.id,
          kind,
          date,
          year: yearOf(date),
          // A readable title: the kind in Chinese and its number within the member's year.
          title: `${dutyKindLabels[kind]}（演示记录 ${seq}）`,
          source: 'import',
          status,
          sessionId: null,
          evidence: { text: '演示数据', link: null, attachmentName: null },
          proposal: kind === 'proposal' ? { department: '市政府办公室', reply: '已办理', feedback } : null,
          rejectReason: status === 'rejected' ? '材料不足' : null,
          batchId: null,
          audit: [{ at, by: panellists[0] ?? 'staff', byName: '周婷', action: 'imported', note: null }],
          createdAt: at,
        });
      }
    }
    m.evaluation.forEach((score, i) => {
      const raterId = evaluators[i] ?? `m-evaluator-${i}`;
      ratings.push({
        _id: ratingKey('evaluation', demoYear, raterId, m.id),
        kind: 'evaluation',
        year: demoYear,
        raterId,
        memberId: m.id,
        score,
        at,
      });
    });
    m.panel.forEach((score, i) => {
      const raterId = panellists[i] ?? `s-panellist-${i}`;
      ratings.push({
        _id: ratingKey('panel', demoYear, raterId, m.id),
        kind: 'panel',
        year: demoYear,
        raterId,
        memberId: m.id,
        score,
        at,
      });
    });
  }
  const rubric: RubricDoc = {
    _id: rubricKey(demoYear, 1),
    year: demoYear,
    version: 1,
    body: standardRubric(demoYear),
    createdBy: panellists[0] ?? 'staff',
    createdAt: at,
  };
  return { entries, ratings, rubric };
}

async function insertMissing<T extends { _id: string }>(collection: Collection<T>, docs: T[]) {
  if (docs.length === 0) return;
  try {
    await collection.insertMany(docs as OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: Array<{ code?: number }> | { code?: number } }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (!isDuplicateKey(err) && !(list.length > 0 && list.every((w) => w.code === 11000))) throw err;
  }
}

/** The rules the proposal and 社情民意 workflows brought (co-signatures, key proposals, adoption levels). */
export const workflowRuleIds = [
  'keyProposal',
  'cosigned',
  'socialReportCity',
  'socialReportProvince',
  'socialReportNational',
] as const;

/**
 * A demo database seeded before the workflows keeps a rubric without their rules, and the seed
 * never rewrites a stored version: the rubric in force gains the missing standard rules as the
 * next version (natural key, so two nodes seeding at once store it once). Its other rules stay
 * as staff left them; the demo year's records earn nothing under the new rules, so its scores
 * do not move.
 */
async function addWorkflowRules(models: Models): Promise<void> {
  const stored = await models.Rubric.findOne({ year: demoYear }).sort({ version: -1 }).lean<RubricDoc>();
  if (!stored) return;
  const have = new Set(stored.body.rules.map((r) => r.id));
  const missing = standardRubric(demoYear).rules.filter(
    (r) => (workflowRuleIds as readonly string[]).includes(r.id) && !have.has(r.id),
  );
  if (missing.length === 0) return;
  const version = stored.version + 1;
  await insertMissing(rawCollection(models.Rubric), [
    {
      _id: rubricKey(demoYear, version),
      year: demoYear,
      version,
      body: { ...stored.body, rules: [...stored.body.rules, ...missing] },
      createdBy: stored.createdBy,
      createdAt: new Date(),
    },
  ]);
}

/** Stores the demo year once: records, ratings and the rubric keep their natural ids. */
export async function seedDemoYear(models: Models): Promise<void> {
  const { entries, ratings, rubric } = demoYearDocs();
  await insertMissing(rawCollection(models.Rubric), [rubric]);
  await addWorkflowRules(models);
  await insertMissing(rawCollection(models.DutyEntry), entries);
  await insertMissing(rawCollection(models.DutyRating), ratings);
}
