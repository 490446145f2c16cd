import { randomUUID } from 'node:crypto';
import { activityKindLabels, defaultAppraisalCriteria } from '@yitang/shared';
import { activityDutyRecords } from '../activities/activity.duty';
import type {
  ActivityDoc,
  ActivityInvitation,
  ActivitySignInDoc,
  AppraisalMarkDoc,
  AppraisalRatingDoc,
} from '../activities/activity.model';
import { appraisalMarkKey, signInKey } from '../activities/activity.model';
import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import { createLedger } from '../scoring/ledger';
import type { TrackingItemDoc } from '../tracking/tracking.model';
import { sourceItemId } from '../tracking/tracking.service';

/** A date (YYYY-MM-DD) in the committee's time zone. */
const chinaDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);

const staff = { id: 's-zhou-ting', name: '周婷' };

/** Members the demo activities invite: none of them has a demo-year record the assessment pages show. */
const people: Record<string, string> = {
  'm-feng-gang': '冯刚',
  'm-tang-li': '唐丽',
  'm-dong-hai': '董海',
  'm-zheng-yu': '郑宇',
  'm-yuan-mei': '袁梅',
};

const invitation = (memberId: string, answer: ActivityInvitation['answer'] = 'attend'): ActivityInvitation => ({
  memberId,
  name: people[memberId] ?? memberId,
  answer,
  leaveReason: null,
  leave: null,
  answeredAt: null,
});

