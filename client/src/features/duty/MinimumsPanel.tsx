import type { MemberScore, MinimumId } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { entryAnchor } from './LedgerPanel';

const clip = (text: string, max: number) =>
  Array.from(text).length > max ? `${Array.from(text).slice(0, max).join('')}…` : text;

/** Progress on the six minimums (“六个一”), and what is still missing this year. */
export function MinimumsPanel({ score, titles }: { score: MemberScore; titles: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const headId = useId();
  const list = (ids: readonly MinimumId[]) => ids.map((id) => t(`duty.minimum.${id}`)).join(t('common.listSeparator'));
  return (
    <section className="panel duty-minimums" aria-labelledby={headId} data-testid="duty-minimums">
      <h2 id={headId}>{t('duty.minimums.title')}</h2>
      <ul className="duty-minimums__list">
        {score.minimums.map((m) => (
          <li
            key={m.id}
            className={`duty-minimum ${m.met ? 'duty-minimum--met' : ''}`}
            data-testid={`duty-minimum-${m.id}`}
            data-met={m.met}
          >
            <span className="duty-minimum__mark" aria-hidden="true">
              {m.met ? '✓' : '○'}
            </span>
            <span className="duty-minimum__label">
              {t(`duty.minimum.${m.id}`)}
              {!m.required && <span className="muted">{t('duty.minimums.striven')}</span>}
            </span>
            <span className="duty-minimum__state">
              <span className="visually-hidden">{t(m.met ? 'duty.minimums.met' : 'duty.minimums.notMet')} </span>
              {t('duty.minimums.have', { have: m.have, needed: m.needed })}
            </span>
            {m.entryIds.length > 0 && (
              <span className="duty-minimum__entries">
                <span className="visually-hidden">{t('duty.minimums.seeEntries')} </span>
                {m.entryIds.map((id, i) => {
                  // The record's own title (shortened), not a bare number.
                  const title = titles.get(id);
                  return (
                    <a key={id} href={`#${entryAnchor(id)}`} className="duty-ref" title={title}>
                      {title ? clip(title, 16) : t('duty.minimums.entryN', { n: i + 1 })}
                    </a>
                  );
                })}
              </span>
            )}
          </li>
        ))}
      </ul>
      <h3>{t('duty.minimums.missingTitle')}</h3>
      <div data-testid="duty-missing">
        {score.missing.length === 0 ? (
          <p className="duty-ok">{t('duty.minimums.missingNone')}</p>
        ) : (
          <ul className="duty-missing">
            {score.missing.map((id) => (
              <li key={id} data-testid={`duty-missing-${id}`}>
                {t(`duty.minimum.${id}`)}
              </li>
            ))}
          </ul>
        )}
        {score.strivenFor.length > 0 && (
          <p className="hint">{t('duty.minimums.strivenFor', { list: list(score.strivenFor) })}</p>
        )}
      </div>
    </section>
  );
}
