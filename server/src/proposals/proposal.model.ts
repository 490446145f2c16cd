import type {
  CosignerView,
  ProposalActionType,
  ProposalFeedback,
  ProposalState,
  ProposerKind,
  ReplyClass,
} from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';

export interface FileMetaDoc {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
}

export interface ProposalEventDoc {
  at: Date;
  by: string;
  byName: string;
  action: ProposalActionType | 'create' | 'edit' | 'attach';
  state: ProposalState;
  note: string | null;
}

export interface ProposalReplyDoc {
  id: string;
  at: Date;
  by: string;
  byName: string;
  department: string;
  text: string;
  replyClass: ReplyClass;
  round: number;
  /** The deadline of the round this reply answers (absent on replies stored before it was kept). */
  due?: string | null;
  attachments: FileMetaDoc[];
}

/**
 * 提案. `_id` is `pp-<random>`; the number (提案号) is given on submission from a key of its own
 * (`ProposalNumber`), so two submissions can never share one. Co-signers, replies, feedback,
 * chases and the trail live inside the document, so each step and its trail line are one
 * single-document update guarded by the version it was read in (`version`, raised by every step).
 */
export interface ProposalDoc {
  _id: string;
  year: number;
  seq: number | null;
  number: string | null;
  title: string;
  case: string;
  suggestions: string;
  proposer: { kind: ProposerKind; id: string | null; name: string };
  authorId: string;
  authorName: string;
  /** The author's sector when the proposal was drafted, for the statistics. */
  sector: string | null;
  cosigners: Array<Omit<CosignerView, 'at'> & { at: Date }>;
  /** The co-signers' ids and the lead and co-handling departments' ids, for the lists' queries. */
  cosignerIds: string[];
  departmentIds: string[];
  state: ProposalState;
  reason: string | null;
  mergedInto: string | null;
  lead: { id: string; name: string } | null;
  co: Array<{ id: string; name: string }>;
  deadline: string | null;
  /** Whether the current lead department has asked to be relieved (0 or 1): asked of `reassignAskedBy`. */
  reassignRequests: number;
  /** The departments that have asked to be relieved of this proposal, each once. */
  reassignAskedBy?: string[];
  round: number;
  key: boolean;
  leader: { id: string; name: string; memberId: string | null } | null;
  chases: Array<{ at: Date; by: string; byName: string; note: string | null }>;
  attachments: FileMetaDoc[];
  replies: ProposalReplyDoc[];
  feedback: Array<{ at: Date; value: ProposalFeedback; comment: string | null; round: number }>;
  trail: ProposalEventDoc[];
  trackingId: string | null;
  submittedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** Raised by every step; a step's update names the version it read (absent: stored before, 0). */
  version?: number;
}

/** The bytes of one file of a proposal (its draft or a reply). `_id` is `<uploadId>.<n>`. */
export interface ProposalFileDoc {
  _id: string;
  proposalId: string;
  uploadId: string;
  fileName: string;
  contentType: string;
  size: number;
  data: Buffer;
  uploadedBy: string;
  at: Date;
}

/** One 提案号 taken: `_id` `<year>:<seq>`. A unique key, so one number is never given twice. */
export interface ProposalNumberDoc {
  _id: string;
  year: number;
  seq: number;
  proposalId: string;
  at: Date;
}

/** The committee's proposal settings: one document, `_id` 'period'. */
export interface ProposalSettingsDoc {
  _id: string;
  opensOn: string | null;
  closesOn: string | null;
  changedBy: string;
  changedAt: Date;
}

export const numberKey = (year: number, seq: number) => `${year}:${seq}`;
export const proposalFileKey = (uploadId: string, n: number) => `${uploadId}.${n}`;

export function proposalModels(conn: Connection) {
  const proposalSchema = new Schema<ProposalDoc>(
    {
      _id: String,
      year: { type: Number, required: true, index: true },
      seq: { type: Number, default: null },
      number: { type: String, default: null },
      title: { type: String, required: true },
      case: { type: String, required: true },
      suggestions: { type: String, required: true },
      proposer: { type: Schema.Types.Mixed, required: true },
      authorId: { type: String, required: true, index: true },
      authorName: { type: String, required: true },
      sector: { type: String, default: null },
      cosigners: { type: Schema.Types.Mixed, default: [] },
      cosignerIds: { type: [String], default: [], index: true },
      departmentIds: { type: [String], default: [], index: true },
      state: { type: String, required: true, index: true },
      reason: { type: String, default: null },
      mergedInto: { type: String, default: null },
      lead: { type: Schema.Types.Mixed, default: null },
      co: { type: Schema.Types.Mixed, default: [] },
      deadline: { type: String, default: null },
      reassignRequests: { type: Number, default: 0 },
      reassignAskedBy: { type: [String], default: [] },
      round: { type: Number, default: 1 },
      key: { type: Boolean, default: false },
      leader: { type: Schema.Types.Mixed, default: null },
      chases: { type: Schema.Types.Mixed, default: [] },
      attachments: { type: Schema.Types.Mixed, default: [] },
      replies: { type: Schema.Types.Mixed, default: [] },
      feedback: { type: Schema.Types.Mixed, default: [] },
      trail: { type: Schema.Types.Mixed, default: [] },
      trackingId: { type: String, default: null },
      submittedAt: { type: Date, default: null },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
      version: { type: Number, default: 0 },
    },
    { versionKey: false },
  );
  // A leader's desk (scope=supervised): the key proposals whose supervision they lead.
  proposalSchema.index({ 'leader.memberId': 1 });
  const Proposal = conn.model<ProposalDoc>('Proposal', proposalSchema, 'proposals');
  const ProposalFile = conn.model<ProposalFileDoc>(
    'ProposalFile',
    new Schema<ProposalFileDoc>(
      {
        _id: String,
        proposalId: { type: String, required: true, index: true },
        uploadId: { type: String, required: true, index: true },
        fileName: { type: String, required: true },
        contentType: { type: String, required: true },
        size: { type: Number, required: true },
        data: { type: Buffer, required: true },
        uploadedBy: { type: String, required: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'proposal_files',
  );
  const ProposalNumber = conn.model<ProposalNumberDoc>(
    'ProposalNumber',
    new Schema<ProposalNumberDoc>(
      {
        _id: String,
        year: { type: Number, required: true, index: true },
        seq: { type: Number, required: true },
        proposalId: { type: String, required: true, index: true },
        at: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'proposal_numbers',
  );
  const ProposalSettings = conn.model<ProposalSettingsDoc>(
    'ProposalSettings',
    new Schema<ProposalSettingsDoc>(
      {
        _id: String,
        opensOn: { type: String, default: null },
        closesOn: { type: String, default: null },
        changedBy: { type: String, required: true },
        changedAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'proposal_settings',
  );
  return { Proposal, ProposalFile, ProposalNumber, ProposalSettings };
}
