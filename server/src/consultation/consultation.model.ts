import type { ConsultationRole } from '@yitang/shared';
import { type Connection, Schema } from 'mongoose';
import { type WindowBudgetDoc, windowBudgetSchema } from '../lib/window-budget';

/**
 * A topic's consultation (意见征集) before and after its session: its public link's code and how
 * long it stays open after the session. `_id` is the topic's id: one per topic, made on first use.
 */
export interface ConsultationDoc {
  _id: string;
  code: string;
  closeAfterDays: number;
  createdAt: Date;
}

/** A suggestion, or (with `parentId`) a reply to one. Replies join no group. */
export interface ConsultationSuggestionDoc {
  _id: string;
  topicId: string;
  groupId: string | null;
  parentId: string | null;
  authorRole: ConsultationRole;
  /** The member's id, `v:<hash>` of a citizen's browser key, or null when staff recorded it. */
  authorKey: string | null;
  authorName: string;
  /** Who recorded a citizen's suggestion received on paper or by phone. */
  recordedBy: string | null;
  text: string;
  hidden: boolean;
  createdAt: Date;
}

/** One +1: `_id` is `<suggestionId>|<supporter key>`, so a double click or two nodes make one. */
export interface ConsultationSupportDoc {
  _id: string;
  topicId: string;
  suggestionId: string;
  role: ConsultationRole;
  supporterKey: string;
  createdAt: Date;
}

export interface ConsultationGroupDoc {
  _id: string;
  topicId: string;
  number: number;
  createdAt: Date;
}

/**
 * A group brought into the live session: `_id` is the group's, so two conveners clicking at once
 * (or one twice) bring it once on any backend. `suggestionId` is `pending` until the room has it.
 */
export interface ConsultationBringDoc {
  _id: string;
  topicId: string;
  sessionId: string;
  suggestionId: string;
  at: Date;
  by: string;
  byName: string;
}

export function consultationModels(conn: Connection) {
  const Consultation = conn.model<ConsultationDoc>(
    'Consultation',
    new Schema<ConsultationDoc>(
      {
        _id: String,
        code: { type: String, required: true, unique: true },
        closeAfterDays: { type: Number, required: true },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'consultations',
  );
  const ConsultationSuggestion = conn.model<ConsultationSuggestionDoc>(
    'ConsultationSuggestion',
    new Schema<ConsultationSuggestionDoc>(
      {
        _id: String,
        topicId: { type: String, required: true, index: true },
        groupId: { type: String, default: null },
        parentId: { type: String, default: null },
        authorRole: { type: String, required: true },
        authorKey: { type: String, default: null },
        authorName: { type: String, required: true },
        recordedBy: { type: String, default: null },
        text: { type: String, required: true },
        hidden: { type: Boolean, default: false },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'consultationsuggestions',
  );
  const ConsultationSupport = conn.model<ConsultationSupportDoc>(
    'ConsultationSupport',
    new Schema<ConsultationSupportDoc>(
      {
        _id: String,
        topicId: { type: String, required: true, index: true },
        suggestionId: { type: String, required: true },
        role: { type: String, required: true },
        supporterKey: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false },
    ),
    'consultationsupports',
  );
  const groupSchema = new Schema<ConsultationGroupDoc>(
    {
      _id: String,
      topicId: { type: String, required: true },
      number: { type: Number, required: true },
      createdAt: { type: Date, required: true },
    },
    { versionKey: false },
  );
  // 第 n 组 once per topic, whoever begins a group at the same moment.
  groupSchema.index({ topicId: 1, number: 1 }, { unique: true });
  const ConsultationGroup = conn.model<ConsultationGroupDoc>('ConsultationGroup', groupSchema, 'consultationgroups');
  const ConsultationBring = conn.model<ConsultationBringDoc>(
    'ConsultationBring',
    new Schema<ConsultationBringDoc>(
      {
        _id: String,
        topicId: { type: String, required: true, index: true },
        sessionId: { type: String, required: true },
        suggestionId: { type: String, required: true },
        at: { type: Date, required: true },
        by: { type: String, required: true },
        byName: { type: String, required: true },
      },
      { versionKey: false },
    ),
    'consultationbrings',
  );
  // The public link's rate limits, held across nodes (consultation.limits.ts).
  const ConsultationQuota = conn.model<WindowBudgetDoc>(
    'ConsultationQuota',
    windowBudgetSchema(),
    'consultationquotas',
  );
  return {
    Consultation,
    ConsultationSuggestion,
    ConsultationSupport,
    ConsultationGroup,
    ConsultationBring,
    ConsultationQuota,
  };
}
