import { createHmac, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  type ActivityCodeView,
  type ActivityFindingBody,
  type ActivityListItem,
  type ActivityListQuery,
  type ActivityRatingBody,
  type ActivityRsvpBody,
  type ActivityView,
  activityKindLabels,
  activityLimits,
  activitySignInPath,
  type CreateActivityBody,
  type DashboardDepartmentRow,
  type DepartmentAppraisal,
  defaultAppraisalCriteria,
  findingSourceKind,
  isAllowedAttachmentType,
  type MemberView,
  signInCodeDigits,
  signInLockSeconds,
  signInPeriodSeconds,
  signInTries,
  trackingSourceLimits,
} from '@yitang/shared';
import { type Models, rawCollection, trusted } from '../db/models';
import { AppError, isDuplicateKey } from '../errors';
import type { UploadedFile } from '../http/uploads';
import { KeyedSerial } from '../lib/serial';
import { createWindowBudgets, type WindowBudgets } from '../lib/window-budget';
import type { Logger } from '../logger';
import { createMemberRecords } from '../members/member.service';
import type { DepartmentMembership } from '../org/membership';
import type { SourceInput, SourceWork } from '../tracking/tracking.service';
import { type ActivityDutyRecord, activityDutyRecords, attendanceRecord } from './activity.duty';
import {
  type ActivityDoc,
  type ActivityFileDoc,
  type ActivityInvitation,
  type ActivitySignInDoc,
  type AppraisalRatingDoc,
  appraisalMarkKey,
  signInKey,
} from './activity.model';

const changedMeanwhile = 'The activity changed meanwhile; reload.';
/** A change's claim whose write never came (its node stopped) is taken over after this long. */
const abandonedStepMs = 60_000;
/**
 * How often a change that lost to another node's is read and tried again: as often as there can be
 * changes at once (every invitee answering), since each loss means another change landed.
 */
const maxChangeTries = activityLimits.maxInvitees + 10;

export const activityFileUrl = (id: string) => `/api/activities/files/${encodeURIComponent(id)}`;

type By = { id: string; name: string };

/**
 * The rotating sign-in code: the HMAC of the activity and the 30-second period under a key
 * derived from the server's secret (never stored), so no code is stored either. Accepted for the
 * current period and the one before.
 */
export class ActivityCodes {
  private readonly key: Buffer;
  constructor(
    secret: Buffer,
    readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'yitang activity sign-in', 32));
  }

  private period(at: number): number {
    return Math.floor(at / (signInPeriodSeconds * 1000));
  }

  private codeOf(activityId: string, period: number): string {
    const mac = createHmac('sha256', this.key).update(`${activityId}\u0000${period}`).digest();
    return String(mac.readUInt32BE(0) % 10 ** signInCodeDigits).padStart(signInCodeDigits, '0');
  }

  current(activityId: string): { code: string; changesAt: Date } {
    const p = this.period(this.now());
    return { code: this.codeOf(activityId, p), changesAt: new Date((p + 1) * signInPeriodSeconds * 1000) };
  }

  accepts(activityId: string, code: string): boolean {
    const p = this.period(this.now());
    const same = (expected: string) =>
      code.length === expected.length && timingSafeEqual(Buffer.from(code), Buffer.from(expected));
    // Both compared every time: the answer takes as long whichever period matched.
    const now = same(this.codeOf(activityId, p));
    const before = same(this.codeOf(activityId, p - 1));
    return now || before;
  }
}

/**
 * Wrong codes per person and activity: six digits valid for a minute would fall to a script, so a
 * few wrong tries pause that person for a while. Counted in the database, so that the pause holds
 * on every node (lib/window-budget.ts); a right code before the pause starts the count again.
 */
const wrongCodes = { name: 'wrong', points: signInTries, windowMs: signInLockSeconds * 1000 };

function createWrongTries(budgets: WindowBudgets) {
  const paused = () =>
    new AppError('RATE_LIMITED', '错误次数过多，请稍后再试或到签到台签到。Too many wrong codes; sign in at the desk.');
  return {
    async check(key: string, right: boolean): Promise<void> {
      if ((await budgets.spent(wrongCodes, key)) !== null) throw paused();
      if (right) return budgets.reset(wrongCodes, key);
      if ((await budgets.take(wrongCodes, key)) !== null) throw paused();
      throw new AppError('BAD_CODE', '签到码不正确或已过期。That code is wrong or has expired.');
    },
  };
}

