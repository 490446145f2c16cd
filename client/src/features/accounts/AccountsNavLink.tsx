import { useTranslation } from 'react-i18next';
import { accountsPath, Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to the accounts page, for staff only. */
export function AccountsNavLink() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const here = matchRoute(useLocation()).name === 'accounts';
  if (!staff) return null;
  return (
    <Link
      to={accountsPath}
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-accounts"
    >
      {t('accounts.nav')}
    </Link>
  );
}
