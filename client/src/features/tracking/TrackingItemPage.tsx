import {
  type TrackingActionType,
  type TrackingItemResponse,
  type TrackingItemView,
  type TrackingViewer,
  trackingLimits,
} from '@yitang/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { RefreshFailed } from '../../components/RefreshFailed';
import { Section } from '../../components/Section';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { assignItem, chaseItem, fetchCandidates, fetchTrackingItem, rateItem, takeAction } from './api';
import { DeadlineText, levelKey, SourceText, StatusBadge, TrackingErrorText } from './common';
import { fileSizeText, trackingListPath } from './model';
import { ProgressReportForm } from './ProgressReportForm';

type Answer = TrackingItemResponse;

/** One tracking item: its facts, what the viewer may do, reports, chases, ratings and history. */
export function TrackingItemPage({ id }: { id: string }) {
  const { t } = useTranslation();
  // After a step the page shows the answer; a refused one asks again, keeping what is shown.
  const { data, error: loadError, reload, setData } = useLoad(() => fetchTrackingItem(id), [id], { keep: true });

  if (loadError && !data) {
    return (
      <div className="page">
        <Banner tone="error">{t('tracking.item.loadFailed', { error: t(`errors.${loadError}`) })}</Banner>
        <p>
          <Link to={trackingListPath}>{t('tracking.item.back')}</Link>
        </p>
      </div>
    );
  }
  if (!data) {
    return (
      <p className="page hint" role="status">
        {t('app.loading')}
      </p>
    );
  }
  const { item, viewer } = data;
  // A refused step means the item moved meanwhile: show its latest state.
  const refused = reload;
  return (
    <div className="page tracking-page" data-testid="tracking-item">
      <p>
        <Link to={trackingListPath}>{t('tracking.item.back')}</Link>
      </p>
      <h1 className="tracking-title">{item.text}</h1>
      {loadError && <RefreshFailed error={loadError} kept onRetry={reload} />}
      <Facts item={item} />
      <ActionsPanel item={item} viewer={viewer} onDone={setData} onRefused={refused} />
      <ReportsPanel item={item} viewer={viewer} onDone={setData} />
      <ChasesPanel item={item} viewer={viewer} onDone={setData} onRefused={refused} />
      {viewer.mayAssign && <AssignPanel item={item} onDone={setData} onRefused={refused} />}
      <RatingsPanel item={item} viewer={viewer} onDone={setData} onRefused={refused} />
      <HistoryPanel item={item} />
    </div>
  );
}

function Facts({ item }: { item: TrackingItemView }) {
  const { t } = useTranslation();
  return (
    <dl className="facts tracking-facts" aria-label={t('tracking.item.facts')}>
      <div>
        <dt className="visually-hidden">{t('tracking.list.status')}</dt>
        <dd>
          <StatusBadge status={item.status} />
        </dd>
      </div>
      <div>
        <dt className="visually-hidden">{t('tracking.list.department')}</dt>
        <dd>
          {item.department ? t('tracking.departmentName', { name: item.department }) : t('tracking.noDepartment')}
        </dd>
      </div>
      <div>
        <dt className="visually-hidden">{t('tracking.assign.title')}</dt>
        <dd data-testid="tracking-assignee">
          {item.assignee ? t('tracking.assignee', { name: item.assignee.name }) : t('tracking.noAssignee')}
        </dd>
      </div>
      <div>
        <dt className="visually-hidden">{t('tracking.noDeadline')}</dt>
        <dd>
          <DeadlineText item={item} />
        </dd>
      </div>
      <div>
        <dt className="visually-hidden">{t('tracking.source.label')}</dt>
        <dd>
          <SourceText item={item} />
          {item.source.summary && <p className="tracking-source__summary">{item.source.summary}</p>}
        </dd>
      </div>
    </dl>
  );
}

interface PanelProps {
  item: TrackingItemView;
  viewer: TrackingViewer;
  onDone: (res: Answer) => void;
  onRefused: () => void;
}

