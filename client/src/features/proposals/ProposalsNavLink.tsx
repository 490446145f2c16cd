import { useTranslation } from 'react-i18next';
import { Link, matchRoute, useLocation } from '../../lib/router';
import { useAppStore } from '../../store';

/** The header link to proposals: members draft and co-sign, staff review, officials handle. */
export function ProposalsNavLink() {
  const { t } = useTranslation();
  const kind = useAppStore((s) => s.me?.kind);
  const here = matchRoute(useLocation()).name === 'proposals';
  if (!kind || kind === 'guest') return null;
  return (
    <Link
      to="/proposals"
      className="app-header__link"
      aria-current={here ? 'page' : undefined}
      data-testid="nav-proposals"
    >
      {t('proposals.nav')}
    </Link>
  );
}
