import { z } from 'zod';
import { Id } from '../domain';
import { DutyDate, ProposalFeedback } from '../duty/ledger';
import type { Vocabulary } from '../vocabulary';

/**
 * A proposal (提案) from draft to the proposer's feedback:
 *
 * draft → submitted (numbered 提案号) → accepted (立案) → assigned (交办) → replied (答复) → closed,
 * with submitted → notAccepted (不予立案), letter (转来信) or merged (并案), all final;
 * assigned → reassignRequested → accepted again (staff grant it: a new 交办) or assigned (refused);
 * replied → assigned when the proposer answers 不满意 (handled again), closed on 满意/基本满意.
 * Co-signature invitations (联名), key-proposal marking (重点提案) and chases (督办) do not move
 * the state; they are legal only in the states listed in `legal`.
 */
export const ProposalState = z.enum([
  'draft',
  'submitted',
  'accepted',
  'notAccepted',
  'letter',
  'merged',
  'assigned',
  'reassignRequested',
  'replied',
  'closed',
]);
export type ProposalState = z.infer<typeof ProposalState>;
export const proposalStateNames: Vocabulary<ProposalState> = {
  'zh-CN': {
    draft: '草稿',
    submitted: '待审查',
    accepted: '已立案',
    notAccepted: '不予立案',
    letter: '转来信处理',
    merged: '并案处理',
    assigned: '办理中',
    reassignRequested: '申请改办',
    replied: '已答复',
    closed: '办结',
  },
  en: {
    draft: 'Draft',
    submitted: 'Awaiting review',
    accepted: 'Accepted',
    notAccepted: 'Not accepted',
    letter: 'Handled as a letter',
    merged: 'Merged',
    assigned: 'Being handled',
    reassignRequested: 'Reassignment asked',
    replied: 'Answered',
    closed: 'Closed',
  },
};

export const proposalFinalStates: readonly ProposalState[] = ['notAccepted', 'letter', 'merged', 'closed'];

/** Who a proposal is in the name of: a member, or a working group, sector or party group (党派). */
export const ProposerKind = z.enum(['member', 'workingGroup', 'sector', 'partyGroup']);
export type ProposerKind = z.infer<typeof ProposerKind>;

/** How the department classifies its reply (答复). */
export const ReplyClass = z.enum(['solved', 'solving', 'planned', 'reference']);
export type ReplyClass = z.infer<typeof ReplyClass>;

export const replyClassNames: Vocabulary<ReplyClass> = {
  'zh-CN': { solved: '已解决', solving: '正在解决', planned: '列入计划', reference: '留作参考' },
  en: { solved: 'Solved', solving: 'Being solved', planned: 'Planned', reference: 'For reference' },
};
export const replyClassLabels: Readonly<Record<ReplyClass, string>> = replyClassNames['zh-CN'];

export const proposalLimits = {
  maxTitleLength: 200,
  maxCaseLength: 8000,
  maxSuggestionsLength: 8000,
  maxReasonLength: 500,
  maxNoteLength: 1000,
  maxReplyLength: 8000,
  maxCosigners: 20,
  maxCoDepartments: 5,
  maxPartyGroupLength: 50,
  /** One attachment, bytes; stored in MongoDB, well under its 16 MB document limit. */
  maxAttachmentBytes: 5 * 1024 * 1024,
  maxAttachmentsPerUpload: 5,
  maxAttachmentsPerProposal: 20,
  maxFileNameLength: 200,
  /** 交办's default deadline: three months after assignment. */
  defaultDeadlineMonths: 3,
  /** The department may ask once to be relieved of a proposal (申请改办). */
  reassignRequests: 1,
  /** Proposals on one page of the full list. */
  pageSize: 50,
} as const;

const reason = z.string().trim().min(1).max(proposalLimits.maxReasonLength);
const note = z
  .string()
  .trim()
  .max(proposalLimits.maxNoteLength)
  .optional()
  .transform((s) => (s ? s : undefined));

