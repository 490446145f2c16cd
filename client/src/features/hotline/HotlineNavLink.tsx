import { useTranslation } from 'react-i18next';
import { hotlinePath, Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to the 12345 hotline page, for staff only. */
export function HotlineNavLink() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const here = matchRoute(useLocation()).name === 'hotline';
  if (!staff) return null;
  return (
    <Link
      to={hotlinePath}
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-hotline"
    >
      {t('hotline.nav')}
    </Link>
  );
}
