import {
  type BallotContent,
  evaluatePoll,
  type HotlineStatusChange,
  minutesDocName,
  nextChaseLevel,
  type PollSettings,
  type SessionMode,
  type SessionRole,
  type TopicState,
  type TrackingStatus,
  tallyPollBallots,
  yearOf,
} from '@yitang/shared';
import type { Collection, Filter, OptionalUnlessRequiredId } from 'mongodb';
import * as Y from 'yjs';
import type { CredentialDoc } from '../auth/auth.model';
import { type Models, rawCollection } from '../db/models';
import { isDuplicateKey } from '../errors';
import type { HotlineDeliveryDoc, HotlineTicketDoc } from '../hotline/hotline.model';
import { deliveryKey } from '../hotline/outbox';
import type { MemberDoc } from '../members/member.model';
import type { MinutesSnapshotDoc } from '../minutes/minutes.model';
import { appendEvent, ensureSections } from '../minutes/minutes.structure';
import { reasonLabels } from '../minutes/review/labels';
import { type MinutesMetaDoc, type MinutesVersionDoc, versionKey } from '../minutes/review/review.model';
import { blocksOf, plainText } from '../minutes/review/text';
import { outcomeText, pollText, speechText, suggestionText } from '../minutes/texts';
import type { DepartmentDoc, LeaderDoc } from '../org/org.model';
import type { OutcomeDoc } from '../outcomes/outcome.model';
import type { BallotDoc, PollDoc } from '../polls/poll.model';
import type { AttendanceDoc, RoomDoc, SessionDoc, SessionInvitation, SpeakingRecordDoc } from '../rooms/room.model';
import { attendanceKey, sessionYear } from '../rooms/room.model';
import { chinaDate } from '../scoring/ledger';
import type { DutyEntryDoc } from '../scoring/scoring.model';
import { absentWithoutLeave } from '../sessions/absence';
import type { SuggestionDoc } from '../suggestions/suggestion.model';
import type { TopicDoc } from '../topics/topic.model';
import {
  type ProgressReportDoc,
  type RatingDoc,
  ratingKey,
  type TrackingItemDoc,
  trackingKey,
} from '../tracking/tracking.model';

/**
 * A held year for the demo (协商议事 of the year so far), shaped like the annual report's figures
 * scaled to thirty members: about three dozen closed sessions in city, town and village rooms, in
 * the hall, online (云协商) and both; two thirds with a second convener who heads the department
 * that owns the topic; invitation lists with answers and excused leave; attendance, speeches,
 * suggestions, open polls with published results; recorded outcomes tracked through the status
 * machine (most closed, one after rework, some verified or still in progress, one overdue) and
 * rated by participants; minutes reviewed and published; 12345 tickets turned into topics and
 * answered back through the outbox; and the duty records each closed session leaves in the ledger
 * (absence without leave included). Topics stand in every state.
 *
 * Everything is derived from `now` alone, so the same day gives the same documents, and every
 * record has a natural id written only when missing: seeding again changes nothing. The members
 * taking part are the demo members outside the dozen whose duty year demo-year.ts works out by
 * hand (the first convener's rubric points are already at their cap), so those scores hold.
 */

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;

const staff = { id: 's-zhou-ting', name: '周婷' };
const recorder = { id: 's-li-na', name: '李娜' };
const convener = { id: 'm-chen-liqun', name: '陈立群' };

/** A department that owns topics, and its head (who is the topics' second convener). */
interface Dept {
  id: string;
  name: string;
  headId: string;
  headName: string;
}

/** The demo departments (the main seed writes the first three); the others are written here. */
export const historyDepartments = {
  scjg: { id: 'dep-scjg', name: '市市场监督管理局', headId: 'o-wang-haitao', headName: '王海涛' },
  cgj: { id: 'dep-cgj', name: '市城市管理局', headId: 'o-liu-jianguo', headName: '刘建国' },
  kjj: { id: 'dep-kjj', name: '市科学技术局', headId: 'o-zhao-ming', headName: '赵明' },
  jtj: { id: 'dep-jtj', name: '市交通运输局', headId: 'o-gu-weidong', headName: '顾卫东' },
  nyj: { id: 'dep-nyj', name: '市农业农村局', headId: 'o-jiang-hua', headName: '蒋华' },
  wjw: { id: 'dep-wjw', name: '市卫生健康委员会', headId: 'o-qian-li', headName: '钱莉' },
  zjj: { id: 'dep-zjj', name: '市住房和城乡建设局', headId: 'o-shen-bo', headName: '沈波' },
  jyj: { id: 'dep-jyj', name: '市教育体育局', headId: 'o-lu-yan', headName: '陆燕' },
  chengdong: { id: 'dep-chengdong', name: '城东镇人民政府', headId: 'o-xu-lan', headName: '许兰' },
} as const satisfies Record<string, Dept>;
type DeptKey = keyof typeof historyDepartments;

/** Departments and officials this file adds (the main seed owns the rest). */
const ownDepartments: DeptKey[] = ['jtj', 'nyj', 'wjw', 'zjj', 'jyj', 'chengdong'];

/** Officials this file adds: the heads above, and two leaders who attend consultations. */
const officials: Array<[string, string, string, string[], DeptKey | null]> = [
  ['o-gu-weidong', '顾卫东', '市交通运输局局长', ['交通', '道路养护'], 'jtj'],
  ['o-jiang-hua', '蒋华', '市农业农村局局长', ['农业', '乡村振兴'], 'nyj'],
  ['o-qian-li', '钱莉', '市卫生健康委员会主任', ['医疗', '公共卫生'], 'wjw'],
  ['o-shen-bo', '沈波', '市住房和城乡建设局局长', ['住房', '城市建设'], 'zjj'],
  ['o-lu-yan', '陆燕', '市教育体育局局长', ['教育', '体育'], 'jyj'],
  ['o-xu-lan', '许兰', '城东镇人民政府镇长', ['基层治理'], 'chengdong'],
  ['o-ma-jianping', '马建平', '城东镇党委书记', ['基层治理'], null],
  ['o-zhang-wei', '张伟', '海安市人民政府副市长', ['经济', '城市管理'], null],
];

/** Leaders (领导) who attend: [leader id, member id, post, level]. */
const leaders: Array<[string, string, string, LeaderDoc['level']]> = [
  ['ldr-ma-jianping', 'o-ma-jianping', '城东镇党委书记', 'town'],
  ['ldr-zhang-wei', 'o-zhang-wei', '海安市人民政府副市长', 'city'],
];

/** Rooms the year needs besides the main seed's (city, town and village): [id, name, level, parent, owning unit]. */
const rooms: Array<[string, string, RoomDoc['level'], string | null, string]> = [
  ['room-social', '市政协社会法制组协商议事室', 'city', null, '市政协社会法制组'],
  ['room-gaoxin', '高新区协商议事室', 'town', 'room-city', '高新区政协工委'],
  ['room-daqiao', '城东镇大桥村协商议事室', 'village', 'room-chengdong', '大桥村村民委员会'],
  ['room-xinan', '高新区新安社区协商议事室', 'village', 'room-gaoxin', '新安社区居民委员会'],
];
const roomNames: Record<string, string> = {
  'room-economy': '市政协经济组协商议事室',
  'room-shanghu': '开发区上湖村协商议事室',
  'room-chengdong': '城东镇协商议事室',
  ...Object.fromEntries(rooms.map(([id, name]) => [id, name])),
};

