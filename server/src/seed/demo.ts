import type { AnyBulkWriteOperation } from 'mongoose';
import type { CredentialDoc } from '../auth/auth.model';
import { hashPassword } from '../auth/auth.service';
import { seedDemoConsultation } from '../consultation/consultation.demo';
import { type Models, trusted } from '../db/models';
import type { MemberDoc, SectorDoc } from '../members/member.model';
import type { DepartmentDoc, DistrictDoc, LeaderDoc, WorkingGroupDoc } from '../org/org.model';
import { type RoomDoc, type SessionDoc, type SessionInvitation, sessionYear } from '../rooms/room.model';
import { seedDemoYear } from '../scoring/demo-year';
import { seedDemoSocialReports } from '../social-reports/social-report.demo';
import type { TopicDoc } from '../topics/topic.model';
import { seedDemoActivities } from './demo-activities';
import { seedDemoHistory } from './demo-history';
import { seedDemoProposals } from './demo-proposals';

/** Ids of the demo records, for tests and the README. */
export const demo = {
  committeeId: 'haian',
  sessionId: 's-nanmen-snacks',
  /** A second scheduled session (the economy group's), in the city-level room. */
  secondSessionId: 's-innovation',
  roomId: 'room-shanghu',
  firstConvenerId: 'm-chen-liqun',
  secondConvenerId: 'o-wang-haitao',
  staffId: 's-zhou-ting',
  recorderId: 's-li-na',
  leaderId: 'o-sun-lixin',
  /** Every demo account's password; the login name is the id without its prefix (e.g. chen-liqun). */
  password: 'yitang-demo',
} as const;

/** The login name of a demo account: its id without the kind prefix. */
export const demoLogin = (memberId: string) => memberId.replace(/^[a-z]-/, '');

const sectors: Array<[string, string]> = [
  ['sec-cpc', '中共'],
  ['sec-minmeng', '民盟'],
  ['sec-minjian', '民建'],
  ['sec-economy', '经济界'],
  ['sec-education', '教育界'],
  ['sec-health', '医药卫生界'],
  ['sec-agriculture', '农业和农村界'],
  ['sec-social', '社会福利和社会保障界'],
];

/** Working groups and special committees (工作组/专委会): [id, name, kind]. */
const workingGroups: Array<[string, string, 'workingGroup' | 'specialCommittee']> = [
  ['wg-economy', '经济科技委员会', 'specialCommittee'],
  ['wg-social', '社会和法制委员会', 'specialCommittee'],
  ['wg-grassroots', '基层协商工作组', 'workingGroup'],
];

/** District working committees (政协工委): [id, name]. */
const districts: Array<[string, string]> = [
  ['dist-kaifaqu', '开发区政协工委'],
  ['dist-chengdong', '城东镇政协工委'],
];

/** Members' working group and district committee, by member id. */
const economyGroup = ['m-wu-guoqiang', 'm-hu-zhiyong', 'm-luo-bin', 'm-han-lei', 'm-xiao-bo', 'm-cao-ming'];
const groupOf: Record<string, string> = {
  ...Object.fromEntries(economyGroup.map((id) => [id, 'wg-economy'])),
  ...Object.fromEntries(['m-ma-li', 'm-gao-ya', 'm-xie-fang', 'm-tian-jia'].map((id) => [id, 'wg-social'])),
  ...Object.fromEntries(['m-chen-liqun', 'm-he-jun', 'm-zhu-wenbin'].map((id) => [id, 'wg-grassroots'])),
};
const districtOf: Record<string, string> = {
  'm-chen-liqun': 'dist-kaifaqu',
  'm-zhu-wenbin': 'dist-kaifaqu',
  'm-song-tao': 'dist-kaifaqu',
  'm-he-jun': 'dist-chengdong',
  'm-xie-fang': 'dist-chengdong',
};

/** Government departments (部门) and their heads: [id, name, head]. Each demo topic's second convener heads its department. */
const departments: Array<[string, string, string]> = [
  ['dep-scjg', '市市场监督管理局', 'o-wang-haitao'],
  ['dep-cgj', '市城市管理局', 'o-liu-jianguo'],
  ['dep-kjj', '市科学技术局', 'o-zhao-ming'],
];

