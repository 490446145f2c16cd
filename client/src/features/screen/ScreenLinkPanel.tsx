import { ScreenLink } from '@yitang/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { api } from '../../lib/http';
import { screenPath } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useAppStore } from '../../store';

/** Who makes hall screen links (the server checks the same). */
const makers = new Set(['firstConvener', 'secondConvener', 'staff']);

/** For the conveners and staff: a read-only link for the hall's PC, and the screen itself. */
export function ScreenLinkPanel({ sessionId }: { sessionId: string }) {
  const { t, i18n } = useTranslation();
  const role = useAppStore((s) => s.you?.role);
  const [link, setLink] = useState<ScreenLink | null>(null);
  const action = useAction();
  const fieldId = useId();
  if (!role || !makers.has(role)) return null;
  const make = () =>
    void action.run(async () =>
      setLink(
        await api(`/api/sessions/${encodeURIComponent(sessionId)}/screen-link`, ScreenLink, {
          method: 'POST',
          body: {},
        }),
      ),
    );
  const url = link ? `${window.location.origin}${screenPath(sessionId, link.key)}` : null;
  return (
    <section className="panel" aria-labelledby={`${fieldId}-title`} data-testid="screen-link-panel">
      <h2 id={`${fieldId}-title`}>{t('screen.link.title')}</h2>
      <div className="row">
        <button type="button" className="button" onClick={make} disabled={action.busy} data-testid="screen-link-make">
          {action.busy ? t('screen.link.busy') : t('screen.link.make')}
        </button>
        <a className="button" href={screenPath(sessionId)} target="_blank" rel="noopener">
          {t('screen.link.open')}
        </a>
      </div>
      {action.error && (
        <p role="alert" className="error">
          {t('screen.link.failed')} {t(`errors.${action.error}`)}
        </p>
      )}
      {link && url && (
        <Field
          label={t('screen.link.label')}
          hint={t('screen.link.hint', { until: formatDateTime(link.expiresAt, i18n.language) })}
        >
          <input
            type="text"
            readOnly
            value={url}
            onFocus={(e) => e.currentTarget.select()}
            data-testid="screen-link-url"
          />
        </Field>
      )}
    </section>
  );
}
