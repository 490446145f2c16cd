import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

const storageKey = 'yitang.lang';
const defaultLanguage: Language = 'zh-CN';

function isLanguage(value: string | null): value is Language {
  return languages.some((lang) => lang === value);
}

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(storageKey);
    return isLanguage(value) ? value : defaultLanguage;
  } catch {
    // Storage can be blocked (private mode, policies); the default language still works.
    return defaultLanguage;
  }
}

function applyToDocument(lang: string): void {
  document.documentElement.lang = lang;
  document.title = i18n.t('app.name');
}

/** The language currently shown; falls back to the default for anything unexpected. */
export function currentLanguage(): Language {
  const lang = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(lang) ? lang : defaultLanguage;
}

/** Switches the UI language and remembers the choice for the next visit. */
export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // Not remembered, but the switch itself still applies for this visit.
  }
  void i18n.changeLanguage(lang);
}

i18n.on('languageChanged', applyToDocument);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: defaultLanguage,
  supportedLngs: [...languages],
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

applyToDocument(currentLanguage());

export { i18n };
