import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { fetchDashboardAccess } from './api';
import { dashboardPath } from './dashboardQuery';

/**
 * The header link to the dashboards, for those the server lets in (staff, officials, members who
 * convene or lead sessions): a member who would be refused after the filter form is not offered it.
 */
export function DashboardNavLink() {
  const { t } = useTranslation();
  const me = useAppStore((s) => s.me);
  const here = matchRoute(useLocation()).name === 'dashboard';
  const id = me && me.kind !== 'guest' ? me.id : null;
  // Asked again for each person signed in; a refused or failed answer shows no link.
  const { data: may } = useLoad(fetchDashboardAccess, [id], { when: id !== null });

  if (id === null || !may) return null;
  return (
    <Link
      to={dashboardPath}
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-dashboard"
    >
      {t('dashboard.nav')}
    </Link>
  );
}