async function insertOnce<T extends { _id: string }>(
  collection: { insertOne(doc: T): Promise<unknown> },
  doc: T,
): Promise<void> {
  try {
    await collection.insertOne(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * A few activities of this year: an inspection held three weeks ago (three signed in, one on
 * approved leave) whose finding is on 市住房和城乡建设局's desk; a research trip the grassroots group
 * organised; a training course next week still taking answers; and the year's democratic
 * appraisal of two departments, open, with three ratings of one (enough to show its figures).
 * The held ones have their attendees' duty records, written by key as closing writes them.
 * Written once (by key): a restart changes nothing. Dates stay within this year.
 */
export async function seedDemoActivities(models: Models, now = new Date()): Promise<void> {
  const year = chinaDay(now).slice(0, 4);
  const dayOf = (offset: number) => {
    const d = chinaDay(new Date(now.getTime() + offset * 86_400_000));
    return d.slice(0, 4) === year ? d : offset < 0 ? `${year}-01-02` : `${year}-12-30`;
  };
  const at = (date: string, hour: number) => new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);
  const base = {
    description: '',
    groupId: null,
    organiserId: staff.id,
    organiserName: staff.name,
    materials: [],
    findings: [],
    departments: [],
    criteria: [],
    closedAt: null,
    version: 1,
    createdAt: now,
  };
  const inspectionDate = dayOf(-21);
  const inspectionId = 'act-demo-inspection';
  const findingItem = sourceItemId({ kind: 'inspection', id: inspectionId, part: 'f1' });
  const findingText = '人民路东段背街小巷路灯损坏十余处，夜间无照明，居民出行不便。';
  const inspection: ActivityDoc = {
    ...base,
    _id: inspectionId,
    kind: 'inspection',
    title: '城区背街小巷环境整治视察',
    date: inspectionDate,
    place: '海安市城东片区',
    description: '实地察看背街小巷路灯、路面和垃圾收运情况，听取市住房和城乡建设局汇报。',
    invitations: [
      invitation('m-feng-gang'),
      invitation('m-tang-li'),
      invitation('m-dong-hai'),
      { ...invitation('m-zheng-yu', 'leave'), leaveReason: '外出参加设计评审', leave: 'approved' },
    ],
    inviteeIds: ['m-feng-gang', 'm-tang-li', 'm-dong-hai', 'm-zheng-yu'],
    findings: [
      { id: 'f1', text: findingText, department: '市住房和城乡建设局', deadline: dayOf(30), trackingId: findingItem },
    ],
    state: 'closed',
    closedAt: at(inspectionDate, 12),
  };
  const researchDate = dayOf(-45);
  const research: ActivityDoc = {
    ...base,
    _id: 'act-demo-research',
    kind: 'research',
    title: '乡村养老服务专题调研',
    date: researchDate,
    place: '墩头镇、曲塘镇敬老院',
    groupId: 'wg-grassroots',
    organiserId: 'm-chen-liqun',
    organiserName: '陈立群',
    invitations: [invitation('m-yuan-mei'), invitation('m-feng-gang')],
    inviteeIds: ['m-yuan-mei', 'm-feng-gang'],
    state: 'closed',
    closedAt: at(researchDate, 17),
  };
  const training: ActivityDoc = {
    ...base,
    _id: 'act-demo-training',
    kind: 'training',
    title: '委员履职能力专题培训',
    date: dayOf(7),
    place: '市政协三楼会议室',
    invitations: [invitation('m-tang-li', 'pending'), invitation('m-dong-hai', 'pending')],
    inviteeIds: ['m-tang-li', 'm-dong-hai'],
    state: 'scheduled',
  };
  const appraisal: ActivityDoc = {
    ...base,
    _id: 'act-demo-appraisal',
    kind: 'appraisal',
    title: `${year}年度政府部门民主评议`,
    date: dayOf(-3),
    place: '市政协机关',
    invitations: Object.keys(people).map((id) => invitation(id)),
    inviteeIds: Object.keys(people),
    departments: ['市城市管理局', '市市场监督管理局'],
    criteria: [...defaultAppraisalCriteria],
    state: 'scheduled',
  };

  const activities = rawCollection(models.Activity);
  for (const doc of [inspection, research, training, appraisal]) await insertOnce(activities, doc);

  const signIns = rawCollection(models.ActivitySignIn);
  const signed: Array<[ActivityDoc, string, ActivitySignInDoc['via']]> = [
    [inspection, 'm-feng-gang', 'code'],
    [inspection, 'm-tang-li', 'code'],
    [inspection, 'm-dong-hai', 'desk'],
    [research, 'm-yuan-mei', 'desk'],
    [research, 'm-feng-gang', 'desk'],
  ];
  for (const [doc, memberId, via] of signed) {
    await insertOnce(signIns, {
      _id: signInKey(doc._id, memberId),
      activityId: doc._id,
      memberId,
      name: people[memberId] ?? memberId,
      at: at(doc.date, 9),
      via,
      by: via === 'desk' ? staff.id : memberId,
    });
  }
  const ledger = createLedger(models);
  for (const doc of [inspection, research]) {
    const who = new Set(signed.filter(([d]) => d === doc).map(([, m]) => m));
    await ledger.recordDerived(activityDutyRecords(doc, who), staff);
  }

  // Three ratings of 市城市管理局: its figures show; 市市场监督管理局 has none yet.
  const marks = rawCollection(models.AppraisalMark);
  const ratings = rawCollection(models.AppraisalRating);
  const given: Array<[string, number[]]> = [
    ['m-feng-gang', [4, 4, 5, 4, 5]],
    ['m-tang-li', [5, 4, 4, 4, 5]],
    ['m-dong-hai', [3, 4, 4, 5, 4]],
  ];
  for (const [memberId, scores] of given) {
    const mark: AppraisalMarkDoc = {
      _id: appraisalMarkKey(appraisal._id, '市城市管理局', memberId),
      activityId: appraisal._id,
      memberId,
    };
    try {
      await marks.insertOne(mark);
    } catch (err) {
      if (isDuplicateKey(err)) continue;
      throw err;
    }
    // Written only with its mark, so once; a random id, as a rating's, names no rater.
    const rating: AppraisalRatingDoc = {
      _id: randomUUID(),
      activityId: appraisal._id,
      department: '市城市管理局',
      scores,
    };
    await insertOnce(ratings, rating);
  }

  const title = `${activityKindLabels.inspection}《${inspection.title}》`;
  const created = at(inspectionDate, 11);
  const item: TrackingItemDoc = {
    _id: findingItem,
    source: { kind: 'inspection', id: inspection._id, title, summary: `${inspection.date} ${inspection.place}` },
    outcomeId: null,
    sessionId: null,
    overseers: [],
    followers: ['m-feng-gang', 'm-tang-li', 'm-dong-hai'],
    topic: title,
    text: findingText,
    department: '市住房和城乡建设局',
    deadline: dayOf(30),
    status: 'assigned',
    history: [{ at: created, by: staff.id, byName: staff.name, action: 'create', status: 'assigned', note: null }],
    assigneeId: null,
    assigneeName: null,
    reports: [],
    chases: [],
    createdAt: created,
    updatedAt: created,
  };
  await insertOnce(rawCollection(models.TrackingItem), item);
}
