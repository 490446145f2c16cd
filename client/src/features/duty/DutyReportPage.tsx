import {
  type DutyReportAggregate,
  type DutyReportCriterion,
  type DutyReportResponse,
  type DutyReportRoundView,
  type DutyReportView,
  defaultDutyReportCriteria,
  dutyReportLimits,
} from '@yitang/shared';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { PeriodPicker, StaffNav } from './common';
import { committeeToday, dutyReportPath, yearChoices } from './model';
import {
  changeDutyReportRound,
  dutyReportFilePath,
  fetchDutyReport,
  fetchPeople,
  openDutyReportRound,
  publishDutyReports,
  scoreDutyReport,
  submitDutyReportText,
  uploadDutyReport,
} from './report-api';
import './duty-report.css';

const trimFrom = dutyReportLimits.trimFrom;

/**
 * The yearly duty report (述职): the round's criteria and rule, the member's own report and (once
 * published) their aggregate, the panel's scoring, and for staff the round's settings, the results
 * and publishing.
 */
export function DutyReportPage({ year, staff }: { year: number | null; staff: boolean }) {
  const { t } = useTranslation();
  const today = committeeToday();
  const shownYear = year ?? Number(today.slice(0, 4));
  // Kept while a change reloads it, so the forms keep their place; another year's or a failed answer is not shown.
  const loaded = useLoad(() => fetchDutyReport(shownYear), [shownYear], { keep: true });
  const { error, reload: load } = loaded;
  const data = !error && loaded.data?.round.year === shownYear ? loaded.data : null;

  return (
    <div className="page page--wide duty-page duty-report" data-testid="duty-report-page">
      {staff && <StaffNav />}
      <h1>{t('duty.reports.title', { year: shownYear })}</h1>
      <p className="hint">{t('duty.reports.intro')}</p>
      <PeriodPicker
        key={shownYear}
        label={t('duty.year')}
        value={shownYear}
        options={yearChoices(today)}
        optionLabel={(y) => t('duty.yearOption', { year: y })}
        pathFor={dutyReportPath}
        testId="duty-report-year"
      />
      {error === 'NOT_FOUND' ? (
        <>
          <p className="notice notice--empty" data-testid="duty-report-none">
            {t('duty.reports.none', { year: shownYear })}
          </p>
          {staff && <OpenRoundForm year={shownYear} today={today} onOpened={load} />}
        </>
      ) : (
        <ErrorBanner error={error} />
      )}
      {!data && !error && (
        <p role="status" className="hint">
          {t('app.loading')}
        </p>
      )}
      {data && (
        <>
          <RoundInfo round={data.round} />
          {data.mine && <MyReport round={data.round} mine={data.mine} onChanged={load} />}
          {data.viewer.panel && <ScoreList round={data.round} items={data.toScore} onChanged={load} />}
          {data.viewer.staff && (
            <>
              <RoundSettings round={data.round} onChanged={load} />
              <Results data={data} onChanged={load} />
            </>
          )}
        </>
      )}
    </div>
  );
}

function RuleNote() {
  const { t } = useTranslation();
  return (
    <p className="hint" data-testid="duty-report-rule">
      {t('duty.reports.rule', { from: trimFrom })}
    </p>
  );
}

function RoundInfo({ round }: { round: DutyReportRoundView }) {
  const { t, i18n } = useTranslation();
  const head = useId();
  return (
    <section className="panel" aria-labelledby={head} data-testid="duty-report-round" data-state={round.state}>
      <h2 id={head}>{t('duty.reports.criteriaTitle')}</h2>
      <p>{t('duty.reports.deadline', { date: round.deadline })}</p>
      {round.state === 'published' && round.publishedAt && (
        <Banner tone="ok">
          {t('duty.reports.published', { date: formatDateTime(round.publishedAt, i18n.language, 'date') })}
        </Banner>
      )}
      {round.state === 'open' && round.closed && <Banner>{t('duty.reports.closed')}</Banner>}
      <ul>
        {round.criteria.map((c) => (
          <li key={c.id}>{t('duty.reports.criterion', { label: c.label, weight: c.weight, max: c.max })}</li>
        ))}
      </ul>
      <RuleNote />
      <h3>{t('duty.reports.panelTitle')}</h3>
      {round.panel.length === 0 ? (
        <p className="hint">{t('duty.reports.panelNone')}</p>
      ) : (
        <p data-testid="duty-report-panel">{round.panel.map((p) => p.name).join(t('common.listSeparator'))}</p>
      )}
      {round.meeting && (
        <p>
          {t('duty.reports.meeting', { date: round.meeting.date })}
          {round.meeting.sessionId ? t('duty.reports.meetingSession') : ''}
        </p>
      )}
    </section>
  );
}