/** Rooms (议事室): [id, name, level, parent, owning unit]; the village room is under a town room under the city's. */
const demoRooms: Array<[string, string, RoomDoc['level'], string | null, string]> = [
  ['room-city', '海安市政协协商议事室', 'city', null, '海安市政协'],
  ['room-kaifaqu', '开发区协商议事室', 'town', 'room-city', '开发区政协工委'],
  ['room-chengdong', '城东镇协商议事室', 'town', 'room-city', '城东镇政协工委'],
  ['room-shanghu', '开发区上湖村协商议事室', 'village', 'room-kaifaqu', '上湖村村民委员会'],
];

/** The working groups, district committees, departments and leaders of the demo committee. */
async function seedDemoOrg(models: Models): Promise<void> {
  await models.WorkingGroup.bulkWrite(
    workingGroups.map(([_id, name, kind], order) =>
      insertOnce<WorkingGroupDoc>({ _id, committeeId: demo.committeeId, name, kind, order }),
    ),
  );
  await models.District.bulkWrite(
    districts.map(([_id, name], order) => insertOnce<DistrictDoc>({ _id, committeeId: demo.committeeId, name, order })),
  );
  await models.Department.bulkWrite(
    departments.map(([_id, name, headId]) => insertOnce<DepartmentDoc>({ _id, name, headId })),
  );
  await models.Leader.bulkWrite([
    insertOnce<LeaderDoc>({ _id: 'ldr-qian-weidong', name: '钱卫东', post: '副市长', level: 'city', memberId: null }),
    insertOnce<LeaderDoc>({
      _id: 'ldr-sun-lixin',
      name: '孙立新',
      post: '开发区党工委书记',
      level: 'town',
      memberId: demo.leaderId,
    }),
  ]);
}

/** Members appointed to convene consultations (委员召集人). */
const conveners = ['m-chen-liqun', 'm-he-jun', 'm-zhu-wenbin'];

/** Thirty members: [id suffix, name, sector index, title, expertise]. Names are invented. */
const members: Array<[string, string, number, string, string[]]> = [
  ['chen-liqun', '陈立群', 0, '开发区政协工委主任', ['基层治理', '城市管理']],
  ['zhou-min', '周敏', 1, '海安高级中学教师', ['教育']],
  ['sun-jianhua', '孙建华', 2, '海安建华商贸有限公司董事长', ['商贸', '餐饮']],
  ['li-xiaoyan', '李晓燕', 5, '市人民医院主任医师', ['医疗', '食品安全']],
  ['wu-guoqiang', '吴国强', 3, '江苏海联机械有限公司总经理', ['制造业']],
  ['xu-jing', '徐静', 4, '南通理工学院海安校区副院长', ['高等教育', '青年']],
  ['zhu-wenbin', '朱文斌', 6, '上湖村党总支书记', ['农村', '基层治理']],
  ['ma-li', '马丽', 7, '市社会福利中心主任', ['养老', '社会保障']],
  ['hu-zhiyong', '胡志勇', 3, '海安农商银行行长', ['金融']],
  ['gao-ya', '高雅', 1, '律师事务所合伙人', ['法律']],
  ['lin-feng', '林峰', 2, '林记餐饮连锁负责人', ['餐饮', '食品安全']],
  ['he-jun', '何军', 0, '城东镇政协工委主任', ['基层治理']],
  ['guo-hong', '郭红', 5, '疾控中心副主任', ['公共卫生']],
  ['luo-bin', '罗斌', 3, '海安物流园总经理', ['物流', '交通']],
  ['liang-xue', '梁雪', 4, '实验小学校长', ['教育']],
  ['song-tao', '宋涛', 6, '家庭农场主', ['农业']],
  ['zheng-yu', '郑宇', 2, '建筑设计院院长', ['城市规划', '建筑']],
  ['xie-fang', '谢芳', 7, '社区居委会主任', ['社区', '养老']],
  ['han-lei', '韩磊', 3, '新能源科技公司创始人', ['科技创新']],
  ['tang-li', '唐丽', 1, '文化馆馆长', ['文化']],
  ['feng-gang', '冯刚', 0, '市环保协会会长', ['环境保护']],
  ['deng-yun', '邓云', 5, '中医院副院长', ['中医药']],
  ['cao-ming', '曹明', 2, '会计师事务所所长', ['财税']],
  ['peng-hui', '彭辉', 6, '农技推广站站长', ['农业技术']],
  ['zeng-qing', '曾青', 4, '职业教育中心主任', ['职业教育']],
  ['xiao-bo', '肖波', 3, '电商产业园负责人', ['电子商务']],
  ['tian-jia', '田佳', 7, '残联副理事长', ['残疾人服务']],
  ['dong-hai', '董海', 0, '交通运输局退休干部', ['交通']],
  ['yuan-mei', '袁梅', 1, '心理咨询师', ['心理健康']],
  ['pan-yong', '潘勇', 3, '个体工商户协会会长', ['个体经营', '餐饮']],
];

