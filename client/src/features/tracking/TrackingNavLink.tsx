import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to tracking items, for everyone with an account (guests come for one session only). */
export function TrackingNavLink() {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const here = matchRoute(useLocation()).name === 'tracking';
  if (!kind || kind === 'guest') return null;
  return (
    <Link
      to="/tracking"
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-tracking"
    >
      {t('tracking.nav')}
    </Link>
  );
}
