/** The annual report's figures on the dashboard: by theme (专题) and by room level. */
export const annualZhCN = {
  title: '年度工作报告口径',
  intro: '按专题和议事室层级统计，与年度工作报告引用的数字一一对应。',
  headline: {
    themed: '专题协商议事活动 {{count}} 次',
    problems: '解决突出问题 {{count}} 件（每个议题全部督办事项办结后计一件）',
    leaders: '市级党政负责人 {{city}} 名、区镇街道党政负责人 {{town}} 名参与协商议事活动',
    hotline: '与12345热线及社会治理中心联动处置问题 {{count}} 件',
    paper: '其中线下纸质记录补录 {{count}} 次',
    members: '委员 {{committee}} 名，未提交提案的 {{proposal}} 名，未报送社情民意信息的 {{report}} 名',
  },
  byTheme: '按专题',
  byThemeCaption: '{{from}} 至 {{to}} 各专题数字',
  themeColumn: '专题',
  noTheme: '未设专题',
  byLevel: '按议事室层级',
  byLevelCaption: '{{from}} 至 {{to}} 各层级议事室数字',
  levelColumn: '层级',
  recordPaper: '补录线下协商',
  topicTheme: {
    label: '专题',
    none: '未设专题',
    save: '保存专题',
    saved: '专题已保存。',
  },
};
