import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';
import { orgPath } from './orgPath';

/** The header link to the organisation console, for staff only. */
export function OrgNavLink() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const here = matchRoute(useLocation()).name === 'org';
  if (!staff) return null;
  return (
    <Link to={orgPath} className="app-header__link" aria-current={here ? 'page' : undefined} data-testid="nav-org">
      {t('org.nav')}
    </Link>
  );
}
