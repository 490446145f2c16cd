import { useTranslation } from 'react-i18next';
import { Link, matchRoute, securityPath, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to the security page (audit log, failed sign-ins), for staff only. */
export function SecurityNavLink() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const here = matchRoute(useLocation()).name === 'security';
  if (!staff) return null;
  return (
    <Link
      to={securityPath}
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-security"
    >
      {t('security.nav')}
    </Link>
  );
}