export const ProposalActionType = z.enum([
  'invite',
  'acceptCosign',
  'declineCosign',
  'submit',
  'accept',
  'reject',
  'toLetter',
  'merge',
  'assign',
  'requestReassign',
  'grantReassign',
  'refuseReassign',
  'reply',
  'feedback',
  'markKey',
  'chase',
]);
export type ProposalActionType = z.infer<typeof ProposalActionType>;

/** Every action but `reply`, which carries files and has its own multipart route. */
export const ProposalAction = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('invite'),
    memberIds: z
      .array(Id)
      .min(1)
      .max(proposalLimits.maxCosigners)
      .refine((ids) => new Set(ids).size === ids.length, 'each member once'),
  }),
  z.object({ type: z.literal('acceptCosign') }),
  z.object({ type: z.literal('declineCosign'), reason: reason.optional() }),
  z.object({ type: z.literal('submit') }),
  z.object({ type: z.literal('accept'), note }),
  z.object({ type: z.literal('reject'), reason }),
  z.object({ type: z.literal('toLetter'), reason }),
  z.object({ type: z.literal('merge'), into: Id, note }),
  z.object({
    type: z.literal('assign'),
    /** The lead department (主办), by its record id. */
    lead: Id,
    /** Co-handling departments (会办), by record id, none the lead. */
    co: z
      .array(Id)
      .max(proposalLimits.maxCoDepartments)
      .default([])
      .refine((ids) => new Set(ids).size === ids.length, 'each department once'),
    /** YYYY-MM-DD; three months after today when left out. */
    deadline: DutyDate.optional(),
  }),
  z.object({ type: z.literal('requestReassign'), reason }),
  z.object({ type: z.literal('grantReassign'), note }),
  z.object({ type: z.literal('refuseReassign'), reason }),
  z.object({
    type: z.literal('reply'),
    text: z.string().trim().min(1).max(proposalLimits.maxReplyLength),
    replyClass: ReplyClass,
  }),
  z.object({ type: z.literal('feedback'), value: ProposalFeedback, comment: note }),
  /** 重点提案: `leaderId` is the leader record (领导) who leads its supervision (领衔督办). */
  z.object({ type: z.literal('markKey'), leaderId: Id }),
  z.object({ type: z.literal('chase'), note }),
]);
export type ProposalAction = z.infer<typeof ProposalAction>;

/** What the machine reads of a proposal. */
export interface ProposalStatus {
  state: ProposalState;
  /** How many times the department has asked to reassign it. */
  reassignRequests: number;
}

export type ProposalTransition = { ok: true; state: ProposalState } | { ok: false; error: 'ILLEGAL_TRANSITION' };

const legal: Record<ProposalState, Partial<Record<ProposalActionType, ProposalState>>> = {
  draft: { invite: 'draft', acceptCosign: 'draft', declineCosign: 'draft', submit: 'submitted' },
  submitted: { accept: 'accepted', reject: 'notAccepted', toLetter: 'letter', merge: 'merged' },
  accepted: { assign: 'assigned', markKey: 'accepted' },
  notAccepted: {},
  letter: {},
  merged: {},
  assigned: { requestReassign: 'reassignRequested', reply: 'replied', markKey: 'assigned', chase: 'assigned' },
  reassignRequested: { grantReassign: 'accepted', refuseReassign: 'assigned', markKey: 'reassignRequested' },
  replied: { feedback: 'closed', markKey: 'replied' },
  closed: {},
};

const illegal: ProposalTransition = { ok: false, error: 'ILLEGAL_TRANSITION' };

/**
 * The state after `action`, or ILLEGAL_TRANSITION. Feedback of 不满意 sends the proposal back to
 * the department (`assigned`); a second request to reassign is refused.
 */
export function proposalTransition(
  p: ProposalStatus,
  action: { type: ProposalActionType; value?: ProposalFeedback },
): ProposalTransition {
  const next = legal[p.state][action.type];
  if (next === undefined) return illegal;
  if (action.type === 'requestReassign' && p.reassignRequests >= proposalLimits.reassignRequests) return illegal;
  if (action.type === 'feedback') {
    if (action.value === undefined) return illegal;
    return { ok: true, state: action.value === 'dissatisfied' ? 'assigned' : 'closed' };
  }
  return { ok: true, state: next };
}

