import { roomEventKindNames, sessionModeNames } from '@yitang/shared';
import type { ExportLabels, LabelOverrides } from './types';

/** The Chinese labels: the wording and punctuation of a 协商议事活动纪要. */
export const zhLabels: ExportLabels = {
  lang: 'zh-CN',
  documentTitle: (topic) => {
    const t = topic.trim();
    if (t === '') return '协商议事活动纪要';
    return `${t.startsWith('关于') ? '' : '关于'}${t}的协商议事活动纪要`;
  },
  documentNumber: (year, number) => `〔${year}〕第${number}号`,
  scheduledAt: '时间',
  place: '地点',
  mode: '形式',
  presiding: '主持',
  attending: '出席',
  sittingIn: '列席',
  recording: '记录',
  absentees: '缺席',
  version: '版本',
  onlineMark: '（线上）',
  nobody: '无',
  content: '主要内容',
  decisions: '议定事项',
  noDecisions: '本次活动未形成议定事项。',
  department: '责任部门',
  deadline: '完成时限',
  emptyMinutes: '（纪要为空）',
  untitledAgendaItem: '议程',
  colon: '：',
  listSeparator: '、',
  comma: '，',
  brackets: ['（', '）'],
  dash: '——',
  attendanceSummary: ({ total, inHall, online, absent }) =>
    `共${total}人：现场${inHall}人，线上${online}人${absent > 0 ? `；另缺席${absent}人` : ''}。`,
  signature: (name) => `召集人${name === '' ? '' : `（${name}）`}签字：__________　日期：__________`,
  modes: { ...sessionModeNames['zh-CN'] },
  eventKinds: { ...roomEventKindNames['zh-CN'] },
};

export const enLabels: ExportLabels = {
  lang: 'en',
  documentTitle: (topic) =>
    topic.trim() === '' ? 'Minutes of the consultation' : `Minutes of the consultation on ${topic.trim()}`,
  documentNumber: (year, number) => `No. ${number} of ${year}`,
  scheduledAt: 'Time',
  place: 'Place',
  mode: 'Format',
  presiding: 'Presiding',
  attending: 'Present',
  sittingIn: 'Also present',
  recording: 'Minutes taken by',
  absentees: 'Absent',
  version: 'Version',
  onlineMark: ' (online)',
  nobody: 'None',
  content: 'Proceedings',
  decisions: 'Decisions',
  noDecisions: 'No decisions were recorded.',
  department: 'Responsible department',
  deadline: 'Deadline',
  emptyMinutes: '(The minutes are empty.)',
  untitledAgendaItem: 'Agenda item',
  colon: ': ',
  listSeparator: ', ',
  comma: ', ',
  brackets: [' (', ')'],
  dash: ' — ',
  attendanceSummary: ({ total, inHall, online, absent }) =>
    `${total} present: ${inHall} in the room, ${online} online${absent > 0 ? `; ${absent} absent` : ''}.`,
  signature: (name) => `Convener's signature${name === '' ? '' : ` (${name})`}: __________   Date: __________`,
  modes: { ...sessionModeNames.en },
  eventKinds: { ...roomEventKindNames.en },
};

/** The Chinese labels with the overrides laid over them. */
export function resolveLabels(overrides: LabelOverrides | undefined): ExportLabels {
  if (!overrides) return zhLabels;
  const { modes, eventKinds, ...rest } = overrides;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    ...zhLabels,
    ...defined,
    modes: { ...zhLabels.modes, ...modes },
    eventKinds: { ...zhLabels.eventKinds, ...eventKinds },
  };
}