/** The leaders' names, for the minutes. */
const leaderNames: Record<string, string> = {
  'o-sun-lixin': '孙立新',
  'o-ma-jianping': '马建平',
  'o-zhang-wei': '张伟',
};

/** Who leads (attends as leader) in each room's sessions. */
const leaderOfRoom: Record<string, string> = {
  'room-economy': 'o-zhang-wei',
  'room-social': 'o-zhang-wei',
  'room-chengdong': 'o-ma-jianping',
  'room-daqiao': 'o-ma-jianping',
  'room-shanghu': 'o-sun-lixin',
  'room-gaoxin': 'o-sun-lixin',
  'room-xinan': 'o-sun-lixin',
};

/**
 * Members who take part in the year's sessions (besides the convener): the demo members outside
 * the dozen whose duty year demo-year.ts plans by hand, so those scores stay as worked out there,
 * and outside the two whose ledgers scoring.test.ts keeps to itself (唐丽, 冯刚).
 */
const pool: Array<[string, string]> = [
  ['m-guo-hong', '郭红'],
  ['m-luo-bin', '罗斌'],
  ['m-liang-xue', '梁雪'],
  ['m-song-tao', '宋涛'],
  ['m-zheng-yu', '郑宇'],
  ['m-xie-fang', '谢芳'],
  ['m-han-lei', '韩磊'],
  ['m-deng-yun', '邓云'],
  ['m-cao-ming', '曹明'],
  ['m-peng-hui', '彭辉'],
  ['m-zeng-qing', '曾青'],
  ['m-xiao-bo', '肖波'],
  ['m-tian-jia', '田佳'],
  ['m-dong-hai', '董海'],
  ['m-yuan-mei', '袁梅'],
  ['m-pan-yong', '潘勇'],
];

/** A 12345 ticket a topic came from: [ticket id, district, category, citizen's words]. */
type Ticket = [string, string, string, string];

/**
 * The year's held topics, in date order: [id suffix, title, room, mode, owning department (null:
 * no second convener; the town answers), outcome, 12345 ticket]. 24 of 36 have a second convener.
 */
const held: Array<[string, string, string, SessionMode, DeptKey | null, string, Ticket | null]> = [
  [
    'village-rules',
    '修订完善大桥村村规民约',
    'room-daqiao',
    'hall',
    null,
    '村规民约修订稿提交村民代表会议表决，印发到户。',
    null,
  ],
  [
    'market-order',
    '规范城区农贸市场经营秩序',
    'room-economy',
    'hall',
    'scjg',
    '开展农贸市场经营秩序专项整治，划定临时疏导摊区。',
    null,
  ],
  [
    'zhanggu-lights',
    '章郭大桥路灯长期不亮',
    'room-chengdong',
    'hall',
    'cgj',
    '更换章郭大桥全部路灯并纳入城市照明日常巡查。',
    ['HA2026-0107', '城东镇', '市政设施', '章郭大桥路灯坏了十多年，晚上过桥看不见路，多次反映没有解决。'],
  ],
  [
    'elder-fraud',
    '农村留守老人防诈骗宣传',
    'room-daqiao',
    'hall',
    null,
    '组织村组干部和网格员入户开展防诈骗宣传，每季度一次。',
    null,
  ],
  [
    'lift-retrofit',
    '推进老旧小区加装电梯',
    'room-social',
    'hybrid',
    'zjj',
    '出台加装电梯简化审批办法，年内完成十部加装。',
    null,
  ],
  [
    'school-traffic',
    '城区学校周边上下学交通拥堵治理',
    'room-social',
    'hall',
    'jtj',
    '在三所学校周边设置临时停车带，高峰时段安排交通引导。',
    null,
  ],
  [
    'haibei-parking',
    '海北办事处街道两侧车辆乱停乱放',
    'room-chengdong',
    'hall',
    'cgj',
    '施划停车泊位，设置禁停标志，开展常态化巡查。',
    ['HA2026-0214', '海北办事处', '城市管理', '街道两边车辆乱停乱放，早晚高峰堵得走不动，救护车都开不进来。'],
  ],
  [
    'tech-transfer',
    '中小企业科技成果转化服务',
    'room-economy',
    'online',
    'kjj',
    '建立科技成果转化服务清单，每月组织一次校企对接。',
    null,
  ],
  [
    'weddings',
    '推进移风易俗，简办婚丧事',
    'room-chengdong',
    'hall',
    null,
    '修订红白理事会章程，明确操办标准并张榜公示。',
    null,
  ],
  [
    'bike-parking',
    '城区共享单车停放管理',
    'room-social',
    'hybrid',
    'cgj',
    '划定共享单车停放区，督促运营企业及时调度清运。',
    null,
  ],
  [
    'clinic-drugs',
    '村卫生室常用药品配备不足',
    'room-daqiao',
    'hall',
    'wjw',
    '调整村卫生室基本药物目录，建立缺药登记和配送制度。',
    null,
  ],
  [
    'market-stalls',
    '城东农贸市场周边占道经营',
    'room-chengdong',
    'hybrid',
    'scjg',
    '设置便民摊点疏导区，对占道经营开展联合执法。',
    ['HA2026-0316', '城东镇', '市场监管', '农贸市场门口马路上全是摆摊的，车子过不去，地上很脏。'],
  ],
  [
    'village-environment',
    '建设江海平原特色宜居宜业和美乡村',
    'room-shanghu',
    'hall',
    'nyj',
    '制定人居环境整治清单，每月评比一次并公开结果。',
    null,
  ],
  [
    'primary-care',
    '基层医疗卫生服务能力提升',
    'room-social',
    'online',
    'wjw',
    '推进城区医院专家定期下沉镇卫生院坐诊。',
    null,
  ],
  [
    'governance-gaps',
    '补齐社区治理短板',
    'room-chengdong',
    'hybrid',
    null,
    '建立社区议事会例会制度，问题清单销号管理。',
    null,
  ],
  [
    'sewer-xinan',
    '新安社区污水管网堵塞',
    'room-xinan',
    'hall',
    'zjj',
    '疏通并改造新安社区污水主管网，建立定期清掏机制。',
    ['HA2026-0421', '高新区', '住房建设', '小区污水管经常堵，一下雨就往外冒，味道很大。'],
  ],
  [
    'farmland',
    '高标准农田建设后期管护',
    'room-shanghu',
    'online',
    'nyj',
    '落实高标准农田管护主体和经费，建立巡查台账。',
    null,
  ],
  ['tutoring', '校外培训机构规范管理', 'room-social', 'hybrid', 'jyj', '开展校外培训机构联合检查，公布白名单。', null],
  [
    'elder-care',
    '农村居家养老服务站建设',
    'room-daqiao',
    'hall',
    null,
    '利用闲置村部用房建设居家养老服务站，配备助餐服务。',
    null,
  ],
  [
    'bus-routes',
    '镇村公交班次过少出行不便',
    'room-chengdong',
    'online',
    'jtj',
    '加密镇村公交早晚班次，优化三条线路走向。',
    ['HA2026-0519', '城东镇', '交通出行', '村里到镇上的公交一天只有几班，老人看病买药很不方便。'],
  ],
  [
    'rd-space',
    '高新区企业研发用房配套',
    'room-gaoxin',
    'hall',
    'kjj',
    '盘活闲置厂房建设共享研发空间，给予租金补贴。',
    null,
  ],
  [
    'farm-sales',
    '家庭农场农产品销售渠道',
    'room-shanghu',
    'hybrid',
    'nyj',
    '搭建农产品线上销售平台，组织进社区直销活动。',
    null,
  ],
  [
    'youth-palace',
    '乡村学校少年宫建设',
    'room-chengdong',
    'hall',
    'jyj',
    '统筹镇中心小学场地建设乡村学校少年宫，周末向学生开放。',
    null,
  ],
  [
    'grid-members',
    '网格员队伍建设与待遇保障',
    'room-chengdong',
    'hall',
    null,
    '明确网格员职责清单，落实绩效补贴。',
    null,
  ],
  [
    'fumes',
    '小区周边餐饮油烟扰民',
    'room-xinan',
    'hybrid',
    'scjg',
    '督促沿街餐饮单位安装油烟净化设施并定期清洗。',
    ['HA2026-0623', '高新区', '环境保护', '楼下饭店油烟太大，窗户都不敢开，晚上还很吵。'],
  ],
  [
    'prepared-food',
    '预制菜产业质量安全监管',
    'room-economy',
    'online',
    'scjg',
    '建立预制菜生产企业质量安全追溯体系。',
    null,
  ],
  ['river-chiefs', '村级河道长效管护', 'room-daqiao', 'hybrid', null, '落实村级河长巡河制度，每月保洁一次。', null],
  ['road-upkeep', '农村公路养护', 'room-chengdong', 'hall', 'jtj', '将农村公路养护纳入镇村考核，修复破损路段。', null],
  [
    'sports-venues',
    '学校体育场馆向社会开放',
    'room-social',
    'hybrid',
    'jyj',
    '试点四所学校体育场馆错时向社会开放。',
    null,
  ],
  ['talent-housing', '高新区人才公寓配套服务', 'room-gaoxin', 'hall', 'zjj', '完善人才公寓周边商业和公交配套。', null],
  [
    'volunteers',
    '社区志愿服务积分激励',
    'room-chengdong',
    'hall',
    null,
    '建立志愿服务积分兑换制度，每季度兑换一次。',
    null,
  ],
  [
    'clinic-hours',
    '社区卫生服务中心延时服务',
    'room-xinan',
    'online',
    'wjw',
    '社区卫生服务中心工作日延时至晚八点。',
    null,
  ],
  [
    'bridge-repair',
    '危桥改造与通行安全',
    'room-chengdong',
    'hybrid',
    null,
    '对三座危桥设置限行标志，列入明年改造计划。',
    null,
  ],
  ['after-school', '课后服务质量提升', 'room-gaoxin', 'hall', 'jyj', '引入社会专业力量丰富课后服务内容。', null],
  [
    'waste-sorting',
    '农村生活垃圾分类',
    'room-daqiao',
    'hall',
    null,
    '每个村民小组配备分类收集点，保洁员分类清运。',
    null,
  ],
  ['data-platform', '产业链数据共享平台', 'room-economy', 'hybrid', 'kjj', '', null],
];

