import type { MinutesAuthorship } from '@yitang/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { fetchAuthors } from './api';

/** 谁写了什么: the minutes' writers with how many edits each made, and when; the room's own blocks apart. */
export function AuthorsPanel({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const headId = useId();
  const [authors, setAuthors] = useState<MinutesAuthorship | null>(null);
  const action = useAction();
  const { run } = action;
  const load = useCallback(() => void run(async () => setAuthors(await fetchAuthors(sessionId))), [run, sessionId]);
  useEffect(load, [load]);

  return (
    <section className="panel minutes-authors" aria-labelledby={headId} data-testid="minutes-authors">
      <div className="panel-head">
        <h2 id={headId}>{t('minutes.authors.title')}</h2>
        <button
          type="button"
          className="button button--small"
          disabled={action.busy}
          onClick={load}
          data-testid="authors-reload"
        >
          {t('minutes.authors.reload')}
        </button>
      </div>
      <p role="status" className="hint">
        {action.busy && authors === null && t('app.loading')}
      </p>
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
      {authors !== null && authors.length === 0 && <p className="muted">{t('minutes.authors.empty')}</p>}
      {authors !== null && authors.length > 0 && (
        <ul className="authors" data-testid="authors-list">
          {authors.map((a) => (
            <li key={a.memberId} data-testid={a.room ? 'author-room' : `author-${a.memberId}`} data-edits={a.edits}>
              <strong>{a.room ? t('minutes.authors.room') : a.name}</strong>
              <span>{t('minutes.authors.updates', { count: a.edits })}</span>
              <span className="muted">
                {t('minutes.authors.span', {
                  first: formatDateTime(a.first, i18n.language),
                  last: formatDateTime(a.last, i18n.language),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
