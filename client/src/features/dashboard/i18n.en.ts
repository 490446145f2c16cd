import type { annualZhCN } from './i18n.zh-CN';

/** English for the annual figures (the Chinese is the original). */
export const annualEn: typeof annualZhCN = {
  title: 'The annual report’s figures',
  intro: 'By theme and by room level, each matching a figure the annual report quotes.',
  headline: {
    themed: '{{count}} themed sessions',
    problems: '{{count}} problems solved (a topic counts once, when all its tracking items are closed)',
    leaders: '{{city}} city-level and {{town}} town (street) leaders took part',
    hotline: '{{count}} cases handled with the 12345 hotline and the governance centre',
    paper: 'of which {{count}} recorded afterwards from paper',
    members: '{{committee}} members: {{proposal}} without a proposal, {{report}} without a social-conditions report',
  },
  byTheme: 'By theme',
  byThemeCaption: 'Figures by theme, {{from}} to {{to}}',
  themeColumn: 'Theme',
  noTheme: 'No theme',
  byLevel: 'By room level',
  byLevelCaption: 'Figures by room level, {{from}} to {{to}}',
  levelColumn: 'Level',
  recordPaper: 'Record a paper session',
  topicTheme: {
    label: 'Theme',
    none: 'No theme',
    save: 'Save the theme',
    saved: 'Theme saved.',
  },
};
