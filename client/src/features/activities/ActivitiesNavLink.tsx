import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to the activities: members see theirs, staff and conveners organise. */
export function ActivitiesNavLink() {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const here = matchRoute(useLocation()).name === 'activities';
  if (kind !== 'member' && kind !== 'staff' && kind !== 'official') return null;
  return (
    <Link
      to="/activities"
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-activities"
    >
      {t('activities.nav')}
    </Link>
  );
}