function ReportBody({ year, report }: { year: number; report: DutyReportView }) {
  const { t } = useTranslation();
  return (
    <>
      {report.text && (
        <div className="duty-report__text" data-testid="duty-report-text-shown">
          {report.text}
        </div>
      )}
      {report.file && (
        <p>
          <a
            href={dutyReportFilePath(year, report.memberId)}
            download={report.file.fileName}
            data-testid="duty-report-file-link"
          >
            {t('duty.reports.download', { name: report.file.fileName })}
          </a>
        </p>
      )}
    </>
  );
}

function MyReport({
  round,
  mine,
  onChanged,
}: {
  round: DutyReportRoundView;
  mine: NonNullable<DutyReportResponse['mine']>;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const head = useId();
  const [text, setText] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  const fileRef = useRef<HTMLInputElement>(null);
  const mayHandIn = round.state === 'open' && !round.closed;

  const sendText = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (await action.run(() => submitDutyReportText(round.year, text))) {
      setText('');
      setDone(true);
      onChanged();
    }
  };
  const sendFile = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(false);
    const form = new FormData(e.currentTarget);
    if (await action.run(() => uploadDutyReport(round.year, form))) {
      if (fileRef.current) fileRef.current.value = '';
      setDone(true);
      onChanged();
    }
  };

  return (
    <section className="panel" aria-labelledby={head} data-testid="duty-report-mine">
      <h2 id={head}>{t('duty.reports.mineTitle')}</h2>
      {mine.report ? (
        <>
          <p data-testid="duty-report-submitted" data-versions={mine.report.versions}>
            {t('duty.reports.submittedAt', {
              at: formatDateTime(mine.report.submittedAt, i18n.language),
              versions: mine.report.versions,
            })}
          </p>
          <ReportBody year={round.year} report={mine.report} />
        </>
      ) : (
        <p className="hint">{t('duty.reports.noReport')}</p>
      )}
      {mayHandIn && (
        <>
          <p className="hint">{t('duty.reports.replaceNote')}</p>
          <form onSubmit={sendText} className="duty-report__form">
            <Field label={t('duty.reports.writeLabel')}>
              <textarea
                rows={6}
                maxLength={dutyReportLimits.maxText}
                value={text}
                onChange={(e) => setText(e.target.value)}
                data-testid="duty-report-text"
              />
            </Field>
            <button
              type="submit"
              className="button button--primary"
              disabled={action.busy || text.trim() === ''}
              data-testid="duty-report-send-text"
            >
              {t('duty.reports.sendText')}
            </button>
          </form>
          <form onSubmit={sendFile} className="duty-report__form">
            <Field label={t('duty.reports.fileLabel')}>
              <input
                ref={fileRef}
                type="file"
                name="files"
                required
                accept=".pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain"
                data-testid="duty-report-file"
              />
            </Field>
            <button type="submit" className="button" disabled={action.busy} data-testid="duty-report-send-file">
              {t('duty.reports.sendFile')}
            </button>
          </form>
        </>
      )}
      <ErrorBanner error={action.error} />
      <p role="status" className="hint">
        {done ? t('duty.reports.sent') : ''}
      </p>
      <h3>{t('duty.reports.resultTitle')}</h3>
      {mine.result ? (
        <AggregateView result={mine.result} testId="duty-report-my-result" />
      ) : (
        <p className="hint" data-testid="duty-report-result-pending">
          {t('duty.reports.resultPending')}
        </p>
      )}
    </section>
  );
}

