import { useTranslation } from 'react-i18next';
import { deliveryLogPath, Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to the delivery log of reminders, for staff only. */
export function DeliveryLogNavLink() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  const here = matchRoute(useLocation()).name === 'deliveryLog';
  if (!staff) return null;
  return (
    <Link
      to={deliveryLogPath}
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-delivery-log"
    >
      {t('notify.log.nav')}
    </Link>
  );
}
