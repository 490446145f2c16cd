import { randomUUID } from 'node:crypto';
import {
  addMonths,
  attachmentContentTypes,
  type CreateProposalBody as CreateSchema,
  groupedStats,
  inProposalPeriod,
  isProposalOverdue,
  type MemberView,
  type OrgOverview,
  type ProposalAction,
  type ProposalActor,
  type ProposalListItem,
  type ProposalListQuery,
  type ProposalListResponse,
  type ProposalPeriod,
  type ProposalPeriodResponse,
  type ProposalReplyForm,
  type ProposalResponse,
  type ProposalState,
  type ProposalStatsInput,
  type ProposalStatsResponse,
  type ProposalView,
  proposalActionsFor,
  proposalFeedbackLabels,
  proposalLimits,
  proposalNumber,
  proposalStateNames,
  proposalTransition,
  statsRow,
  type UpdateProposalBody,
} from '@yitang/shared';
import type { z } from 'zod';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import { checkUploadedFiles, cleanFileName, type UploadedFile } from '../http/uploads';
import { KeyedSerial } from '../lib/serial';
import type { Logger } from '../logger';
import { createMemberRecords, type MemberService } from '../members/member.service';
import type { NotificationService } from '../notifications/notification.service';
import type { DerivedRecord } from '../scoring/ledger';
import { chinaDay, proposalDutyRecords } from './proposal.duty';
import {
  type FileMetaDoc,
  numberKey,
  type ProposalDoc,
  type ProposalEventDoc,
  type ProposalFileDoc,
  proposalFileKey,
} from './proposal.model';

type Create = z.output<typeof CreateSchema>;

const changedMeanwhile = 'The proposal changed meanwhile.';
/** A step's claim whose write never came (its node stopped) is taken over after this long. */
const abandonedStepMs = 60_000;
const isConflict = (err: unknown) => err instanceof AppError && err.message === changedMeanwhile;
/** Steps taken again when another step landed between their read and their write. */
const retriedOnConflict: ReadonlySet<ProposalAction['type']> = new Set([
  'invite',
  'acceptCosign',
  'declineCosign',
  'markKey',
]);

/** After 不满意 the department has this many months to handle the proposal again. */
export const rehandleDeadlineMonths = 1;

export const proposalFileUrl = (id: string) => `/api/proposals/files/${encodeURIComponent(id)}`;

const stateLabels = proposalStateNames['zh-CN'];

/** What happened to a proposal, for listeners (its tracking items follow it). */
export interface ProposalChange {
  action: ProposalEventDoc['action'];
  /** The proposal after the step. */
  proposal: ProposalView;
  /** The proposal before it (e.g. the departments a granted reassignment relieved). */
  before: ProposalView;
  by: { id: string; name: string };
  /** The member account of the key proposal's leader (领衔督办), who oversees its tracking items. */
  leaderMemberId: string | null;
}

export type ProposalListener = (change: ProposalChange) => void | Promise<void>;

/** The organisation records the workflow names: departments with their officials, leaders, sectors, groups. */
export type OrgLookup = (
  by: MemberView,
) => Promise<Pick<OrgOverview, 'departments' | 'leaders' | 'sectors' | 'workingGroups'>>;

const meta = (f: FileMetaDoc) => ({ ...f, url: proposalFileUrl(f.id) });

export function presentProposal(doc: ProposalDoc, today: string): ProposalView {
  return {
    id: doc._id,
    number: doc.number ?? null,
    year: doc.year,
    title: doc.title,
    case: doc.case,
    suggestions: doc.suggestions,
    proposer: { kind: doc.proposer.kind, id: doc.proposer.id ?? null, name: doc.proposer.name },
    author: { id: doc.authorId, name: doc.authorName },
    sector: doc.sector ?? null,
    cosigners: (doc.cosigners ?? []).map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
    state: doc.state,
    reason: doc.reason ?? null,
    mergedInto: doc.mergedInto ?? null,
    lead: doc.lead ?? null,
    co: doc.co ?? [],
    deadline: doc.deadline ?? null,
    overdue: isProposalOverdue({ state: doc.state, deadline: doc.deadline ?? null }, today),
    reassignRequests: doc.reassignRequests ?? 0,
    round: doc.round ?? 1,
    key: doc.key === true,
    leader: doc.leader ? { id: doc.leader.id, name: doc.leader.name } : null,
    // Chases are kept on the lead department's tracking item; the trail names each.
    chases: (doc.trail ?? []).filter((e) => e.action === 'chase').length,
    attachments: (doc.attachments ?? []).map(meta),
    replies: (doc.replies ?? []).map((r) => ({
      ...r,
      at: new Date(r.at).toISOString(),
      attachments: (r.attachments ?? []).map(meta),
    })),
    feedback: (doc.feedback ?? []).map((f) => ({
      at: new Date(f.at).toISOString(),
      value: f.value,
      comment: f.comment ?? null,
      round: f.round,
    })),
    trail: (doc.trail ?? []).map((e) => ({ ...e, at: new Date(e.at).toISOString(), note: e.note ?? null })),
    submittedAt: doc.submittedAt ? new Date(doc.submittedAt).toISOString() : null,
    createdAt: new Date(doc.createdAt).toISOString(),
    trackingId: doc.trackingId ?? null,
  };
}

/**
 * Proposals (提案): drafts with co-signers, submission in the proposal period with a number,
 * staff review, assignment to departments, replies with files, the proposer's feedback, key
 * proposals and chases; every step on the trail, in-app notices to whoever acts next, and the
 * duty records the proposal has earned written by natural key. Each read-check-write of a
 * proposal runs one at a time per proposal, with its state and version kept in the update filter
 * and, since FerretDB 1.x does not make a guarded update atomic (docs/architecture.md), a step key
 * per version that only one node can insert (`claimStep`). Its tracking items follow its steps
 * (proposal.tracking.ts).
 */
