import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
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
  const [allowed, setAllowed] = useState<{ for: string; may: boolean } | null>(null);
  const id = me && me.kind !== 'guest' ? me.id : null;

  useEffect(() => {
    if (id === null) return;
    let live = true;
    fetchDashboardAccess().then(
      (may) => live && setAllowed({ for: id, may }),
      () => live && setAllowed({ for: id, may: false }),
    );
    return () => {
      live = false;
    };
  }, [id]);

  if (id === null || allowed?.for !== id || !allowed.may) return null;
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