function ActionsPanel({ item, viewer, onDone, onRefused }: PanelProps) {
  const { t } = useTranslation();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState<TrackingActionType | null>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const action = useAction();

  useEffect(() => {
    if (returning) reasonRef.current?.focus();
  }, [returning]);

  const run = async (type: TrackingActionType) => {
    if (type === 'return' && !returning) {
      setReturning(true);
      return;
    }
    if (type === 'return' && reason.trim() === '') {
      setReasonMissing(true);
      reasonRef.current?.focus();
      return;
    }
    setReasonMissing(false);
    setTried(type);
    let answer: Answer | null = null;
    const ok = await action.run(async () => {
      answer = await takeAction(
        item.id,
        type === 'return' ? { type, reason: reason.trim() } : { type },
        note.trim() || undefined,
      );
    });
    if (ok && answer) {
      setReturning(false);
      setReason('');
      setNote('');
      onDone(answer);
    } else {
      onRefused();
    }
  };
  const submitReturn = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run('return');
  };

  return (
    <Section title={t('tracking.item.actions')} titleText={t('tracking.item.actions')} testId="tracking-actions">
      {viewer.actions.length === 0 ? (
        <p className="hint">{t('tracking.item.noActions')}</p>
      ) : (
        <>
          <Field label={t('tracking.item.note')}>
            <input type="text" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          <div className="row row--wrap">
            {viewer.actions.map((type) => (
              <button
                key={type}
                type="button"
                className={`button ${type === 'return' ? 'button--danger' : 'button--primary'}`}
                disabled={action.busy}
                aria-expanded={type === 'return' ? returning : undefined}
                onClick={() => void run(type)}
                data-testid={`tracking-action-${type}`}
              >
                {t(`tracking.action.${type}`)}
              </button>
            ))}
          </div>
        </>
      )}
      {returning && viewer.actions.includes('return') && (
        <form onSubmit={submitReturn} noValidate className="tracking-return">
          <Field
            label={t('tracking.item.returnReason')}
            error={reasonMissing && t('tracking.item.returnReasonMissing')}
          >
            <textarea
              ref={reasonRef}
              rows={2}
              value={reason}
              maxLength={500}
              required
              onChange={(e) => setReason(e.target.value)}
              data-testid="tracking-return-reason"
            />
          </Field>
          <div className="row">
            <button type="submit" className="button button--danger" disabled={action.busy}>
              {t('tracking.action.return')}
            </button>
            <button type="button" className="button" onClick={() => setReturning(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {action.error && tried && (
        <Banner tone="error" testId="tracking-action-error">
          <TrackingErrorText code={action.error} status={item.status} doing={{ kind: 'action', action: tried }} />
        </Banner>
      )}
    </Section>
  );
}

function ReportsPanel({ item, viewer, onDone }: Omit<PanelProps, 'onRefused'>) {
  const { t, i18n } = useTranslation();
  return (
    <Section title={t('tracking.item.reports')} titleText={t('tracking.item.reports')} testId="tracking-reports">
      {item.reports.length === 0 ? (
        <p className="hint">{t('tracking.item.noReports')}</p>
      ) : (
        <ol className="tracking-reports">
          {item.reports.map((r) => (
            <li key={r.id} className="tracking-report" data-testid="tracking-report">
              <p className="tracking-report__meta">
                <span>{r.byName}</span>
                <time dateTime={r.at}>{formatDateTime(r.at, i18n.language)}</time>
                {r.percent !== null && <span>{t('tracking.item.percent', { percent: r.percent })}</span>}
                {r.done && <span className="badge badge--accepted">{t('tracking.item.reportedDone')}</span>}
              </p>
              <p className="tracking-report__text">{r.text}</p>
              {r.nextStep && <p>{t('tracking.item.nextStep', { text: r.nextStep })}</p>}
              {r.attachments.length > 0 && (
                <ul className="tracking-attachments" aria-label={t('tracking.item.attachments')}>
                  {r.attachments.map((a) => (
                    <li key={a.id}>
                      <a href={a.url} download={a.fileName} data-testid="tracking-attachment">
                        {t('tracking.item.download', { name: a.fileName, size: fileSizeText(a.size) })}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
      {viewer.mayReport && (
        <>
          <h3>{t('tracking.report.title')}</h3>
          <ProgressReportForm itemId={item.id} status={item.status} sourceKind={item.source.kind} onSent={onDone} />
        </>
      )}
    </Section>
  );
}

function ChasesPanel({ item, viewer, onDone, onRefused }: PanelProps) {
  const { t, i18n } = useTranslation();
  const [note, setNote] = useState('');
  const [sentLevel, setSentLevel] = useState<number | null>(null);
  const action = useAction();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    let answer: Answer | null = null;
    const ok = await action.run(async () => {
      answer = await chaseItem(item.id, note.trim());
    });
    if (ok && answer) {
      const res: Answer = answer;
      setNote('');
      setSentLevel(res.item.chases.at(-1)?.level ?? null);
      onDone(res);
    } else onRefused();
  };
  const levelText = (level: number) => t(levelKey(level));
  return (
    <Section
      title={t('tracking.item.chases')}
      titleText={t('tracking.item.chases')}
      testId="tracking-chases"
      aside={
        item.chaseLevel > 0 ? (
          <span className="badge badge--warn" data-testid="tracking-chase-level">
            {t('tracking.item.chaseLevel', { level: levelText(item.chaseLevel) })}
          </span>
        ) : undefined
      }
    >
      {item.chases.length === 0 ? (
        <p className="hint">{t('tracking.item.noChases')}</p>
      ) : (
        <ol className="tracking-chases">
          {item.chases.map((c) => (
            <li key={c.at} data-testid="tracking-chase" data-level={c.level}>
              <strong>{levelText(c.level)}</strong> · {c.byName} ·{' '}
              <time dateTime={c.at}>{formatDateTime(c.at, i18n.language)}</time>
              {c.overdue && <> · {t('tracking.item.chaseWhenOverdue')}</>}
              {c.note && <p className="tracking-chase__note">{c.note}</p>}
            </li>
          ))}
        </ol>
      )}
      {viewer.mayChase && (
        <form onSubmit={submit} className="tracking-chase-form">
          <p className="hint">{t('tracking.chase.explain')}</p>
          <Field label={t('tracking.chase.note')}>
            <input
              type="text"
              maxLength={trackingLimits.maxChaseNoteLength}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="tracking-chase-note"
            />
          </Field>
          <div className="row row--wrap">
            <button
              type="submit"
              className="button button--primary"
              disabled={action.busy}
              data-testid="tracking-chase"
            >
              {t('tracking.chase.submit')}
            </button>
            <span role="status" className="hint">
              {sentLevel ? t('tracking.chase.sent', { level: levelText(sentLevel) }) : ''}
            </span>
          </div>
          {action.error && (
            <Banner tone="error">
              <TrackingErrorText code={action.error} status={item.status} doing={{ kind: 'chase' }} />
            </Banner>
          )}
        </form>
      )}
    </Section>
  );
}

function AssignPanel({ item, onDone, onRefused }: Omit<PanelProps, 'viewer'>) {
  const { t } = useTranslation();
  // Without the list of candidates there is nobody to choose: the panel says so.
  const found = useLoad(() => fetchCandidates(item.id), [item.id]);
  const candidates = found.error ? [] : (found.data?.candidates ?? null);
  const [chosen, setChosen] = useState(item.assignee?.id ?? '');
  const [sentName, setSentName] = useState<string | null>(null);
  const action = useAction();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!chosen) return;
    let answer: Answer | null = null;
    const ok = await action.run(async () => {
      answer = await assignItem(item.id, chosen);
    });
    if (ok && answer) {
      const res: Answer = answer;
      setSentName(res.item.assignee?.name ?? null);
      onDone(res);
    } else onRefused();
  };
  return (
    <Section
      title={t('tracking.assign.title')}
      titleText={t('tracking.assign.title')}
      testId="tracking-assign"
      collapsible
    >
      {candidates === null ? (
        <p className="hint">{t('app.loading')}</p>
      ) : candidates.length === 0 ? (
        <p className="hint">{t('tracking.assign.none')}</p>
      ) : (
        <form onSubmit={submit} className="row row--wrap">
          <Field label={t('tracking.assign.label')} className="field--inline">
            <select value={chosen} onChange={(e) => setChosen(e.target.value)} data-testid="tracking-assignee-select">
              <option value="">{t('common.choose')}</option>
              {candidates.map((c) => (
                <option key={c.id} value={c.id}>
                  {t('common.withAside', { main: c.name, aside: c.title })}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="button" disabled={action.busy || !chosen}>
            {t('tracking.assign.submit')}
          </button>
          <span role="status" className="hint">
            {sentName ? t('tracking.assign.sent', { name: sentName }) : ''}
          </span>
        </form>
      )}
      {action.error && (
        <Banner tone="error">
          <TrackingErrorText code={action.error} status={item.status} doing={{ kind: 'assign' }} />
        </Banner>
      )}
    </Section>
  );
}

function RatingsPanel({ item, viewer, onDone, onRefused }: PanelProps) {
  const { t, i18n } = useTranslation();
  const [score, setScore] = useState(String(viewer.myRating?.score ?? ''));
  const [comment, setComment] = useState(viewer.myRating?.comment ?? '');
  const [sent, setSent] = useState(false);
  const action = useAction();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!score) return;
    let answer: Answer | null = null;
    const body = comment.trim() ? { score: Number(score), comment: comment.trim() } : { score: Number(score) };
    const ok = await action.run(async () => {
      answer = await rateItem(item.id, body);
    });
    if (ok && answer) {
      setSent(true);
      onDone(answer);
    } else onRefused();
  };
  const { rating } = item;
  return (
    <Section title={t('tracking.item.ratings')} titleText={t('tracking.item.ratings')} testId="tracking-ratings">
      {rating.count === 0 ? (
        <p className="hint">{t('tracking.item.noRatings')}</p>
      ) : (
        <>
          <p data-testid="tracking-rating-summary">
            {t('tracking.item.average', {
              average: new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(rating.average ?? 0),
              count: rating.count,
            })}
          </p>
          <ul className="tracking-ratings">
            {rating.entries
              .filter((e) => e.comment)
              .map((e) => (
                <li key={e.at}>
                  {t('tracking.rate.scoreOption', { score: e.score })} · {e.comment}
                </li>
              ))}
          </ul>
        </>
      )}
      {viewer.mayRate ? (
        <form onSubmit={submit} className="tracking-rate-form">
          <h3>{t('tracking.rate.title')}</h3>
          <div className="row row--wrap">
            <Field label={t('tracking.rate.score')} className="field--inline">
              <select value={score} onChange={(e) => setScore(e.target.value)} data-testid="tracking-rate-score">
                <option value="">{t('common.choose')}</option>
                {[5, 4, 3, 2, 1].map((s) => (
                  <option key={s} value={s}>
                    {t('tracking.rate.scoreOption', { score: s })}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <Field label={t('tracking.rate.comment')}>
            <input
              type="text"
              maxLength={trackingLimits.maxRatingCommentLength}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </Field>
          <div className="row row--wrap">
            <button
              type="submit"
              className="button button--primary"
              disabled={action.busy || !score}
              data-testid="tracking-rate"
            >
              {viewer.myRating ? t('tracking.rate.update') : t('tracking.rate.submit')}
            </button>
            <span role="status" className="hint">
              {sent ? t('tracking.rate.sent') : ''}
            </span>
          </div>
          {action.error && (
            <Banner tone="error">
              <TrackingErrorText code={action.error} status={item.status} doing={{ kind: 'rate' }} />
            </Banner>
          )}
        </form>
      ) : (
        item.status === 'closed' && viewer.myRating && <p className="hint">{t('tracking.rate.closedNote')}</p>
      )}
    </Section>
  );
}

function HistoryPanel({ item }: { item: TrackingItemView }) {
  const { t, i18n } = useTranslation();
  return (
    <Section
      title={t('tracking.item.history')}
      titleText={t('tracking.item.history')}
      testId="tracking-history"
      collapsible
    >
      <ol className="tracking-history">
        {item.history.map((h, n) => (
          // History entries are append-only: their place is their identity.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <li key={n}>
            <time dateTime={h.at}>{formatDateTime(h.at, i18n.language)}</time> · {t(`tracking.event.${h.action}`)} ·{' '}
            {h.byName} → <StatusBadge status={h.status} />
            {h.note && <p className="tracking-history__note">{h.note}</p>}
          </li>
        ))}
      </ol>
    </Section>
  );
}
