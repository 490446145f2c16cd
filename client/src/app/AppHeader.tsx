import { useTranslation } from 'react-i18next';
import { IdentityBar } from '../features/auth/IdentityBar';
import { archivePath, Link, matchRoute, useLocation } from '../lib/router';
import { useAppStore } from '../store';
import { LanguageSwitch } from './LanguageSwitch';

export function AppHeader() {
  const { t } = useTranslation();
  const signedIn = useAppStore((s) => s.me !== null);
  const onArchive = matchRoute(useLocation()).name === 'archive';
  return (
    <header className="app-header">
      <nav className="app-header__inner" aria-label={t('app.mainNav')}>
        <Link to="/" className="brand">
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__tagline">{t('app.tagline')}</span>
        </Link>
        <div className="app-header__tools">
          {signedIn && (
            <Link
              to={archivePath}
              className="app-header__link"
              aria-current={onArchive ? 'page' : undefined}
              data-testid="nav-archive"
            >
              {t('minutes.archive.nav')}
            </Link>
          )}
          <IdentityBar />
          <LanguageSwitch />
        </div>
      </nav>
    </header>
  );
}
