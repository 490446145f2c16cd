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

export function AppHeader() {
  const { t } = useTranslation();
  const signedIn = useAppStore((s) => s.me !== null);
  const routeName = matchRoute(useLocation()).name;
  const onArchive = routeName === 'archive';
  // Guests (invited to one session) see that session only: no topics, no archive of all minutes.
  const mayOpenDashboards = useAppStore((s) => s.me !== null && s.me.kind !== 'guest');
  const mayOpenArchive = mayOpenDashboards;
  return (
    <header className="app-header">
      <nav className="app-header__inner" aria-label={t('app.mainNav')}>
        <Link to="/" className="brand">
          <span className="brand__name">{t('app.name')}</span>
          <span className="brand__tagline">{t('app.tagline')}</span>
        </Link>
        <div className="app-header__tools">
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
          {signedIn && <NotificationsMenu />}
          <IdentityBar />
          <LanguageSwitch />
        </div>
      </nav>
    </header>
  );
}
