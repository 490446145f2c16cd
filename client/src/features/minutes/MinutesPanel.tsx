import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type * as Y from 'yjs';
import { useAppStore } from '../../store';
import { MinutesEditor } from './MinutesEditor';
import { openMinutes } from './minutesProvider';

function MinutesStatusLine() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.minutesStatus);
  return (
    <p className={`minutes-status minutes-status--${status}`} data-testid="minutes-status" data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {t('minutes.statusLabel')}
      {t(`minutes.status.${status}`)}
    </p>
  );
}

/** The session's minutes: one shared Yjs document, edited live by everyone in the room. */
export function MinutesPanel({ sessionId }: { sessionId: string }) {
  const { t } = useTranslation();
  const [ydoc, setYdoc] = useState<Y.Doc | null>(null);

  useEffect(() => {
    const minutes = openMinutes(sessionId);
    setYdoc(minutes.ydoc);
    return () => {
      setYdoc(null);
      minutes.close();
    };
  }, [sessionId]);

  return (
    <section className="panel minutes" aria-labelledby="minutes-title">
      <div className="panel-head">
        <h2 id="minutes-title">{t('minutes.title')}</h2>
        <MinutesStatusLine />
      </div>
      {ydoc ? <MinutesEditor key={ydoc.guid} ydoc={ydoc} /> : <p className="muted">{t('app.loading')}</p>}
    </section>
  );
}