/** The themes (专题) staff keep, as the annual report names them: [id, name]. */
export const demoThemes: Array<[string, string]> = [
  ['th-harmony', '和美乡村'],
  ['th-village-rules', '村规民约'],
  ['th-gaps', '补齐村社区治理短板'],
  ['th-anti-fraud', '防诈骗'],
  ['th-customs', '移风易俗'],
  ['th-elderly', '农村养老服务'],
];

/** The held topics' themes (the others have none), by key. */
const themeOfKey: Record<string, string> = {
  'village-rules': 'th-village-rules',
  'elder-fraud': 'th-anti-fraud',
  weddings: 'th-customs',
  'elder-care': 'th-elderly',
  'governance-gaps': 'th-gaps',
  'grid-members': 'th-gaps',
  'village-environment': 'th-harmony',
  farmland: 'th-harmony',
  'farm-sales': 'th-harmony',
  'river-chiefs': 'th-harmony',
  'road-upkeep': 'th-harmony',
  'waste-sorting': 'th-harmony',
};

/**
 * Held on paper in the village room and recorded afterwards by staff (sessions/paper.ts): their
 * minutes, speeches and show of hands were typed in from the sheets.
 */
const paperKeys = new Set(['village-rules', 'waste-sorting']);

/** Cases of the social-governance centre (市域社会治理中心) handled with a consultation. */
const governanceKeys = new Set(['bridge-repair', 'haibei-parking']);

/** How many records of each kind the year adds (for tests that count the demo's records). */
export const demoHistorySize = {
  members: officials.length,
  rooms: rooms.length,
  sessions: held.length,
} as const;

/** A held session's id. */
const sessionKey = (key: string) => `s-year-${key}`;

/** Generic remarks members make, each completed with the topic. */
const remarks = [
  '建立定期会商机制，每季度通报一次进展',
  '设立群众意见反馈渠道，办理结果及时公开',
  '明确责任分工和完成时限，纳入年度督查',
  '先行选取试点，总结经验后全面推开',
  '加大宣传力度，引导群众共同参与',
  '安排专项资金，保障长效管护',
  '组织相关方现场踏勘，摸清底数',
  '引入第三方评估，检验整治成效',
];

/** Why invitees asked for leave (请假). */
const leaveReasons = ['外出参加培训', '单位有紧急任务', '身体不适', '在外地出差'];

/** A second outcome some sessions also record. */
const followUp = '建立长效管护机制，每季度向市政协通报办理进展。';

