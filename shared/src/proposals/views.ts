import { z } from 'zod';
import { Id } from '../domain';
import { ProposalFeedback } from '../duty/ledger';
import {
  ProposalAction,
  ProposalActionType,
  ProposalActor,
  ProposalPeriod,
  ProposalState,
  ProposerKind,
  proposalLimits,
  ReplyClass,
} from './machine';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A new draft. A group proposal names its group; a party group (党派) is named by its name. */
export const CreateProposalBody = z
  .object({
    title: text(proposalLimits.maxTitleLength),
    /** 案由: the problem and its background. */
    case: text(proposalLimits.maxCaseLength),
    /** 建议: what the proposer asks for. */
    suggestions: text(proposalLimits.maxSuggestionsLength),
    proposer: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('member') }),
        z.object({ kind: z.literal('workingGroup'), id: Id }),
        z.object({ kind: z.literal('sector'), id: Id }),
        z.object({ kind: z.literal('partyGroup'), name: text(proposalLimits.maxPartyGroupLength) }),
      ])
      .default({ kind: 'member' }),
  })
  .strict();
export type CreateProposalBody = z.input<typeof CreateProposalBody>;

/** Changes to a draft: any of its texts. */
export const UpdateProposalBody = z
  .object({
    title: text(proposalLimits.maxTitleLength).optional(),
    case: text(proposalLimits.maxCaseLength).optional(),
    suggestions: text(proposalLimits.maxSuggestionsLength).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type UpdateProposalBody = z.infer<typeof UpdateProposalBody>;

export const ProposalActionBody = z.object({ action: ProposalAction }).strict();
export type ProposalActionBody = z.input<typeof ProposalActionBody>;

/** The reply's fields as they arrive in the multipart form (files go in `files`). */
export const ProposalReplyForm = z.object({
  text: z.string().trim().min(1).max(proposalLimits.maxReplyLength),
  replyClass: ReplyClass,
});
export type ProposalReplyForm = z.infer<typeof ProposalReplyForm>;

export const ProposalPeriodBody = ProposalPeriod;

/**
 * Which list: mine (drafted or co-signed), invitations to co-sign, staff review, my department's,
 * the key proposals whose supervision I lead (领衔督办), all.
 */
export const ProposalListScope = z.enum(['mine', 'cosign', 'review', 'department', 'supervised', 'all']);
export type ProposalListScope = z.infer<typeof ProposalListScope>;

export const ProposalListQuery = z.object({
  scope: ProposalListScope.default('mine'),
  state: ProposalState.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  /** `all` only: proposals whose title or number holds this text. */
  q: z.string().trim().max(proposalLimits.maxTitleLength).optional(),
  /** `all` only: at most this many (default `proposalLimits.pageSize`). */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** `all` only: the `next` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type ProposalListQuery = z.output<typeof ProposalListQuery>;

export const FileMeta = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  url: z.string(),
});
export type FileMeta = z.infer<typeof FileMeta>;

const Ref = z.object({ id: z.string(), name: z.string() });

export const CosignerView = z.object({
  memberId: z.string(),
  name: z.string(),
  status: z.enum(['invited', 'accepted', 'declined']),
  at: z.string(),
});
export type CosignerView = z.infer<typeof CosignerView>;

/** One line of the proposal's trail: who did what, when. */
export const ProposalEvent = z.object({
  at: z.string(),
  by: z.string(),
  byName: z.string(),
  action: z.union([ProposalActionType, z.enum(['create', 'edit', 'attach'])]),
  state: ProposalState,
  note: z.string().nullable(),
});
export type ProposalEvent = z.infer<typeof ProposalEvent>;

export const ProposalReplyView = z.object({
  id: z.string(),
  at: z.string(),
  by: z.string(),
  byName: z.string(),
  department: z.string(),
  text: z.string(),
  replyClass: ReplyClass,
  /** Which round of handling it answers (1, then 2 after a 不满意, …). */
  round: z.number(),
  attachments: z.array(FileMeta),
});
export type ProposalReplyView = z.infer<typeof ProposalReplyView>;

export const ProposalFeedbackView = z.object({
  at: z.string(),
  value: ProposalFeedback,
  comment: z.string().nullable(),
  round: z.number(),
});

export const ProposalView = z.object({
  id: z.string(),
  number: z.string().nullable(),
  year: z.number(),
  title: z.string(),
  case: z.string(),
  suggestions: z.string(),
  proposer: z.object({ kind: ProposerKind, id: z.string().nullable(), name: z.string() }),
  /** The member who drafted it and acts for the proposer. */
  author: Ref,
  sector: z.string().nullable(),
  cosigners: z.array(CosignerView),
  state: ProposalState,
  reason: z.string().nullable(),
  mergedInto: z.string().nullable(),
  lead: Ref.nullable(),
  co: z.array(Ref),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  reassignRequests: z.number(),
  round: z.number(),
  key: z.boolean(),
  leader: Ref.nullable(),
  chases: z.number(),
  attachments: z.array(FileMeta),
  replies: z.array(ProposalReplyView),
  feedback: z.array(ProposalFeedbackView),
  trail: z.array(ProposalEvent),
  submittedAt: z.string().nullable(),
  createdAt: z.string(),
  /** A follow-up item in tracking, once assigned (if tracking takes proposals). */
  trackingId: z.string().nullable(),
});
export type ProposalView = z.infer<typeof ProposalView>;

export const ProposalViewer = z.object({
  actors: z.array(ProposalActor),
  actions: z.array(ProposalActionType),
  mayEdit: z.boolean(),
});
export type ProposalViewer = z.infer<typeof ProposalViewer>;

export const ProposalResponse = z.object({ proposal: ProposalView, viewer: ProposalViewer });
export type ProposalResponse = z.infer<typeof ProposalResponse>;

/** One proposal in a list: what a line shows, without its texts, replies or trail. */
export const ProposalListItem = z.object({
  id: z.string(),
  number: z.string().nullable(),
  year: z.number(),
  title: z.string(),
  proposer: z.string(),
  author: Ref,
  state: ProposalState,
  lead: Ref.nullable(),
  deadline: z.string().nullable(),
  overdue: z.boolean(),
  key: z.boolean(),
  createdAt: z.string(),
});
export type ProposalListItem = z.infer<typeof ProposalListItem>;

/**
 * A list, newest first. `all` comes a page at a time: `next` is the cursor of the following page
 * (null at the end); the other lists are one person's or one desk's and come whole (`next` null).
 */
export const ProposalListResponse = z.object({ proposals: z.array(ProposalListItem), next: z.string().nullable() });
export type ProposalListResponse = z.infer<typeof ProposalListResponse>;

export const ProposalPeriodResponse = z.object({ period: ProposalPeriod, open: z.boolean(), today: z.string() });
export type ProposalPeriodResponse = z.infer<typeof ProposalPeriodResponse>;

/** One group's figures in the statistics. */
export const ProposalStatsRow = z.object({
  key: z.string(),
  label: z.string(),
  total: z.number(),
  /** Replied (at least once) by the deadline, of those whose deadline has passed or that replied. */
  due: z.number(),
  onTime: z.number(),
  onTimeRate: z.number().nullable(),
  satisfied: z.number(),
  basicallySatisfied: z.number(),
  dissatisfied: z.number(),
  /** (满意 + 基本满意) / all feedback. */
  satisfactionRate: z.number().nullable(),
});
export type ProposalStatsRow = z.infer<typeof ProposalStatsRow>;

export const ProposalStatsResponse = z.object({
  year: z.number(),
  total: ProposalStatsRow,
  byState: z.array(ProposalStatsRow),
  byDepartment: z.array(ProposalStatsRow),
  bySector: z.array(ProposalStatsRow),
});
export type ProposalStatsResponse = z.infer<typeof ProposalStatsResponse>;

/** What the proposal forms offer: departments, leaders, sectors and groups (names only). */
export const ProposalOptionsResponse = z.object({
  departments: z.array(z.object({ id: z.string(), name: z.string() })),
  leaders: z.array(z.object({ id: z.string(), name: z.string(), post: z.string() })),
  sectors: z.array(z.object({ id: z.string(), name: z.string() })),
  workingGroups: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ProposalOptionsResponse = z.infer<typeof ProposalOptionsResponse>;
