import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveRoom } from '../features/room/LiveRoom';
import { loginPath, navigate, sessionPath } from '../lib/router';
import { useAppStore } from '../store';

/** A session link: signed-in people enter the live room; others go to sign in and come back. */
export function SessionPage({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const meId = useAppStore((s) => s.me?.id);
  const meStatus = useAppStore((s) => s.meStatus);
  const error = useAppStore((s) => s.authError);
  const signedOut = meStatus === 'ready' && !meId;

  useEffect(() => {
    if (signedOut) navigate(loginPath(sessionPath(sessionId)), { replace: true });
  }, [signedOut, sessionId]);

  if (meStatus === 'error' && error) {
    return (
      <p className="page field-error" role="alert">
        {t(`errors.${error}`)}
      </p>
    );
  }
  if (!meId) {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  // A new identity means a new socket: remount the room.
  return <LiveRoom key={`${sessionId}:${meId}`} sessionId={sessionId} />;
}
