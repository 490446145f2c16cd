import { z } from 'zod';
import { Id, sessionModeNames } from '../domain';
import type { Vocabulary } from '../vocabulary';
import { ReportDate } from './period';

/** Room levels (协商议事室 at city, town and village level); `all` reports on every room. */
export const RoomLevel = z.enum(['city', 'town', 'village']);
export type RoomLevel = z.infer<typeof RoomLevel>;
/** A room's level by name: the dashboards, the CSV and the organisation console say the same. */
export const roomLevelNames: Vocabulary<RoomLevel> = {
  'zh-CN': { city: '市级', town: '镇（区）级', village: '村（社区）级' },
  en: { city: 'City', town: 'Town', village: 'Village' },
};
export const ReportLevel = z.enum(['all', 'city', 'town', 'village']);
export type ReportLevel = z.infer<typeof ReportLevel>;

/** CSV labels come in the UI's two languages; Chinese is the default. */
export const ReportLanguage = z.enum(['zh-CN', 'en']);
export type ReportLanguage = z.infer<typeof ReportLanguage>;

/**
 * GET /api/reports/dashboard query. `roomId` narrows to one room; when `level` is given too it
 * must be that room's level.
 */
export const DashboardQuery = z.object({
  from: ReportDate,
  to: ReportDate,
  level: ReportLevel.default('all'),
  roomId: Id.optional(),
  /** Only sessions (and their problems) of this theme; the by-theme table still shows every theme. */
  themeId: Id.optional(),
  format: z.enum(['json', 'csv']).default('json'),
  lang: ReportLanguage.default('zh-CN'),
});
export type DashboardQuery = z.infer<typeof DashboardQuery>;

/**
 * The figures the annual report quotes, in the order tables, charts and the CSV show them.
 *
 * - sessions: sessions held (live or closed) whose date falls in the period, by mode below
 * - hall / online / hybrid: the same sessions by mode (现场协商 / 云协商 / 线上线下同步, as `sessionModeNames`)
 * - paper: those of them recorded afterwards from paper (held outside Yitang; counted in hall too)
 * - themed: those with a theme (专题协商; their own or their topic's)
 * - withSecondConvener: sessions co-chaired by a second convener (双召集人)
 * - suggestions: suggestions made in those sessions
 * - outcomesResolved: tracking items verified in the period (verified, possibly closed since)
 * - leaderAttendances: attendances of leaders in those sessions (someone with a leader record, in
 *   any role, or someone in the leader role), once per session and person
 * - leadersDistinct: different people among them
 * - cityLeaderSessions / townLeaderSessions: those sessions attended (in any role) by someone with
 *   a city-level or a town/street-level leader record (领导, kept by the org console); the annual
 *   report counts the two levels' participation separately
 * - cityLeaders / townLeaders: different people with a city-level or a town/street-level leader
 *   record who attended those sessions ("16 city-level and 120+ town-level leaders took part")
 * - problemsSolved: problems solved in the period: a topic (or a session without a topic) counts
 *   once, when the last of its tracking items is closed, dated by that closure (not per item)
 * - leaderProblemsSolved: those of them whose sessions a leader attended ("推动了30多件突出问题的化解")
 * - hotlineClosed: topics from 12345 hotline tickets or from the social-governance centre
 *   (市域社会治理中心) closed in the period ("35 problems handled with 12345 and the centre")
 */
export const figureKeys = [
  'sessions',
  'hall',
  'online',
  'hybrid',
  'paper',
  'themed',
  'withSecondConvener',
  'suggestions',
  'outcomesResolved',
  'leaderAttendances',
  'leadersDistinct',
  'cityLeaderSessions',
  'townLeaderSessions',
  'cityLeaders',
  'townLeaders',
  'problemsSolved',
  'leaderProblemsSolved',
  'hotlineClosed',
] as const;
export type FigureKey = (typeof figureKeys)[number];

const count = z.number().int().nonnegative();
export const DashboardFigures = z.object(
  Object.fromEntries(figureKeys.map((k) => [k, count])) as Record<FigureKey, typeof count>,
);
export type DashboardFigures = Record<FigureKey, number>;

export const emptyFigures = (): DashboardFigures =>
  Object.fromEntries(figureKeys.map((k) => [k, 0])) as Record<FigureKey, number>;

export const DashboardRoom = z.object({ id: Id, name: z.string(), level: RoomLevel });
export type DashboardRoom = z.infer<typeof DashboardRoom>;

export const DashboardMonth = DashboardFigures.extend({ month: z.string().regex(/^\d{4}-\d{2}$/) });
export type DashboardMonth = DashboardFigures & { month: string };

