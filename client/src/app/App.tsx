import { lazy, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SignedIn } from '../components/SignedIn';
import { LinkPasswordPage } from '../features/accounts/LinkPasswordPage';
import { SetupPage } from '../features/accounts/SetupPage';
import { LoginPage } from '../features/auth/LoginPage';
import { InvitePage } from '../features/invitations/InvitePage';
import { Lobby } from '../features/sessions/Lobby';
import { SessionPlanPage } from '../features/sessions/SessionPlanPage';
import { Link, matchRoute, newSessionPath, sessionPlanPath, useLocation } from '../lib/router';
import { appStore } from '../store';
import { AppHeader } from './AppHeader';
import { followHeading } from './pageTitle';
import { SessionPage } from './SessionPage';

// The review page carries the editor (TipTap, ProseMirror, Yjs): load it when it is opened.
const MinutesPage = lazy(() => import('../features/minutes/MinutesPage').then((m) => ({ default: m.MinutesPage })));
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage').then((m) => ({ default: m.AccountsPage })));
const ChangePasswordPage = lazy(() =>
  import('../features/accounts/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })),
);
const OrgConsole = lazy(() => import('../features/org/OrgConsole').then((m) => ({ default: m.OrgConsole })));
const ImportMembers = lazy(() => import('../features/org/ImportMembers').then((m) => ({ default: m.ImportMembers })));
const SecurityPage = lazy(() => import('../features/security/SecurityPage').then((m) => ({ default: m.SecurityPage })));
const HotlinePage = lazy(() => import('../features/hotline/HotlinePage').then((m) => ({ default: m.HotlinePage })));
const NotifyPreferencesPage = lazy(() =>
  import('../features/notifications/NotifyPreferencesPage').then((m) => ({ default: m.NotifyPreferencesPage })),
);
const DeliveryLogPage = lazy(() =>
  import('../features/notifications/DeliveryLogPage').then((m) => ({ default: m.DeliveryLogPage })),
);
const TopicsPage = lazy(() => import('../features/topics/TopicsPage').then((m) => ({ default: m.TopicsPage })));
const TopicPage = lazy(() => import('../features/topics/TopicPage').then((m) => ({ default: m.TopicPage })));
const PublicConsultationPage = lazy(() =>
  import('../features/consultation/PublicConsultationPage').then((m) => ({ default: m.PublicConsultationPage })),
);
const ArchivePage = lazy(() => import('../features/minutes/ArchivePage').then((m) => ({ default: m.ArchivePage })));
const DutyPages = lazy(() => import('../features/duty/DutyPages').then((m) => ({ default: m.DutyPages })));
const TrackingPages = lazy(() =>
  import('../features/tracking/TrackingPages').then((m) => ({ default: m.TrackingPages })),
);
const ProposalsPages = lazy(() =>
  import('../features/proposals/ProposalsPages').then((m) => ({ default: m.ProposalsPages })),
);
const SocialReportsPages = lazy(() =>
  import('../features/social-reports/SocialReportsPages').then((m) => ({ default: m.SocialReportsPages })),
);
const ActivitiesPages = lazy(() =>
  import('../features/activities/ActivitiesPages').then((m) => ({ default: m.ActivitiesPages })),
);
// Dashboards carry ECharts: load them when they are opened.
const DashboardPage = lazy(() =>
  import('../features/dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
);
// The hall screen is a page of its own (no header, no navigation): the projector's.
const HallScreen = lazy(() => import('../features/screen/HallScreen').then((m) => ({ default: m.HallScreen })));
const PaperSessionPage = lazy(() =>
  import('../features/sessions/PaperSessionPage').then((m) => ({ default: m.PaperSessionPage })),
);

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="page hint" role="status">
      {t('app.loading')}
    </p>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('notFound.title')}</h1>
      <p>
        <Link to="/">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}