/**
 * Creates the demo committee, members, room and one scheduled session, once. Every record has a
 * natural id and is written with `$setOnInsert`, so running it again changes nothing, including
 * what a live session has since changed.
 */
export async function seedDemo(models: Models, now = new Date()): Promise<void> {
  await models.Committee.bulkWrite([insertOnce({ _id: demo.committeeId, name: '海安市政协', term: 15, year: 2026 })]);
  await seedDemoOrg(models);

  await models.Sector.bulkWrite(
    sectors.map(
      ([id, name], order): AnyBulkWriteOperation<SectorDoc> =>
        insertOnce({ _id: id, committeeId: demo.committeeId, name, order }),
    ),
  );

  const memberDocs: MemberDoc[] = members.map(([id, name, sector, title, expertise]) => ({
    _id: `m-${id}`,
    canConvene: conveners.includes(`m-${id}`),
    committeeId: demo.committeeId,
    name,
    kind: 'member',
    sectorId: sectors[sector]?.[0] ?? null,
    title,
    expertise,
    workingGroupId: groupOf[`m-${id}`] ?? null,
    districtId: districtOf[`m-${id}`] ?? null,
  }));
  const others: Array<[string, string, MemberDoc['kind'], string, string[]]> = [
    [demo.secondConvenerId, '王海涛', 'official', '市市场监督管理局局长', ['市场监管', '食品安全']],
    [demo.leaderId, '孙立新', 'official', '开发区党工委书记', ['基层治理']],
    ['o-liu-jianguo', '刘建国', 'official', '市城市管理局局长', ['城市管理', '市政设施']],
    ['o-zhao-ming', '赵明', 'official', '市科学技术局局长', ['科技创新', '产业发展']],
    [demo.staffId, '周婷', 'staff', '市政协委员工委工作人员', []],
    [demo.recorderId, '李娜', 'staff', '市政协办公室工作人员', []],
  ];
  for (const [_id, name, kind, title, expertise] of others) {
    const departmentId = departments.find(([, , head]) => head === _id)?.[0] ?? null;
    memberDocs.push({ _id, committeeId: demo.committeeId, name, kind, sectorId: null, title, expertise, departmentId });
  }
  // Marked `demo`: demo sign-in (no password) reaches these accounts and no other. Set on every
  // run too, so a database seeded before the mark keeps its one-click sign-in.
  await models.Member.bulkWrite(memberDocs.map((m) => insertOnce({ ...m, demo: true })));
  await models.Member.updateMany({ _id: trusted({ $in: memberDocs.map((m) => m._id) }) }, { $set: { demo: true } });
  // 周婷 is the demo's administrator, so the demo shows managing staff accounts too.
  await models.Member.updateOne({ _id: demo.staffId }, { $set: { admin: true } });
  // Each department's head is its official by record; a database seeded before the records gets
  // the link too, unless someone has since given the official a department.
  for (const [departmentId, , head] of departments) {
    await models.Member.updateOne({ _id: head, departmentId: trusted({ $in: [null] }) }, { $set: { departmentId } });
  }

  // Password logins for every demo account, hashed once (argon2 is slow on purpose).
  const have = new Set((await models.Credential.find({}, { memberId: 1 }).lean()).map((c) => c.memberId));
  const missing = memberDocs.filter((m) => !have.has(m._id));
  if (missing.length > 0) {
    const passwordHash = await hashPassword(demo.password);
    await models.Credential.bulkWrite(
      missing.map((m) => insertOnce<CredentialDoc>({ _id: demoLogin(m._id), memberId: m._id, passwordHash })),
    );
  }

  // The village room under the development zone's town room, under the city's (village → town → city).
  await models.Room.bulkWrite(
    demoRooms.map(([_id, name, level, parentId, ownerUnit]) =>
      insertOnce<RoomDoc>({ _id, name, level, parentId, ownerUnit }),
    ),
  );
  // A database seeded before rooms had parents gets them, unless a room has since been moved.
  for (const [_id, , , parentId, ownerUnit] of demoRooms) {
    if (!parentId) continue;
    await models.Room.updateOne({ _id, parentId: trusted({ $in: [null] }) }, { $set: { parentId, ownerUnit } });
  }

  const scheduledAt = new Date(now.getTime() + 7 * 24 * 3600 * 1000);
  scheduledAt.setUTCHours(6, 30, 0, 0);
  const session: SessionDoc = {
    _id: demo.sessionId,
    topic: '南通理工学院海安校区南门小吃一条街整治',
    topicId: 'tp-nanmen-snacks',
    roomId: demo.roomId,
    scheduledAt,
    mode: 'hybrid',
    state: 'scheduled',
    firstConvenerId: demo.firstConvenerId,
    secondConvenerId: demo.secondConvenerId,
    roles: [
      { memberId: demo.recorderId, role: 'recorder' },
      { memberId: demo.leaderId, role: 'leader' },
    ],
    // The demo plenary (全体会议): every member may join; the city management bureau is invited.
    openToAll: true,
    invitations: [invited('o-liu-jianguo', 'departmentRep')],
    cancelledAt: null,
    cancelReason: null,
    agenda: [
      { id: 'a1', title: '情况通报：小吃街现状与群众诉求', plannedMinutes: 15 },
      { id: 'a2', title: '协商讨论：占道经营、油烟与卫生整治方案', plannedMinutes: 45 },
      { id: 'a3', title: '形成共识：整治措施与责任分工', plannedMinutes: 20 },
    ],
    currentItemId: 'a1',
    currentItemStartedAt: null,
    locked: false,
    speakerLimitSeconds: 180,
    speakers: { queue: [], speaker: null },
    muted: [],
    removed: [],
    startedAt: null,
    closedAt: null,
  };
  const second: SessionDoc = {
    ...session,
    _id: demo.secondSessionId,
    // 赵明 heads the science bureau, which owns the innovation topic.
    secondConvenerId: 'o-zhao-ming',
    topic: '建立产业创新资源共享机制',
    topicId: 'tp-innovation',
    roomId: 'room-economy',
    // The economy group's session: only those invited (and staff, and the conveners) may join.
    // 周敏 is invited as well: the browser test of the minutes reads them as her. 吴国强 is away,
    // his leave approved: when that test closes the session, no absence lands on his held year,
    // which the duty browser test reads.
    openToAll: false,
    invitations: [
      ...[...economyGroup, 'm-zhou-min'].map((id) =>
        id === 'm-wu-guoqiang' ? onApprovedLeave(invited(id, 'member'), '赴外地出差', now) : invited(id, 'member'),
      ),
      invited('o-liu-jianguo', 'departmentRep'),
    ],
    scheduledAt: new Date(scheduledAt.getTime() + 24 * 3600 * 1000),
    mode: 'online',
    agenda: [
      { id: 'b1', title: '现状通报：企业创新资源分布与共享难点', plannedMinutes: 20 },
      { id: 'b2', title: '协商讨论：共享平台建设与运营机制', plannedMinutes: 50 },
    ],
    currentItemId: 'b1',
  };
  await models.Room.bulkWrite([
    insertOnce<RoomDoc>({
      _id: 'room-economy',
      name: '市政协经济组协商议事室',
      level: 'city',
      parentId: null,
      ownerUnit: '市政协经济科技委员会',
    }),
  ]);
  await models.Session.bulkWrite([
    insertOnce({ ...session, year: sessionYear(session.scheduledAt) }),
    insertOnce({ ...second, year: sessionYear(second.scheduledAt) }),
  ]);
  await models.Topic.bulkWrite(demoTopics(now).map((t) => insertOnce(t)));
  // Duty performance: the demo year's rubric, a dozen members' records and their ratings.
  await seedDemoYear(models);
  // A held year of consultations, so the dashboards show the year's figures (demo-history.ts).
  await seedDemoHistory(models, now);
  // Proposals (提案) in several states (demo-proposals.ts).
  await seedDemoProposals(models, now);
  // 社情民意: a few reports in the staff queue and one declined, with their authors' 报送 records.
  await seedDemoSocialReports(models, now);
  // Activities (履职活动): an inspection held with a finding on a desk, research, training and an appraisal.
  await seedDemoActivities(models, now);
  // 意见征集 on the innovation topic: suggestions grouped, some +1s; its public link is /c/innovate.
  await seedDemoConsultation(models, now);
}

