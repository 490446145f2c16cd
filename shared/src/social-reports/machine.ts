import { z } from 'zod';
import type { Vocabulary } from '../vocabulary';

/**
 * 社情民意 (social-conditions report). A member submits it; staff edit it (the member's original is
 * kept), then adopt it (采用) at a level or decline it with a reason. An adopted report may be
 * forwarded higher (raise), get a leader's instruction (领导批示), and finally what came of it
 * (落实情况) is recorded. The member may withdraw it while it is still undecided.
 *
 *   submitted ─adopt→ adopted ─instruct→ instructed ─result→ concluded
 *       │ decline→ declined      └──────────result──────────↗
 *       └ withdraw→ withdrawn
 *
 * `declined`, `withdrawn` and `concluded` are final.
 */
export const SocialReportState = z.enum(['submitted', 'adopted', 'instructed', 'concluded', 'declined', 'withdrawn']);
export type SocialReportState = z.infer<typeof SocialReportState>;

/** The level a report was adopted or forwarded at: 市级, 省级, 全国. */
export const AdoptionLevel = z.enum(['city', 'province', 'national']);
export type AdoptionLevel = z.infer<typeof AdoptionLevel>;
export const adoptionLevelNames: Vocabulary<AdoptionLevel> = {
  'zh-CN': { city: '市级', province: '省级', national: '全国政协' },
  en: { city: 'City', province: 'Province', national: 'National' },
};

/** Higher is weightier: national > province > city. */
export const adoptionRank: Readonly<Record<AdoptionLevel, number>> = { city: 1, province: 2, national: 3 };

export const socialReportLimits = {
  maxTitleLength: 200,
  maxContentLength: 20_000,
  maxReasonLength: 500,
  maxLeaderLength: 100,
  maxInstructionLength: 4000,
  maxResultLength: 4000,
  /** One attachment, bytes (stored in MongoDB, well under its document limit). */
  maxAttachmentBytes: 5 * 1024 * 1024,
  maxAttachments: 5,
  maxFileNameLength: 200,
} as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

/** 领导批示: who instructed, at which level, what, and on which day. */
export const LeaderInstruction = z
  .object({
    leader: text(socialReportLimits.maxLeaderLength),
    level: AdoptionLevel,
    text: text(socialReportLimits.maxInstructionLength),
    date: Day,
  })
  .strict();
export type LeaderInstruction = z.infer<typeof LeaderInstruction>;

export const SocialReportActionType = z.enum(['withdraw', 'edit', 'adopt', 'decline', 'raise', 'instruct', 'result']);
export type SocialReportActionType = z.infer<typeof SocialReportActionType>;

/** One step on a report; each carries what the step records. */
export const SocialReportAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('withdraw') }).strict(),
  z
    .object({
      type: z.literal('edit'),
      title: text(socialReportLimits.maxTitleLength),
      content: text(socialReportLimits.maxContentLength),
    })
    .strict(),
  z.object({ type: z.literal('adopt'), level: AdoptionLevel }).strict(),
  z.object({ type: z.literal('decline'), reason: text(socialReportLimits.maxReasonLength) }).strict(),
  z.object({ type: z.literal('raise'), level: AdoptionLevel }).strict(),
  z.object({ type: z.literal('instruct'), instruction: LeaderInstruction }).strict(),
  z.object({ type: z.literal('result'), text: text(socialReportLimits.maxResultLength) }).strict(),
]);
export type SocialReportAction = z.infer<typeof SocialReportAction>;

/** Who may take a step: the author withdraws; staff do the rest. */
export const SocialReportActor = z.enum(['author', 'staff']);
export type SocialReportActor = z.infer<typeof SocialReportActor>;

export const socialReportActors: Readonly<Record<SocialReportActionType, readonly SocialReportActor[]>> = {
  withdraw: ['author'],
  edit: ['staff'],
  adopt: ['staff'],
  decline: ['staff'],
  raise: ['staff'],
  instruct: ['staff'],
  result: ['staff'],
};

export const mayTakeSocialReportAction = (actor: SocialReportActor, action: SocialReportActionType): boolean =>
  socialReportActors[action].includes(actor);

const legal: Record<SocialReportState, Partial<Record<SocialReportActionType, SocialReportState>>> = {
  submitted: { withdraw: 'withdrawn', edit: 'submitted', adopt: 'adopted', decline: 'declined' },
  adopted: { edit: 'adopted', raise: 'adopted', instruct: 'instructed', result: 'concluded' },
  instructed: { raise: 'instructed', instruct: 'instructed', result: 'concluded' },
  concluded: {},
  declined: {},
  withdrawn: {},
};

/** Where a report stands: its state and, once adopted, the highest level it reached. */
export interface SocialReportStanding {
  state: SocialReportState;
  level: AdoptionLevel | null;
}

export type SocialReportTransition =
  | { ok: true; state: SocialReportState; level: AdoptionLevel | null }
  | { ok: false; error: 'ILLEGAL_TRANSITION' };

/**
 * The state and level after `action`, or ILLEGAL_TRANSITION. A raise must name a level above the
 * current one (a report is never lowered); blank texts are refused the same way (parse with
 * `SocialReportAction` first for a precise message).
 */
export function socialReportTransition(from: SocialReportStanding, action: SocialReportAction): SocialReportTransition {
  const refused = { ok: false, error: 'ILLEGAL_TRANSITION' } as const;
  const next = legal[from.state][action.type];
  if (next === undefined) return refused;
  switch (action.type) {
    case 'adopt':
      return { ok: true, state: next, level: action.level };
    case 'raise':
      if (from.level === null || adoptionRank[action.level] <= adoptionRank[from.level]) return refused;
      return { ok: true, state: next, level: action.level };
    case 'decline':
      if (action.reason.trim() === '') return refused;
      break;
    case 'edit':
      if (action.title.trim() === '' || action.content.trim() === '') return refused;
      break;
    case 'result':
      if (action.text.trim() === '') return refused;
      break;
    case 'instruct':
      if (action.instruction.text.trim() === '' || action.instruction.leader.trim() === '') return refused;
      break;
    case 'withdraw':
      break;
  }
  return { ok: true, state: next, level: from.level };
}

/** Undecided: staff still owe the member a decision (the staff queue). */
export const awaitsDecision = (state: SocialReportState): boolean => state === 'submitted';

/** Adopted at some level and not withdrawn or declined: counts in the member's duty record. */
export const isAdopted = (state: SocialReportState): boolean =>
  state === 'adopted' || state === 'instructed' || state === 'concluded';

/** Final: nothing more happens to the report. */
export const isFinal = (state: SocialReportState): boolean => Object.keys(legal[state]).length === 0;
