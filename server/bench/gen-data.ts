/**
 * Years of committee history written straight into the database (bulk unordered inserts through
 * the driver, several batches in flight; not the API), for `pnpm bench data-scale`.
 *
 * Each generated past session is one closed consultation of `PER_SESSION` people (from a pool of
 * committee members: the demo's own and generated ones), shaped as the app leaves it: the session
 * with its invitations, an attendance row per person, a published named poll with a ballot each
 * and a published secret poll with a voter mark each (its seals removed by the close), the duty
 * ledger's records (attended, voted, spoke, suggested), an invitation notification each, and the
 * minutes: a snapshot with the tail of its update log, the review status and four versions. So
 * every big collection (ballots, voter marks, attendance, duty records, notifications, minutes
 * updates) grows by `PER_SESSION` documents a session, spread over the ten years before the demo's
 * held year.
 */
import {
  type BallotContent,
  evaluatePoll,
  minutesDocName,
  type PollSettings,
  type PollTally,
  tallyPollBallots,
  yearOf,
} from '@yitang/shared';
import type { Collection, Document } from 'mongodb';
import * as Y from 'yjs';
import { type Models, rawCollection } from '../src/db/models';
import type { MemberDoc } from '../src/members/member.model';
import type { MinutesSnapshotDoc, MinutesUpdateDoc } from '../src/minutes/minutes.model';
import { appendEvent, ensureSections } from '../src/minutes/minutes.structure';
import { reasonLabels } from '../src/minutes/review/labels';
import { type MinutesMetaDoc, type MinutesVersionDoc, versionKey } from '../src/minutes/review/review.model';
import { blocksOf, plainText } from '../src/minutes/review/text';
import type { NotificationDoc } from '../src/notifications/notification.model';
import type { BallotDoc, PollDoc, VoterMarkDoc } from '../src/polls/poll.model';
import { type AttendanceDoc, attendanceKey, type SessionDoc, sessionYear } from '../src/rooms/room.model';
import { chinaDate } from '../src/scoring/ledger';
import type { DutyEntryDoc } from '../src/scoring/scoring.model';

/** People in each generated session, and so documents a session adds to each big collection. */
export const PER_SESSION = 60;
/** Generated committee members beside the demo's own (a committee of a few hundred). */
const POOL = 400;
const DAY = 86_400_000;

const topics = [
  '老旧小区加装电梯',
  '农村生活垃圾分类',
  '背街小巷环境整治',
  '菜市场提档升级',
  '校园周边交通安全',
  '社区养老服务站建设',
  '河道长效管护',
  '停车难问题治理',
  '农贸市场食品安全',
  '城乡公交一体化',
];
const remarks = [
  '建议建立定期会商机制，每季度通报一次进展。',
  '建议明确责任分工和完成时限，纳入年度督查。',
  '建议先行选取试点，总结经验后全面推开。',
  '建议安排专项资金，保障长效管护。',
];

interface Template {
  snapshot: Buffer;
  updates: Buffer[];
  versionState: Buffer;
  versionText: string;
}

/** A real minutes document: its base state, a tail of `n` appended updates, and the merged state. */
function minutesTemplate(n: number): Template {
  const doc = new Y.Doc();
  doc.clientID = 77_001;
  const agenda = [
    { id: 'i1', title: '情况通报', plannedMinutes: 15 },
    { id: 'i2', title: '协商讨论', plannedMinutes: 50 },
  ];
  doc.transact(() => ensureSections(doc, agenda), 'yitang');
  const snapshot = Buffer.from(Y.encodeStateAsUpdate(doc));
  const updates: Buffer[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(Buffer.from(u)));
  for (let i = 0; i < n; i += 1) {
    doc.transact(() => {
      appendEvent(doc, 'i2', { kind: 'speech', refId: `r${i}`, text: remarks[i % remarks.length] ?? '' });
    }, 'yitang');
  }
  const versionState = Buffer.from(Y.encodeStateAsUpdate(doc));
  doc.destroy();
  return { snapshot, updates, versionState, versionText: plainText(blocksOf(versionState)) };
}

