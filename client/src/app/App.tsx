import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Lobby } from '../features/sessions/Lobby';
import { Link, matchRoute, usePath } from '../lib/router';
import { appStore } from '../store';
import { AppHeader } from './AppHeader';
import { SessionPage } from './SessionPage';

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
  const path = usePath();
  const route = matchRoute(path);
  const mainRef = useRef<HTMLElement>(null);
  const lastPath = useRef(path);

  useEffect(() => {
    void appStore.getState().loadMe();
  }, []);

  // After in-app navigation, move focus to the new page so screen readers start there.
  useEffect(() => {
    if (path === lastPath.current) return;
    lastPath.current = path;
    mainRef.current?.focus();
  }, [path]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader />
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        {route.name === 'lobby' && <Lobby />}
        {route.name === 'session' && <SessionPage sessionId={route.sessionId} />}
        {route.name === 'notFound' && <NotFound />}
      </main>
    </>
  );
}