export const DashboardResponse = z.object({
  from: ReportDate,
  to: ReportDate,
  level: ReportLevel,
  room: DashboardRoom.nullable(),
  totals: DashboardFigures,
  /** One entry per calendar month the period touches, first to last, zeros included. */
  months: z.array(DashboardMonth),
  /** The theme asked for (`themeId`), or null. */
  theme: z.object({ id: Id, name: z.string() }).nullable(),
  /** The period's figures per theme: every theme in use or offered, then sessions with none (id null). */
  byTheme: z.array(DashboardFigures.extend({ themeId: Id.nullable(), name: z.string() })),
  /** The period's figures per room level (all three, in scope of the query). */
  byLevel: z.array(DashboardFigures.extend({ level: RoomLevel })),
  /**
   * Committee members (accounts of kind member) and how many of them have no verified proposal
   * and no verified social-conditions report (社情民意) in the duty ledger for the period: the
   * report's "no member without a proposal and a social-conditions report this year". The whole
   * committee's, whatever the level, room or theme asked for.
   */
  members: z.object({
    committee: z.number().int().nonnegative(),
    withoutProposal: z.number().int().nonnegative(),
    withoutSocialReport: z.number().int().nonnegative(),
  }),
});
export type DashboardResponse = z.infer<typeof DashboardResponse>;

/** GET /api/reports/access: whether the signed-in person may open the dashboards. */
export const ReportsAccess = z.object({ dashboards: z.boolean() });
export type ReportsAccess = z.infer<typeof ReportsAccess>;

/** GET /api/reports/rooms: the rooms a dashboard can narrow to. */
export const ReportRoomsResponse = z.object({ rooms: z.array(DashboardRoom) });
export type ReportRoomsResponse = z.infer<typeof ReportRoomsResponse>;

/**
 * Who may read dashboards: staff and government officials always; a committee member appointed to
 * convene (`canConvene`), or while they convene a session (first or second convener) or take part
 * in one as a leader; guests never. Other members get FORBIDDEN: the figures are the committee's
 * working data, published through the annual report, not a member's own record.
 */
export function mayViewDashboards(who: { kind: string; canConvene?: boolean }, convenesOrLeads: boolean): boolean {
  if (who.kind === 'staff' || who.kind === 'official') return true;
  if (who.kind === 'member') return who.canConvene === true || convenesOrLeads;
  return false;
}

/**
 * Each figure's name, per language; the modes are the sessions' own names (`sessionModeNames`),
 * so the dashboards, the CSV and the session pages say the same.
 */
export const figureNames: Vocabulary<FigureKey> = {
  'zh-CN': {
    sessions: '协商议事活动',
    ...sessionModeNames['zh-CN'],
    paper: '线下纸质补录',
    themed: '专题协商',
    withSecondConvener: '第二召集人参与',
    suggestions: '意见建议',
    outcomesResolved: '成果办结',
    leaderAttendances: '党政负责人参与人次',
    leadersDistinct: '党政负责人参与人数',
    cityLeaderSessions: '市领导参加',
    townLeaderSessions: '镇（街道）领导参加',
    cityLeaders: '市级党政负责人参与人数',
    townLeaders: '区镇街道党政负责人参与人数',
    problemsSolved: '解决突出问题',
    leaderProblemsSolved: '党政负责人推动化解问题',
    hotlineClosed: '12345热线及社会治理中心联动办结',
  },
  en: {
    sessions: 'Sessions',
    ...sessionModeNames.en,
    paper: 'Recorded from paper',
    themed: 'Themed sessions',
    withSecondConvener: 'With a second convener',
    suggestions: 'Suggestions',
    outcomesResolved: 'Outcomes resolved',
    leaderAttendances: 'Leader attendances',
    leadersDistinct: 'Leaders taking part',
    cityLeaderSessions: 'Sessions with city leaders',
    townLeaderSessions: 'Sessions with town (street) leaders',
    cityLeaders: 'City-level leaders taking part',
    townLeaders: 'Town (street) leaders taking part',
    problemsSolved: 'Problems solved',
    leaderProblemsSolved: 'Problems solved with leaders',
    hotlineClosed: 'Hotline and governance-centre cases closed',
  },
};

/** Column headings of the CSV export, per language: the figures' names and the export's own. */
export const csvLabels: Record<
  ReportLanguage,
  Record<
    | FigureKey
    | 'month'
    | 'total'
    | 'period'
    | 'level'
    | 'room'
    | 'theme'
    | 'noTheme'
    | 'members'
    | 'withoutProposal'
    | 'withoutSocialReport',
    string
  >
> = {
  'zh-CN': {
    period: '统计期间',
    level: '层级',
    room: '议事室',
    theme: '专题',
    noTheme: '未设专题',
    members: '委员人数',
    withoutProposal: '未提交提案的委员',
    withoutSocialReport: '未报送社情民意信息的委员',
    month: '月份',
    total: '合计',
    ...figureNames['zh-CN'],
  },
  en: {
    period: 'Period',
    level: 'Level',
    room: 'Room',
    theme: 'Theme',
    noTheme: 'No theme',
    members: 'Committee members',
    withoutProposal: 'Members without a proposal',
    withoutSocialReport: 'Members without a social-conditions report',
    month: 'Month',
    total: 'Total',
    ...figureNames.en,
  },
};

export const levelLabels: Vocabulary<ReportLevel> = {
  'zh-CN': { all: '全部层级', ...roomLevelNames['zh-CN'] },
  en: { all: 'All levels', ...roomLevelNames.en },
};