/** Deterministic small numbers from an index (no Math.random: the same day gives the same year). */
function pick(i: number, salt: number, n: number): number {
  let x = (i * 2654435761 + salt * 40503) >>> 0;
  x = (x ^ (x >>> 13)) >>> 0;
  x = Math.imul(x, 1274126177) >>> 0;
  return ((x ^ (x >>> 16)) >>> 0) % n;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The stored documents of the held year, built from `now` alone. */
export function demoHistoryDocs(now: Date) {
  const year = Number(chinaDate(now).slice(0, 4));
  const end = now.getTime() - 7 * DAY;
  // The current year up to last week; early in January, the last eleven months instead.
  let start = Date.UTC(year, 0, 8);
  if (end - start < 60 * DAY) start = end - 330 * DAY;
  const span = end - start;
  const today = chinaDate(now);

  const sessions: SessionDoc[] = [];
  const topics: TopicDoc[] = [];
  const attendance: AttendanceDoc[] = [];
  const speeches: SpeakingRecordDoc[] = [];
  const suggestions: SuggestionDoc[] = [];
  const polls: PollDoc[] = [];
  const ballots: BallotDoc[] = [];
  const outcomes: OutcomeDoc[] = [];
  const tracking: TrackingItemDoc[] = [];
  const ratings: RatingDoc[] = [];
  const tickets: HotlineTicketDoc[] = [];
  const deliveries: HotlineDeliveryDoc[] = [];
  const minutes: ReturnType<typeof minutesOf>[] = [];
  const duty: DutyEntryDoc[] = [];

  /** An event happens only if its time has come; otherwise the story stops before it. */
  const past = (at: Date) => at.getTime() < now.getTime() - HOUR;

  held.forEach(([key, title, roomId, mode, deptKey, outcomeText, ticket], i) => {
    const dept: Dept | null = deptKey ? historyDepartments[deptKey] : null;
    const sessionId = sessionKey(key);
    const topicId = ticket ? `tp-hotline-${ticket[0]}` : `tp-year-${key}`;
    const day = new Date(start + Math.round(((i + 0.5) / held.length) * span));
    // 09:30 or 14:30 in Haian.
    const scheduledAt = new Date(
      Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), i % 3 ? 1 : 6, 30),
    );
    const startedAt = new Date(scheduledAt.getTime() + 5 * 60_000);
    const closedAt = new Date(startedAt.getTime() + (80 + pick(i, 1, 50)) * 60_000);
    const leaderId = leaderOfRoom[roomId] ?? 'o-sun-lixin';
    const withLeader = pick(i, 2, 3) !== 0;
    const agenda = [
      { id: 'i1', title: '情况通报', plannedMinutes: 15 },
      { id: 'i2', title: '协商讨论', plannedMinutes: 50 },
      { id: 'i3', title: '形成共识', plannedMinutes: 20 },
    ];

    // Who took part: the conveners, the recorder, the room's leader on most days, and members.
    const count = 6 + pick(i, 3, 4);
    const offset = pick(i, 4, pool.length);
    const members = Array.from({ length: count }, (_, n) => pool[(offset + n * 5) % pool.length] as [string, string]);
    const people: Array<{ id: string; name: string; role: SessionRole }> = [
      { id: convener.id, name: convener.name, role: 'firstConvener' },
      ...(dept ? [{ id: dept.headId, name: dept.headName, role: 'secondConvener' as const }] : []),
      { id: recorder.id, name: recorder.name, role: 'recorder' },
      ...(withLeader ? [{ id: leaderId, name: leaderNames[leaderId] ?? '', role: 'leader' as const }] : []),
      ...members.map(([id, name]) => ({ id, name, role: 'member' as const })),
    ];
    people.forEach((p, n) => {
      const inHall = mode === 'hall' || (mode === 'hybrid' && n % 3 !== 2);
      attendance.push({
        _id: attendanceKey(sessionId, p.id),
        sessionId,
        memberId: p.id,
        role: p.role,
        online: !inHall,
        inHall,
        firstSeenAt: new Date(startedAt.getTime() - (10 - (n % 10)) * 60_000),
        checkedInAt: inHall ? new Date(startedAt.getTime() - (10 - (n % 10)) * 60_000) : null,
        checkedInBy: inHall ? staff.id : null,
      });
    });

    // The invitation list and its answers (sessions/): the members who came said they would; on
    // most days one more asked for leave and was excused, and now and then one said yes and did
    // not come (缺席未请假, derived after the close like the ledger does).
    const answered = new Date(scheduledAt.getTime() - 3 * DAY);
    const invitations: SessionInvitation[] = [
      ...members.map(([memberId]) => invitation(memberId, 'member', 'attend', answered)),
      ...(withLeader ? [invitation(leaderId, 'leader', 'attend', answered)] : []),
    ];
    const extra = (k: number) => (pool[(offset + (count + k) * 5) % pool.length] as [string, string])[0];
    if (i % 3 !== 2) {
      invitations.push({
        ...invitation(extra(0), 'member', 'leave', answered),
        leaveReason: leaveReasons[i % leaveReasons.length] ?? null,
        leave: 'approved',
        leaveDecidedBy: staff.id,
      });
    }
    if (i % 4 === 1) invitations.push(invitation(extra(1), 'member', 'attend', answered));

    sessions.push({
      _id: sessionId,
      topic: title,
      topicId,
      roomId,
      scheduledAt,
      year: sessionYear(scheduledAt),
      mode,
      state: 'closed',
      firstConvenerId: convener.id,
      secondConvenerId: dept?.headId ?? null,
      roles: [
        { memberId: recorder.id, role: 'recorder' },
        ...(withLeader ? [{ memberId: leaderId, role: 'leader' as const }] : []),
      ],
      invitations,
      openToAll: false,
      cancelledAt: null,
      cancelReason: null,
      agenda,
      currentItemId: 'i3',
      currentItemStartedAt: null,
      locked: false,
      speakerLimitSeconds: 180,
      speakers: { queue: [], speaker: null },
      muted: [],
      removed: [],
      startedAt,
      closedAt,
      ...(paperKeys.has(key) ? { origin: 'paper' as const } : {}),
    });

    // Speeches: the second convener reports, then three or four members.
    const speakers = [
      ...(dept ? [{ id: dept.headId }] : []),
      ...members.slice(0, 3 + pick(i, 5, 2)).map(([id]) => ({ id })),
    ];
    speakers.forEach((s, n) => {
      const at = new Date(startedAt.getTime() + (5 + n * 9) * 60_000);
      speeches.push({
        _id: `${sessionId}:${s.id}:${at.toISOString()}`,
        sessionId,
        memberId: s.id,
        itemId: n === 0 && dept ? 'i1' : 'i2',
        startedAt: at,
        durationSeconds: 90 + pick(i, 6 + n, 90),
        pointOfOrder: false,
      });
    });

    // Suggestions: three to six; the first is adopted into the outcome, one more highlighted.
    const authors = members.slice(1, 4 + pick(i, 7, 4));
    const sessionSuggestions = authors.map(
      ([authorId, authorName], n): SuggestionDoc => ({
        _id: `sg-${key}-${n + 1}`,
        sessionId,
        itemId: 'i2',
        authorId,
        authorName,
        text: `关于“${title}”，建议${remarks[(i + n) % remarks.length]}。`,
        mark: n === 0 ? 'adopted' : n === 1 ? 'highlighted' : 'none',
        createdAt: new Date(startedAt.getTime() + (20 + n * 6) * 60_000),
      }),
    );
    suggestions.push(...sessionSuggestions);

    // An open (named) poll on the outcome in most hall and hybrid sessions, published.
    const electorate = people.filter((p) => ['firstConvener', 'secondConvener', 'member'].includes(p.role));
    let pollId: string | null = null;
    if (mode !== 'online' && i % 4 !== 3 && outcomeText) {
      pollId = `p-year-${key}`;
      const settings: PollSettings = {
        kind: 'yesno',
        question: '是否同意将以上措施作为本次协商的议定事项？',
        secret: false,
        electorate: 'members',
        quorum: { type: 'none' },
        majority: { rule: 'simple', base: 'cast' },
      };
      const cast = electorate.map((p, n): BallotDoc => {
        const content: BallotContent = { kind: 'yesno', choice: n === 2 ? 'abstain' : n === 4 && i % 2 ? 'no' : 'yes' };
        return {
          _id: `${pollId}:${p.id}`,
          ballotId: `b-year-${key}-${n + 1}`,
          pollId: pollId as string,
          voterId: p.id,
          content,
          paper: false,
          enteredBy: null,
          castAt: new Date(startedAt.getTime() + (70 + n) * 60_000),
        };
      });
      ballots.push(...cast);
      const tally = tallyPollBallots(
        settings,
        cast.map((b) => b.content),
      );
      const openedAt = new Date(startedAt.getTime() + 68 * 60_000);
      polls.push({
        _id: pollId,
        sessionId,
        itemId: 'i3',
        settings,
        stage: 'published',
        createdBy: convener.id,
        createdAt: new Date(openedAt.getTime() - 2 * 60_000),
        openedAt,
        closedAt: new Date(openedAt.getTime() + 15 * 60_000),
        publishedAt: new Date(openedAt.getTime() + 16 * 60_000),
        presentElectorate: electorate.length,
        tally,
        result: evaluatePoll(settings, tally, { presentElectorate: electorate.length }),
      });
    }

    // Outcomes (议定事项), each a tracking item that moves on over the following weeks.
    const answerer = dept ?? historyDepartments.chengdong;
    const texts = outcomeText ? [outcomeText, ...(i % 2 === 0 ? [followUp] : [])] : [];
    const deadlineDays = 30;
    const items: TrackingItemDoc[] = [];
    texts.forEach((text, n) => {
      const outcomeId = `oc-year-${key}-${n + 1}`;
      const recordedAt = new Date(closedAt.getTime() - 5 * 60_000);
      outcomes.push({
        _id: outcomeId,
        sessionId,
        status: 'recorded',
        text,
        department: answerer.name,
        deadline: chinaDate(new Date(closedAt.getTime() + deadlineDays * DAY)),
        pollId: n === 0 ? pollId : null,
        suggestionIds: n === 0 && sessionSuggestions[0] ? [sessionSuggestions[0]._id] : [],
        createdBy: convener.id,
        createdAt: recordedAt,
        updatedAt: recordedAt,
      });
      items.push(trackingItem(i, n, outcomeId, sessionId, title, text, answerer, closedAt, deadlineDays, past, today));
      // Two participants rate the work once it is verified (满意度), before it is closed.
      const item = items[items.length - 1] as TrackingItemDoc;
      const verified = item.history.find((h) => h.action === 'verify');
      if (verified) {
        members.slice(0, 2).forEach(([memberId], k) => {
          ratings.push({
            _id: ratingKey(item._id, memberId),
            itemId: item._id,
            memberId,
            score: 5 - ((i + k) % 3 === 0 ? 1 : 0),
            comment: k === 0 ? '整改效果明显，群众满意。' : null,
            at: new Date(new Date(verified.at).getTime() + HOUR),
          });
        });
      }
    });
    tracking.push(...items);

    // The topic, from proposal to where its tracking stands.
    const proposedAt = new Date(scheduledAt.getTime() - 24 * DAY);
    // Where the topic came from (荐题): a ticket, a department, a leader, residents or a member.
    const source: TopicDoc['source'] = ticket
      ? 'hotline'
      : governanceKeys.has(key)
        ? 'governanceCentre'
        : dept && i % 5 === 4
          ? 'department'
          : withLeader && i % 7 === 5
            ? 'leader'
            : i % 3 === 0
              ? 'citizen'
              : 'member';
    const proposer =
      source === 'hotline' || source === 'governanceCentre'
        ? staff
        : source === 'department' && dept
          ? { id: dept.headId, name: dept.headName }
          : source === 'leader'
            ? { id: leaderId, name: leaderNames[leaderId] ?? '' }
            : { id: members[0]?.[0] ?? convener.id, name: members[0]?.[1] ?? convener.name };
    const history: TopicDoc['history'] = [
      { at: proposedAt, by: proposer.id, byName: proposer.name, action: 'propose', state: 'proposed', note: null },
    ];
    const acceptances: TopicDoc['acceptances'] = [];
    const firstAt = new Date(proposedAt.getTime() + 2 * DAY);
    acceptances.push({ seat: 'first', by: convener.id, byName: convener.name, at: firstAt });
    if (dept) {
      const secondAt = new Date(firstAt.getTime() + DAY);
      history.push(
        {
          at: firstAt,
          by: convener.id,
          byName: convener.name,
          action: 'accept',
          state: 'proposed',
          note: `${dept.headName}（${dept.name}）`,
        },
        { at: secondAt, by: dept.headId, byName: dept.headName, action: 'accept', state: 'accepted', note: null },
      );
      acceptances.push({ seat: 'second', by: dept.headId, byName: dept.headName, at: secondAt });
    } else {
      history.push({
        at: firstAt,
        by: convener.id,
        byName: convener.name,
        action: 'accept',
        state: 'accepted',
        note: null,
      });
    }
    const scheduledOn = new Date(firstAt.getTime() + 3 * DAY);
    history.push(
      {
        at: scheduledOn,
        by: staff.id,
        byName: staff.name,
        action: 'schedule',
        state: 'scheduled',
        note: `${roomNames[roomId] ?? roomId} ${scheduledAt.toISOString()}`,
      },
      { at: closedAt, by: convener.id, byName: convener.name, action: 'hold', state: 'deliberated', note: null },
    );
    let state: TopicState = 'deliberated';
    if (items.length > 0) {
      history.push({
        at: new Date(closedAt.getTime() + 1000),
        by: convener.id,
        byName: convener.name,
        action: 'startTracking',
        state: 'inProgress',
        note: null,
      });
      state = 'inProgress';
      if (items.every((it) => it.status === 'closed')) {
        const last = items.map((it) => it.history[it.history.length - 1] as TrackingItemDoc['history'][number]);
        const closer = last.reduce((a, b) => (a.at > b.at ? a : b));
        history.push({
          at: closer.at,
          by: closer.by,
          byName: closer.byName,
          action: 'close',
          state: 'closed',
          note: null,
        });
        state = 'closed';
      }
    }
    const doc: TopicDoc = {
      _id: topicId,
      title,
      description: ticket
        ? ticketDescription(ticket, proposedAt)
        : `${roomNames[roomId] ?? ''}收集的群众意见：${title}。`,
      source,
      sourceRef: ticket ? ticket[0] : governanceKeys.has(key) ? `ZL-${key}` : null,
      themeId: themeOfKey[key] ?? null,
      proposedBy: proposer.id,
      proposedAt,
      state,
      department: answerer.name,
      firstConvenerId: convener.id,
      secondConvenerId: dept?.headId ?? null,
      acceptances,
      declineReason: null,
      sessionId,
      history,
      updatedAt: (history[history.length - 1] as TopicDoc['history'][number]).at,
    };
    topics.push(doc);

    if (ticket) {
      const [ticketId, district, category, words] = ticket;
      const receivedAt = new Date(proposedAt.getTime() - 2 * HOUR);
      tickets.push({
        _id: `hl-${ticketId}`,
        ticketId,
        title,
        description: words,
        district,
        category,
        reportedAt: new Date(receivedAt.getTime() - DAY).toISOString(),
        hotlineStatus: '已转协商议事',
        origin: 'webhook',
        importId: null,
        receivedAt,
        topicId,
        topicTitle: title,
        topicState: state,
      });
      deliveries.push(...answersBack(ticketId, topicId, doc, items));
    }

    duty.push(
      ...dutyOf(sessions[sessions.length - 1] as SessionDoc, attendance, speeches, sessionSuggestions, polls, ballots),
    );

    // The minutes: what the room wrote into them, frozen at the close, then reviewed, approved by
    // the conveners and published over the following days (as far as `now` allows).
    const names = new Map<string, string>([...people.map((p): [string, string] => [p.id, p.name])]);
    minutes.push(
      minutesOf(
        sessions[sessions.length - 1] as SessionDoc,
        speeches.filter((x) => x.sessionId === sessionId).map((x) => ({ ...x, name: names.get(x.memberId) ?? '' })),
        sessionSuggestions,
        polls.filter((x) => x.sessionId === sessionId),
        outcomes.filter((x) => x.sessionId === sessionId),
        past,
        9000 + i,
      ),
    );
  });

  // Topics that never reached a session: one accepted and waiting for a date, one declined.
  topics.push(...waitingTopics(now));

  // The main seed's bridge-lights topic came from a 12345 ticket too: the ticket, still awaiting
  // the conveners (nothing reported back yet).
  const bridgeAt = new Date(now.getTime() - 3 * DAY - 2 * HOUR);
  tickets.push({
    _id: 'hl-HA2026-0815',
    ticketId: 'HA2026-0815',
    title: '城东大桥桥面路灯十余年不亮',
    description: '城东大桥上的路灯坏了十多年，晚上过桥黑漆漆的，电动车和行人都很危险。',
    district: '城东镇',
    category: '市政设施',
    reportedAt: new Date(bridgeAt.getTime() - DAY).toISOString(),
    hotlineStatus: '已转协商议事',
    origin: 'webhook',
    importId: null,
    receivedAt: bridgeAt,
    topicId: 'tp-hotline-HA2026-0815',
    topicTitle: '城东大桥桥面路灯十余年不亮',
    topicState: 'proposed',
  });

  return {
    sessions,
    topics,
    attendance,
    speeches,
    suggestions,
    polls,
    ballots,
    outcomes,
    tracking,
    ratings,
    tickets,
    deliveries,
    minutes,
    duty,
  };

  /** The duty records a closed session leaves (as the ledger's `fromSession` derives them). */
  function dutyOf(
    session: SessionDoc,
    allAttendance: AttendanceDoc[],
    allSpeeches: SpeakingRecordDoc[],
    sessionSuggestions: SuggestionDoc[],
    allPolls: PollDoc[],
    allBallots: BallotDoc[],
  ): DutyEntryDoc[] {
    const sid = session._id;
    const isMember = (id: string) => id.startsWith('m-');
    const date = chinaDate(session.startedAt ?? session.scheduledAt);
    const at = new Date((session.closedAt ?? session.scheduledAt).getTime() + 10 * 60_000);
    const base = {
      date,
      year: yearOf(date),
      source: 'session' as const,
      status: 'verified' as const,
      sessionId: sid,
      evidence: null,
      proposal: null,
      rejectReason: null,
      batchId: null,
      audit: [{ at, by: convener.id, byName: convener.name, action: 'recorded' as const, note: `会议 ${sid}` }],
      createdAt: at,
    };
    const out: DutyEntryDoc[] = [];
    for (const a of allAttendance) {
      if (a.sessionId !== sid || !isMember(a.memberId)) continue;
      out.push({
        ...base,
        _id: `ses:${sid}:${a.memberId}:attended`,
        memberId: a.memberId,
        kind: a.inHall ? 'attendedHall' : 'attendedOnline',
        title: `参加协商活动：${session.topic}`,
      });
    }
    for (const s of allSpeeches) {
      if (s.sessionId !== sid || !isMember(s.memberId)) continue;
      out.push({
        ...base,
        _id: `spk:${sid}:${s.memberId}:${s.startedAt.getTime()}`,
        memberId: s.memberId,
        kind: 'spoke',
        title: `在“${clip(session.topic, 40)}”上发言`,
      });
    }
    for (const s of sessionSuggestions) {
      out.push({ ...base, _id: `sug:${s._id}`, memberId: s.authorId, kind: 'suggested', title: clip(s.text, 80) });
    }
    for (const p of allPolls) {
      if (p.sessionId !== sid) continue;
      for (const b of allBallots) {
        if (b.pollId !== p._id || !isMember(b.voterId)) continue;
        out.push({
          ...base,
          _id: `vote:${b._id}`,
          memberId: b.voterId,
          kind: 'voted',
          title: `参加表决：${clip(p.settings.question, 60)}`,
        });
      }
    }
    for (const memberId of absentWithoutLeave(
      session,
      allAttendance.filter((a) => a.sessionId === sid),
    )) {
      if (!isMember(memberId)) continue;
      out.push({
        ...base,
        _id: `abs:${sid}:${memberId}`,
        memberId,
        kind: 'absence',
        title: `缺席未请假：${clip(session.topic, 40)}`,
      });
    }
    return out;
  }
}