export interface HistoryPeople {
  /** Committee members who take part (demo members and generated ones). */
  pool: string[];
  convenerId: string;
  staffId: string;
  roomIds: string[];
}

/** Generated members `g-m-0001`…, inserted once; returns the pool of every member who may take part. */
export async function historyPeople(models: Models, base: Omit<HistoryPeople, 'pool'>): Promise<HistoryPeople> {
  const generated: MemberDoc[] = Array.from({ length: POOL }, (_, i) => ({
    _id: `g-m-${String(i + 1).padStart(4, '0')}`,
    committeeId: 'haian',
    name: `历届委员${i + 1}`,
    kind: 'member',
    sectorId: null,
    title: '',
    expertise: [],
  }));
  await rawCollection(models.Member).insertMany(generated, { ordered: false });
  const demoMembers = await rawCollection(models.Member)
    .find({ kind: 'member' }, { projection: { _id: 1 } })
    .toArray();
  const own = demoMembers.map((m) => m._id).filter((id) => id.startsWith('m-'));
  return { ...base, pool: [...own, ...generated.map((m) => m._id)] };
}

/** Writes documents to their collections in batches of `batch`, at most `inFlight` at a time. */
class BulkWriter {
  private readonly buffers = new Map<Collection<Document>, Document[]>();
  private readonly running = new Set<Promise<void>>();
  written = 0;

  constructor(
    private readonly batch: number,
    private readonly inFlight: number,
  ) {}

  async add<T extends Document>(collection: Collection<T>, doc: T): Promise<void> {
    const c = collection as unknown as Collection<Document>;
    let buf = this.buffers.get(c);
    if (!buf) {
      buf = [];
      this.buffers.set(c, buf);
    }
    buf.push(doc);
    if (buf.length >= this.batch) {
      this.buffers.set(c, []);
      await this.send(c, buf);
    }
  }

  private async send(c: Collection<Document>, docs: Document[]): Promise<void> {
    while (this.running.size >= this.inFlight) await Promise.race(this.running);
    const p: Promise<void> = c.insertMany(docs, { ordered: false }).then(
      () => {
        this.written += docs.length;
        this.running.delete(p);
      },
      (err: unknown) => {
        this.running.delete(p);
        throw err;
      },
    );
    this.running.add(p);
  }

  async flush(): Promise<void> {
    for (const [c, buf] of this.buffers) {
      this.buffers.set(c, []);
      if (buf.length > 0) await this.send(c, buf);
    }
    await Promise.all(this.running);
  }
}

export interface GenerateOptions {
  /** Generated sessions `from`…`to - 1` (a level adds sessions to those already written). */
  from: number;
  to: number;
  /** How many sessions the ten years hold at the largest level (their dates spread over them). */
  total: number;
  /** The demo's held year: history fills the ten years before it. */
  heldYear: number;
  batch?: number;
  inFlight?: number;
}

const template = minutesTemplate(PER_SESSION);

