import { addMonths, nextChaseLevel, proposalNumber } from '@yitang/shared';
import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import { numberKey, type ProposalDoc, type ProposalEventDoc } from '../proposals/proposal.model';
import { proposalItemId } from '../proposals/proposal.tracking';
import type { TrackingItemDoc } from '../tracking/tracking.model';

/** A date (YYYY-MM-DD) in the committee's time zone. */
const chinaDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);

const days = (now: Date, n: number) => new Date(now.getTime() + n * 86_400_000);

/**
 * A few proposals (提案) of this year in several states, so the demo shows the workflow: a member's
 * draft and a submitted one awaiting review, and three in a group's name that staff entered (in
 * the handling, answered, closed), one of them a key proposal that is overdue and was chased. The
 * handled ones are drafted by staff in a sector's or party group's name, so they add no duty
 * record to any member's demo year. The handled ones have the tracking item their 交办 would
 * have made (proposal.tracking.ts), in the status their proposal's steps would have left it: on
 * the desk (chased there, the leader overseeing), reported done by the reply, verified and closed.
 * Written once (by key): a restart changes nothing.
 */
export async function seedDemoProposals(models: Models, now = new Date()): Promise<void> {
  const year = Number(chinaDay(now).slice(0, 4));
  const staff = { id: 's-li-na', name: '李娜' };
  const member = { id: 'm-zhou-min', name: '周敏' };
  const line = (
    by: { id: string; name: string },
    at: Date,
    action: ProposalEventDoc['action'],
    state: ProposalEventDoc['state'],
    note: string | null = null,
  ): ProposalEventDoc => ({ at, by: by.id, byName: by.name, action, state, note });
  const base = (id: string, seq: number | null, title: string, at: Date): ProposalDoc => ({
    _id: id,
    year,
    seq,
    number: seq === null ? null : proposalNumber(year, seq),
    title,
    case: '',
    suggestions: '',
    proposer: { kind: 'member', id: member.id, name: member.name },
    authorId: member.id,
    authorName: member.name,
    sector: null,
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
    trail: [],
    trackingId: null,
    submittedAt: seq === null ? null : at,
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  const cgj = { id: 'dep-cgj', name: '市城市管理局' };
  // The open ones are on desks no test of the tracking desks lists exactly.
  const zjj = { id: 'dep-zjj', name: '市住房和城乡建设局' };
  const jyj = { id: 'dep-jyj', name: '市教育体育局' };

  const t1 = days(now, -100);
  const assigned: ProposalDoc = {
    ...base('pp-demo-lights', 1, '关于加快老旧小区路灯改造的建议', t1),
    case: '城区部分老旧小区路灯损坏多年，夜间出行存在安全隐患。',
    suggestions: '一、全面排查；二、纳入年度改造计划；三、建立报修快速响应机制。',
    proposer: { kind: 'sector', id: 'sec-minjian', name: '民建' },
    authorId: staff.id,
    authorName: staff.name,
    state: 'assigned',
    lead: zjj,
    departmentIds: [zjj.id],
    // Assigned 95 days ago with the default three months: a few days overdue.
    deadline: addMonths(chinaDay(days(now, -95)), 3),
    key: true,
    leader: { id: 'ldr-sun-lixin', name: '孙立新', memberId: 'o-sun-lixin' },
    // The chase is on the tracking item (below); the trail names it.
    trail: [
      line(staff, t1, 'create', 'draft', '民建'),
      line(staff, t1, 'submit', 'submitted', proposalNumber(year, 1)),
      line(staff, days(now, -97), 'accept', 'accepted'),
      line(staff, days(now, -96), 'markKey', 'accepted', '孙立新'),
      line(staff, days(now, -95), 'assign', 'assigned', `主办：${zjj.name}`),
      line(staff, days(now, -2), 'chase', 'assigned', '已超期，请尽快答复'),
    ],
  };
  const t2 = days(now, -80);
  const replied: ProposalDoc = {
    ...base('pp-demo-food', 2, '关于加强校园周边食品安全监管的建议', t2),
    case: '部分学校周边流动摊点食品卫生状况堪忧。',
    suggestions: '开展联合执法，建立长效监管机制。',
    proposer: { kind: 'partyGroup', id: null, name: '民盟海安市基层委员会' },
    authorId: staff.id,
    authorName: staff.name,
    state: 'replied',
    lead: jyj,
    departmentIds: [jyj.id],
    deadline: addMonths(chinaDay(days(now, -75)), 3),
    replies: [
      {
        id: 'rp-demo-food',
        at: days(now, -20),
        by: 'o-lu-yan',
        byName: '陆燕',
        department: jyj.name,
        text: '已会同市场监管部门开展专项整治，正在建立长效监管机制。',
        replyClass: 'solving',
        round: 1,
        attachments: [],
      },
    ],
    trail: [
      line(staff, t2, 'create', 'draft', '民盟海安市基层委员会'),
      line(staff, t2, 'submit', 'submitted', proposalNumber(year, 2)),
      line(staff, days(now, -76), 'accept', 'accepted'),
      line(staff, days(now, -75), 'assign', 'assigned', `主办：${jyj.name}`),
      line({ id: 'o-lu-yan', name: '陆燕' }, days(now, -20), 'reply', 'replied', 'solving'),
    ],
  };
  const t3 = days(now, -150);
  const closed: ProposalDoc = {
    ...base('pp-demo-parking', 3, '关于缓解医院周边停车难的建议', t3),
    case: '市人民医院周边停车位紧张，道路拥堵。',
    suggestions: '挖掘周边停车资源，推行错时共享停车。',
    proposer: { kind: 'partyGroup', id: null, name: '九三学社海安支社' },
    authorId: staff.id,
    authorName: staff.name,
    state: 'closed',
    lead: cgj,
    departmentIds: [cgj.id],
    deadline: addMonths(chinaDay(days(now, -145)), 3),
    replies: [
      {
        id: 'rp-demo-parking',
        at: days(now, -110),
        by: 'o-liu-jianguo',
        byName: '刘建国',
        department: cgj.name,
        text: '已新增共享停车位三百个，并在早晚高峰安排疏导。',
        replyClass: 'solved',
        round: 1,
        attachments: [],
      },
    ],
    feedback: [{ at: days(now, -100), value: 'satisfied', comment: null, round: 1 }],
    trail: [
      line(staff, t3, 'create', 'draft', '九三学社海安支社'),
      line(staff, t3, 'submit', 'submitted', proposalNumber(year, 3)),
      line(staff, days(now, -146), 'accept', 'accepted'),
      line(staff, days(now, -145), 'assign', 'assigned', `主办：${cgj.name}`),
      line({ id: 'o-liu-jianguo', name: '刘建国' }, days(now, -110), 'reply', 'replied', 'solved'),
      line(staff, days(now, -100), 'feedback', 'closed', '满意'),
    ],
  };
  const t4 = days(now, -5);
  const submitted: ProposalDoc = {
    ...base('pp-demo-elderly', 4, '关于发展社区嵌入式养老服务的建议', t4),
    case: '社区养老服务设施不足，老人就近养老需求难以满足。',
    suggestions: '利用闲置用房建设嵌入式养老服务站。',
    state: 'submitted',
    trail: [
      line(member, t4, 'create', 'draft', member.name),
      line(member, t4, 'submit', 'submitted', proposalNumber(year, 4)),
    ],
  };
  const t5 = days(now, -1);
  const draft: ProposalDoc = {
    ...base('pp-demo-draft', null, '关于推进垃圾分类进小区的建议（草稿）', t5),
    case: '部分小区垃圾分类设施不全。',
    suggestions: '完善设施，加强宣传。',
    trail: [line(member, t5, 'create', 'draft', member.name)],
  };

  /** The lead department's item of a handled proposal, as its steps would have left it. */
  const itemOf = (p: ProposalDoc, more: Partial<TrackingItemDoc>): TrackingItemDoc => {
    const assignedAt = p.trail.find((e) => e.action === 'assign')?.at ?? p.createdAt;
    return {
      _id: proposalItemId(p._id, p.lead?.id ?? '', 1),
      source: { kind: 'proposal', id: p._id, title: `提案 ${p.number}《${p.title}》`, summary: p.case },
      outcomeId: null,
      sessionId: null,
      overseers: p.leader?.memberId ? [p.leader.memberId] : [],
      followers: [p.authorId],
      topic: `提案 ${p.number}《${p.title}》`,
      text: `主办：办理提案并答复提案人。建议：${p.suggestions}`,
      department: p.lead?.name ?? '',
      deadline: p.deadline,
      status: 'assigned',
      history: [{ at: assignedAt, by: staff.id, byName: staff.name, action: 'create', status: 'assigned', note: null }],
      assigneeId: null,
      assigneeName: null,
      reports: [],
      chases: [],
      createdAt: assignedAt,
      updatedAt: assignedAt,
      ...more,
    };
  };
  const reportOf = (p: ProposalDoc) => {
    const r = p.replies[0];
    if (!r) throw new Error(`${p._id} has no reply`);
    return {
      report: {
        id: `rp-${r.id}`,
        at: r.at,
        by: r.by,
        byName: r.byName,
        text: r.text,
        percent: 100,
        nextStep: null,
        done: true,
        attachments: [],
      },
      events: [
        { at: r.at, by: r.by, byName: r.byName, action: 'start' as const, status: 'inProgress' as const, note: null },
        {
          at: r.at,
          by: r.by,
          byName: r.byName,
          action: 'report' as const,
          status: 'reportedDone' as const,
          note: r.text,
        },
      ],
    };
  };
  const chased = days(now, -2);
  const lightsItem = itemOf(assigned, {
    chases: [
      {
        at: chased,
        by: staff.id,
        byName: staff.name,
        level: nextChaseLevel(0, true),
        note: '已超期，请尽快答复',
        overdue: true,
      },
    ],
    updatedAt: chased,
  });
  const food = reportOf(replied);
  const foodItem = itemOf(replied, { status: 'reportedDone', reports: [food.report] });
  foodItem.history.push(...food.events);
  const parking = reportOf(closed);
  const parkingItem = itemOf(closed, { status: 'closed', reports: [parking.report] });
  const fb = days(now, -100);
  parkingItem.history.push(
    ...parking.events,
    { at: fb, by: staff.id, byName: staff.name, action: 'verify', status: 'verified', note: '提案人满意' },
    { at: fb, by: staff.id, byName: staff.name, action: 'close', status: 'closed', note: '提案人满意' },
  );
  for (const [p, item] of [
    [assigned, lightsItem],
    [replied, foodItem],
    [closed, parkingItem],
  ] as const) {
    p.trackingId = item._id;
  }

  const proposals = rawCollection(models.Proposal);
  const numbers = rawCollection(models.ProposalNumber);
  const items = rawCollection(models.TrackingItem);
  for (const item of [lightsItem, foodItem, parkingItem]) {
    try {
      await items.insertOne(item);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  for (const doc of [assigned, replied, closed, submitted, draft]) {
    try {
      await proposals.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Seeded before it had its tracking item: point it there.
      if (doc.trackingId)
        await models.Proposal.updateOne({ _id: doc._id, trackingId: null }, { $set: { trackingId: doc.trackingId } });
      continue;
    }
    if (doc.seq !== null) {
      try {
        await numbers.insertOne({
          _id: numberKey(year, doc.seq),
          year,
          seq: doc.seq,
          proposalId: doc._id,
          at: doc.createdAt,
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }
}
