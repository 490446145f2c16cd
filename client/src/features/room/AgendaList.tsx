import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { mayEmit } from './permissions';
import { gotoAgendaItem } from './roomSocket';

export function AgendaList() {
  const { t } = useTranslation();
  const agenda = useAppStore((s) => s.session?.agenda);
  const currentItemId = useAppStore((s) => s.session?.currentItemId ?? null);
  const canGoto = useAppStore((s) => mayEmit(s.you?.role, 'agenda:goto'));
  return (
    <section className="panel" aria-labelledby="agenda-title">
      <h2 id="agenda-title">{t('agenda.title')}</h2>
      {!agenda || agenda.length === 0 ? (
        <p className="muted">{t('agenda.empty')}</p>
      ) : (
        <ol className="agenda" data-testid="agenda-list">
          {agenda.map((item) => {
            const isCurrent = item.id === currentItemId;
            return (
              <li
                key={item.id}
                className={isCurrent ? 'agenda__item agenda__item--current' : 'agenda__item'}
                aria-current={isCurrent ? 'step' : undefined}
                data-testid={`agenda-${item.id}`}
              >
                <div className="agenda__text">
                  <span className="agenda__title">{item.title}</span>
                  <span className="agenda__meta">
                    {t('agenda.minutes', { count: item.plannedMinutes })}
                    {isCurrent && <span className="badge badge--live">{t('agenda.current')}</span>}
                  </span>
                </div>
                {canGoto && !isCurrent && (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('agenda.gotoLabel', { title: item.title })}
                    onClick={() => gotoAgendaItem(item.id)}
                    data-testid="agenda-goto"
                  >
                    {t('agenda.goto')}
                  </button>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
