import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';

/** The member's notice names the decision in their language: the server sends only the step's key. */
describe('socialReportDecided notice', () => {
  it.each([
    ['zh-CN', '您的社情民意信息“停车难”：已采用'],
    ['en', 'Your social-conditions report “停车难”: adopted'],
  ])('%s', async (lng, text) => {
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng,
      interpolation: { escapeValue: false },
    });
    expect(i18n.t('notifications.kind.socialReportDecided', { title: '停车难', step: 'adopt' })).toBe(text);
  });
});