/** Writes generated sessions `from`…`to - 1`; resolves with the documents written. */
export async function generateHistory(models: Models, people: HistoryPeople, opts: GenerateOptions): Promise<number> {
  const w = new BulkWriter(opts.batch ?? 4000, opts.inFlight ?? 4);
  const c = {
    session: rawCollection(models.Session),
    attendance: rawCollection(models.Attendance),
    poll: rawCollection(models.Poll),
    ballot: rawCollection(models.Ballot),
    mark: rawCollection(models.VoterMark),
    duty: rawCollection(models.DutyEntry),
    notification: rawCollection(models.Notification),
    update: rawCollection(models.MinutesUpdate),
    snapshot: rawCollection(models.MinutesSnapshot),
    meta: rawCollection(models.MinutesMeta),
    version: rawCollection(models.MinutesVersion),
  };
  const start = Date.UTC(opts.heldYear - 10, 0, 6);
  const span = Date.UTC(opts.heldYear - 1, 11, 20) - start;
  const { pool } = people;
  for (let k = opts.from; k < opts.to; k += 1) {
    const sid = `s-hist-${k}`;
    const title = `${topics[k % topics.length]}（第${Math.floor(k / topics.length) + 1}次）`;
    const scheduledAt = new Date(start + Math.floor((k / opts.total) * span));
    const startedAt = new Date(scheduledAt.getTime() + 5 * 60_000);
    const closedAt = new Date(startedAt.getTime() + 100 * 60_000);
    const offset = (k * 37) % pool.length;
    const members = Array.from({ length: PER_SESSION }, (_, n) => pool[(offset + n) % pool.length] as string);
    const session: SessionDoc = {
      _id: sid,
      topic: title,
      topicId: null,
      roomId: people.roomIds[k % people.roomIds.length] as string,
      scheduledAt,
      year: sessionYear(scheduledAt),
      mode: 'hall',
      state: 'closed',
      firstConvenerId: people.convenerId,
      secondConvenerId: null,
      roles: [],
      invitations: members.map((memberId) => ({
        memberId,
        role: 'member',
        answer: 'attend',
        leaveReason: null,
        leave: null,
        answeredAt: new Date(scheduledAt.getTime() - 3 * DAY),
        leaveDecidedBy: null,
      })),
      openToAll: false,
      cancelledAt: null,
      cancelReason: null,
      agenda: [
        { id: 'i1', title: '情况通报', plannedMinutes: 15 },
        { id: 'i2', title: '协商讨论', plannedMinutes: 50 },
      ],
      currentItemId: 'i2',
      currentItemStartedAt: null,
      locked: false,
      speakerLimitSeconds: 180,
      speakers: { queue: [], speaker: null },
      muted: [],
      removed: [],
      startedAt,
      closedAt,
    };
    await w.add(c.session, session);

    const named = `p-hist-${k}-n`;
    const secret = `p-hist-${k}-s`;
    const contents: BallotContent[] = members.map((_, n) => ({
      kind: 'yesno',
      choice: n % 7 === 3 ? 'no' : n % 11 === 5 ? 'abstain' : 'yes',
    }));
    const openedAt = new Date(startedAt.getTime() + 70 * 60_000);
    for (const [pollId, isSecret] of [
      [named, false],
      [secret, true],
    ] as const) {
      const settings: PollSettings = {
        kind: 'yesno',
        question: isSecret ? '是否同意推荐上述人选？' : '是否同意将以上措施作为本次协商的议定事项？',
        secret: isSecret,
        electorate: 'members',
        quorum: { type: 'none' },
        majority: { rule: 'simple', base: 'cast' },
      };
      const tally: PollTally = tallyPollBallots(settings, contents);
      const poll: PollDoc = {
        _id: pollId,
        sessionId: sid,
        itemId: 'i2',
        settings,
        stage: 'published',
        createdBy: people.convenerId,
        createdAt: new Date(openedAt.getTime() - 60_000),
        openedAt,
        closedAt: new Date(openedAt.getTime() + 10 * 60_000),
        publishedAt: new Date(openedAt.getTime() + 11 * 60_000),
        presentElectorate: members.length,
        tally,
        result: evaluatePoll(settings, tally, { presentElectorate: members.length }),
        ...(isSecret ? { sealsRemoved: true } : {}),
      };
      await w.add(c.poll, poll);
    }

    let n = 0;
    for (const memberId of members) {
      const seen = new Date(startedAt.getTime() - (10 - (n % 10)) * 60_000);
      const attendance: AttendanceDoc = {
        _id: attendanceKey(sid, memberId),
        sessionId: sid,
        memberId,
        role: 'member',
        online: false,
        inHall: true,
        firstSeenAt: seen,
        checkedInAt: seen,
        checkedInBy: people.staffId,
      };
      await w.add(c.attendance, attendance);
      const ballot: BallotDoc = {
        _id: `${named}:${memberId}`,
        ballotId: `b-hist-${k}-${n}`,
        pollId: named,
        voterId: memberId,
        content: contents[n] as BallotContent,
        paper: false,
        enteredBy: null,
        castAt: new Date(openedAt.getTime() + (n + 1) * 1000),
      };
      await w.add(c.ballot, ballot);
      const mark: VoterMarkDoc = {
        _id: `${secret}:${memberId}`,
        pollId: secret,
        ballotId: `v-hist-${k}-${n}`,
        paper: false,
      };
      await w.add(c.mark, mark);
      await w.add(c.duty, dutyRecord(session, memberId, n, named, closedAt, people.convenerId));
      const notification: NotificationDoc = {
        _id: `invite:${sid}:${memberId}`,
        memberId,
        kind: 'invitation',
        params: { topic: title, at: scheduledAt.toISOString(), room: session.roomId, mode: 'hall' },
        link: `/sessions/${sid}`,
        calendarUrl: `/api/sessions/${sid}/calendar.ics`,
        createdAt: new Date(scheduledAt.getTime() - 7 * DAY),
        readAt: n % 5 === 0 ? null : new Date(scheduledAt.getTime() - 6 * DAY),
      };
      await w.add(c.notification, notification);
      const update: MinutesUpdateDoc = {
        doc: minutesDocName(sid),
        seq: n + 1,
        update: template.updates[n] as Buffer,
        at: new Date(startedAt.getTime() + n * 60_000),
      };
      await w.add(c.update, update);
      n += 1;
    }
    const snapshot: MinutesSnapshotDoc = {
      _id: minutesDocName(sid),
      state: template.snapshot,
      upToSeq: 0,
      updatedAt: startedAt,
    };
    await w.add(c.snapshot, snapshot);
    const steps: Array<[MinutesVersionDoc['reason'], number]> = [
      ['sessionClosed', 0.01],
      ['review', 1],
      ['approval', 3],
      ['published', 4],
    ];
    for (const [i, [reason, days]] of steps.entries()) {
      const version: MinutesVersionDoc = {
        _id: versionKey(sid, i + 1),
        sessionId: sid,
        number: i + 1,
        reason,
        label: reasonLabels[reason],
        state: template.versionState,
        text: `${title}\n${template.versionText}`,
        createdBy: people.staffId,
        createdAt: new Date(closedAt.getTime() + days * DAY),
      };
      await w.add(c.version, version);
    }
    const meta: MinutesMetaDoc = {
      _id: sid,
      status: 'published',
      approvals: [people.convenerId],
      publishedVersionId: versionKey(sid, 4),
      updatedAt: new Date(closedAt.getTime() + 4 * DAY),
    };
    await w.add(c.meta, meta);
  }
  await w.flush();
  return w.written;
}