function AggregateView({ result, testId }: { result: DutyReportAggregate; testId: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid={testId} data-total={result.total ?? ''}>
      <p className="duty-report__total">
        {result.total === null ? t('duty.reports.noScore') : t('duty.reports.total', { total: result.total })}
      </p>
      <p className="hint">{t('duty.reports.scorers', { count: result.scorers })}</p>
      <p className="hint">
        {result.trimmed ? t('duty.reports.trimmed') : t('duty.reports.notTrimmed', { from: trimFrom })}
      </p>
      <ul>
        {result.criteria.map((c) => (
          <li key={c.id}>{c.mean === null ? t('duty.reports.meanNone', c) : t('duty.reports.mean', c)}</li>
        ))}
      </ul>
    </div>
  );
}

function ScoreList({
  round,
  items,
  onChanged,
}: {
  round: DutyReportRoundView;
  items: DutyReportResponse['toScore'];
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const head = useId();
  return (
    <section className="panel" aria-labelledby={head} data-testid="duty-report-scoring">
      <h2 id={head}>{t('duty.reports.scoreTitle')}</h2>
      <p className="hint">{t('duty.reports.scoreIntro')}</p>
      {items.length === 0 && <p className="hint">{t('duty.reports.nothingToScore')}</p>}
      {items.map((item) => (
        <ScoreForm
          key={item.report.memberId}
          round={round}
          report={item.report}
          given={item.myScores}
          onChanged={onChanged}
        />
      ))}
    </section>
  );
}

function ScoreForm({
  round,
  report,
  given,
  onChanged,
}: {
  round: DutyReportRoundView;
  report: DutyReportView;
  given: Record<string, number> | null;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const head = useId();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(round.criteria.map((c) => [c.id, given?.[c.id] === undefined ? '' : String(given[c.id])])),
  );
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const open = round.state === 'open';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const scores = Object.fromEntries(round.criteria.map((c) => [c.id, Number(values[c.id])]));
    if (await action.run(() => scoreDutyReport(round.year, report.memberId, scores))) {
      setSaved(true);
      onChanged();
    }
  };

  return (
    <article className="duty-report__item" aria-labelledby={head} data-testid={`duty-report-score-${report.memberId}`}>
      <h3 id={head}>
        {report.name}{' '}
        <span className="badge" data-testid="duty-report-scored" data-scored={given ? 'yes' : 'no'}>
          {given ? t('duty.reports.scored') : t('duty.reports.notScored')}
        </span>
      </h3>
      <details>
        <summary>{t('duty.reports.reportText')}</summary>
        <ReportBody year={round.year} report={report} />
      </details>
      <form onSubmit={submit} aria-label={t('duty.reports.scoreFor', { name: report.name })}>
        <div className="duty-report__scores">
          {round.criteria.map((c) => (
            <Field key={c.id} label={t('duty.reports.scoreLabel', { label: c.label, max: c.max })}>
              <input
                type="number"
                inputMode="decimal"
                min={0}
                max={c.max}
                step="any"
                required
                disabled={!open}
                value={values[c.id] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [c.id]: e.target.value }))}
                data-testid={`duty-report-score-${report.memberId}-${c.id}`}
              />
            </Field>
          ))}
        </div>
        {open && (
          <button
            type="submit"
            className="button button--primary"
            disabled={action.busy}
            data-testid={`duty-report-save-${report.memberId}`}
          >
            {t('duty.reports.saveScore')}
          </button>
        )}
      </form>
      <ErrorBanner error={action.error} />
      <p role="status" className="hint" data-testid={`duty-report-saved-${report.memberId}`}>
        {saved ? t('duty.reports.scoreSaved', { name: report.name }) : ''}
      </p>
    </article>
  );
}