export function App() {
  const { t } = useTranslation();
  const location = useLocation();
  const route = matchRoute(location);
  const mainRef = useRef<HTMLElement>(null);
  const lastLocation = useRef(location);

  useEffect(() => {
    void appStore.getState().loadMe();
  }, []);

  // Each page's tab title is its heading (the hall screen sets its own).
  const onScreen = route.name === 'screen';
  useEffect(() => {
    const main = mainRef.current;
    if (onScreen || !main) return;
    return followHeading(main, () => t('app.name'));
  }, [onScreen, t]);

  // After in-app navigation, move focus to the new page so screen readers start there.
  useEffect(() => {
    if (location === lastLocation.current) return;
    lastLocation.current = location;
    mainRef.current?.focus();
  }, [location]);

  if (route.name === 'screen') {
    return (
      <Suspense fallback={<Loading />}>
        <HallScreen sessionId={route.sessionId} screenKey={route.key} />
      </Suspense>
    );
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader />
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        {route.name === 'lobby' && <Lobby />}
        {route.name === 'login' && <LoginPage next={route.next} />}
        {route.name === 'invite' && <InvitePage token={route.token} />}
        {route.name === 'session' && <SessionPage sessionId={route.sessionId} />}
        {route.name === 'sessionPlan' && (
          <SignedIn returnTo={route.sessionId ? sessionPlanPath(route.sessionId) : newSessionPath}>
            {() => <SessionPlanPage sessionId={route.sessionId} />}
          </SignedIn>
        )}
        {route.name === 'minutes' && (
          <Suspense fallback={<Loading />}>
            <MinutesPage sessionId={route.sessionId} />
          </Suspense>
        )}
        {route.name === 'archive' && (
          <Suspense fallback={<Loading />}>
            <ArchivePage search={route.search} />
          </Suspense>
        )}
        {route.name === 'dashboard' && (
          <Suspense fallback={<Loading />}>
            <DashboardPage search={route.search} />
          </Suspense>
        )}
        {route.name === 'paperSessions' && (
          <Suspense fallback={<Loading />}>
            <PaperSessionPage />
          </Suspense>
        )}
        {route.name === 'duty' && (
          <Suspense fallback={<Loading />}>
            <DutyPages path={route.path} search={route.search} />
          </Suspense>
        )}
        {route.name === 'topics' && (
          <Suspense fallback={<Loading />}>
            <TopicsPage search={route.search} />
          </Suspense>
        )}
        {route.name === 'topic' && (
          <Suspense fallback={<Loading />}>
            <TopicPage key={route.topicId} topicId={route.topicId} />
          </Suspense>
        )}
        {route.name === 'consultationPublic' && (
          <Suspense fallback={<Loading />}>
            <PublicConsultationPage code={route.code} />
          </Suspense>
        )}
        {route.name === 'tracking' && (
          <Suspense fallback={<Loading />}>
            <TrackingPages path={route.path} search={route.search} />
          </Suspense>
        )}
        {route.name === 'socialReports' && (
          <Suspense fallback={<Loading />}>
            <SocialReportsPages path={route.path} search={route.search} />
          </Suspense>
        )}
        {route.name === 'activities' && (
          <Suspense fallback={<Loading />}>
            <ActivitiesPages path={route.path} search={route.search} />
          </Suspense>
        )}
        {route.name === 'proposals' && (
          <Suspense fallback={<Loading />}>
            <ProposalsPages path={route.path} search={route.search} />
          </Suspense>
        )}
        {route.name === 'hotline' && (
          <Suspense fallback={<Loading />}>
            <HotlinePage />
          </Suspense>
        )}
        {route.name === 'notifyPreferences' && (
          <Suspense fallback={<Loading />}>
            <NotifyPreferencesPage />
          </Suspense>
        )}
        {route.name === 'deliveryLog' && (
          <Suspense fallback={<Loading />}>
            <DeliveryLogPage />
          </Suspense>
        )}
        {route.name === 'security' && (
          <Suspense fallback={<Loading />}>
            <SecurityPage />
          </Suspense>
        )}
        {route.name === 'setup' && <SetupPage token={route.token} />}
        {route.name === 'accountLink' && <LinkPasswordPage token={route.token} />}
        {route.name === 'accounts' && (
          <Suspense fallback={<Loading />}>
            <AccountsPage />
          </Suspense>
        )}
        {route.name === 'org' && (
          <Suspense fallback={<Loading />}>
            <OrgConsole path={route.path} />
          </Suspense>
        )}
        {route.name === 'orgImport' && (
          <Suspense fallback={<Loading />}>
            <ImportMembers />
          </Suspense>
        )}
        {route.name === 'changePassword' && (
          <Suspense fallback={<Loading />}>
            <ChangePasswordPage />
          </Suspense>
        )}
        {route.name === 'notFound' && <NotFound />}
      </main>
    </>
  );
}