/** An invitee and their answer (no leave request). */
function invitation(
  memberId: string,
  role: SessionInvitation['role'],
  answer: SessionInvitation['answer'],
  answeredAt: Date,
): SessionInvitation {
  return { memberId, role, answer, leaveReason: null, leave: null, answeredAt, leaveDecidedBy: null };
}

/**
 * A held session's minutes as the room's minutes writer leaves them (a section per agenda item,
 * speeches, suggestions, the poll and the outcomes as event blocks), with the versions and review
 * state a closed, reviewed, approved and published record has.
 */
function minutesOf(
  session: SessionDoc,
  speeches: Array<SpeakingRecordDoc & { name: string }>,
  suggestions: SuggestionDoc[],
  polls: PollDoc[],
  outcomes: OutcomeDoc[],
  past: (at: Date) => boolean,
  writerId: number,
): { snapshot: MinutesSnapshotDoc; versions: MinutesVersionDoc[]; meta: MinutesMetaDoc } {
  const doc = new Y.Doc();
  // A fixed writer id, so the same day builds the same bytes (Yjs picks a random one otherwise).
  doc.clientID = writerId;
  doc.transact(() => {
    ensureSections(doc, session.agenda);
    for (const s of speeches) {
      appendEvent(doc, s.itemId, {
        kind: 'speech',
        refId: `${s.memberId}:${s.startedAt.toISOString()}`,
        text: speechText(s.name, s.durationSeconds),
      });
    }
    for (const s of suggestions) {
      appendEvent(doc, s.itemId, {
        kind: 'suggestion',
        refId: s._id,
        text: suggestionText(s.authorName, s.text),
      });
    }
    for (const p of polls) {
      appendEvent(doc, p.itemId, {
        kind: 'poll',
        refId: p._id,
        text: pollText({ settings: p.settings, result: p.result ?? null, tally: p.tally ?? null }),
      });
    }
    for (const o of outcomes) {
      appendEvent(doc, null, {
        kind: 'outcome',
        refId: o._id,
        text: outcomeText(o),
      });
    }
  }, 'yitang');
  const state = Buffer.from(Y.encodeStateAsUpdate(doc));
  doc.destroy();
  const text = plainText(blocksOf(state));
  const closedAt = session.closedAt ?? session.scheduledAt;
  const sid = session._id;
  const conveners = [session.firstConvenerId, session.secondConvenerId].filter((c): c is string => !!c);
  const steps: Array<[MinutesVersionDoc['reason'], number, MinutesMetaDoc['status'], string]> = [
    ['sessionClosed', 0.01, 'draft', session.firstConvenerId],
    ['review', 1, 'inReview', staff.id],
    ['approval', 3, 'approved', conveners.at(-1) ?? session.firstConvenerId],
    ['published', 4, 'published', staff.id],
  ];
  const versions: MinutesVersionDoc[] = [];
  let status: MinutesMetaDoc['status'] = 'draft';
  let updatedAt = closedAt;
  for (const [reason, days, next, by] of steps) {
    const at = new Date(closedAt.getTime() + days * DAY);
    if (!past(at)) break;
    versions.push({
      _id: versionKey(sid, versions.length + 1),
      sessionId: sid,
      number: versions.length + 1,
      reason,
      label: reasonLabels[reason],
      state,
      text,
      createdBy: by,
      createdAt: at,
    });
    status = next;
    updatedAt = at;
  }
  const published = versions.find((v) => v.reason === 'published');
  return {
    snapshot: { _id: minutesDocName(sid), state, upToSeq: 0, updatedAt: closedAt },
    versions,
    meta: {
      _id: sid,
      status,
      approvals: status === 'approved' || status === 'published' ? conveners : [],
      publishedVersionId: published?._id ?? null,
      updatedAt,
    },
  };
}

