import {
  type DashboardResponse,
  type DashboardRoom,
  type FigureKey,
  figureKeys,
  maxReportMonths,
  ReportLevel,
} from '@yitang/shared';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { SignedIn } from '../../components/SignedIn';
import { formatDateTime } from '../../lib/format';
import { Link, navigate } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { DepartmentTable } from '../activities/DepartmentTable';
import { AnnualFigures } from './AnnualFigures';
import { fetchDashboard, fetchReportRooms } from './api';
import { type ChartSeries, DashboardChart } from './DashboardChart';
import {
  askFromSearch,
  currentPeriods,
  type DashboardAsk,
  dashboardCsvPath,
  dashboardPagePath,
  type PeriodForm,
  type PeriodKind,
  periodForm,
  periodOfForm,
} from './dashboardQuery';
import './dashboard.css';

const periodKinds: PeriodKind[] = ['year', 'quarter', 'month', 'custom'];
const quarters = [1, 2, 3, 4] as const;
const monthNumbers = Array.from({ length: 12 }, (_, i) => i + 1);

/** "2026年3月" / "Mar 2026". */
function monthLabel(month: string, language: string): string {
  const when = new Date(`${month}-01T00:00:00`);
  return Number.isNaN(when.getTime())
    ? month
    : new Intl.DateTimeFormat(language, { year: 'numeric', month: 'short' }).format(when);
}

function useRooms(): DashboardRoom[] {
  // Without the list the level picker still works; the dashboard's own error is shown below.
  return useLoad(fetchReportRooms, []).data ?? [];
}

