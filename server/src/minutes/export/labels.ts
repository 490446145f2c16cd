import type { ExportLabels, LabelOverrides } from './types';

export const zhLabels: ExportLabels = {
  lang: 'zh-CN',
  attendance: '出席人员',
  votes: '表决结果',
  minutes: '会议纪要',
  room: '议事室',
  scheduledAt: '时间',
  mode: '形式',
  conveners: '召集人',
  version: '版本',
  name: '姓名',
  role: '身份',
  presence: '出席方式',
  inHall: '现场',
  online: '线上',
  inHallAndOnline: '现场、线上',
  absent: '缺席',
  question: '表决事项',
  kind: '方式',
  result: '结果',
  noAttendance: '无出席记录。',
  noVotes: '本次会议未进行表决。',
  emptyMinutes: '(纪要为空)',
  untitledAgendaItem: '议程',
  colon: '：',
  listSeparator: '、',
  attendanceSummary: ({ total, inHall, online, absent }) =>
    `共 ${total} 人：现场 ${inHall} 人，线上 ${online} 人${absent > 0 ? `，缺席 ${absent} 人` : ''}。`,
  modes: { hall: '线下协商', online: '云协商', hybrid: '线上线下结合' },
  pollKinds: { yesno: '赞成/反对', single: '单选', multiple: '多选', ranking: '排序', score: '评分' },
  eventKinds: { speech: '发言', suggestion: '意见建议', poll: '表决', outcome: '协商成果' },
};

export const enLabels: ExportLabels = {
  lang: 'en',
  attendance: 'Attendance',
  votes: 'Votes',
  minutes: 'Minutes',
  room: 'Room',
  scheduledAt: 'Time',
  mode: 'Format',
  conveners: 'Conveners',
  version: 'Version',
  name: 'Name',
  role: 'Role',
  presence: 'Attended',
  inHall: 'In the room',
  online: 'Online',
  inHallAndOnline: 'In the room and online',
  absent: 'Absent',
  question: 'Question',
  kind: 'Kind',
  result: 'Result',
  noAttendance: 'No attendance recorded.',
  noVotes: 'No votes were taken.',
  emptyMinutes: '(The minutes are empty.)',
  untitledAgendaItem: 'Agenda item',
  colon: ': ',
  listSeparator: ', ',
  attendanceSummary: ({ total, inHall, online, absent }) =>
    `${total} in all: ${inHall} in the room, ${online} online${absent > 0 ? `, ${absent} absent` : ''}.`,
  modes: { hall: 'In the room', online: 'Online', hybrid: 'In the room and online' },
  pollKinds: {
    yesno: 'Yes/no',
    single: 'Single choice',
    multiple: 'Multiple choice',
    ranking: 'Ranking',
    score: 'Score',
  },
  eventKinds: { speech: 'Speech', suggestion: 'Suggestion', poll: 'Poll', outcome: 'Outcome' },
};

/** The Chinese labels with the overrides laid over them. */
export function resolveLabels(overrides: LabelOverrides | undefined): ExportLabels {
  if (!overrides) return zhLabels;
  const { modes, pollKinds, eventKinds, ...rest } = overrides;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    ...zhLabels,
    ...defined,
    modes: { ...zhLabels.modes, ...modes },
    pollKinds: { ...zhLabels.pollKinds, ...pollKinds },
    eventKinds: { ...zhLabels.eventKinds, ...eventKinds },
  };
}