/** The ticket's topic description, as the hotline service writes it. */
function ticketDescription([ticketId, district, category, words]: Ticket, proposedAt: Date): string {
  const reportedAt = new Date(proposedAt.getTime() - 2 * HOUR - DAY).toISOString();
  return `${words}\n\n${[`12345 工单 ${ticketId}`, `区域：${district}`, `类别：${category}`, `受理时间：${reportedAt}`].join('；')}`;
}

/**
 * One outcome's tracking item: created at the close, started, reported done, verified and closed
 * over the weeks after, as far as `now` allows. Some items stop earlier on purpose: two stay
 * verified (the conveners have not closed them yet) and one stays in progress past its deadline.
 */
function trackingItem(
  i: number,
  n: number,
  outcomeId: string,
  sessionId: string,
  topic: string,
  text: string,
  dept: Dept,
  closedAt: Date,
  deadlineDays: number,
  past: (at: Date) => boolean,
  today: string,
): TrackingItemDoc {
  const after = (days: number) => new Date(closedAt.getTime() + days * DAY + 2 * HOUR);
  const head = { id: dept.headId, name: dept.headName };
  const deadline = chinaDate(new Date(closedAt.getTime() + deadlineDays * DAY));
  // Stops: the 23rd session's first item stays in progress (overdue by now), the 26th's and
  // 30th's stay verified (none of them a 12345 ticket's, whose topics are all closed).
  const stopAt: TrackingStatus | null =
    i === 22 && n === 0 ? 'inProgress' : (i === 25 || i === 29) && n === 0 ? 'verified' : null;
  const steps: Array<{
    at: Date;
    by: { id: string; name: string };
    action: TrackingItemDoc['history'][number]['action'];
    status: TrackingStatus;
    note: string | null;
  }> = [
    { at: after(0), by: convener, action: 'create', status: 'assigned', note: null },
    { at: after(2), by: head, action: 'start', status: 'inProgress', note: null },
    { at: after(18 + (i % 7)), by: head, action: 'report', status: 'reportedDone', note: `已完成：${text}` },
    // The 11th session's first item is sent back once for rework (退回重办) before it passes.
    ...(i === 10 && n === 0
      ? [
          {
            at: after(19 + (i % 7)),
            by: convener,
            action: 'return' as const,
            status: 'returned' as const,
            note: '现场核查发现仍有缺口，请继续整改。',
          },
          { at: after(19.5 + (i % 7)), by: head, action: 'start' as const, status: 'inProgress' as const, note: null },
          {
            at: after(21 + (i % 7)),
            by: head,
            action: 'report' as const,
            status: 'reportedDone' as const,
            note: `已重新整改：${text}`,
          },
        ]
      : []),
    { at: after(22 + (i % 7)), by: convener, action: 'verify', status: 'verified', note: '经现场核查，整改到位。' },
    { at: after(25 + (i % 7)), by: convener, action: 'close', status: 'closed', note: null },
  ];
  const history: TrackingItemDoc['history'] = [];
  for (const s of steps) {
    if (!past(s.at)) break;
    history.push({ at: s.at, by: s.by.id, byName: s.by.name, action: s.action, status: s.status, note: s.note });
    if (s.status === stopAt) break;
  }
  const last = history[history.length - 1] as TrackingItemDoc['history'][number];
  // Each report step came with a progress report marked done.
  const reports: ProgressReportDoc[] = history
    .filter((h) => h.action === 'report')
    .map((h, k) => ({
      id: `rp-year-${outcomeId.slice(8)}${k === 0 ? '' : `-${k + 1}`}`,
      at: h.at,
      by: head.id,
      byName: head.name,
      text: h.note ?? text,
      percent: 100,
      nextStep: null,
      done: true,
      attachments: [],
    }));
  // The overdue item has a chase from staff after its deadline passed.
  const chases =
    last.status === 'inProgress' && deadline < today
      ? [
          {
            at: after(deadlineDays + 3),
            by: staff.id,
            byName: staff.name,
            level: nextChaseLevel(0, true),
            note: '已过办理期限，请尽快报送进展。',
            overdue: true,
          },
        ].filter((c) => past(c.at))
      : [];
  return {
    _id: trackingKey(outcomeId),
    outcomeId,
    sessionId,
    topic,
    text,
    department: dept.name,
    deadline,
    status: last.status,
    history,
    assigneeId: head.id,
    assigneeName: head.name,
    reports,
    chases,
    createdAt: closedAt,
    updatedAt: last.at,
  };
}