/**
 * Activities (履职活动): staff or a working group's convener organise one of a kind, invite
 * members, who answer 参加 or 请假 (staff decide leave); attendees sign in by the rotating code or
 * at the desk; each sign-in writes its duty record at once, and closing writes the absences
 * (缺席未请假). Findings of inspections and supervision become tracking items; an appraisal's
 * ratings are shown as aggregates only.
 */
export function createActivityService(deps: {
  models: Models;
  secret: Buffer;
  clock?: () => number;
  departments: Pick<DepartmentMembership, 'isOfficialOf' | 'departmentNameOf'>;
  tracking: { createFromSource(source: SourceInput, work: SourceWork, by: By): Promise<{ id: string }> };
  /** Writes duty records (the ledger's `recordDerived`); absent, none are written. */
  recordDuty?: (records: ActivityDutyRecord[], by: By) => Promise<number>;
  logger?: Logger;
}) {
  const { Activity, ActivitySignIn, AppraisalMark, AppraisalRating, ActivityFile } = deps.models;
  const now = deps.clock ?? Date.now;
  const codes = new ActivityCodes(deps.secret, now);
  const tries = createWrongTries(createWindowBudgets(deps.models.ActivityWrongCode, now));
  const memberRecords = createMemberRecords(deps.models);
  const serials = new KeyedSerial();
  /** One key per activity and version a change moved it from (see `claimStep`). */
  const steps = Activity.db.collection<{ _id: string; activityId: string; at: Date }>('activity_steps');
  const activities = rawCollection(Activity);
  const files = rawCollection(ActivityFile);

  async function load(id: string): Promise<ActivityDoc> {
    const doc = await Activity.findById(id).lean<ActivityDoc | null>();
    if (!doc) throw new AppError('NOT_FOUND', 'No such activity.');
    return doc;
  }

  /** Staff, or the convener of the working group that organises it. */
  const manages = (doc: ActivityDoc, by: MemberView) =>
    by.kind === 'staff' ||
    (doc.groupId !== null && by.canConvene && by.kind === 'member' && by.workingGroupId === doc.groupId);
  const invited = (doc: ActivityDoc, by: MemberView) => doc.invitations.some((i) => i.memberId === by.id);

  /** Who may read it: its managers, its invitees, and for an appraisal the rated departments' officials. */
  async function mayRead(doc: ActivityDoc, by: MemberView): Promise<boolean> {
    if (manages(doc, by) || invited(doc, by)) return true;
    if (by.kind === 'official' && doc.departments.length > 0) {
      const name = await deps.departments.departmentNameOf({ id: by.id, kind: by.kind, departmentId: by.departmentId });
      return name !== null && doc.departments.includes(name);
    }
    return false;
  }

  async function readable(id: string, by: MemberView): Promise<ActivityDoc> {
    const doc = await load(id);
    // Someone else's activity does not exist for them: not even that it does.
    if (!(await mayRead(doc, by))) throw new AppError('NOT_FOUND', 'No such activity.');
    return doc;
  }

  async function managed(id: string, by: MemberView): Promise<ActivityDoc> {
    const doc = await readable(id, by);
    if (!manages(doc, by)) throw new AppError('FORBIDDEN', 'Only staff and the organising group manage this activity.');
    return doc;
  }

  const signInsOf = (activityId: string) =>
    ActivitySignIn.find({ activityId }).sort({ at: 1, _id: 1 }).lean<ActivitySignInDoc[]>();

  async function present(doc: ActivityDoc, by: MemberView): Promise<ActivityView> {
    const signIns = await signInsOf(doc._id);
    const signed = new Set(signIns.map((s) => s.memberId));
    const manager = manages(doc, by);
    let rated: string[] = [];
    if (doc.kind === 'appraisal' && invited(doc, by)) {
      const marks = await AppraisalMark.find(
        { _id: trusted({ $in: doc.departments.map((d) => appraisalMarkKey(doc._id, d, by.id)) }) },
        { _id: 1 },
      ).lean();
      const ids = new Set(marks.map((m) => m._id));
      rated = doc.departments.filter((d) => ids.has(appraisalMarkKey(doc._id, d, by.id)));
    }
    return {
      ...listItem(doc, signIns.length),
      description: doc.description,
      organiserName: doc.organiserName,
      groupId: doc.groupId,
      invitees: doc.invitations
        .filter((i) => manager || i.memberId === by.id)
        .map((i) => ({
          memberId: i.memberId,
          name: i.name,
          answer: i.answer,
          leaveReason: i.leaveReason,
          leave: i.leave,
          signedIn: signed.has(i.memberId),
        })),
      signIns: (manager ? signIns : signIns.filter((s) => s.memberId === by.id)).map((s) => ({
        memberId: s.memberId,
        name: s.name,
        at: new Date(s.at).toISOString(),
        via: s.via,
      })),
      materials: doc.materials.map((m) => ({ ...m, url: activityFileUrl(m.id) })),
      findings: doc.findings.map((f) => ({ ...f })),
      departments: doc.departments,
      criteria: doc.criteria,
      viewer: {
        manages: manager,
        decidesLeave: by.kind === 'staff',
        invited: invited(doc, by),
        signedIn: signed.has(by.id),
        rated,
      },
    };
  }

  const listItem = (doc: ActivityDoc, signedIn: number): ActivityListItem => ({
    id: doc._id,
    kind: doc.kind,
    title: doc.title,
    date: doc.date,
    place: doc.place,
    state: doc.state,
    invited: doc.inviteeIds.length,
    signedIn,
  });

  /**
   * FerretDB 1.x applies a guarded update as a read and a separate write, so on two nodes two
   * changes read at one version could both pass the version filter (docs/architecture.md). A key
   * is inserted once only, everywhere: each change first inserts `<activity>:<version it read>`,
   * and the loser of two changes from one version is refused before it writes. A claim whose
   * change never came (its node stopped in between) is taken over once it is a minute old and the
   * activity has not moved.
   */
  async function claimStep(doc: ActivityDoc): Promise<void> {
    const _id = `${doc._id}:${doc.version}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await steps.insertOne({ _id, activityId: doc._id, at: new Date() });
        return;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await steps.findOne({ _id });
      const stored = await Activity.findById(doc._id, { version: 1 }).lean<Pick<ActivityDoc, 'version'>>();
      const stale = held && Date.now() - new Date(held.at).getTime() > abandonedStepMs;
      if (attempt > 1 || !stale || stored?.version !== doc.version)
        throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
      await steps.deleteOne({ _id, at: held.at });
    }
  }

  /** One change of the activity, by the version read: two changes at once cannot both land. */
  async function write(
    doc: ActivityDoc,
    set: Partial<ActivityDoc>,
    push?: Record<string, unknown>,
  ): Promise<ActivityDoc> {
    await claimStep(doc);
    const res = await Activity.updateOne(
      { _id: doc._id, version: doc.version },
      { $set: set, ...(push ? { $push: push } : {}), $inc: { version: 1 } },
    );
    if (res.matchedCount !== 1) throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
    return load(doc._id);
  }

  /**
   * Runs a read-check-write of one activity, one at a time per activity on this node; a change
   * that lost to another node's (answers from many invitees at once) is read and tried again.
   */
  function change<T>(id: string, task: () => Promise<T>): Promise<T> {
    return serials.run(id, async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await task();
        } catch (err) {
          const lost = err instanceof AppError && err.message === changedMeanwhile;
          if (!lost || attempt >= maxChangeTries) throw err;
          // A moment's pause, varied, so the winner's write lands and two losers do not meet again.
          await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10));
        }
      }
    });
  }

  function requireOpen(doc: ActivityDoc): void {
    if (doc.state !== 'scheduled') throw new AppError('ILLEGAL_TRANSITION', `This activity is ${doc.state}.`);
  }

  /** Committee members among `ids`, with their names; anyone else is refused by name. */
  async function inviteesFrom(ids: string[]): Promise<ActivityInvitation[]> {
    const unique = [...new Set(ids)];
    const docs = await memberRecords.many(unique);
    const found = new Map(docs.map((d) => [d._id, d]));
    const wrong = unique.filter((id) => {
      const d = found.get(id);
      return d?.kind !== 'member';
    });
    if (wrong.length > 0) {
      throw new AppError('BAD_REQUEST', `Only committee members are invited; not: ${wrong.slice(0, 5).join(', ')}.`);
    }
    return unique.map((id) => ({
      memberId: id,
      name: found.get(id)?.name ?? id,
      answer: 'pending',
      leaveReason: null,
      leave: null,
      answeredAt: null,
    }));
  }

  /** Writes the duty records; a failure is logged, the step stands (closing again writes them). */
  async function recordDuty(records: ActivityDutyRecord[], by: By, activityId: string): Promise<void> {
    if (!deps.recordDuty || records.length === 0) return;
    try {
      await deps.recordDuty(records, by);
    } catch (err) {
      deps.logger?.error({ err, activityId }, 'activity: duty records not written');
    }
  }

  async function signIn(doc: ActivityDoc, member: By, via: 'code' | 'desk', by: By): Promise<boolean> {
    const entry: ActivitySignInDoc = {
      _id: signInKey(doc._id, member.id),
      activityId: doc._id,
      memberId: member.id,
      name: member.name,
      at: new Date(now()),
      via,
      by: by.id,
    };
    let added = true;
    try {
      await rawCollection(ActivitySignIn).insertOne(entry);
    } catch (err) {
      // Signing in twice is one attendance.
      if (!isDuplicateKey(err)) throw err;
      added = false;
    }
    const record = attendanceRecord(doc, member.id);
    if (record) await recordDuty([record], by, doc._id);
    return added;
  }

  return {
    codes,

    /** Throws unless `by` manages the activity (FORBIDDEN, or NOT_FOUND when they may not read it). */
    async mayManage(id: string, by: MemberView): Promise<void> {
      await managed(id, by);
    },

    async create(body: CreateActivityBody, by: MemberView): Promise<ActivityView> {
      const groupConvener = by.kind === 'member' && by.canConvene && by.workingGroupId !== null;
      if (by.kind !== 'staff' && !groupConvener) {
        throw new AppError('FORBIDDEN', 'Staff and working groups’ conveners organise activities.');
      }
      if (body.kind === 'appraisal' && body.departments.length === 0) {
        throw new AppError('BAD_REQUEST', 'departments: an appraisal rates at least one department.');
      }
      if (body.kind !== 'appraisal' && (body.departments.length > 0 || body.criteria.length > 0)) {
        throw new AppError('BAD_REQUEST', 'departments, criteria: only an appraisal rates departments.');
      }
      const invitations = await inviteesFrom(body.invitees);
      const created = new Date(now());
      const doc: ActivityDoc = {
        _id: `act-${randomUUID()}`,
        kind: body.kind,
        title: body.title,
        date: body.date,
        place: body.place,
        description: body.description,
        groupId: by.kind === 'staff' ? null : by.workingGroupId,
        organiserId: by.id,
        organiserName: by.name,
        invitations,
        inviteeIds: invitations.map((i) => i.memberId),
        materials: [],
        findings: [],
        departments: [...new Set(body.departments)],
        criteria:
          body.kind === 'appraisal'
            ? body.criteria.length > 0
              ? [...new Set(body.criteria)]
              : [...defaultAppraisalCriteria]
            : [],
        state: 'scheduled',
        closedAt: null,
        version: 1,
        createdAt: created,
      };
      await activities.insertOne(doc);
      return present(doc, by);
    },

    /** Staff see every activity; others those they organise or are invited to. Newest first. */
    async list(query: ActivityListQuery, by: MemberView): Promise<{ activities: ActivityListItem[] }> {
      const filter: Record<string, unknown> = {};
      if (query.year) filter.date = trusted({ $gte: `${query.year}-01-01`, $lte: `${query.year}-12-31` });
      // The list needs no invitation, material or finding: those stay in the database.
      const fields = { kind: 1, title: 1, date: 1, place: 1, state: 1, inviteeIds: 1 };
      const find = (f: Record<string, unknown>) =>
        Activity.find(f, fields).sort({ date: -1, _id: 1 }).limit(500).lean<ActivityDoc[]>();
      const department =
        by.kind === 'official'
          ? await deps.departments.departmentNameOf({ id: by.id, kind: by.kind, departmentId: by.departmentId })
          : null;
      const docs =
        by.kind === 'staff'
          ? await find(filter)
          : [
              ...(await find({ ...filter, inviteeIds: by.id })),
              ...(by.canConvene && by.workingGroupId ? await find({ ...filter, groupId: by.workingGroupId }) : []),
              // A department's officials find the appraisals that rate it.
              ...(department ? await find({ ...filter, departments: department }) : []),
            ];
      const unique = [...new Map(docs.map((d) => [d._id, d])).values()].sort(
        (a, b) => b.date.localeCompare(a.date) || a._id.localeCompare(b._id),
      );
      const counts = new Map<string, number>();
      if (unique.length > 0) {
        const rows = await ActivitySignIn.aggregate<{ _id: string; n: number }>([
          { $match: { activityId: trusted({ $in: unique.map((d) => d._id) }) } },
          { $group: { _id: '$activityId', n: { $sum: 1 } } },
        ]);
        for (const r of rows) counts.set(r._id, r.n);
      }
      return { activities: unique.map((d) => listItem(d, counts.get(d._id) ?? 0)) };
    },

    async get(id: string, by: MemberView): Promise<ActivityView> {
      return present(await readable(id, by), by);
    },

    /** Adds invitees (committee members); those already invited keep their answers. */
    invite(id: string, memberIds: string[], by: MemberView): Promise<ActivityView> {
      return change(id, async () => {
        const doc = await managed(id, by);
        requireOpen(doc);
        const fresh = (await inviteesFrom(memberIds)).filter((i) => !doc.inviteeIds.includes(i.memberId));
        if (doc.invitations.length + fresh.length > activityLimits.maxInvitees) {
          throw new AppError('BAD_REQUEST', `At most ${activityLimits.maxInvitees} invitees.`);
        }
        const invitations = [...doc.invitations, ...fresh];
        return present(await write(doc, { invitations, inviteeIds: invitations.map((i) => i.memberId) }), by);
      });
    },

    /** The invitee's own answer: 参加, or 请假 with a reason (waiting for staff's decision). */
    rsvp(id: string, body: ActivityRsvpBody, by: MemberView): Promise<ActivityView> {
      return change(id, async () => {
        const doc = await readable(id, by);
        if (!invited(doc, by)) throw new AppError('FORBIDDEN', '你不在本次活动的邀请名单中。You are not invited.');
        requireOpen(doc);
        const invitations = doc.invitations.map((i) =>
          i.memberId !== by.id
            ? i
            : body.answer === 'attend'
              ? { ...i, answer: 'attend' as const, leaveReason: null, leave: null, answeredAt: new Date(now()) }
              : {
                  ...i,
                  answer: 'leave' as const,
                  leaveReason: body.reason,
                  leave: 'requested' as const,
                  answeredAt: new Date(now()),
                },
        );
        return present(await write(doc, { invitations }), by);
      });
    },

    /** Staff approve or refuse a leave request; after close the absence follows the decision. */
    decideLeave(id: string, memberId: string, decision: 'approved' | 'refused', by: MemberView): Promise<ActivityView> {
      return change(id, async () => {
        const doc = await readable(id, by);
        if (by.kind !== 'staff') throw new AppError('FORBIDDEN', 'Staff approve or refuse leave.');
        const mine = doc.invitations.find((i) => i.memberId === memberId);
        if (!mine) throw new AppError('NOT_FOUND', 'That person is not invited.');
        if (mine.answer !== 'leave') throw new AppError('ILLEGAL_TRANSITION', 'That person has not asked for leave.');
        const invitations = doc.invitations.map((i) => (i.memberId === memberId ? { ...i, leave: decision } : i));
        const next = await write(doc, { invitations });
        if (next.state === 'closed') {
          await recordDuty(activityDutyRecords(next, new Set((await signInsOf(id)).map((s) => s.memberId))), by, id);
        }
        return present(next, by);
      });
    },

    /** The code the screen on site shows now, and the link its QR code holds. */
    async code(id: string, by: MemberView): Promise<ActivityCodeView> {
      const doc = await managed(id, by);
      requireOpen(doc);
      const { code, changesAt } = codes.current(doc._id);
      return {
        code,
        link: activitySignInPath(doc._id, code),
        changesAt: changesAt.toISOString(),
        periodSeconds: signInPeriodSeconds,
      };
    },

    /** An invitee signs in with the code on site (this period's or the previous one's). */
    async signInByCode(id: string, code: string, by: MemberView): Promise<ActivityView> {
      const doc = await readable(id, by);
      if (!invited(doc, by)) throw new AppError('FORBIDDEN', '你不在本次活动的邀请名单中。You are not invited.');
      requireOpen(doc);
      await tries.check(`${doc._id}:${by.id}`, codes.accepts(doc._id, code));
      await signIn(doc, by, 'code', by);
      return present(doc, by);
    },

    /** Staff (or the organising group) tick an invitee in at the desk. */
    async signInAtDesk(id: string, memberId: string, by: MemberView): Promise<ActivityView> {
      const doc = await managed(id, by);
      requireOpen(doc);
      const invitee = doc.invitations.find((i) => i.memberId === memberId);
      if (!invitee) throw new AppError('NOT_FOUND', 'That person is not invited.');
      await signIn(doc, { id: invitee.memberId, name: invitee.name }, 'desk', by);
      return present(doc, by);
    },

    /** Ends sign-in; absences without approved leave are recorded (and every attendance again). */
    close(id: string, by: MemberView): Promise<ActivityView> {
      return change(id, async () => {
        const doc = await managed(id, by);
        requireOpen(doc);
        const next = await write(doc, { state: 'closed', closedAt: new Date(now()) });
        await recordDuty(activityDutyRecords(next, new Set((await signInsOf(id)).map((s) => s.memberId))), by, id);
        return present(next, by);
      });
    },

    /**
     * Calls off an activity nobody has signed in to (after a sign-in it took place: close it
     * instead). It earns nobody a record and nobody is absent.
     */
    cancel(id: string, by: MemberView): Promise<ActivityView> {
      return change(id, async () => {
        const doc = await managed(id, by);
        requireOpen(doc);
        if ((await ActivitySignIn.countDocuments({ activityId: doc._id })) > 0) {
          throw new AppError('ILLEGAL_TRANSITION', 'People have signed in: close the activity instead.');
        }
        return present(await write(doc, { state: 'cancelled', closedAt: new Date(now()) }), by);
      });
    },

    /** A problem an inspection or supervision found: a tracking item for the department. */
    addFinding(id: string, body: ActivityFindingBody, by: MemberView): Promise<ActivityView> {
      // Named once, so a retry after losing to another change finds the item it made, not a new one.
      const findingId = `f-${randomUUID().slice(0, 8)}`;
      return change(id, async () => {
        const doc = await managed(id, by);
        const sourceKind = findingSourceKind[doc.kind];
        if (!sourceKind) {
          throw new AppError('BAD_REQUEST', 'Only inspections and democratic supervision record findings.');
        }
        if (doc.state === 'cancelled') throw new AppError('ILLEGAL_TRANSITION', 'This activity was cancelled.');
        if (doc.findings.length >= activityLimits.maxFindings) {
          throw new AppError('BAD_REQUEST', `At most ${activityLimits.maxFindings} findings.`);
        }
        const title = `${activityKindLabels[doc.kind]}《${doc.title}》`;
        const { id: trackingId } = await deps.tracking.createFromSource(
          {
            kind: sourceKind,
            id: doc._id,
            part: findingId,
            title:
              title.length > trackingSourceLimits.maxTitleLength
                ? `${title.slice(0, trackingSourceLimits.maxTitleLength - 1)}…`
                : title,
            summary: `${doc.date} ${doc.place}`,
          },
          {
            text: body.text,
            department: body.department,
            deadline: body.deadline,
            // Those who took part may follow what became of it.
            followers: (await signInsOf(doc._id)).map((s) => s.memberId),
          },
          by,
        );
        const finding = {
          id: findingId,
          text: body.text,
          department: body.department,
          deadline: body.deadline,
          trackingId,
        };
        return present(await write(doc, {}, { findings: finding }), by);
      });
    },

    /** Adds materials (bounded like a proposal's attachments). */
    addMaterials(id: string, uploaded: UploadedFile[], by: MemberView): Promise<ActivityView> {
      return change(id, async () => {
        const doc = await managed(id, by);
        if (uploaded.length === 0) throw new AppError('BAD_REQUEST', 'No files: send them in the "files" field.');
        if (uploaded.length > activityLimits.maxMaterialsPerUpload) {
          throw new AppError('PAYLOAD_TOO_LARGE', `At most ${activityLimits.maxMaterialsPerUpload} files at once.`);
        }
        if (doc.materials.length + uploaded.length > activityLimits.maxMaterials) {
          throw new AppError('PAYLOAD_TOO_LARGE', `At most ${activityLimits.maxMaterials} materials per activity.`);
        }
        for (const f of uploaded) {
          if (f.size > activityLimits.maxMaterialBytes)
            throw new AppError('PAYLOAD_TOO_LARGE', `${f.originalname} is larger than the limit.`);
          if (!isAllowedAttachmentType(f.mimetype))
            throw new AppError('BAD_REQUEST', `${f.originalname}: files of type ${f.mimetype} are not accepted.`);
        }
        const at = new Date(now());
        const start = doc.materials.length;
        const stored: ActivityFileDoc[] = uploaded.map((f, k) => ({
          _id: `${doc._id}-m${start + k}`,
          activityId: doc._id,
          fileName: cleanFileName(f.originalname),
          contentType: f.mimetype,
          size: f.size,
          data: f.buffer,
          at,
        }));
        try {
          await files.insertMany(stored);
        } catch (err) {
          if (isDuplicateKey(err)) throw new AppError('ILLEGAL_TRANSITION', changedMeanwhile);
          throw err;
        }
        const metas = stored.map((f) => ({
          id: f._id,
          fileName: f.fileName,
          contentType: f.contentType,
          size: f.size,
        }));
        try {
          return present(await write(doc, { materials: [...doc.materials, ...metas] }), by);
        } catch (err) {
          await files.deleteMany({ _id: trusted({ $in: stored.map((f) => f._id) }) }).catch(() => undefined);
          throw err;
        }
      });
    },

    /** One material's bytes, for whoever may read the activity. */
    async file(fileId: string, by: MemberView): Promise<ActivityFileDoc> {
      const meta = await ActivityFile.findById(fileId, { activityId: 1 }).lean();
      if (!meta) throw new AppError('NOT_FOUND', 'No such file.');
      await readable(meta.activityId, by);
      const doc = await files.findOne({ _id: fileId });
      if (!doc) throw new AppError('NOT_FOUND', 'No such file.');
      const data = doc.data as unknown as Buffer | { buffer: Uint8Array };
      return { ...doc, data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer) };
    },

    /**
     * An invitee rates one department on every criterion, once. The mark (who rated) and the
     * scores (what was given) are stored apart and share nothing.
     */
    async rate(id: string, body: ActivityRatingBody, by: MemberView): Promise<ActivityView> {
      const doc = await readable(id, by);
      if (doc.kind !== 'appraisal') throw new AppError('BAD_REQUEST', 'Only a democratic appraisal takes ratings.');
      if (!invited(doc, by)) throw new AppError('FORBIDDEN', 'Invited members rate the departments.');
      requireOpen(doc);
      if (!doc.departments.includes(body.department)) {
        throw new AppError('BAD_REQUEST', 'department: not one this appraisal rates.');
      }
      if (body.scores.length !== doc.criteria.length) {
        throw new AppError('BAD_REQUEST', `scores: one per criterion (${doc.criteria.length}), 1 to 5.`);
      }
      try {
        await rawCollection(AppraisalMark).insertOne({
          _id: appraisalMarkKey(doc._id, body.department, by.id),
          activityId: doc._id,
          memberId: by.id,
        });
      } catch (err) {
        if (isDuplicateKey(err))
          throw new AppError('ALREADY_VOTED', '你已评议过该部门。You have rated this department.');
        throw err;
      }
      await rawCollection(AppraisalRating).insertOne({
        _id: randomUUID(),
        activityId: doc._id,
        department: body.department,
        scores: body.scores,
      });
      return present(doc, by);
    },

    /**
     * An appraisal's results: per department how many rated and, from `minRatingsShown` ratings
     * on, the average per criterion. Staff and the organisers see every department; a
     * department's officials their own. Nobody sees a single rating.
     */
    async appraisal(id: string, by: MemberView): Promise<{ departments: DepartmentAppraisal[] }> {
      const doc = await readable(id, by);
      if (doc.kind !== 'appraisal') throw new AppError('BAD_REQUEST', 'Only a democratic appraisal has results.');
      let shown = doc.departments;
      if (!manages(doc, by)) {
        if (by.kind !== 'official') throw new AppError('FORBIDDEN', 'Departments and staff see the results.');
        const own = await deps.departments.departmentNameOf({
          id: by.id,
          kind: by.kind,
          departmentId: by.departmentId,
        });
        shown = doc.departments.filter((d) => d === own);
      }
      const ratings = await AppraisalRating.find({ activityId: doc._id }, { department: 1, scores: 1 }).lean<
        AppraisalRatingDoc[]
      >();
      return {
        departments: shown.map((d) =>
          aggregate(
            d,
            doc.criteria,
            ratings.filter((r) => r.department === d),
          ),
        ),
      };
    },

    /**
     * Every department's appraisal in activities dated `from`–`to` (YYYY-MM-DD), for the
     * dashboard's department table: its ratings, and the mean of the overall figures of the
     * appraisals it had enough ratings in. Departments by name, in name order.
     */
    async departmentScores(from: string, to: string): Promise<DashboardDepartmentRow[]> {
      const docs = await Activity.find(
        { kind: 'appraisal', date: trusted({ $gte: from, $lte: to }) },
        { _id: 1, criteria: 1, departments: 1 },
      ).lean<Array<Pick<ActivityDoc, '_id' | 'criteria' | 'departments'>>>();
      const sums = new Map<string, { ratings: number; scores: number[] }>();
      for (const doc of docs) {
        const ratings = await AppraisalRating.find({ activityId: doc._id }, { department: 1, scores: 1 }).lean<
          AppraisalRatingDoc[]
        >();
        for (const d of doc.departments) {
          const a = aggregate(
            d,
            doc.criteria,
            ratings.filter((r) => r.department === d),
          );
          const s = sums.get(d) ?? { ratings: 0, scores: [] };
          s.ratings += a.ratings;
          if (a.overall !== null) s.scores.push(a.overall);
          sums.set(d, s);
        }
      }
      return [...sums]
        .map(([department, s]) => ({
          department,
          appraisalRatings: s.ratings,
          appraisal: s.scores.length > 0 ? round1(s.scores.reduce((x, y) => x + y, 0) / s.scores.length) : null,
        }))
        .sort((a, b) => a.department.localeCompare(b.department, 'zh-CN'));
    },
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** One department's figures from its ratings: none below the minimum count. */
export function aggregate(
  department: string,
  criteria: string[],
  ratings: ReadonlyArray<Pick<AppraisalRatingDoc, 'scores'>>,
): DepartmentAppraisal {
  const enough = ratings.length >= activityLimits.minRatingsShown;
  const averages = criteria.map((criterion, k) => ({
    criterion,
    average: enough ? round1(ratings.reduce((s, r) => s + (r.scores[k] ?? 0), 0) / ratings.length) : null,
  }));
  const all = ratings.flatMap((r) => r.scores);
  return {
    department,
    ratings: ratings.length,
    averages,
    overall: enough && all.length > 0 ? round1(all.reduce((s, x) => s + x, 0) / all.length) : null,
  };
}

/** A file name safe to store and to send back: no path, no control characters, bounded. */
function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return (clean || 'attachment').slice(0, activityLimits.maxFileNameLength);
}

export type ActivityService = ReturnType<typeof createActivityService>;
