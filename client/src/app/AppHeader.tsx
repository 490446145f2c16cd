import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountsNavLink } from '../features/accounts/AccountsNavLink';
import { ActivitiesNavLink } from '../features/activities/ActivitiesNavLink';
import { IdentityBar } from '../features/auth/IdentityBar';
import { DashboardNavLink } from '../features/dashboard/DashboardNavLink';
import { DutyNavLink } from '../features/duty/DutyNavLink';
import { HotlineNavLink } from '../features/hotline/HotlineNavLink';
import { DeliveryLogNavLink } from '../features/notifications/DeliveryLogNavLink';
import { NotificationsMenu } from '../features/notifications/NotificationsMenu';
import { OrgNavLink } from '../features/org/OrgNavLink';
import { ProposalsNavLink } from '../features/proposals/ProposalsNavLink';
import { SecurityNavLink } from '../features/security/SecurityNavLink';
import { SocialReportsNavLink } from '../features/social-reports/SocialReportsNavLink';
import { TrackingNavLink } from '../features/tracking/TrackingNavLink';
import { archivePath, Link, matchRoute, topicsPath, useLocation } from '../lib/router';
import { useAppStore } from '../store';
import { LanguageSwitch } from './LanguageSwitch';

/** The menu's id: the header is one per page. */
const menuId = 'app-menu';

/**
 * The header. On a desk, one row: the brand, the pages, who you are, the bell and the language.
 * On a phone, one compact row — the brand, a menu button, the bell and the language — and the
 * pages with who you are in the menu the button discloses (Escape or a click elsewhere closes it,
 * the focus goes back to the button; going to a page closes it too). Guests and visitors have no
 * pages to choose from: their row shows who they are, or the way in, with no menu.
 */
export function AppHeader() {
  const { t } = useTranslation();
  const signedIn = useAppStore((s) => s.me !== null);
  const location = useLocation();
  const routeName = matchRoute(location).name;
  const onArchive = routeName === 'archive';
  // Guests (invited to one session) see that session only: no topics, no archive of all minutes.
  const mayOpenDashboards = useAppStore((s) => s.me !== null && s.me.kind !== 'guest');
  const mayOpenArchive = mayOpenDashboards;
  const hasMenu = mayOpenDashboards;
  const [open, setOpen] = useState(false);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: going to another page closes the menu.
  useEffect(() => {
    setOpen(false);
  }, [location]);
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target;
      if (!(target instanceof Node)) return;
      if (menuRef.current?.contains(target) || buttonRef.current?.contains(target)) return;
      setOpen(false);
    };
    // Escape closes it from anywhere; from inside the menu the focus goes back to the button.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      const inside = menuRef.current?.contains(document.activeElement) ?? false;
      setOpen(false);
      if (inside) buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <header className="app-header">
      <nav className="app-header__inner" aria-label={t('app.mainNav')}>
        <Link to="/" className="brand">
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__tagline">{t('app.tagline')}</span>
        </Link>
        <div className={hasMenu ? 'app-header__tools app-header__tools--compact' : 'app-header__tools'}>
          {hasMenu && (
            <button
              ref={buttonRef}
              type="button"
              className="app-header__link app-header__menu-button"
              aria-expanded={open}
              aria-controls={menuId}
              onClick={() => setOpen(!open)}
              data-testid="app-menu-button"
            >
              <span className="app-header__menu-icon" aria-hidden="true" />
              {t('app.menu')}
            </button>
          )}
          <div
            ref={menuRef}
            id={menuId}
            className={hasMenu ? 'app-header__menu app-header__menu--collapsible' : 'app-header__menu'}
            data-open={open}
          >
            {mayOpenArchive && (
              <Link
                to={archivePath}
                className="app-header__link"
                aria-current={onArchive ? 'page' : undefined}
                data-testid="nav-archive"
              >
                {t('minutes.archive.nav')}
              </Link>
            )}
            {mayOpenDashboards && (
              <Link
                to={topicsPath}
                className="app-header__link"
                aria-current={routeName === 'topics' || routeName === 'topic' ? 'page' : undefined}
                data-testid="nav-topics"
              >
                {t('topics.nav')}
              </Link>
            )}
            <DashboardNavLink />
            <ProposalsNavLink />
            <SocialReportsNavLink />
            <ActivitiesNavLink />
            <TrackingNavLink />
            <DutyNavLink />
            <HotlineNavLink />
            <DeliveryLogNavLink />
            <SecurityNavLink />
            <AccountsNavLink />
            <OrgNavLink />
            <IdentityBar />
          </div>
          {signedIn && <NotificationsMenu />}
          <LanguageSwitch />
        </div>
      </nav>
    </header>
  );
}