/** The status messages sent back to the hotline for a ticket's topic and items, all delivered. */
function answersBack(
  ticketId: string,
  topicId: string,
  topic: TopicDoc,
  items: TrackingItemDoc[],
): HotlineDeliveryDoc[] {
  const out: HotlineDeliveryDoc[] = [];
  const add = (change: HotlineStatusChange, at: Date, occurrence: number) => {
    const id = deliveryKey(ticketId, change, occurrence);
    const body = { deliveryId: id, ticketId, topicId, change, at: at.toISOString() };
    const sent = new Date(at.getTime() + 2000);
    out.push({
      _id: id,
      ticketId,
      topicId,
      change,
      body: JSON.stringify(body),
      state: 'delivered',
      attempts: [{ at: sent, statusCode: 200, error: null, nextAttemptAt: null }],
      roundStart: 0,
      nextAttemptAt: null,
      createdAt: at,
    });
  };
  for (const h of topic.history) {
    if (h.state === 'accepted' || h.state === 'scheduled' || h.state === 'closed') {
      add({ kind: 'topic', status: h.state, reason: null }, h.at, 0);
    }
  }
  for (const item of items) {
    for (const h of item.history) {
      if (h.status !== 'reportedDone' && h.status !== 'verified' && h.status !== 'closed') continue;
      const occurrence = item.history.filter(
        (e) => e.status === h.status && e.action !== 'assign' && e.at <= h.at,
      ).length;
      add(
        { kind: 'tracking', trackingItemId: item._id, status: h.status, text: item.text, department: item.department },
        h.at,
        occurrence,
      );
    }
  }
  return out;
}

