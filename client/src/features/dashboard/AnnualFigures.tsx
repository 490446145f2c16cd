import { type DashboardFigures, type DashboardResponse, figureKeys } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useAppStore } from '../../store';
import { paperSessionsPath } from '../sessions/paperApi';

/** One table of figures, a row per theme or level; it scrolls inside its own box on a phone. */
function FigureTable({
  caption,
  head,
  rows,
  testId,
}: {
  caption: string;
  head: string;
  rows: Array<{ key: string; label: string; figures: DashboardFigures }>;
  testId: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="dashboard-table" aria-labelledby={id} tabIndex={0}>
      <table data-testid={testId}>
        <caption id={id}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            {figureKeys.map((k) => (
              <th key={k} scope="col">
                {t(`dashboard.figures.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`${testId}-${r.key}`}>
              <th scope="row">{r.label}</th>
              {figureKeys.map((k) => (
                <td key={k} data-figure={k}>
                  {r.figures[k]}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * The annual report's sentences for the period (themed sessions, problems solved, leaders by
 * level, hotline and governance-centre cases), then the figures by theme and by room level.
 */
export function AnnualFigures({ data }: { data: DashboardResponse }) {
  const { t, i18n } = useTranslation();
  const isStaff = useAppStore((s) => s.me?.kind === 'staff');
  const titleId = useId();
  const n = data.totals;
  const dates = {
    from: formatDateTime(data.from, i18n.language, 'date'),
    to: formatDateTime(data.to, i18n.language, 'date'),
  };
  return (
    <section className="panel stack" aria-labelledby={titleId} data-testid="annual-figures">
      <h2 id={titleId}>{t('annual.title')}</h2>
      <p className="hint">{t('annual.intro')}</p>
      <ul data-testid="annual-headlines">
        <li data-testid="annual-themed">
          {t('annual.headline.themed', { count: n.themed })}
          {t('common.listSeparator')}
          {t('annual.headline.paper', { count: n.paper })}
        </li>
        <li data-testid="annual-problems">{t('annual.headline.problems', { count: n.problemsSolved })}</li>
        <li data-testid="annual-leaders">
          {t('annual.headline.leaders', { city: n.cityLeaders, town: n.townLeaders })}
        </li>
        <li data-testid="annual-hotline">{t('annual.headline.hotline', { count: n.hotlineClosed })}</li>
        <li data-testid="annual-members">
          {t('annual.headline.members', {
            committee: data.members.committee,
            proposal: data.members.withoutProposal,
            report: data.members.withoutSocialReport,
          })}
        </li>
      </ul>
      {isStaff && (
        <p>
          <Link to={paperSessionsPath} data-testid="record-paper-session">
            {t('annual.recordPaper')}
          </Link>
        </p>
      )}
      <h3>{t('annual.byTheme')}</h3>
      <FigureTable
        caption={t('annual.byThemeCaption', dates)}
        head={t('annual.themeColumn')}
        testId="annual-by-theme"
        rows={data.byTheme.map(({ themeId, name, ...figures }) => ({
          key: themeId ?? 'none',
          label: themeId === null ? t('annual.noTheme') : name,
          figures,
        }))}
      />
      <h3>{t('annual.byLevel')}</h3>
      <FigureTable
        caption={t('annual.byLevelCaption', dates)}
        head={t('annual.levelColumn')}
        testId="annual-by-level"
        rows={data.byLevel.map(({ level, ...figures }) => ({
          key: level,
          label: t(`dashboard.levels.${level}`),
          figures,
        }))}
      />
    </section>
  );
}