/** Staff open a year's round: the deadline and the criteria (the committee's defaults to start from). */
function OpenRoundForm({ year, today, onOpened }: { year: number; today: string; onOpened: () => void }) {
  const { t } = useTranslation();
  const head = useId();
  const [deadline, setDeadline] = useState(today);
  const [criteria, setCriteria] = useState<DutyReportCriterion[]>(defaultDutyReportCriteria);
  const action = useAction();
  const sum = criteria.reduce((s, c) => s + (Number.isFinite(c.weight) ? c.weight : 0), 0);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => openDutyReportRound({ year, deadline, criteria }))) onOpened();
  };
  const set = (k: number, patch: Partial<DutyReportCriterion>) =>
    setCriteria((cs) => cs.map((c, i) => (i === k ? { ...c, ...patch } : c)));

  return (
    <section className="panel" aria-labelledby={head} data-testid="duty-report-open">
      <h2 id={head}>{t('duty.reports.openTitle', { year })}</h2>
      <form onSubmit={submit}>
        <Field label={t('duty.reports.deadlineLabel')}>
          <input
            type="date"
            required
            value={deadline}
            onChange={(e) => setDeadline(e.target.value)}
            data-testid="duty-report-open-deadline"
          />
        </Field>
        <fieldset>
          <legend>{t('duty.reports.criteriaEdit')}</legend>
          {criteria.map((c, k) => (
            <div className="row row--wrap duty-report__criterion" key={c.id}>
              <Field label={t('duty.reports.criterionLabel')}>
                <input
                  type="text"
                  value={c.label}
                  required
                  maxLength={40}
                  onChange={(e) => set(k, { label: e.target.value })}
                />
              </Field>
              <Field label={t('duty.reports.criterionWeight')}>
                <input
                  type="number"
                  min={0}
                  max={100}
                  required
                  value={c.weight}
                  onChange={(e) => set(k, { weight: Number(e.target.value) })}
                />
              </Field>
              <Field label={t('duty.reports.criterionMax')}>
                <input
                  type="number"
                  min={1}
                  max={100}
                  required
                  value={c.max}
                  onChange={(e) => set(k, { max: Number(e.target.value) })}
                />
              </Field>
              {criteria.length > 1 && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => setCriteria((cs) => cs.filter((_, i) => i !== k))}
                >
                  {t('duty.reports.removeCriterion', { label: c.label })}
                </button>
              )}
            </div>
          ))}
          {criteria.length < dutyReportLimits.maxCriteria && (
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                setCriteria((cs) => [...cs, { id: `c${Date.now().toString(36)}`, label: '', weight: 0, max: 100 }])
              }
            >
              {t('duty.reports.addCriterion')}
            </button>
          )}
          <p className={sum === 100 ? 'hint' : 'field-error'} aria-live="polite">
            {t('duty.reports.weightsSum', { sum })}
          </p>
        </fieldset>
        <button
          type="submit"
          className="button button--primary"
          disabled={action.busy}
          data-testid="duty-report-open-submit"
        >
          {t('duty.reports.open')}
        </button>
      </form>
      <ErrorBanner error={action.error} />
    </section>
  );
}