/** An accepted topic waiting for its session, and a declined one. */
function waitingTopics(now: Date): TopicDoc[] {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  const jtj = historyDepartments.jtj;
  return [
    {
      _id: 'tp-year-ebike-charging',
      title: '电动自行车集中充电设施建设',
      description: '居民反映楼道充电存在火灾隐患，小区缺少集中充电桩。',
      source: 'citizen',
      sourceRef: null,
      proposedBy: 'm-xie-fang',
      proposedAt: at(12),
      state: 'accepted',
      department: historyDepartments.zjj.name,
      firstConvenerId: convener.id,
      secondConvenerId: historyDepartments.zjj.headId,
      acceptances: [
        { seat: 'first', by: convener.id, byName: convener.name, at: at(10) },
        { seat: 'second', by: historyDepartments.zjj.headId, byName: historyDepartments.zjj.headName, at: at(9) },
      ],
      declineReason: null,
      sessionId: null,
      history: [
        { at: at(12), by: 'm-xie-fang', byName: '谢芳', action: 'propose', state: 'proposed', note: null },
        {
          at: at(10),
          by: convener.id,
          byName: convener.name,
          action: 'accept',
          state: 'proposed',
          note: `${historyDepartments.zjj.headName}（${historyDepartments.zjj.name}）`,
        },
        {
          at: at(9),
          by: historyDepartments.zjj.headId,
          byName: historyDepartments.zjj.headName,
          action: 'accept',
          state: 'accepted',
          note: null,
        },
      ],
      updatedAt: at(9),
    },
    {
      _id: 'tp-year-highway-exit',
      title: '增设高速公路出入口',
      description: '建议在城东镇增设一处高速公路出入口。',
      source: 'member',
      sourceRef: null,
      proposedBy: 'm-dong-hai',
      proposedAt: at(40),
      state: 'declined',
      department: jtj.name,
      firstConvenerId: null,
      secondConvenerId: null,
      acceptances: [],
      declineReason: '高速公路出入口由省级部门规划审批，不属于本级协商议事范围，已转为委员提案办理。',
      sessionId: null,
      history: [
        { at: at(40), by: 'm-dong-hai', byName: '董海', action: 'propose', state: 'proposed', note: null },
        {
          at: at(37),
          by: convener.id,
          byName: convener.name,
          action: 'decline',
          state: 'declined',
          note: '高速公路出入口由省级部门规划审批，不属于本级协商议事范围，已转为委员提案办理。',
        },
      ],
      updatedAt: at(37),
    },
  ];
}

/**
 * Inserts the documents whose ids are not stored yet, in one insert per collection. A concurrent
 * seed inserting the same id meanwhile is not an error.
 */
async function insertMissing<T extends { _id: string }>(collection: Collection<T>, docs: T[]): Promise<number> {
  if (docs.length === 0) return 0;
  const ids = docs.map((d) => d._id);
  const have = new Set<string>();
  for (let k = 0; k < ids.length; k += 1000) {
    const found = await collection
      .find({ _id: { $in: ids.slice(k, k + 1000) } } as Filter<T>, { projection: { _id: 1 } })
      .toArray();
    for (const f of found) have.add(String(f._id));
  }
  const missing = docs.filter((d) => !have.has(d._id));
  if (missing.length === 0) return 0;
  try {
    await collection.insertMany(missing as OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (err) {
    const raw = (err as { writeErrors?: Array<{ code?: number }> | { code?: number } }).writeErrors;
    const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
    if (!isDuplicateKey(err) && !(list.length > 0 && list.every((w) => w.code === 11000))) throw err;
  }
  return missing.length;
}

/** Stores the held year once (see `demoHistoryDocs`). */
export async function seedDemoHistory(models: Models, now = new Date()): Promise<void> {
  // The people, rooms and departments do not depend on the day.
  await insertMissing(
    rawCollection(models.Room),
    rooms.map(([_id, name, level, parentId, ownerUnit]): RoomDoc => ({ _id, name, level, parentId, ownerUnit })),
  );
  await insertMissing(
    rawCollection(models.Department),
    ownDepartments.map((k): DepartmentDoc => {
      const d = historyDepartments[k];
      return { _id: d.id, name: d.name, headId: d.headId };
    }),
  );
  const people: MemberDoc[] = officials.map(([_id, name, title, expertise, dept]) => ({
    _id,
    committeeId: 'haian',
    name,
    kind: 'official',
    sectorId: null,
    title,
    expertise,
    departmentId: dept ? historyDepartments[dept].id : null,
    workingGroupId: null,
    districtId: null,
    phone: '',
    email: '',
    status: 'serving',
    demo: true,
  }));
  await insertMissing(rawCollection(models.Member), people);
  await insertMissing(
    rawCollection(models.Leader),
    leaders.map(([_id, memberId, post, level]): LeaderDoc => {
      const person = officials.find((o) => o[0] === memberId);
      return { _id, name: person?.[1] ?? '', post, level, memberId };
    }),
  );
  // Their password logins: the demo password, hashed once by the main seed, so no new hash here.
  const template = await models.Credential.findOne({ memberId: 'm-chen-liqun' }).lean();
  if (template) {
    await insertMissing<CredentialDoc>(
      rawCollection(models.Credential),
      people.map((p) => ({ _id: p._id.replace(/^[a-z]-/, ''), memberId: p._id, passwordHash: template.passwordHash })),
    );
  }

  // The year itself is dated from the day it was first seeded. Its sessions are written last, so
  // once they are all stored the year is complete, and a later day (other dates, other speech
  // times) adds nothing to it.
  // The themes first: a database seeded before themes existed gets them too.
  await insertMissing(
    rawCollection(models.Theme),
    demoThemes.map(([_id, name]) => ({ _id, name, retired: false, createdAt: now })),
  );
  const sessions = rawCollection(models.Session);
  const ids = held.map(([key]) => sessionKey(key));
  if ((await sessions.countDocuments({ _id: { $in: ids } })) === ids.length) return;
  const docs = demoHistoryDocs(now);
  await Promise.all([
    insertMissing(rawCollection(models.Topic), docs.topics),
    insertMissing(rawCollection(models.Attendance), docs.attendance),
    insertMissing(rawCollection(models.SpeakingRecord), docs.speeches),
    insertMissing(rawCollection(models.Suggestion), docs.suggestions),
    insertMissing(rawCollection(models.Poll), docs.polls),
    insertMissing(rawCollection(models.Ballot), docs.ballots),
    insertMissing(rawCollection(models.Outcome), docs.outcomes),
    insertMissing(rawCollection(models.TrackingItem), docs.tracking),
    insertMissing(rawCollection(models.TrackingRating), docs.ratings),
    insertMissing(rawCollection(models.HotlineTicketRecord), docs.tickets),
    insertMissing(rawCollection(models.HotlineDelivery), docs.deliveries),
    insertMissing(rawCollection(models.DutyEntry), docs.duty),
    insertMissing(
      rawCollection(models.MinutesSnapshot),
      docs.minutes.map((m) => m.snapshot),
    ),
    insertMissing(
      rawCollection(models.MinutesVersion),
      docs.minutes.flatMap((m) => m.versions),
    ),
    insertMissing(
      rawCollection(models.MinutesMeta),
      docs.minutes.map((m) => m.meta),
    ),
  ]);
  await insertMissing(sessions, docs.sessions);
}
