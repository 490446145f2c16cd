import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n';

/**
 * Toggles between Chinese and English; the button shows the language it switches to, in that
 * language. Its accessible name starts with that visible word (so "click English" in voice
 * control finds it), then says what it does in the current language, each part read in its own.
 */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const target = currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button
      type="button"
      className="button button--small"
      onClick={() => setLanguage(target)}
      data-testid="lang-switch"
    >
      <span lang={target}>{t('lang.switch')}</span>
      <span className="visually-hidden"> {t('lang.switchLabel')}</span>
    </button>
  );
}