/** The duty ledger's record of a member's part in a closed session (as `fromSession` derives it). */
function dutyRecord(
  session: SessionDoc,
  memberId: string,
  n: number,
  pollId: string,
  closedAt: Date,
  convenerId: string,
): DutyEntryDoc {
  const sid = session._id;
  const at = new Date(closedAt.getTime() + 10 * 60_000);
  const date = chinaDate(session.startedAt ?? session.scheduledAt);
  const base = {
    memberId,
    date,
    year: yearOf(date),
    source: 'session' as const,
    status: 'verified' as const,
    sessionId: sid,
    evidence: null,
    proposal: null,
    rejectReason: null,
    batchId: null,
    audit: [{ at, by: convenerId, byName: '陈立群', action: 'recorded' as const, note: `会议 ${sid}` }],
    createdAt: at,
  };
  // Most records are attendance; the rest the other things a session leaves.
  if (n % 4 === 1)
    return {
      ...base,
      _id: `vote:${pollId}:${memberId}`,
      kind: 'voted',
      title: '参加表决：是否同意将以上措施作为本次协商的议定事项？',
    };
  if (n % 8 === 2)
    return {
      ...base,
      _id: `spk:${sid}:${memberId}:${at.getTime()}`,
      kind: 'spoke',
      title: `在“${session.topic}”上发言`,
    };
  if (n % 8 === 6)
    return {
      ...base,
      _id: `sug:sg-${sid}-${n}`,
      kind: 'suggested',
      title: `关于“${session.topic}”，${remarks[n % remarks.length]}`,
    };
  return {
    ...base,
    _id: `ses:${sid}:${memberId}:attended`,
    kind: 'attendedHall',
    title: `参加协商活动：${session.topic}`,
  };
}