export function createProposalService(deps: {
  models: Models;
  members: MemberService;
  notifications: Pick<NotificationService, 'notify'>;
  org: OrgLookup;
  /** Writes duty records (the scoring ledger's `recordDerived`); absent, none are written. */
  recordDuty?: (records: DerivedRecord[], by: { id: string; name: string }) => Promise<number>;
  logger?: Logger;
  /** Today's date in committee time (tests move it). */
  today?: () => string;
  /** Chases the lead department's tracking item (tracking's `chase`, which checks the chaser's part). */
  chase?: (trackingId: string, member: MemberView, note?: string) => Promise<unknown>;
}) {
  const { Proposal, ProposalFile, ProposalNumber, ProposalSettings } = deps.models;
  const memberRecords = createMemberRecords(deps.models);
  const files = rawCollection(ProposalFile);
  /** One key per proposal and version a step moved it from (see `claimStep`). */
  const steps = Proposal.db.collection<{ _id: string; proposalId: string; at: Date }>('proposal_steps');
  const serials = new KeyedSerial();
  const listeners = new Set<ProposalListener>();
  const today = deps.today ?? (() => chinaDay(new Date()));

  async function period(): Promise<ProposalPeriod> {
    const doc = await ProposalSettings.findById('period').lean();
    return { opensOn: doc?.opensOn ?? null, closesOn: doc?.closesOn ?? null };
  }

  async function periodView(): Promise<ProposalPeriodResponse> {
    const p = await period();
    const day = today();
    return { period: p, open: inProposalPeriod(p, day), today: day };
  }

  /** Who the caller is for this proposal. */
  function actorsOf(doc: ProposalDoc, member: MemberView): ProposalActor[] {
    const actors: ProposalActor[] = [];
    if (member.id === doc.authorId) actors.push('proposer');
    if (doc.cosigners.some((c) => c.memberId === member.id && c.status === 'invited')) actors.push('cosigner');
    if (member.kind === 'staff') actors.push('staff');
    if (member.kind === 'official' && member.departmentId) {
      if (doc.lead?.id === member.departmentId) actors.push('lead');
      if (doc.co.some((d) => d.id === member.departmentId)) actors.push('coHandler');
    }
    if (doc.leader?.memberId && doc.leader.memberId === member.id) actors.push('leader');
    return actors;
  }

  /** Drafts are the author's and their invited co-signers'; afterwards staff, departments and the leader read too. */
  function mayView(doc: ProposalDoc, member: MemberView): boolean {
    if (member.id === doc.authorId || doc.cosigners.some((c) => c.memberId === member.id)) return true;
    if (doc.state === 'draft') return false;
    return actorsOf(doc, member).length > 0;
  }

  async function load(id: string, member: MemberView): Promise<ProposalDoc> {
    const doc = await Proposal.findById(id).lean<ProposalDoc>();
    // Someone with no part in a proposal learns nothing about it, not even that it exists.
    if (!doc || !mayView(doc, member)) throw new AppError('NOT_FOUND', 'No such proposal.');
    return doc;
  }

  function respond(doc: ProposalDoc, member: MemberView): ProposalResponse {
    const actors = actorsOf(doc, member);
    return {
      proposal: presentProposal(doc, today()),
      viewer: {
        actors,
        actions: proposalActionsFor({ state: doc.state, reassignRequests: doc.reassignRequests ?? 0 }, actors),
        mayEdit: doc.state === 'draft' && actors.includes('proposer'),
      },
    };
  }

  /**
   * One guarded update (its refusal: `isConflict`): the proposal must still be at the version it was read at, so two steps
   * that keep the state (two co-signers answering, an invitation and a key marking) cannot both
   * write what they read, on one node or two. Every step raises the version.
   */
  async function write(doc: ProposalDoc, update: Record<string, unknown>): Promise<void> {
    await claimStep(doc);
    const version = doc.version === undefined ? trusted({ $exists: false }) : doc.version;
    const inc = { ...((update.$inc as Record<string, number> | undefined) ?? {}), version: 1 };
    const res = await Proposal.updateOne({ _id: doc._id, state: doc.state, version }, { ...update, $inc: inc });
    if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
  }

  /**
   * FerretDB 1.x applies a guarded update as a read and a separate write (docs/architecture.md),
   * so on two nodes both steps read at one version could pass the filter. A key can be inserted
   * once only, everywhere: each step first inserts `<proposal>:<version it read>`, and the loser
   * of two steps from one version is refused before it writes. A claim whose step never wrote
   * (its node stopped in between) is taken over once it is a minute old and the proposal has
   * not moved.
   */
  async function claimStep(doc: ProposalDoc): Promise<void> {
    const from = doc.version ?? 0;
    const _id = `${doc._id}:${from}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await steps.insertOne({ _id, proposalId: doc._id, at: new Date() });
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await steps.findOne({ _id });
      const stored = await Proposal.findById(doc._id, { version: 1 }).lean<Pick<ProposalDoc, 'version'>>();
      const stale = held && Date.now() - new Date(held.at).getTime() > abandonedStepMs;
      if (attempt > 1 || !stale || (stored?.version ?? 0) !== from) {
        throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
      }
      await steps.deleteOne({ _id, at: held.at });
    }
  }

  const event = (
    member: MemberView,
    action: ProposalEventDoc['action'],
    state: ProposalState,
    note: string | null = null,
  ): ProposalEventDoc => ({ at: new Date(), by: member.id, byName: member.name, action, state, note });

  async function afterChange(
    before: ProposalDoc,
    doc: ProposalDoc,
    action: ProposalEventDoc['action'],
    by: MemberView,
  ): Promise<void> {
    const who = { id: by.id, name: by.name };
    try {
      await notifyFor(before, doc, action, by);
    } catch (err) {
      deps.logger?.error({ err, proposalId: doc._id }, 'proposal notice failed');
    }
    try {
      if (deps.recordDuty) await deps.recordDuty(proposalDutyRecords(doc), who);
    } catch (err) {
      deps.logger?.error({ err, proposalId: doc._id }, 'proposal duty records failed');
    }
    const view = presentProposal(doc, today());
    const was = presentProposal(before, today());
    for (const listener of listeners) {
      await Promise.resolve()
        .then(() =>
          listener({ action, proposal: view, before: was, by: who, leaderMemberId: doc.leader?.memberId ?? null }),
        )
        .catch((err: unknown) => deps.logger?.error({ err, proposalId: doc._id }, 'proposal listener failed'));
    }
  }

  /** The officials of these departments: one read by department record, not the whole organisation. */
  async function officialsOf(departmentIds: string[]): Promise<string[]> {
    const found = await Promise.all([...new Set(departmentIds)].map((id) => memberRecords.officialsOf(id)));
    return found.flat().map((o) => o._id);
  }

  /** Tells whoever must act next. One notice per step and person (the key names the step). */
  async function notifyFor(
    before: ProposalDoc,
    doc: ProposalDoc,
    action: ProposalEventDoc['action'],
    by: MemberView,
  ): Promise<void> {
    const key = `proposal:${doc._id}:${doc.trail.length}`;
    const link = `/proposals/${encodeURIComponent(doc._id)}`;
    const params = { title: doc.title, by: by.name };
    const staff = () => memberRecords.idsOfKind(['staff']);
    const lead = () => officialsOf(doc.lead ? [doc.lead.id] : []);
    const signed = () => doc.cosigners.filter((c) => c.status === 'accepted').map((c) => c.memberId);
    switch (action) {
      case 'invite': {
        const invited = doc.cosigners.filter((c) => c.status === 'invited').map((c) => c.memberId);
        return deps.notifications.notify(invited, { key, kind: 'proposalCosign', params, link });
      }
      case 'acceptCosign':
      case 'declineCosign':
        // The proposer hears each answer (it decides whether to submit or invite others).
        return deps.notifications.notify([doc.authorId], {
          key,
          kind: 'proposalCosignAnswered',
          params: { ...params, answer: action === 'acceptCosign' ? 'accepted' : 'declined' },
          link,
        });
      case 'grantReassign':
        // The departments relieved of it stop counting it as theirs.
        return deps.notifications.notify(
          await officialsOf([...(before.lead ? [before.lead.id] : []), ...before.co.map((d) => d.id)]),
          { key, kind: 'proposalRelieved', params, link },
        );
      case 'submit':
        // Staff review it; those who signed it hear that it went in.
        return deps.notifications.notify([...(await staff()), ...signed()], {
          key,
          kind: 'proposalSubmitted',
          params,
          link,
        });
      case 'accept':
      case 'reject':
      case 'toLetter':
      case 'merge': {
        // The proposer and its co-signers; merged, also the proposer of the one it went into,
        // led to theirs (they may not read this one).
        const params2 = { ...params, state: doc.state };
        if (action === 'merge' && doc.mergedInto) {
          const into = await Proposal.findById(doc.mergedInto, { authorId: 1 }).lean<Pick<ProposalDoc, 'authorId'>>();
          if (into && into.authorId !== doc.authorId) {
            await deps.notifications.notify([into.authorId], {
              key,
              kind: 'proposalDecided',
              params: params2,
              link: `/proposals/${encodeURIComponent(doc.mergedInto)}`,
            });
          }
        }
        // Keys, not words: the reader's language says them.
        return deps.notifications.notify([...new Set([doc.authorId, ...signed()])], {
          key,
          kind: 'proposalDecided',
          params: params2,
          link,
        });
      }
      case 'assign':
      case 'refuseReassign':
        return deps.notifications.notify(
          await officialsOf([...(doc.lead ? [doc.lead.id] : []), ...doc.co.map((d) => d.id)]),
          {
            key,
            kind: 'proposalAssigned',
            params: { ...params, deadline: doc.deadline ?? '' },
            link,
          },
        );
      case 'requestReassign':
        return deps.notifications.notify(await staff(), {
          key,
          kind: 'proposalReassignRequested',
          params: { ...params, reason: doc.trail.at(-1)?.note ?? '' },
          link,
        });
      case 'reply':
        // The proposer gives feedback; staff, who follow every proposal, hear that it was answered.
        await deps.notifications.notify([doc.authorId], { key, kind: 'proposalReplied', params, link });
        return deps.notifications.notify(await staff(), {
          key,
          kind: 'proposalReplyFiled',
          params: { ...params, department: doc.lead?.name ?? '' },
          link,
        });
      case 'feedback': {
        const value = doc.feedback.at(-1)?.value;
        return deps.notifications.notify([...(await lead()), ...(await staff())], {
          key,
          kind: 'proposalFeedback',
          params: { ...params, feedback: value ?? '' },
          link,
        });
      }
      case 'chase':
        // A chase through the tracking item is announced there (trackingChased), once.
        if (doc.trackingId && deps.chase) return;
        return deps.notifications.notify(await lead(), { key, kind: 'proposalChased', params, link });
      case 'markKey':
        return deps.notifications.notify(doc.leader?.memberId ? [doc.leader.memberId] : [], {
          key,
          kind: 'proposalKey',
          params,
          link,
        });
      default:
        return;
    }
  }

  /** Takes the next 提案号 of the year for this proposal (or the one it already took). */
  async function takeNumber(proposalId: string, year: number): Promise<{ _id: string; seq: number }> {
    const held = await ProposalNumber.findOne({ proposalId, year }).lean();
    if (held) return held;
    const last = await ProposalNumber.find({ year }).sort({ seq: -1 }).limit(1).lean();
    let seq = (last[0]?.seq ?? 0) + 1;
    // The unique key decides between two servers taking the same number: the loser takes the next.
    for (;;) {
      const _id = numberKey(year, seq);
      try {
        await rawCollection(ProposalNumber).insertOne({ _id, year, seq, proposalId, at: new Date() });
        return { _id, seq };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        seq += 1;
      }
    }
  }

  /** Stores uploaded files under one upload id; returns their metadata. */
  async function storeFiles(doc: ProposalDoc, member: MemberView, uploaded: UploadedFile[]): Promise<FileMetaDoc[]> {
    checkFiles(uploaded);
    if (uploaded.length === 0) return [];
    const uploadId = `pf-${randomUUID()}`;
    const now = new Date();
    const stored: ProposalFileDoc[] = uploaded.map((f, n) => ({
      _id: proposalFileKey(uploadId, n),
      proposalId: doc._id,
      uploadId,
      fileName: cleanFileName(f.originalname, proposalLimits.maxFileNameLength),
      contentType: f.mimetype,
      size: f.size,
      data: f.buffer,
      uploadedBy: member.id,
      at: now,
    }));
    await files.insertMany(stored);
    return stored.map((s) => ({ id: s._id, fileName: s.fileName, contentType: s.contentType, size: s.size }));
  }

  const dropUpload = (metas: FileMetaDoc[]) =>
    metas.length === 0
      ? Promise.resolve()
      : files
          .deleteMany({ _id: trusted({ $in: metas.map((m) => m.id) }) })
          .then(() => undefined)
          .catch((err: unknown) => deps.logger?.error({ err }, 'could not remove the files of a refused upload'));

  /** Runs one step of a proposal, one at a time per proposal. */
  function change<T>(id: string, member: MemberView, task: (doc: ProposalDoc) => Promise<T>): Promise<T> {
    return serials.run(id, async () => task(await load(id, member)));
  }

  function refuse(doc: ProposalDoc, type: ProposalAction['type'] | 'reply', actors: ProposalActor[]): never {
    if (actors.length === 0) throw new AppError('FORBIDDEN', 'You have no part in this proposal.');
    const known = proposalActionsFor({ state: doc.state, reassignRequests: doc.reassignRequests ?? 0 }, [
      'proposer',
      'cosigner',
      'staff',
      'lead',
      'coHandler',
      'leader',
    ]);
    if (!known.includes(type)) {
      throw new AppError('ILLEGAL_TRANSITION', `A proposal that is ${doc.state} cannot take "${type}".`);
    }
    throw new AppError('FORBIDDEN', `Your part in this proposal may not "${type}" it.`);
  }

  function allowed(doc: ProposalDoc, member: MemberView, type: ProposalAction['type'] | 'reply'): ProposalActor[] {
    const actors = actorsOf(doc, member);
    const may = proposalActionsFor({ state: doc.state, reassignRequests: doc.reassignRequests ?? 0 }, actors);
    if (!may.includes(type)) refuse(doc, type, actors);
    return actors;
  }

  /** Applies one action (not the reply) to a loaded proposal: checks, the guarded write, the new document. */
  async function apply(doc: ProposalDoc, action: ProposalAction, member: MemberView): Promise<ProposalDoc> {
    allowed(doc, member, action.type);
    const next = proposalTransition(
      { state: doc.state, reassignRequests: doc.reassignRequests ?? 0 },
      action.type === 'feedback' ? { type: action.type, value: action.value } : { type: action.type },
    );
    if (!next.ok) throw new AppError('ILLEGAL_TRANSITION', `A proposal that is ${doc.state} cannot ${action.type}.`);
    const state = next.state;
    const now = new Date();
    const set: Partial<ProposalDoc> & Record<string, unknown> = { state, updatedAt: now };
    let note: string | null = null;
    let push: Record<string, unknown> = {};
    switch (action.type) {
      case 'invite': {
        const people = await deps.members.getMany(action.memberIds);
        const committee = people.filter((p) => p.kind === 'member' && p.status === 'serving');
        const unknown = action.memberIds.filter((id) => !committee.some((p) => p.id === id));
        if (unknown.length > 0) {
          throw new AppError('BAD_REQUEST', `memberIds: not serving committee members: ${unknown.join(', ')}`);
        }
        if (action.memberIds.includes(doc.authorId)) {
          throw new AppError('BAD_REQUEST', 'memberIds: the proposer does not co-sign their own proposal.');
        }
        // Someone who has signed stays signed: inviting them again changes nothing.
        const signed = new Set(doc.cosigners.filter((c) => c.status === 'accepted').map((c) => c.memberId));
        const fresh = committee.filter((p) => !signed.has(p.id));
        if (fresh.length === 0) throw new AppError('BAD_REQUEST', 'memberIds: they have all co-signed already.');
        const kept = doc.cosigners.filter((c) => !fresh.some((p) => p.id === c.memberId));
        if (kept.length + fresh.length > proposalLimits.maxCosigners) {
          throw new AppError('BAD_REQUEST', `memberIds: at most ${proposalLimits.maxCosigners} co-signers.`);
        }
        const cosigners = [
          ...kept,
          ...fresh.map((p) => ({ memberId: p.id, name: p.name, status: 'invited' as const, at: now })),
        ];
        set.cosigners = cosigners;
        set.cosignerIds = cosigners.map((c) => c.memberId);
        note = fresh.map((p) => p.name).join('、');
        break;
      }
      case 'acceptCosign':
      case 'declineCosign': {
        const status = action.type === 'acceptCosign' ? ('accepted' as const) : ('declined' as const);
        set.cosigners = doc.cosigners.map((c) => (c.memberId === member.id ? { ...c, status, at: now } : c));
        note = action.type === 'declineCosign' ? (action.reason ?? null) : null;
        break;
      }
      case 'submit': {
        const p = await period();
        const day = today();
        if (!inProposalPeriod(p, day)) {
          throw new AppError(
            'ILLEGAL_TRANSITION',
            `Proposals are taken from ${p.opensOn ?? 'any day'} to ${p.closesOn ?? 'any day'}; today is ${day}.`,
          );
        }
        const year = Number(day.slice(0, 4));
        const taken = await takeNumber(doc._id, year);
        set.year = year;
        set.seq = taken.seq;
        set.number = proposalNumber(year, taken.seq);
        set.submittedAt = now;
        // Invitations nobody answered lapse: the submitted proposal is signed by those who signed,
        // and nobody is left a co-signer able to answer a proposal that is no longer a draft.
        const lapsed = doc.cosigners.filter((c) => c.status === 'invited');
        if (lapsed.length > 0) {
          set.cosigners = doc.cosigners.filter((c) => c.status !== 'invited');
          set.cosignerIds = set.cosigners.map((c) => c.memberId);
        }
        note = [
          set.number,
          ...(lapsed.length ? [`未答复的联名邀请失效：${lapsed.map((c) => c.name).join('、')}`] : []),
        ].join('；');
        try {
          await write(doc, { $set: set, $push: { trail: event(member, 'submit', state, note) } });
        } catch (err) {
          // The number goes back only if this proposal did not keep it (a refused write).
          await ProposalNumber.deleteOne({ _id: taken._id, proposalId: doc._id });
          throw err;
        }
        return { ...doc, ...set, trail: [...doc.trail, event(member, 'submit', state, note)] } as ProposalDoc;
      }
      case 'accept':
        note = action.note ?? null;
        break;
      case 'reject':
      case 'toLetter':
        set.reason = action.reason;
        note = action.reason;
        break;
      case 'merge': {
        if (action.into === doc._id) throw new AppError('BAD_REQUEST', 'into: a proposal is not merged into itself.');
        const target = await Proposal.findById(action.into, { state: 1, number: 1 }).lean();
        if (!target || ['draft', 'notAccepted', 'letter', 'merged', 'closed'].includes(target.state)) {
          throw new AppError('BAD_REQUEST', 'into: name a submitted proposal that is still open.');
        }
        set.mergedInto = action.into;
        note = [target.number ?? action.into, action.note].filter(Boolean).join(' · ');
        break;
      }
      case 'assign': {
        if (action.co.includes(action.lead)) {
          throw new AppError('BAD_REQUEST', 'co: the lead department is not also a co-handling department.');
        }
        const { departments } = await deps.org(member);
        const find = (id: string) => departments.find((d) => d.id === id);
        const lead = find(action.lead);
        const missing = [action.lead, ...action.co].filter((id) => !find(id));
        if (!lead || missing.length > 0) throw new AppError('BAD_REQUEST', `No such department: ${missing.join(', ')}`);
        const day = today();
        const deadline = action.deadline ?? addMonths(day, proposalLimits.defaultDeadlineMonths);
        if (deadline < day) throw new AppError('BAD_REQUEST', 'deadline: the deadline is in the past.');
        set.lead = { id: lead.id, name: lead.name };
        set.co = action.co.map((id) => ({ id, name: find(id)?.name ?? id }));
        set.departmentIds = [lead.id, ...action.co];
        set.deadline = deadline;
        // Each department may ask once to be relieved: a new lead that has not asked may ask.
        set.reassignRequests = (doc.reassignAskedBy ?? []).includes(lead.id) ? 1 : 0;
        note = [
          `主办：${lead.name}`,
          ...(action.co.length ? [`会办：${set.co.map((d) => d.name).join('、')}`] : []),
          `期限：${deadline}`,
        ].join('；');
        break;
      }
      case 'requestReassign':
        set.reassignRequests = (doc.reassignRequests ?? 0) + 1;
        if (doc.lead) set.reassignAskedBy = [...new Set([...(doc.reassignAskedBy ?? []), doc.lead.id])];
        note = action.reason;
        break;
      case 'grantReassign':
        // Back to staff for a new 交办: the old departments are relieved.
        set.lead = null;
        set.co = [];
        set.departmentIds = [];
        set.deadline = null;
        note = action.note ?? null;
        break;
      case 'refuseReassign':
        note = action.reason;
        break;
      case 'feedback': {
        const round = doc.round ?? 1;
        push = { feedback: { at: now, value: action.value, comment: action.comment ?? null, round } };
        if (action.value === 'dissatisfied') {
          // Handled again: a new round with a deadline of its own, counted on its own for on-time.
          set.round = round + 1;
          set.deadline = addMonths(today(), rehandleDeadlineMonths);
        }
        note = [proposalFeedbackLabels[action.value], action.comment].filter(Boolean).join('：');
        break;
      }
      case 'markKey': {
        const { leaders } = await deps.org(member);
        const leader = leaders.find((l) => l.id === action.leaderId);
        if (!leader) throw new AppError('BAD_REQUEST', 'leaderId: no such leader.');
        set.key = true;
        set.leader = { id: leader.id, name: leader.name, memberId: leader.memberId ?? null };
        note = leader.name;
        break;
      }
      case 'chase': {
        // One chase log: the lead department's tracking item's, with its escalation and notice
        // (docs/protocol.md). A proposal assigned before it had an item keeps its own.
        if (doc.trackingId && deps.chase) {
          await deps.chase(doc.trackingId, member, action.note);
        } else {
          push = { chases: { at: now, by: member.id, byName: member.name, note: action.note ?? null } };
        }
        note = action.note ?? null;
        break;
      }
    }
    const line = event(member, action.type, state, note);
    await write(doc, { $set: set, $push: { ...push, trail: line } });
    const after = { ...doc, ...set, trail: [...doc.trail, line] } as ProposalDoc;
    if ('feedback' in push) after.feedback = [...doc.feedback, push.feedback as ProposalDoc['feedback'][number]];
    if ('chases' in push) after.chases = [...doc.chases, push.chases as ProposalDoc['chases'][number]];
    return after;
  }

  /** The full list (staff), submitted proposals newest first, one page at a time. */
  async function listAll(query: ProposalListQuery, member: MemberView): Promise<ProposalListResponse> {
    if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'The full list is staff’s.');
    const limit = query.limit ?? proposalLimits.pageSize;
    const and: Array<Record<string, unknown>> = [{ state: query.state ?? trusted({ $ne: 'draft' as ProposalState }) }];
    if (query.year) and.push({ year: query.year });
    if (query.q) {
      const text = trusted({ $regex: escapeRegex(query.q) });
      and.push({ $or: [{ title: text }, { number: text }] });
    }
    if (query.cursor) {
      const after = parseCursor(query.cursor);
      and.push({
        $or: [{ createdAt: trusted({ $lt: after.at }) }, { createdAt: after.at, _id: trusted({ $gt: after.id }) }],
      });
    }
    const docs = await Proposal.find(and.length === 1 ? (and[0] ?? {}) : { $and: and }, listFields)
      .sort({ createdAt: -1, _id: 1 })
      .limit(limit + 1)
      .lean<ListedDoc[]>();
    const page = docs.slice(0, limit);
    const last = page.at(-1);
    const day = today();
    return {
      proposals: page.map((d) => presentListItem(d, day)),
      next: docs.length > limit && last ? `${new Date(last.createdAt).toISOString()}|${last._id}` : null,
    };
  }

  return {
    /** Calls `listener` after every step. Returns an unsubscribe. */
    onChange(listener: ProposalListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    period: periodView,

    async setPeriod(body: ProposalPeriod, member: MemberView): Promise<ProposalPeriodResponse> {
      if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff set the proposal period.');
      await ProposalSettings.replaceOne(
        { _id: 'period' },
        { opensOn: body.opensOn, closesOn: body.closesOn, changedBy: member.id, changedAt: new Date() },
        { upsert: true },
      );
      return periodView();
    },

    /** A new draft by `member`, in their own name or their group's. */
    async create(input: Create, member: MemberView): Promise<ProposalResponse> {
      if (member.kind !== 'member' && member.kind !== 'staff') {
        throw new AppError('FORBIDDEN', 'Committee members (and staff for a group) draft proposals.');
      }
      let proposer: ProposalDoc['proposer'];
      const p = input.proposer;
      if (p.kind === 'member') {
        if (member.kind !== 'member')
          throw new AppError('FORBIDDEN', 'Only committee members propose in their own name.');
        proposer = { kind: 'member', id: member.id, name: member.name };
      } else if (p.kind === 'partyGroup') {
        // Party groups are not organisation records with members (server/src/org has none), so
        // nobody's membership can be checked: only staff enter a proposal in a party group's name.
        if (member.kind !== 'staff') {
          throw new AppError('FORBIDDEN', 'Only staff enter a proposal in a party group’s name.');
        }
        proposer = { kind: 'partyGroup', id: null, name: p.name };
      } else {
        const { sectors, workingGroups } = await deps.org(member);
        const list = p.kind === 'sector' ? sectors : workingGroups;
        const group = list.find((g) => g.id === p.id);
        if (!group) throw new AppError('BAD_REQUEST', `proposer.id: no such ${p.kind}.`);
        const own = p.kind === 'sector' ? member.sectorId : member.workingGroupId;
        if (member.kind !== 'staff' && own !== p.id) {
          throw new AppError('FORBIDDEN', 'Only its own members (or staff) propose in a group’s name.');
        }
        proposer = { kind: p.kind, id: group.id, name: group.name };
      }
      const now = new Date();
      const doc: ProposalDoc = {
        _id: `pp-${randomUUID().slice(0, 8)}`,
        year: Number(today().slice(0, 4)),
        seq: null,
        number: null,
        title: input.title,
        case: input.case,
        suggestions: input.suggestions,
        proposer,
        authorId: member.id,
        authorName: member.name,
        sector: member.sectorName ?? null,
        cosigners: [],
        cosignerIds: [],
        departmentIds: [],
        state: 'draft',
        reason: null,
        mergedInto: null,
        lead: null,
        co: [],
        deadline: null,
        reassignRequests: 0,
        round: 1,
        key: false,
        leader: null,
        chases: [],
        attachments: [],
        replies: [],
        feedback: [],
        trail: [event(member, 'create', 'draft', proposer.name)],
        trackingId: null,
        submittedAt: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      };
      await rawCollection(Proposal).insertOne(doc);
      return respond(doc, member);
    },

    async get(id: string, member: MemberView): Promise<ProposalResponse> {
      return respond(await load(id, member), member);
    },

    /** Changes a draft's texts (its proposer). */
    update(id: string, body: UpdateProposalBody, member: MemberView): Promise<ProposalResponse> {
      return change(id, member, async (doc) => {
        if (!actorsOf(doc, member).includes('proposer')) throw new AppError('FORBIDDEN', 'Only the proposer edits.');
        if (doc.state !== 'draft') throw new AppError('ILLEGAL_TRANSITION', 'Only a draft is edited.');
        const set = { ...body, updatedAt: new Date() };
        const line = event(member, 'edit', 'draft', Object.keys(body).join(', '));
        await write(doc, { $set: set, $push: { trail: line } });
        return respond({ ...doc, ...body, trail: [...doc.trail, line] }, member);
      });
    },

    /** Refuses anyone but the draft's proposer before their files are read. */
    async checkAttacher(id: string, member: MemberView): Promise<void> {
      const doc = await load(id, member);
      if (!actorsOf(doc, member).includes('proposer')) throw new AppError('FORBIDDEN', 'Only the proposer adds files.');
      if (doc.state !== 'draft') throw new AppError('ILLEGAL_TRANSITION', 'Files are added to a draft.');
    },

    /** Adds files to a draft. */
    attach(id: string, member: MemberView, uploaded: UploadedFile[]): Promise<ProposalResponse> {
      return change(id, member, async (doc) => {
        if (!actorsOf(doc, member).includes('proposer'))
          throw new AppError('FORBIDDEN', 'Only the proposer adds files.');
        if (doc.state !== 'draft') throw new AppError('ILLEGAL_TRANSITION', 'Files are added to a draft.');
        if (uploaded.length === 0) throw new AppError('BAD_REQUEST', 'files: choose at least one file.');
        if (doc.attachments.length + uploaded.length > proposalLimits.maxAttachmentsPerProposal) {
          throw new AppError('PAYLOAD_TOO_LARGE', `At most ${proposalLimits.maxAttachmentsPerProposal} files.`);
        }
        const metas = await storeFiles(doc, member, uploaded);
        const line = event(member, 'attach', 'draft', metas.map((m) => m.fileName).join('、'));
        try {
          await write(doc, { $set: { updatedAt: new Date() }, $push: { attachments: { $each: metas }, trail: line } });
        } catch (err) {
          await dropUpload(metas);
          throw err;
        }
        return respond({ ...doc, attachments: [...doc.attachments, ...metas], trail: [...doc.trail, line] }, member);
      });
    },

    /** One step; an illegal one is refused with ILLEGAL_TRANSITION, a wrong actor with FORBIDDEN. */
    async act(id: string, action: ProposalAction, member: MemberView): Promise<ProposalResponse> {
      const step = () =>
        change(id, member, async (doc) => ({
          before: doc,
          after: await apply(doc, action, member),
        }));
      let done: Awaited<ReturnType<typeof step>> | null = null;
      // A step that keeps the state and touches only its own part (a co-signer's answer, an
      // invitation, a key marking) is taken again on what is stored when another step landed
      // between its read and its write (on another node): checked afresh, it loses nothing. Each
      // refusal means another step landed, so as many tries as there can be co-signers answering
      // at once (and a few) suffice.
      for (let attempt = 1; done === null; attempt += 1) {
        try {
          done = await step();
        } catch (err) {
          const again = attempt <= proposalLimits.maxCosigners + 2;
          if (!(again && retriedOnConflict.has(action.type) && isConflict(err))) throw err;
        }
      }
      const { before, after } = done;
      await afterChange(before, after, action.type, member);
      // A listener may have added to it (交办 notes the tracking item): answer with what is stored.
      const stored = action.type === 'assign' ? await Proposal.findById(id).lean<ProposalDoc>() : null;
      return respond(stored ?? after, member);
    },

    /** Refuses anyone but the lead department before their files are read. */
    async checkReplier(id: string, member: MemberView): Promise<void> {
      allowed(await load(id, member), member, 'reply');
    },

    /** The lead department's reply (答复) with its files and class. */
    async reply(
      id: string,
      member: MemberView,
      form: ProposalReplyForm,
      uploaded: UploadedFile[],
    ): Promise<ProposalResponse> {
      checkFiles(uploaded);
      const { before, after } = await change(id, member, async (doc) => {
        allowed(doc, member, 'reply');
        const next = proposalTransition(
          { state: doc.state, reassignRequests: doc.reassignRequests ?? 0 },
          { type: 'reply' },
        );
        if (!next.ok) throw new AppError('ILLEGAL_TRANSITION', `A proposal that is ${doc.state} takes no reply.`);
        const metas = await storeFiles(doc, member, uploaded);
        const now = new Date();
        const reply = {
          id: `rp-${randomUUID().slice(0, 8)}`,
          at: now,
          by: member.id,
          byName: member.name,
          department: doc.lead?.name ?? '',
          text: form.text,
          replyClass: form.replyClass,
          round: doc.round ?? 1,
          due: doc.deadline ?? null,
          attachments: metas,
        };
        const line = event(member, 'reply', next.state, form.replyClass);
        try {
          await write(doc, { $set: { state: next.state, updatedAt: now }, $push: { replies: reply, trail: line } });
        } catch (err) {
          await dropUpload(metas);
          throw err;
        }
        const updated = { ...doc, state: next.state, replies: [...doc.replies, reply], trail: [...doc.trail, line] };
        return { before: doc, after: updated };
      });
      await afterChange(before, after, 'reply', member);
      return respond(after, member);
    },

    /**
     * Proposals in one list, newest first, each without its texts. `all` (staff) comes a page at
     * a time (`limit`, `cursor`: the previous page's `next`; `q` searches titles and numbers);
     * the others are one person's or one desk's and come whole.
     */
    async list(query: ProposalListQuery, member: MemberView): Promise<ProposalListResponse> {
      const { scope, state, year } = query;
      if (scope === 'all') return listAll(query, member);
      // Each list is one or a few plain equalities, which the embedded database serves from an
      // index (it scans for $or, $in and $ne); the state and year filters apply in code.
      let queries: Array<Record<string, string>>;
      switch (scope) {
        case 'mine':
          queries = [{ authorId: member.id }, { cosignerIds: member.id }];
          break;
        case 'cosign':
          queries = [{ cosignerIds: member.id, state: 'draft' }];
          break;
        case 'review':
          if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'The review list is staff’s.');
          queries = (['submitted', 'accepted', 'reassignRequested'] as const).map((state) => ({ state }));
          break;
        case 'department':
          if (member.kind !== 'official' || !member.departmentId) {
            throw new AppError('FORBIDDEN', 'The department list is for a department’s officials.');
          }
          queries = [{ departmentIds: member.departmentId }];
          break;
        case 'supervised':
          // The key proposals whose supervision the caller leads (领衔督办): only 重点提案 name a leader.
          queries = [{ 'leader.memberId': member.id }];
          break;
      }
      const byId = new Map<string, ListedDoc>();
      for (const q of queries) {
        for (const d of await Proposal.find(year ? { ...q, year } : q, listFields).lean<ListedDoc[]>()) {
          byId.set(d._id, d);
        }
      }
      const docs = [...byId.values()]
        .filter((d) => !state || d.state === state)
        .sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime() || (a._id < b._id ? -1 : 1));
      const day = today();
      return {
        proposals: docs
          .filter((d) => mayView(d as ProposalDoc, member))
          .filter(
            (d) => scope !== 'cosign' || d.cosigners.some((c) => c.memberId === member.id && c.status === 'invited'),
          )
          .map((d) => presentListItem(d, day)),
        next: null,
      };
    },

    /** Statistics for a year: by state, lead department and sector; on-time and satisfaction rates. Staff only. */
    async stats(year: number, member: MemberView): Promise<ProposalStatsResponse> {
      if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Statistics are staff’s.');
      const docs = await Proposal.find({ year, state: trusted({ $ne: 'draft' as ProposalState }) }).lean<
        ProposalDoc[]
      >();
      const day = today();
      const rows: ProposalStatsInput[] = docs.map((d) => {
        const { deadline, replyOn } = roundForOnTime(d, day);
        return {
          state: d.state,
          department: d.lead?.name ?? null,
          sector: d.proposer.kind === 'sector' ? d.proposer.name : (d.sector ?? null),
          deadline,
          firstReplyOn: replyOn,
          feedback: (d.feedback ?? []).at(-1)?.value ?? null,
        };
      });
      return {
        year,
        total: statsRow('total', '合计', rows, day),
        byState: groupedStats(rows, (r) => r.state, day).map((r) => ({
          ...r,
          label: stateLabels[r.key as ProposalState] ?? r.key,
        })),
        byDepartment: groupedStats(rows, (r) => r.department, day),
        bySector: groupedStats(rows, (r) => r.sector, day),
      };
    },

    /** One file's bytes, for someone who may read its proposal. */
    async file(fileId: string, member: MemberView): Promise<ProposalFileDoc> {
      const head = await ProposalFile.findById(fileId, { proposalId: 1 }).lean();
      if (!head) throw new AppError('NOT_FOUND', 'No such file.');
      await load(head.proposalId, member);
      const doc = await files.findOne({ _id: fileId });
      if (!doc) throw new AppError('NOT_FOUND', 'No such file.');
      // The driver hands binary fields back as its Binary type.
      const data = doc.data as unknown as Buffer | { buffer: Uint8Array };
      return { ...doc, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer) };
    },

    /** Notes the tracking item made for an assigned proposal (idempotent). */
    async setTracking(id: string, trackingId: string): Promise<void> {
      await Proposal.updateOne({ _id: id }, { $set: { trackingId } });
    },

    /**
     * Writes the duty records every proposal has earned so far (staff; natural keys, so a re-run
     * adds nothing). Returns how many records were new.
     */
    async recordDutyAgain(member: MemberView): Promise<number> {
      if (member.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff keep the ledger.');
      if (!deps.recordDuty) return 0;
      const docs = await Proposal.find({
        state: trusted({ $nin: ['draft', 'submitted', 'notAccepted', 'letter'] as ProposalState[] }),
      }).lean<ProposalDoc[]>();
      let added = 0;
      for (const d of docs) added += await deps.recordDuty(proposalDutyRecords(d), member);
      return added;
    },
  };
}

/** What a list reads of a proposal: no texts, replies or trail. */
const listFields = {
  number: 1,
  year: 1,
  title: 1,
  proposer: 1,
  authorId: 1,
  authorName: 1,
  cosigners: 1,
  state: 1,
  lead: 1,
  co: 1,
  leader: 1,
  deadline: 1,
  key: 1,
  createdAt: 1,
} as const;

type ListedDoc = Pick<
  ProposalDoc,
  | '_id'
  | 'number'
  | 'year'
  | 'title'
  | 'proposer'
  | 'authorId'
  | 'authorName'
  | 'cosigners'
  | 'state'
  | 'lead'
  | 'co'
  | 'leader'
  | 'deadline'
  | 'key'
  | 'createdAt'
>;

function presentListItem(d: ListedDoc, today: string): ProposalListItem {
  return {
    id: d._id,
    number: d.number ?? null,
    year: d.year,
    title: d.title,
    proposer: d.proposer.name,
    author: { id: d.authorId, name: d.authorName },
    state: d.state,
    lead: d.lead ? { id: d.lead.id, name: d.lead.name } : null,
    deadline: d.deadline ?? null,
    overdue: isProposalOverdue({ state: d.state, deadline: d.deadline ?? null }, today),
    key: d.key === true,
    createdAt: new Date(d.createdAt).toISOString(),
  };
}

/** A list cursor: the last proposal's creation time and id, as `next` gave them. */
function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = cursor.split('|');
  const when = new Date(at ?? '');
  if (!id || Number.isNaN(when.getTime())) throw new AppError('BAD_REQUEST', 'cursor: expected the `next` of a page.');
  return { at: when, id };
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The round a proposal's on-time figure is judged by: each round (the first 交办, and each 不满意
 * that sends it back with a new deadline) must be answered by its own deadline, so the first
 * round that was late (or is overdue unanswered) stands for the proposal; all on time, the last.
 */
export function roundForOnTime(
  d: Pick<ProposalDoc, 'replies' | 'deadline' | 'state' | 'round'>,
  today: string,
): { deadline: string | null; replyOn: string | null } {
  const replies = d.replies ?? [];
  const rounds: Array<{ deadline: string | null; replyOn: string | null }> = [];
  const seen = new Set<number>();
  for (const r of replies) {
    // One reply counts per round (its first); replies stored before `due` was kept are judged
    // against the proposal's deadline.
    if (seen.has(r.round)) continue;
    seen.add(r.round);
    rounds.push({ deadline: r.due === undefined ? (d.deadline ?? null) : r.due, replyOn: chinaDay(r.at) });
  }
  const open = (d.state === 'assigned' || d.state === 'reassignRequested') && !replies.some((r) => r.round === d.round);
  if (open || rounds.length === 0) rounds.push({ deadline: d.deadline ?? null, replyOn: null });
  const late = rounds.find(
    (x) => x.deadline !== null && (x.replyOn === null ? x.deadline < today : x.replyOn > x.deadline),
  );
  return late ?? (rounds.at(-1) as { deadline: string | null; replyOn: string | null });
}

/** Refuses files that are too many, too large or of a kind we do not serve. */
function checkFiles(uploaded: UploadedFile[]): void {
  checkUploadedFiles(uploaded, {
    maxFiles: proposalLimits.maxAttachmentsPerUpload,
    maxFileBytes: proposalLimits.maxAttachmentBytes,
    allowed: (type) => (attachmentContentTypes as readonly string[]).includes(type),
    tooMany: `At most ${proposalLimits.maxAttachmentsPerUpload} files at once.`,
  });
}

export type ProposalService = ReturnType<typeof createProposalService>;
