import { useTranslation } from 'react-i18next';
import { IdentityBar } from '../features/auth/IdentityBar';
import { Link } from '../lib/router';
import { LanguageSwitch } from './LanguageSwitch';

export function AppHeader() {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      <nav className="app-header__inner" aria-label={t('app.mainNav')}>
        <Link to="/" className="brand">
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__tagline">{t('app.tagline')}</span>
        </Link>
        <div className="app-header__tools">
          <IdentityBar />
          <LanguageSwitch />
        </div>
      </nav>
    </header>
  );
}
