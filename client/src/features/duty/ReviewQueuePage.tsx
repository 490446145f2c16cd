import { type DutyEntryView, dutyLimits } from '@yitang/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/Field';
import { formatDateTime } from '../../lib/format';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/useAction';
import { useLoad } from '../../lib/useLoad';
import { fetchEntries, reviewEntry } from './api';
import { StaffNav } from './common';
import { dutyMemberPath } from './model';

function QueueItem({
  entry,
  onDone,
}: {
  entry: DutyEntryView;
  onDone: (entry: DutyEntryView, decision: 'verify' | 'reject') => void;
}) {
  const { t, i18n } = useTranslation();
  const ids = { head: useId() };
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  const action = useAction();

  // Opening the reason moves focus into it; cancelling puts focus back on “reject”.
  const returnFocus = useRef(false);
  useEffect(() => {
    if (rejecting) reasonRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      rejectRef.current?.focus();
    }
  }, [rejecting]);
  const cancel = () => {
    returnFocus.current = true;
    setRejecting(false);
  };

  const verify = async () => {
    const sent: { entry?: DutyEntryView } = {};
    if (await action.run(async () => (sent.entry = await reviewEntry(entry.id, { decision: 'verify' })))) {
      onDone(sent.entry ?? entry, 'verify');
    }
  };
  const reject = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setReasonMissing(true);
      reasonRef.current?.focus();
      return;
    }
    setReasonMissing(false);
    const sent: { entry?: DutyEntryView } = {};
    const ok = await action.run(
      async () => (sent.entry = await reviewEntry(entry.id, { decision: 'reject', reason: reason.trim() })),
    );
    if (ok) onDone(sent.entry ?? entry, 'reject');
  };

  return (
    <li className="duty-entry duty-review" aria-labelledby={ids.head} data-testid={`review-${entry.id}`}>
      <h2 id={ids.head} className="duty-entry__title" tabIndex={-1}>
        {entry.title}
      </h2>
      <p className="duty-entry__meta">
        <span className="duty-kind">{t(`duty.kind.${entry.kind}`)}</span>
        <span>{t('duty.ledger.date', { date: formatDateTime(entry.date, i18n.language, 'date') })}</span>
        <span>
          {t('duty.review.member', { name: '' })}
          <Link to={dutyMemberPath(entry.memberId, Number(entry.date.slice(0, 4)))}>{entry.memberName}</Link>
        </span>
        <span>{t('duty.ledger.source', { source: t(`duty.source.${entry.source}`) })}</span>
      </p>
      {entry.evidence && (
        <div className="duty-entry__evidence">
          <p>{t('duty.ledger.evidence', { text: entry.evidence.text })}</p>
          {entry.evidence.link && (
            <p>
              <a href={entry.evidence.link} target="_blank" rel="noopener noreferrer">
                {t('duty.ledger.link')}
              </a>{' '}
              <span className="muted">{entry.evidence.link}</span>
            </p>
          )}
          {entry.evidence.attachmentName && (
            <p>{t('duty.ledger.attachment', { name: entry.evidence.attachmentName })}</p>
          )}
        </div>
      )}
      {!rejecting ? (
        <div className="row row--wrap">
          <button
            type="button"
            className="button button--primary"
            disabled={action.busy}
            onClick={verify}
            aria-describedby={ids.head}
            data-testid="review-verify"
          >
            {t('duty.review.verify')}
          </button>
          <button
            type="button"
            ref={rejectRef}
            className="button"
            disabled={action.busy}
            onClick={() => setRejecting(true)}
            aria-describedby={ids.head}
            data-testid="review-reject"
          >
            {t('duty.review.reject')}
          </button>
        </div>
      ) : (
        <form onSubmit={reject} noValidate className="duty-review__reject">
          <Field label={t('duty.review.reason')} error={reasonMissing ? t('duty.review.reasonMissing') : undefined}>
            <textarea
              ref={reasonRef}
              rows={2}
              value={reason}
              maxLength={dutyLimits.maxReasonLength}
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') cancel();
              }}
              data-testid="review-reason"
            />
          </Field>
          <div className="row row--wrap">
            <button
              type="submit"
              className="button button--danger"
              disabled={action.busy}
              data-testid="review-reject-confirm"
            >
              {t('duty.review.confirmReject')}
            </button>
            <button type="button" className="button" onClick={cancel}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {action.error && (
        <p role="alert" className="field-error">
          {t(`errors.${action.error}`)}
        </p>
      )}
    </li>
  );
}

/** Staff: the records members submitted, to verify or send back with a reason. */
export function ReviewQueuePage() {
  const { t } = useTranslation();
  const headRef = useRef<HTMLHeadingElement>(null);
  // Oldest first; a decided record leaves the list in place.
  const {
    data: entries,
    error,
    setData: setEntries,
  } = useLoad(
    () =>
      fetchEntries({ status: 'pending' }).then((list) =>
        [...list].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
      ),
    [],
  );
  const [announce, setAnnounce] = useState('');
  // After a decision: the next record's heading, or the page's when none is left (null: the page's).
  const [focusTarget, setFocusTarget] = useState<{ id: string | null } | null>(null);

  useEffect(() => {
    if (!focusTarget) return;
    const el = focusTarget.id
      ? document.querySelector<HTMLElement>(`[data-testid="review-${CSS.escape(focusTarget.id)}"] h2`)
      : null;
    (el ?? headRef.current)?.focus();
  }, [focusTarget]);

  const onDone = (entry: DutyEntryView, decision: 'verify' | 'reject') => {
    const list = entries ?? [];
    const at = list.findIndex((e) => e.id === entry.id);
    const rest = list.filter((e) => e.id !== entry.id);
    setEntries(rest);
    setAnnounce(
      t(decision === 'verify' ? 'duty.review.verified' : 'duty.review.rejected', {
        title: entry.title,
        name: entry.memberName,
      }),
    );
    setFocusTarget({ id: rest[Math.min(at, rest.length - 1)]?.id ?? null });
  };

  return (
    <div className="page page--wide duty-page" data-testid="duty-review-page">
      <StaffNav />
      <h1 ref={headRef} tabIndex={-1}>
        {t('duty.review.title')}
      </h1>
      <p role="status" className="duty-announce" data-testid="review-announce">
        {announce}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {t(`errors.${error}`)}
        </p>
      )}
      {!entries && !error && <p className="hint">{t('app.loading')}</p>}
      {entries && (
        <>
          <p className="hint" data-testid="review-count">
            {t('duty.review.count', { count: entries.length })}
          </p>
          {entries.length === 0 ? (
            <p className="muted">{t('duty.review.empty')}</p>
          ) : (
            <ul className="duty-entries">
              {entries.map((e) => (
                <QueueItem key={e.id} entry={e} onDone={onDone} />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