/**
 * Who someone is for one proposal: its proposer (the member who drafted it, also for a group's
 * proposal), an invited co-signer, staff, an official of the lead department (主办), an official
 * of a co-handling department (会办), the leader leading its supervision.
 */
export const ProposalActor = z.enum(['proposer', 'cosigner', 'staff', 'lead', 'coHandler', 'leader']);
export type ProposalActor = z.infer<typeof ProposalActor>;

/**
 * Who may take each action. Staff review, assign and decide a reassignment request; the lead
 * department asks to reassign and replies; the proposer invites, submits and gives feedback;
 * a co-signer answers their invitation; staff and the leading leader chase. Co-handling
 * departments read the proposal and its trail: their opinions go to the lead, who replies.
 */
export const proposalActors: Readonly<Record<ProposalActionType, readonly ProposalActor[]>> = {
  invite: ['proposer'],
  acceptCosign: ['cosigner'],
  declineCosign: ['cosigner'],
  submit: ['proposer'],
  accept: ['staff'],
  reject: ['staff'],
  toLetter: ['staff'],
  merge: ['staff'],
  assign: ['staff'],
  requestReassign: ['lead'],
  grantReassign: ['staff'],
  refuseReassign: ['staff'],
  reply: ['lead'],
  feedback: ['proposer'],
  markKey: ['staff'],
  chase: ['staff', 'leader'],
};

export function mayTakeProposalAction(actor: ProposalActor, action: ProposalActionType): boolean {
  return proposalActors[action].includes(actor);
}

/** The actions `actors` may take on a proposal in `status` (for the buttons a page shows). */
export function proposalActionsFor(status: ProposalStatus, actors: readonly ProposalActor[]): ProposalActionType[] {
  return ProposalActionType.options.filter(
    (type) =>
      actors.some((a) => mayTakeProposalAction(a, type)) &&
      proposalTransition(status, type === 'feedback' ? { type, value: 'satisfied' } : { type }).ok,
  );
}

/** The proposal period (征集期): submissions are taken from `opensOn` through `closesOn`, inclusive. */
export const ProposalPeriod = z
  .object({ opensOn: DutyDate.nullable(), closesOn: DutyDate.nullable() })
  .strict()
  .refine((p) => p.opensOn === null || p.closesOn === null || p.opensOn <= p.closesOn, {
    message: 'closesOn: the period must close on or after it opens',
    path: ['closesOn'],
  });
export type ProposalPeriod = z.infer<typeof ProposalPeriod>;

/** Whether `today` (YYYY-MM-DD, committee time) falls in the period; an open end is no bound. */
export function inProposalPeriod(period: ProposalPeriod, today: string): boolean {
  return (period.opensOn === null || period.opensOn <= today) && (period.closesOn === null || today <= period.closesOn);
}

/** 提案号: the year and a sequence within it, e.g. `2026-007`. */
export function proposalNumber(year: number, seq: number): string {
  return `${year}-${String(seq).padStart(3, '0')}`;
}

/**
 * `months` calendar months after `date` (YYYY-MM-DD); a day the month does not have falls back
 * to its last day (31 Jan + 1 month = 28 or 29 Feb).
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = Math.min(d, last);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Overdue: on the department's desk and past its deadline (the deadline day is still in time). */
export function isProposalOverdue(p: { state: ProposalState; deadline: string | null }, today: string): boolean {
  return p.deadline !== null && p.deadline < today && (p.state === 'assigned' || p.state === 'reassignRequested');
}

/** On time: the first reply came on or before the deadline. */
export function repliedOnTime(deadline: string | null, firstReplyOn: string | null): boolean {
  return deadline !== null && firstReplyOn !== null && firstReplyOn <= deadline;
}
