import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to duty records: a member's own page, or the staff pages. Others have none. */
export function DutyNavLink() {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const onDuty = matchRoute(useLocation()).name === 'duty';
  if (kind !== 'member' && kind !== 'staff') return null;
  const staff = kind === 'staff';
  return (
    <Link
      to={staff ? '/duty/review' : '/duty'}
      className="app-header__link"
      aria-current={onDuty ? 'page' : undefined}
      data-testid="nav-duty"
    >
      {t(staff ? 'duty.nav.staff' : 'duty.nav.mine')}
    </Link>
  );
}
