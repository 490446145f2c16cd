import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n';

/** Toggles between Chinese and English; the button names the language it switches to. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const target = currentLanguage() === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button
      type="button"
      className="button button--small"
      lang={target}
      aria-label={t('lang.switchLabel')}
      onClick={() => setLanguage(target)}
      data-testid="lang-switch"
    >
      {t('lang.switch')}
    </button>
  );
}
