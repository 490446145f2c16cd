import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, minutesPath } from '../../lib/router';
import { useAppStore } from '../../store';
import { MinutesStatusBadge } from './MinutesStatusBadge';
import { MinutesWorkspace } from './MinutesWorkspace';

/** The session's minutes in the live room: one shared Yjs document, written by the conveners and the recorder. */
export function MinutesPanel({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const loadMinutesInfo = useAppStore((s) => s.loadMinutesInfo);
  const clearMinutesInfo = useAppStore((s) => s.clearMinutesInfo);
  const sessionState = useAppStore((s) => s.session?.state);
  const status = useAppStore((s) => (s.minutesInfoFor === sessionId ? s.minutesInfo?.status : undefined));

  // Closing the session moves the minutes on (a version is taken); reload then too.
  useEffect(() => {
    if (sessionState) void loadMinutesInfo(sessionId);
  }, [loadMinutesInfo, sessionId, sessionState]);
  useEffect(() => clearMinutesInfo, [clearMinutesInfo]);

  return (
    <section className="panel minutes" aria-labelledby="minutes-title">
      <div className="panel-head">
        <h2 id="minutes-title">{t('minutes.title')}</h2>
        {status && <MinutesStatusBadge status={status} />}
      </div>
      <MinutesWorkspace sessionId={sessionId} />
      <p className="minutes-panel__more">
        <Link to={minutesPath(sessionId)} data-testid="minutes-review-link">
          {t('minutes.openReview')}
        </Link>
      </p>
    </section>
  );
}