/** A demo invitation, not yet answered. */
function invited(memberId: string, role: SessionInvitation['role']): SessionInvitation {
  return { memberId, role, answer: 'pending', leaveReason: null, leave: null, answeredAt: null, leaveDecidedBy: null };
}

/** An invitation answered with a leave request (请假) that staff approved. */
function onApprovedLeave(invitation: SessionInvitation, reason: string, at: Date): SessionInvitation {
  return {
    ...invitation,
    answer: 'leave',
    leaveReason: reason,
    leave: 'approved',
    answeredAt: at,
    leaveDecidedBy: demo.staffId,
  };
}

/**
 * The two sessions' topics, accepted by both conveners and scheduled, and a 12345 ticket's topic
 * still awaiting acceptance (the report's bridge lights).
 */
function demoTopics(now: Date): TopicDoc[] {
  const day = 24 * 3600 * 1000;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day);
  const scheduled = (
    _id: string,
    title: string,
    description: string,
    source: TopicDoc['source'],
    proposedBy: string,
    proposerName: string,
    department: string,
    sessionId: string,
    // The head of the department that owns the topic (双召集人).
    second: { id: string; name: string },
  ): TopicDoc => ({
    _id,
    title,
    description,
    source,
    sourceRef: null,
    proposedBy,
    proposedAt: at(20),
    state: 'scheduled',
    department,
    firstConvenerId: demo.firstConvenerId,
    secondConvenerId: second.id,
    acceptances: [
      { seat: 'first', by: demo.firstConvenerId, byName: '陈立群', at: at(18) },
      { seat: 'second', by: second.id, byName: second.name, at: at(17) },
    ],
    declineReason: null,
    sessionId,
    history: [
      { at: at(20), by: proposedBy, byName: proposerName, action: 'propose', state: 'proposed', note: null },
      { at: at(18), by: demo.firstConvenerId, byName: '陈立群', action: 'accept', state: 'proposed', note: null },
      { at: at(17), by: second.id, byName: second.name, action: 'accept', state: 'accepted', note: null },
      { at: at(15), by: demo.staffId, byName: '周婷', action: 'schedule', state: 'scheduled', note: null },
    ],
    updatedAt: at(15),
  });
  const snacks = scheduled(
    'tp-nanmen-snacks',
    '南通理工学院海安校区南门小吃一条街整治',
    '学生和周边居民反映占道经营、油烟和卫生问题突出。',
    'citizen',
    'm-xu-jing',
    '徐静',
    '市市场监督管理局',
    demo.sessionId,
    { id: demo.secondConvenerId, name: '王海涛' },
  );
  const innovation = scheduled(
    'tp-innovation',
    '建立产业创新资源共享机制',
    '企业研发设备和人才资源分散，共享渠道不畅。',
    'member',
    'm-han-lei',
    '韩磊',
    '市科学技术局',
    demo.secondSessionId,
    { id: 'o-zhao-ming', name: '赵明' },
  );
  const bridge: TopicDoc = {
    _id: 'tp-hotline-HA2026-0815',
    title: '城东大桥桥面路灯十余年不亮',
    description: '12345 热线多次接到群众反映：城东大桥路灯损坏十余年，夜间通行存在安全隐患。',
    source: 'hotline',
    sourceRef: 'HA2026-0815',
    proposedBy: demo.staffId,
    proposedAt: at(3),
    state: 'proposed',
    department: '市城市管理局',
    firstConvenerId: null,
    secondConvenerId: null,
    acceptances: [],
    declineReason: null,
    sessionId: null,
    history: [{ at: at(3), by: demo.staffId, byName: '周婷', action: 'propose', state: 'proposed', note: null }],
    updatedAt: at(3),
  };
  return [snacks, innovation, bridge];
}

function insertOnce<T extends { _id: string }>(doc: T): AnyBulkWriteOperation<T> {
  const { _id, ...rest } = doc;
  return {
    updateOne: {
      filter: { _id },
      update: { $setOnInsert: rest },
      upsert: true,
    },
  } as AnyBulkWriteOperation<T>;
}
