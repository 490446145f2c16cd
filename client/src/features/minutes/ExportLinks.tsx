import { ExportFormat, type MinutesStatus } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { exportPath } from './api';
import { mayExport } from './rules';

/** Downloads of the published minutes: PDF, Word and Markdown. */
export function ExportLinks({ sessionId, status }: { sessionId: string; status: MinutesStatus }) {
  const { t } = useTranslation();
  const headId = useId();
  return (
    <section className="panel minutes-export" aria-labelledby={headId} data-testid="minutes-export">
      <h2 id={headId}>{t('minutes.export.title')}</h2>
      {mayExport(status) ? (
        <div className="row row--wrap">
          {ExportFormat.options.map((format) => (
            <a
              key={format}
              className="button"
              href={exportPath(sessionId, format)}
              download
              aria-label={t('minutes.export.label', { format: t(`minutes.export.format.${format}`) })}
              data-testid={`export-${format}`}
            >
              {t(`minutes.export.format.${format}`)}
            </a>
          ))}
        </div>
      ) : (
        <p className="hint">{t('minutes.export.notYet')}</p>
      )}
    </section>
  );
}
