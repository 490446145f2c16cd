import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to 社情民意: members submit and follow theirs, staff edit and decide. */
export function SocialReportsNavLink() {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const here = matchRoute(useLocation()).name === 'socialReports';
  if (kind !== 'member' && kind !== 'staff') return null;
  return (
    <Link
      to="/social-reports"
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-social-reports"
    >
      {t('socialReports.nav')}
    </Link>
  );
}
