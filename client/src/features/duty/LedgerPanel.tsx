import { type DutyEntryView, type MemberScore, ProposalFeedback } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { proposalPath } from '../proposals/model';
import { changeEntry } from './api';
import { pointsText, StatusBadge } from './common';
import { dutyReportPath, entryPoints, newestFirst, overCapIds } from './model';

/** A 社情民意 report's page (the same address its own pages use). */
const socialReportPath = (id: string) => `/social-reports/${encodeURIComponent(id)}`;
const activityPath = (id: string) => `/activities/${encodeURIComponent(id)}`;

/** Where a workflow's record leads, and what the link says: the proposal, report or activity it follows. */
function sourceLink(source: DutyEntryView['source'], id: string) {
  if (source === 'proposal') return { to: proposalPath(id), label: 'duty.ledger.openProposal' } as const;
  if (source === 'activity') return { to: activityPath(id), label: 'duty.ledger.openActivity' } as const;
  if (source === 'dutyReport') return { to: dutyReportPath(Number(id)), label: 'duty.reports.nav' } as const;
  return { to: socialReportPath(id), label: 'duty.ledger.openSocialReport' } as const;
}

/** The element id of a ledger record, for the links from the score and the minimums. */
export const entryAnchor = (entryId: string) => `duty-entry-${entryId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The member's feedback on a department's reply to their proposal. */
function FeedbackForm({ entry, onChanged }: { entry: DutyEntryView; onChanged: (e: DutyEntryView) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(entry.proposal?.feedback ?? '');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const proposal = entry.proposal;
  if (!proposal) return null;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const feedback = ProposalFeedback.safeParse(value);
    if (!feedback.success) return;
    setSaved(false);
    const sent: { entry?: DutyEntryView } = {};
    const ok = await action.run(async () => {
      sent.entry = await changeEntry(entry.id, { proposal: { ...proposal, feedback: feedback.data } });
    });
    if (ok && sent.entry) {
      setSaved(true);
      onChanged(sent.entry);
    }
  };
  return (
    <form className="row row--wrap duty-feedback" onSubmit={submit}>
      <Field className="field--inline" label={t('duty.ledger.feedbackLabel')}>
        <select value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {ProposalFeedback.options.map((f) => (
            <option key={f} value={f}>
              {t(`duty.feedback.${f}`)}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="button button--small" disabled={action.busy || value === ''}>
        {t('duty.ledger.feedbackSave')}
      </button>
      <span role="status" className="hint">
        {saved ? t('duty.ledger.feedbackSaved') : ''}
      </span>
      {action.error && (
        <span role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </span>
      )}
    </form>
  );
}

function Entry({
  entry,
  points,
  overCap,
  mayGiveFeedback,
  onChanged,
}: {
  entry: DutyEntryView;
  points: number | undefined;
  overCap: boolean;
  mayGiveFeedback: boolean;
  onChanged: (e: DutyEntryView) => void;
}) {
  const { t, i18n } = useTranslation();
  const headId = useId();
  const pointsLabel =
    entry.status === 'verified' && points !== undefined
      ? t('duty.ledger.earned', { points: pointsText(points) })
      : overCap
        ? t('duty.ledger.overCap')
        : t('duty.ledger.notCounted');
  return (
    <li
      id={entryAnchor(entry.id)}
      tabIndex={-1}
      className={`duty-entry duty-entry--${entry.status}`}
      aria-labelledby={headId}
      data-testid={`duty-entry-${entry.id}`}
      data-kind={entry.kind}
      data-status={entry.status}
    >
      <div className="duty-entry__head">
        <h3 id={headId} className="duty-entry__title">
          {entry.title}
        </h3>
        <StatusBadge status={entry.status} />
        <span className="duty-points" data-testid="duty-entry-points">
          {pointsLabel}
        </span>
      </div>
      <p className="duty-entry__meta">
        <span className="duty-kind">{t(`duty.kind.${entry.kind}`)}</span>
        <span>{t('duty.ledger.date', { date: formatDateTime(entry.date, i18n.language, 'date') })}</span>
        <span>{t('duty.ledger.source', { source: t(`duty.source.${entry.source}`) })}</span>
      </p>
      {entry.status === 'rejected' && entry.rejectReason && (
        <p className="field-error">{t('duty.ledger.rejectReason', { reason: entry.rejectReason })}</p>
      )}
      {entry.evidence && (
        <div className="duty-entry__evidence">
          <p>{t('duty.ledger.evidence', { text: entry.evidence.text })}</p>
          {(entry.evidence.link || entry.evidence.attachmentName) && (
            <p className="row row--wrap">
              {entry.evidence.link && (
                <a href={entry.evidence.link} target="_blank" rel="noopener noreferrer">
                  {t('duty.ledger.link')}
                </a>
              )}
              {entry.evidence.attachmentName && (
                <span>{t('duty.ledger.attachment', { name: entry.evidence.attachmentName })}</span>
              )}
            </p>
          )}
        </div>
      )}
      {entry.proposal && (entry.proposal.department || entry.proposal.reply || entry.proposal.feedback) && (
        <div className="duty-entry__proposal">
          {entry.proposal.department && <p>{t('duty.ledger.department', { name: entry.proposal.department })}</p>}
          {entry.proposal.reply && <p>{t('duty.ledger.reply', { text: entry.proposal.reply })}</p>}
          {entry.proposal.feedback && (
            <p>{t('duty.ledger.feedbackGiven', { feedback: t(`duty.feedback.${entry.proposal.feedback}`) })}</p>
          )}
        </div>
      )}
      {entry.sourceId && (
        // A workflow keeps this record: the member acts (and gives feedback) on the proposal or report.
        <p>
          <Link to={sourceLink(entry.source, entry.sourceId).to} data-testid="duty-entry-source">
            {t(sourceLink(entry.source, entry.sourceId).label)}
          </Link>
        </p>
      )}
      {mayGiveFeedback && !entry.sourceId && entry.kind === 'proposal' && entry.proposal?.reply && (
        <FeedbackForm entry={entry} onChanged={onChanged} />
      )}
      {entry.audit.length > 0 && (
        <details className="duty-entry__audit">
          <summary>{t('duty.ledger.history')}</summary>
          <ul>
            {entry.audit.map((a, i) => (
              // The audit list only grows: a line's position is its identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above.
              <li key={i}>
                {t(`duty.ledger.audit.${a.action}`, {
                  by: a.byName,
                  at: formatDateTime(a.at, i18n.language),
                  note: a.note ?? '',
                })}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

/** The year's ledger, newest first; each record shows its source, status and the points it earned. */
export function LedgerPanel({
  entries,
  score,
  mayGiveFeedback,
  focusEntry,
  onChanged,
}: {
  entries: readonly DutyEntryView[];
  score: MemberScore | null;
  mayGiveFeedback: boolean;
  /** A record to move focus to once it shows (the one just submitted). */
  focusEntry: string | null;
  onChanged: (e: DutyEntryView) => void;
}) {
  const { t } = useTranslation();
  const headId = useId();
  const points = entryPoints(score);
  const overCap = overCapIds(score);

  useEffect(() => {
    if (focusEntry) document.getElementById(entryAnchor(focusEntry))?.focus();
  }, [focusEntry]);

  return (
    <section className="panel duty-ledger" aria-labelledby={headId} data-testid="duty-ledger">
      <div className="panel-head">
        <h2 id={headId}>{t('duty.ledger.title')}</h2>
        <span className="hint">{t('duty.ledger.count', { count: entries.length })}</span>
      </div>
      {entries.length === 0 ? (
        <p className="muted">{t('duty.ledger.empty')}</p>
      ) : (
        <ul className="duty-entries">
          {newestFirst(entries).map((e) => (
            <Entry
              key={e.id}
              entry={e}
              points={points.get(e.id)}
              overCap={overCap.has(e.id)}
              mayGiveFeedback={mayGiveFeedback}
              onChanged={onChanged}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
