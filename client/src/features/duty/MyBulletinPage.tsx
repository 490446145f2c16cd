import type { BulletinSource, MemberBulletinQuarter } from '@yitang/shared';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Link, sessionPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { proposalPath } from '../proposals/model';
import { PeriodPicker, pointsText, StaffNav } from './common';
import { entryAnchor } from './LedgerPanel';
import { committeeToday, dutyMemberPath, dutyMinePath, dutyMyBulletinPath, dutyReportPath, yearChoices } from './model';
import { fetchMyBulletin } from './report-api';
import './duty-report.css';

/** Where a record came from: its session, proposal, report, activity or 述职 round; else the ledger. */
function sourceLink(s: BulletinSource, year: number, memberId: string, own: boolean) {
  if (s.sessionId) return sessionPath(s.sessionId);
  if (s.sourceId) {
    if (s.source === 'proposal') return proposalPath(s.sourceId);
    if (s.source === 'socialReport') return `/social-reports/${encodeURIComponent(s.sourceId)}`;
    if (s.source === 'activity') return `/activities/${encodeURIComponent(s.sourceId)}`;
    if (s.source === 'dutyReport') return dutyReportPath(Number(s.sourceId));
  }
  return `${own ? dutyMinePath(year) : dutyMemberPath(memberId, year)}#${entryAnchor(s.id)}`;
}

/**
 * A member's own quarterly bulletin: for each quarter so far, newest first, the points, the score
 * to the quarter's end, each of the six minimums met or missed, and the records with links to
 * where they came from. Staff reach anyone's through `memberId`.
 */
export function MyBulletinPage({
  year,
  memberId,
  staff,
}: {
  year: number | null;
  memberId: string | null;
  staff: boolean;
}) {
  const { t } = useTranslation();
  const today = committeeToday();
  const shownYear = year ?? Number(today.slice(0, 4));
  const { data, error } = useLoad(() => fetchMyBulletin(shownYear, memberId ?? undefined), [shownYear, memberId]);

  const own = !memberId;
  return (
    <div className="page duty-page duty-bulletin-me" data-testid="duty-bulletin-me">
      {staff && <StaffNav />}
      <h1>
        {data && !own
          ? t('duty.reports.bulletin.titleOf', { name: data.member.name, year: shownYear })
          : t('duty.reports.bulletin.title', { year: shownYear })}
      </h1>
      <p className="hint">{t('duty.reports.bulletin.intro')}</p>
      <PeriodPicker
        key={shownYear}
        label={t('duty.year')}
        value={shownYear}
        options={yearChoices(today)}
        optionLabel={(y) => t('duty.yearOption', { year: y })}
        pathFor={(y) => dutyMyBulletinPath(y, memberId ?? undefined)}
        testId="duty-bulletin-me-year"
      />
      <ErrorBanner error={error} />
      {!data && !error && (
        <p role="status" className="hint">
          {t('app.loading')}
        </p>
      )}
      {data?.rubricVersion === null && <Banner>{t('duty.reports.bulletin.noRubric')}</Banner>}
      {data?.quarters.map((q) => (
        <QuarterCard key={q.quarter} q={q} year={data.year} memberId={data.member.id} own={own} />
      ))}
    </div>
  );
}

function QuarterCard({
  q,
  year,
  memberId,
  own,
}: {
  q: MemberBulletinQuarter;
  year: number;
  memberId: string;
  own: boolean;
}) {
  const { t } = useTranslation();
  const head = useId();
  const points = (n: number | null) => (n === null ? '—' : pointsText(n));
  return (
    <section
      className="panel duty-bulletin-me__quarter"
      aria-labelledby={head}
      data-testid={`duty-bulletin-${q.quarter}`}
    >
      <h2 id={head}>{t('duty.reports.bulletin.quarter', { year: q.quarter.slice(0, 4), n: q.quarter.slice(6) })}</h2>
      <p className="duty-bulletin-me__figures">
        <span data-testid="duty-bulletin-points">
          {t('duty.reports.bulletin.points', { points: points(q.points) })}
        </span>
        <span data-testid="duty-bulletin-score">
          {t('duty.reports.bulletin.scoreToDate', { points: points(q.scoreToDate) })}
        </span>
      </p>
      {q.minimums.length > 0 && (
        <>
          <h3>{t('duty.reports.bulletin.minimumsTitle')}</h3>
          <ul className="duty-bulletin-me__minimums">
            {q.minimums.map((m) => (
              <li key={m.id} data-testid={`duty-bulletin-minimum-${m.id}`} data-met={m.met ? 'yes' : 'no'}>
                <span className={m.met ? 'duty-bulletin-me__met' : 'duty-bulletin-me__missed'}>
                  {m.met ? t('duty.reports.bulletin.met') : t('duty.reports.bulletin.missed')}
                </span>{' '}
                {t(`duty.minimum.${m.id}`)}
                {m.required ? '' : t('duty.reports.bulletin.strivenFor')}
                {t('duty.reports.bulletin.have', m)}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('duty.reports.bulletin.sourcesTitle', { count: q.sources.length })}</h3>
      {q.sources.length === 0 ? (
        <p className="hint">{t('duty.reports.bulletin.noSources')}</p>
      ) : (
        <ul className="duty-bulletin-me__sources">
          {q.sources.map((s) => (
            <li key={s.id} data-testid="duty-bulletin-source" data-kind={s.kind}>
              <span className="hint">{s.date}</span>{' '}
              {t('duty.reports.bulletin.sourceLine', { kind: t(`duty.kind.${s.kind}`), title: s.title })}
              {s.points !== null && <> · {t('duty.reports.bulletin.sourcePoints', { points: pointsText(s.points) })}</>}{' '}
              <Link to={sourceLink(s, year, memberId, own)} data-testid="duty-bulletin-source-link">
                {s.sessionId || s.sourceId
                  ? t('duty.reports.bulletin.openSource')
                  : t('duty.reports.bulletin.openLedger')}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