/** Staff: the panel (members and staff), the meeting and the deadline. */
function RoundSettings({ round, onChanged }: { round: DutyReportRoundView; onChanged: () => void }) {
  const { t } = useTranslation();
  const head = useId();
  const people =
    useLoad(() => fetchPeople().then((r) => r.members.filter((m) => m.kind === 'member' || m.kind === 'staff')), [])
      .data ?? [];
  const [panel, setPanel] = useState<Set<string>>(() => new Set(round.panel.map((p) => p.id)));
  const [meetingDate, setMeetingDate] = useState(round.meeting?.date ?? '');
  const [session, setSession] = useState(round.meeting?.sessionId ?? '');
  const [deadline, setDeadline] = useState(round.deadline);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const open = round.state === 'open';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const ok = await action.run(() =>
      changeDutyReportRound(round.year, {
        deadline,
        panel: [...panel],
        meeting: meetingDate ? { date: meetingDate, sessionId: session.trim() || null } : null,
      }),
    );
    if (ok) {
      setSaved(true);
      onChanged();
    }
  };

  if (!open) return null;
  return (
    <section className="panel" aria-labelledby={head} data-testid="duty-report-settings">
      <h2 id={head}>{t('duty.reports.staffTitle')}</h2>
      <form onSubmit={submit}>
        <Field label={t('duty.reports.deadlineLabel')}>
          <input type="date" required value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        </Field>
        <fieldset className="duty-report__panel">
          <legend>{t('duty.reports.panelEdit')}</legend>
          {people.map((p) => (
            <Field key={p.id} check label={p.name}>
              <input
                type="checkbox"
                checked={panel.has(p.id)}
                onChange={(e) =>
                  setPanel((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(p.id);
                    else next.delete(p.id);
                    return next;
                  })
                }
                data-testid={`duty-report-panel-${p.id}`}
              />
            </Field>
          ))}
        </fieldset>
        <div className="row row--wrap">
          <Field label={t('duty.reports.meetingDate')}>
            <input
              type="date"
              value={meetingDate}
              onChange={(e) => setMeetingDate(e.target.value)}
              data-testid="duty-report-meeting-date"
            />
          </Field>
          <Field label={t('duty.reports.meetingSessionId')}>
            <input value={session} onChange={(e) => setSession(e.target.value)} />
          </Field>
        </div>
        <button
          type="submit"
          className="button button--primary"
          disabled={action.busy}
          data-testid="duty-report-save-round"
        >
          {t('duty.reports.saveRound')}
        </button>
      </form>
      <ErrorBanner error={action.error} />
      <p role="status" className="hint" data-testid="duty-report-round-saved">
        {saved ? t('duty.reports.saved') : ''}
      </p>
    </section>
  );
}

/** Staff: every report's aggregate, and publishing. */
function Results({ data, onChanged }: { data: DutyReportResponse; onChanged: () => void }) {
  const { t } = useTranslation();
  const head = useId();
  const action = useAction();
  const [recorded, setRecorded] = useState<number | null>(null);
  const { round } = data;

  const publish = async () => {
    let count = 0;
    if (
      await action.run(async () => {
        count = (await publishDutyReports(round.year)).recorded;
      })
    ) {
      setRecorded(count);
      onChanged();
    }
  };

  return (
    <section className="panel" aria-labelledby={head} data-testid="duty-report-results">
      <h2 id={head}>{t('duty.reports.resultsTitle')}</h2>
      <RuleNote />
      {data.results.length === 0 ? (
        <p className="hint">{t('duty.reports.noReports')}</p>
      ) : (
        <div className="duty-table-scroll">
          <table className="duty-table">
            <thead>
              <tr>
                <th scope="col">{t('duty.reports.colMember')}</th>
                <th scope="col">{t('duty.reports.colScorers')}</th>
                {round.criteria.map((c) => (
                  <th scope="col" key={c.id}>
                    {c.label}
                  </th>
                ))}
                <th scope="col">{t('duty.reports.colTotal')}</th>
                <th scope="col">{t('duty.reports.colRule')}</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map(({ report, result }) => (
                <tr key={report.memberId} data-testid={`duty-report-result-${report.memberId}`}>
                  <th scope="row">{report.name}</th>
                  <td>{result.scorers}</td>
                  {result.criteria.map((c) => (
                    <td key={c.id}>{c.mean ?? '—'}</td>
                  ))}
                  <td data-testid="duty-report-result-total">{result.total ?? '—'}</td>
                  <td>{result.trimmed ? t('duty.reports.ruleTrimmed') : t('duty.reports.ruleAll')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {round.state === 'open' && (
        <ConfirmButton
          confirmKey={`duty-report-publish-${round.year}`}
          question={t('duty.reports.publishConfirm')}
          onConfirm={() => void publish()}
          testId="duty-report-publish"
          className="button button--primary"
          disabled={action.busy}
        >
          {t('duty.reports.publish')}
        </ConfirmButton>
      )}
      <ErrorBanner error={action.error} />
      <p role="status" className="hint" data-testid="duty-report-published-note">
        {recorded !== null ? t('duty.reports.publishedNote', { count: recorded }) : ''}
      </p>
    </section>
  );
}