function AskForm({ ask, rooms }: { ask: DashboardAsk; rooms: DashboardRoom[] }) {
  const { t, i18n } = useTranslation();
  const ids = { problem: useId() };
  const askKey = dashboardPagePath(ask);
  const [form, setForm] = useState<PeriodForm>(() => periodForm(ask));
  const [level, setLevel] = useState<ReportLevel>(ask.level);
  const [roomId, setRoomId] = useState(ask.roomId);
  const [problem, setProblem] = useState<'dates' | 'order' | 'span' | null>(null);

  // The address is the question: show what it says (back and forward included).
  // biome-ignore lint/correctness/useExhaustiveDependencies: askKey stands for `ask`.
  useEffect(() => {
    setForm(periodForm(ask));
    setLevel(ask.level);
    setRoomId(ask.roomId);
    setProblem(null);
  }, [askKey]);

  const set = <K extends keyof PeriodForm>(key: K, value: PeriodForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const roomsHere = rooms.filter((r) => level === 'all' || r.level === level);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = periodOfForm(form);
    if ('problem' in result) {
      setProblem(result.problem);
      return;
    }
    setProblem(null);
    const room = rooms.find((r) => r.id === roomId);
    navigate(dashboardPagePath({ ...result.period, level: room ? room.level : level, roomId: room ? room.id : '' }));
  };

  const invalid = problem ? { 'aria-invalid': true, 'aria-describedby': ids.problem } : {};
  return (
    <form className="panel dashboard-form" onSubmit={submit} noValidate aria-label={t('dashboard.formLabel')}>
      <div className="dashboard-form__grid">
        <Field label={t('dashboard.period')}>
          <select
            value={form.kind}
            onChange={(e) => set('kind', periodKinds.find((k) => k === e.target.value) ?? 'year')}
            data-testid="dashboard-kind"
          >
            {periodKinds.map((k) => (
              <option key={k} value={k}>
                {t(`dashboard.kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {form.kind !== 'custom' && (
          <Field label={t('dashboard.year')}>
            <input
              type="number"
              inputMode="numeric"
              min={1900}
              max={9999}
              value={Number.isNaN(form.year) ? '' : form.year}
              onChange={(e) => set('year', e.target.value === '' ? Number.NaN : Number(e.target.value))}
              {...invalid}
              data-testid="dashboard-year"
            />
          </Field>
        )}
        {form.kind === 'quarter' && (
          <Field label={t('dashboard.quarter')}>
            <select
              value={form.quarter}
              onChange={(e) => set('quarter', quarters.find((q) => q === Number(e.target.value)) ?? 1)}
              data-testid="dashboard-quarter"
            >
              {quarters.map((q) => (
                <option key={q} value={q}>
                  {t('dashboard.quarterOption', { n: q })}
                </option>
              ))}
            </select>
          </Field>
        )}
        {form.kind === 'month' && (
          <Field label={t('dashboard.month')}>
            <select
              value={form.month}
              onChange={(e) => set('month', Number(e.target.value))}
              data-testid="dashboard-month"
            >
              {monthNumbers.map((m) => (
                <option key={m} value={m}>
                  {new Intl.DateTimeFormat(i18n.language, { month: 'long' }).format(new Date(2000, m - 1, 1))}
                </option>
              ))}
            </select>
          </Field>
        )}
        {form.kind === 'custom' && (
          <>
            <Field label={t('dashboard.from')}>
              <input
                type="date"
                value={form.from}
                onChange={(e) => set('from', e.target.value)}
                {...invalid}
                data-testid="dashboard-from"
              />
            </Field>
            <Field label={t('dashboard.to')}>
              <input
                type="date"
                value={form.to}
                onChange={(e) => set('to', e.target.value)}
                {...invalid}
                data-testid="dashboard-to"
              />
            </Field>
          </>
        )}
        <Field label={t('dashboard.level')}>
          <select
            value={level}
            onChange={(e) => {
              const parsed = ReportLevel.safeParse(e.target.value);
              const next = parsed.success ? parsed.data : 'all';
              setLevel(next);
              if (next !== 'all' && rooms.find((r) => r.id === roomId)?.level !== next) setRoomId('');
            }}
            data-testid="dashboard-level"
          >
            {ReportLevel.options.map((l) => (
              <option key={l} value={l}>
                {t(`dashboard.levels.${l}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('dashboard.room')}>
          <select value={roomId} onChange={(e) => setRoomId(e.target.value)} data-testid="dashboard-room">
            <option value="">{t('dashboard.anyRoom')}</option>
            {roomsHere.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {problem && (
        <p id={ids.problem} role="alert" className="field-error">
          {t(`dashboard.problems.${problem}`, { max: maxReportMonths })}
        </p>
      )}
      <div className="row row--wrap">
        <button type="submit" className="button button--primary" data-testid="dashboard-show">
          {t('dashboard.show')}
        </button>
        <span className="hint">{t('dashboard.quick')}</span>
        {(['year', 'quarter', 'month'] as const).map((k) => {
          const to = dashboardPagePath({ ...currentPeriods()[k], level: ask.level, roomId: ask.roomId });
          return (
            <Link
              key={k}
              to={to}
              className="button button--small"
              aria-current={to === askKey ? 'page' : undefined}
              data-testid={`dashboard-this-${k}`}
            >
              {t(`dashboard.this.${k}`)}
            </Link>
          );
        })}
      </div>
    </form>
  );
}

function Figures({ data }: { data: DashboardResponse }) {
  const { t } = useTranslation();
  const n = data.totals;
  const cards: Array<{ key: FigureKey; detail?: string }> = [
    { key: 'sessions', detail: t('dashboard.sessionsBreakdown', { hall: n.hall, online: n.online, hybrid: n.hybrid }) },
    { key: 'withSecondConvener' },
    { key: 'suggestions' },
    { key: 'outcomesResolved' },
    { key: 'leadersDistinct', detail: t('dashboard.leaderAttendances', { count: n.leaderAttendances }) },
    { key: 'cityLeaderSessions', detail: t('dashboard.leaderSessions') },
    { key: 'townLeaderSessions', detail: t('dashboard.leaderSessions') },
    { key: 'hotlineClosed' },
  ];
  return (
    <dl className="dashboard-figures" data-testid="dashboard-figures">
      {cards.map(({ key, detail }) => (
        <div key={key} className="dashboard-figure" data-testid={`figure-${key}`}>
          <dt>{t(`dashboard.figures.${key}`)}</dt>
          <dd>
            <span className="dashboard-figure__value">{n[key]}</span>
            {detail && <span className="dashboard-figure__detail">{detail}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function MonthTable({ data, captionId }: { data: DashboardResponse; captionId: string }) {
  const { t, i18n } = useTranslation();
  return (
    // A wide table scrolls inside its own box on a phone; the box is focusable for the keyboard.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="dashboard-table" aria-labelledby={captionId} tabIndex={0}>
      <table data-testid="dashboard-table">
        <caption id={captionId}>
          {t('dashboard.tableCaption', {
            from: formatDateTime(data.from, i18n.language, 'date'),
            to: formatDateTime(data.to, i18n.language, 'date'),
          })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.monthColumn')}</th>
            {figureKeys.map((k) => (
              <th key={k} scope="col">
                {t(`dashboard.figures.${k}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.months.map((m) => (
            <tr key={m.month} data-testid={`dashboard-row-${m.month}`}>
              <th scope="row">{monthLabel(m.month, i18n.language)}</th>
              {figureKeys.map((k) => (
                <td key={k}>{m[k]}</td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="dashboard-row-total">
            <th scope="row">{t('dashboard.total')}</th>
            {figureKeys.map((k) => (
              <td key={k}>{data.totals[k]}</td>
            ))}
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

/** The two charts' series and their spoken descriptions, in the UI's language. */
function useCharts(data: DashboardResponse) {
  const { t, i18n } = useTranslation();
  return useMemo(() => {
    const labels = data.months.map((m) => monthLabel(m.month, i18n.language));
    const name = (k: FigureKey) => t(`dashboard.figures.${k}`);
    const describe = (keys: FigureKey[]) =>
      data.months
        .map((m, i) =>
          t('dashboard.monthItem', {
            month: labels[i],
            values: keys.map((k) => `${name(k)} ${m[k]}`).join(t('common.listSeparator')),
          }),
        )
        .join(t('common.clauseSeparator'));
    const sessionKeys: FigureKey[] = ['hall', 'online', 'hybrid'];
    const resultKeys: FigureKey[] = ['suggestions', 'outcomesResolved', 'leaderAttendances', 'hotlineClosed'];
    const sessions: ChartSeries[] = sessionKeys.map((k) => ({
      name: name(k),
      kind: 'bar',
      stack: 'mode',
      values: data.months.map((m) => m[k]),
    }));
    const results: ChartSeries[] = resultKeys.map((k) => ({
      name: name(k),
      kind: 'line',
      values: data.months.map((m) => m[k]),
    }));
    return {
      labels,
      sessions,
      results,
      sessionsDescription: t('dashboard.chartSessionsDesc', {
        total: data.totals.sessions,
        months: describe(sessionKeys),
      }),
      resultsDescription: t('dashboard.chartResultsDesc', { months: describe(resultKeys) }),
    };
  }, [data, t, i18n.language]);
}

function Results({ data }: { data: DashboardResponse }) {
  const { t } = useTranslation();
  const captionId = useId();
  const charts = useCharts(data);
  return (
    <>
      <section className="panel" aria-labelledby={`${captionId}-sum`}>
        <h2 id={`${captionId}-sum`}>{t('dashboard.summaryTitle')}</h2>
        <Figures data={data} />
      </section>
      <div className="dashboard-charts">
        <section className="panel" aria-labelledby={`${captionId}-c1`}>
          <h2 id={`${captionId}-c1`}>{t('dashboard.chartSessions')}</h2>
          <DashboardChart
            labels={charts.labels}
            series={charts.sessions}
            description={charts.sessionsDescription}
            testId="dashboard-chart-sessions"
          />
        </section>
        <section className="panel" aria-labelledby={`${captionId}-c2`}>
          <h2 id={`${captionId}-c2`}>{t('dashboard.chartResults')}</h2>
          <DashboardChart
            labels={charts.labels}
            series={charts.results}
            description={charts.resultsDescription}
            testId="dashboard-chart-results"
          />
        </section>
      </div>
      <section className="panel" aria-labelledby={`${captionId}-t`}>
        <h2 id={`${captionId}-t`}>{t('dashboard.tableTitle')}</h2>
        <MonthTable data={data} captionId={captionId} />
        <p className="hint">{t('dashboard.definitions')}</p>
      </section>
      <AnnualFigures data={data} />
      <DepartmentTable from={data.from} to={data.to} />
    </>
  );
}

function Dashboard({ search }: { search: string }) {
  const { t, i18n } = useTranslation();
  const ask = askFromSearch(search);
  const askKey = dashboardPagePath(ask);
  const rooms = useRooms();
  // The last figures stay while another period loads (askKey stands for `ask`); a failed answer shows none.
  const loaded = useLoad(() => fetchDashboard(ask), [askKey], { keep: true });
  const { busy: loading, error } = loaded;
  const data = error ? null : loaded.data;

  const scope = data?.room ? data.room.name : t(`dashboard.levels.${ask.level}`);
  return (
    <div className="page page--wide dashboard-page" data-testid="dashboard-page" aria-busy={loading || undefined}>
      <div className="row row--wrap row--between">
        <h1>{t('dashboard.title')}</h1>
        {data && (
          <a
            className="button"
            href={dashboardCsvPath(ask, i18n.language)}
            download
            aria-label={t('dashboard.csvLabel')}
            data-testid="dashboard-csv"
          >
            {t('dashboard.csv')}
          </a>
        )}
      </div>
      <p className="hint">{t('dashboard.intro')}</p>
      <AskForm ask={ask} rooms={rooms} />
      <p role="status" className="hint" data-testid="dashboard-status">
        {loading
          ? t('app.loading')
          : data &&
            t('dashboard.showing', {
              from: formatDateTime(data.from, i18n.language, 'date'),
              to: formatDateTime(data.to, i18n.language, 'date'),
              scope,
            })}
      </p>
      {error && (
        <p role="alert" className="field-error" data-testid="dashboard-error">
          {error === 'FORBIDDEN' ? t('dashboard.forbidden') : t(`errors.${error}`)}
        </p>
      )}
      {data && <Results data={data} />}
    </div>
  );
}

/** /reports — the annual report's figures for any period and level, as charts, a table and CSV. */
export function DashboardPage({ search }: { search: string }) {
  return <SignedIn returnTo={dashboardPagePath(askFromSearch(search))}>{() => <Dashboard search={search} />}</SignedIn>;
}
