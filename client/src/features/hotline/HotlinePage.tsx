import {
  type HotlineDeliveryView,
  type HotlineRowProblem,
  type HotlineStatusChange,
  type HotlineTicketView,
  hotlineLimits,
} from '@yitang/shared';
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Banner } from '../../components/Banner';
import { Field } from '../../components/Field';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { hotlinePath, Link, loginPath, topicPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { TopicStateBadge } from '../topics/TopicStateBadge';
import { fetchDeliveries, fetchTickets, retryDelivery, ticketToTopic, type UploadOutcome, uploadTickets } from './api';
import './hotline.css';

/** A scrollable region is focusable so keyboard users can scroll it. */
function Scroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus.
    <section className="hotline-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

function ErrorLine({ code }: { code: ClientErrorCode | null }) {
  const { t } = useTranslation();
  if (!code) return null;
  return (
    <p role="alert" className="field-error">
      {t(`errors.${code}`)}
    </p>
  );
}

function ProblemTable({ problems }: { problems: HotlineRowProblem[] }) {
  const { t } = useTranslation();
  const fieldName = (f: string | undefined, row: number) => {
    if (!f) return row === 0 ? t('hotline.upload.wholeFile') : t('hotline.upload.wholeRow');
    const key = `hotline.field.${f}`;
    return t(key, { defaultValue: f });
  };
  return (
    <Scroll label={t('hotline.upload.reportTitle')}>
      <table className="hotline-table" data-testid="hotline-problems">
        <thead>
          <tr>
            <th scope="col">{t('hotline.upload.row')}</th>
            <th scope="col">{t('hotline.upload.column')}</th>
            <th scope="col">{t('hotline.upload.problem')}</th>
            <th scope="col">{t('hotline.upload.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={`${p.row}-${p.field ?? ''}-${p.code}-${p.message}`} data-code={p.code} data-row={p.row}>
              <td>{p.row === 0 ? '—' : p.row}</td>
              <td>{fieldName(p.field, p.row)}</td>
              <td>{t(`hotline.problem.${p.code}`)}</td>
              <td lang="en" className="hint">
                {p.message}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function UploadPanel({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation();
  const ids = { title: useId(), hint: useId() };
  const fileRef = useRef<HTMLInputElement>(null);
  const reportRef = useRef<HTMLHeadingElement>(null);
  const [busy, setBusy] = useState(false);
  const [fileProblem, setFileProblem] = useState<'chooseFile' | 'tooLarge' | null>(null);
  const [outcome, setOutcome] = useState<(UploadOutcome & { fileName: string }) | null>(null);
  const [error, setError] = useState<ClientErrorCode | null>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file || file.size > hotlineLimits.maxCsvBytes) {
      setFileProblem(file ? 'tooLarge' : 'chooseFile');
      fileRef.current?.focus();
      return;
    }
    setFileProblem(null);
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const result = await uploadTickets(file);
      setOutcome({ ...result, fileName: file.name });
      if (result.ok) onImported();
      // The report is what the person came for: take them there.
      requestAnimationFrame(() => reportRef.current?.focus());
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={ids.title}>
      <h2 id={ids.title}>{t('hotline.upload.title')}</h2>
      <p id={ids.hint} className="hint">
        {t('hotline.upload.hint')}
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate aria-describedby={ids.hint} aria-busy={busy || undefined}>
        <Field
          label={t('hotline.upload.file')}
          error={fileProblem && t(`hotline.upload.${fileProblem}`, { max: hotlineLimits.maxCsvBytes / (1024 * 1024) })}
        >
          <input
            ref={fileRef}
            type="file"
            accept=".csv,text/csv"
            onChange={() => setFileProblem(null)}
            data-testid="hotline-file"
          />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy} data-testid="hotline-upload">
          {t('hotline.upload.submit')}
        </button>
      </form>
      <p role="status" className="hint">
        {busy ? t('hotline.upload.working') : ''}
      </p>
      <ErrorLine code={error} />
      {outcome && (
        <div aria-live="polite" data-testid="hotline-report" data-ok={outcome.ok} data-file={outcome.fileName}>
          <h3 ref={reportRef} tabIndex={-1}>
            {t('hotline.upload.reportTitle')}
          </h3>
          {outcome.ok ? (
            <>
              <p data-testid="hotline-result">
                {t('hotline.upload.imported', { count: outcome.result.imported.length })}
              </p>
              {outcome.result.alreadyPresent.length > 0 && (
                <p className="hint">
                  {t('hotline.upload.alreadyPresent', { count: outcome.result.alreadyPresent.length })}
                </p>
              )}
            </>
          ) : (
            <>
              <p className="field-error" data-testid="hotline-result">
                {t('hotline.upload.refused', { count: outcome.problems.length })}
              </p>
              <ProblemTable problems={outcome.problems} />
            </>
          )}
        </div>
      )}
    </section>
  );
}

function TicketItem({ ticket, onChanged }: { ticket: HotlineTicketView; onChanged: (t: HotlineTicketView) => void }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const convert = async () => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await ticketToTopic(ticket.id));
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };
  const d = ticket.deliveries;
  return (
    <li className="hotline-ticket" data-testid={`hotline-ticket-${ticket.ticketId}`}>
      <h3 className="hotline-ticket__title">
        <span className="hotline-ticket__id">{ticket.ticketId}</span> {ticket.title}
      </h3>
      {ticket.description && <p className="hotline-ticket__text">{ticket.description}</p>}
      <p className="hotline-ticket__meta">
        {ticket.district && <span>{ticket.district}</span>}
        {ticket.category && <span>{ticket.category}</span>}
        <span>{t('hotline.tickets.reported', { time: formatDateTime(ticket.reportedAt, i18n.language) })}</span>
        <span>{t(`hotline.tickets.origin.${ticket.origin}`)}</span>
        <span>{t('hotline.tickets.received', { time: formatDateTime(ticket.receivedAt, i18n.language) })}</span>
        {ticket.hotlineStatus && <span>{t('hotline.tickets.hotlineStatus', { status: ticket.hotlineStatus })}</span>}
      </p>
      {ticket.topicId ? (
        <p className="hotline-ticket__topic" data-testid="hotline-topic">
          {t('hotline.tickets.topic')}
          <Link to={topicPath(ticket.topicId)}>{ticket.topicTitle ?? ticket.topicId}</Link>{' '}
          {ticket.topicState && <TopicStateBadge state={ticket.topicState} />}
        </p>
      ) : (
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          aria-label={t('hotline.tickets.toTopicLabel', { ticketId: ticket.ticketId, title: ticket.title })}
          onClick={() => void convert()}
          data-testid="hotline-to-topic"
        >
          {busy ? t('hotline.tickets.converting') : t('hotline.tickets.toTopic')}
        </button>
      )}
      {d.pending + d.delivered + d.failed > 0 && <p className="hint">{t('hotline.tickets.deliveries', { ...d })}</p>}
      <ErrorLine code={error} />
    </li>
  );
}

function ChangeText({ change }: { change: HotlineStatusChange }) {
  const { t } = useTranslation();
  if (change.kind === 'topic') {
    return <>{t(`hotline.deliveries.topicChange.${change.status}`, { reason: change.reason ?? '' })}</>;
  }
  return (
    <>{t(`hotline.deliveries.trackingChange.${change.status}`, { text: change.text, department: change.department })}</>
  );
}

function DeliveryRow({ delivery, onChanged }: { delivery: HotlineDeliveryView; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      await retryDelivery(delivery.id);
      onChanged();
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-testid={`hotline-delivery-${delivery.id}`} data-state={delivery.state}>
      <td>{when(delivery.createdAt)}</td>
      <td>{delivery.ticketId}</td>
      <td>
        <ChangeText change={delivery.change} />
      </td>
      <td>
        <span className={`badge hotline-state hotline-state--${delivery.state}`}>
          {t(`hotline.deliveries.stateName.${delivery.state}`)}
        </span>
        {delivery.state === 'failed' && (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            aria-label={t('hotline.deliveries.retryLabel', { ticketId: delivery.ticketId })}
            onClick={() => void retry()}
          >
            {t('hotline.deliveries.retry')}
          </button>
        )}
        <ErrorLine code={error} />
      </td>
      <td>
        {delivery.attempts.length === 0 ? (
          <span className="hint">{t('hotline.deliveries.noAttempts')}</span>
        ) : (
          <ol className="hotline-attempts">
            {delivery.attempts.map((a) => (
              <li key={a.at}>
                {t('hotline.deliveries.attempt', {
                  time: when(a.at),
                  result:
                    a.error === null
                      ? t('hotline.deliveries.delivered', { code: a.statusCode ?? '' })
                      : t('hotline.deliveries.failedWith', { error: a.error }),
                })}
                {a.nextAttemptAt && (
                  <span className="hint"> · {t('hotline.deliveries.nextRetry', { time: when(a.nextAttemptAt) })}</span>
                )}
              </li>
            ))}
          </ol>
        )}
      </td>
    </tr>
  );
}

/** Staff: upload tickets, turn them into topics, read what was sent back to the hotline. */
export function HotlinePage() {
  const { t } = useTranslation();
  const me = useAppStore((s) => s.me);
  const meStatus = useAppStore((s) => s.meStatus);
  const [announce, setAnnounce] = useState('');
  const staff = me?.kind === 'staff';
  // Asked again after an import, a retry or the refresh button, keeping the lists shown meanwhile.
  const lists = useLoad(() => Promise.all([fetchTickets(), fetchDeliveries()]), [staff], { when: staff, keep: true });
  const tickets = lists.data?.[0] ?? null;
  const deliveries = lists.data?.[1] ?? null;
  const { error, reload: load } = lists;

  if (meStatus === 'ready' && !me) {
    return (
      <div className="page">
        <h1>{t('hotline.title')}</h1>
        <Banner>
          {t('auth.needSignIn')} <Link to={loginPath(hotlinePath)}>{t('auth.signIn')}</Link>
        </Banner>
      </div>
    );
  }
  if (me && !staff) {
    return (
      <div className="page">
        <h1>{t('hotline.title')}</h1>
        <Banner>{t('hotline.staffOnly')}</Banner>
      </div>
    );
  }

  const changed = (ticket: HotlineTicketView) => {
    lists.setData((l) => l && [l[0].map((x) => (x.id === ticket.id ? ticket : x)), l[1]]);
    setAnnounce(t('hotline.tickets.converted', { ticketId: ticket.ticketId }));
  };

  return (
    <div className="page page--wide hotline-page" data-testid="hotline-page">
      <h1>{t('hotline.title')}</h1>
      <p className="hint">{t('hotline.intro')}</p>
      <p role="status" className="visually-hidden">
        {announce}
      </p>
      <UploadPanel onImported={load} />
      <section className="panel" aria-labelledby="hotline-tickets-title">
        <div className="panel-head">
          <h2 id="hotline-tickets-title">{t('hotline.tickets.title')}</h2>
          <button type="button" className="button button--small" onClick={load} data-testid="hotline-refresh">
            {t('hotline.tickets.refresh')}
          </button>
        </div>
        <ErrorLine code={error} />
        {tickets === null ? (
          <p className="hint">{t('hotline.tickets.loading')}</p>
        ) : tickets.length === 0 ? (
          <p className="hint">{t('hotline.tickets.empty')}</p>
        ) : (
          <ul className="hotline-tickets" data-testid="hotline-tickets">
            {tickets.map((ticket) => (
              <TicketItem key={ticket.id} ticket={ticket} onChanged={changed} />
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-labelledby="hotline-deliveries-title">
        <h2 id="hotline-deliveries-title">{t('hotline.deliveries.title')}</h2>
        <p className="hint">{t('hotline.deliveries.intro')}</p>
        {deliveries === null ? null : deliveries.length === 0 ? (
          <p className="hint">{t('hotline.deliveries.empty')}</p>
        ) : (
          <Scroll label={t('hotline.deliveries.title')}>
            <table className="hotline-table" data-testid="hotline-deliveries">
              <thead>
                <tr>
                  <th scope="col">{t('hotline.deliveries.created')}</th>
                  <th scope="col">{t('hotline.deliveries.ticket')}</th>
                  <th scope="col">{t('hotline.deliveries.change')}</th>
                  <th scope="col">{t('hotline.deliveries.state')}</th>
                  <th scope="col">{t('hotline.deliveries.attempts')}</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <DeliveryRow key={d.id} delivery={d} onChanged={load} />
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
      </section>
    </div>
  );
}
