import {
  DeliveryState,
  type DeliveryView,
  NotifyChannel,
  NotifyKind,
  type DeliveryQuery as Query,
} from '@yitang/shared';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from '../../components/Field';
import { RefreshFailed } from '../../components/RefreshFailed';
import { SignedIn } from '../../components/SignedIn';
import { type ClientErrorCode, toClientErrorCode } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { deliveryLogPath } from '../../lib/router';
import { useLoad } from '../../lib/useLoad';
import { useAppStore } from '../../store';
import { fetchDeliveries, resendDelivery } from './api';
import './notify.css';

/** This month in China time, YYYY-MM. */
const thisMonth = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' })
    .format(new Date())
    .slice(0, 7);

function Entry({ d, onResent }: { d: DeliveryView; onResent: (d: DeliveryView) => void }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ClientErrorCode | null>(null);
  const at = (iso: string) => formatDateTime(iso, i18n.language);
  const lastError = d.attempts.findLast((a) => !a.ok)?.error ?? null;
  const resend = async () => {
    setBusy(true);
    setError(null);
    try {
      onResent(await resendDelivery(d.id));
    } catch (err) {
      setError(toClientErrorCode(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="notify-log__item" data-state={d.state} data-testid="delivery">
      <h2 className="notify-log__subject">{d.subject}</h2>
      <p className="notify-log__meta">
        <span>{t(`notify.log.stateName.${d.state}`)}</span>
        <span>{t(`notify.log.kindName.${d.kind}`)}</span>
        <span>{t(`notify.preferences.channel.${d.channel}`)}</span>
        {d.urgent && <span>{t('notify.log.urgent')}</span>}
      </p>
      <p className="notify-log__meta">
        <span>
          {t('common.labelled', {
            label: t('notify.log.to'),
            text: t('common.withAside', {
              main: d.memberName ?? (d.memberId === null ? t('notify.log.group') : d.memberId),
              aside: d.to,
            }),
          })}
        </span>
        <span>{t('common.labelled', { label: t('notify.log.createdAt'), text: at(d.createdAt) })}</span>
      </p>
      <p className="notify-log__meta hint">
        <span>{t('notify.log.attempts', { count: d.attempts.length })}</span>
        {d.sentAt && <span>{t('notify.log.sentAt', { at: at(d.sentAt) })}</span>}
        {d.nextAttemptAt && d.state !== 'sent' && (
          <span>{t('notify.log.nextAttempt', { at: at(d.nextAttemptAt) })}</span>
        )}
        {lastError && <span lang="en">{t('notify.log.lastError', { error: lastError })}</span>}
      </p>
      <p>
        <a href={d.link}>{t('notify.log.open')}</a>
      </p>
      {d.state === 'failed' && (
        <button type="button" className="button button--small" disabled={busy} onClick={() => void resend()}>
          {t('notify.log.resend')}
        </button>
      )}
      <ErrorBanner error={error} />
    </li>
  );
}

function Log() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<Query>({ month: thisMonth() });
  const [draft, setDraft] = useState<Query>({ month: thisMonth() });
  // Asked again on each "show" (a new query), the last list staying meanwhile.
  const {
    data: list,
    error,
    reload,
    setData: setList,
  } = useLoad(() => fetchDeliveries(query).then((r) => r.deliveries), [query], { keep: true });
  const [status, setStatus] = useState('');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setQuery({ ...draft });
  };
  const select = <K extends 'state' | 'channel' | 'kind'>(key: K, value: string) =>
    setDraft((d) => ({ ...d, [key]: value === '' ? undefined : value }));

  return (
    <div className="page notify-page">
      <h1>{t('notify.log.title')}</h1>
      <p className="hint">{t('notify.log.intro')}</p>
      <form className="panel notify-filters" onSubmit={submit}>
        <Field label={t('notify.log.month')}>
          <input
            type="month"
            value={draft.month ?? ''}
            onChange={(e) => setDraft((d) => ({ ...d, month: e.target.value || undefined }))}
          />
        </Field>
        <Field label={t('notify.log.state')}>
          <select value={draft.state ?? ''} onChange={(e) => select('state', e.target.value)}>
            <option value="">{t('notify.log.all')}</option>
            {DeliveryState.options.map((s) => (
              <option key={s} value={s}>
                {t(`notify.log.stateName.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('notify.log.channel')}>
          <select value={draft.channel ?? ''} onChange={(e) => select('channel', e.target.value)}>
            <option value="">{t('notify.log.all')}</option>
            {NotifyChannel.options.map((c) => (
              <option key={c} value={c}>
                {t(`notify.preferences.channel.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('notify.log.kind')}>
          <select value={draft.kind ?? ''} onChange={(e) => select('kind', e.target.value)}>
            <option value="">{t('notify.log.all')}</option>
            {NotifyKind.options.map((k) => (
              <option key={k} value={k}>
                {t(`notify.log.kindName.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="button">
          {t('notify.log.show')}
        </button>
      </form>
      {error && <RefreshFailed error={error} kept={list !== null} onRetry={reload} />}
      <p role="status" className="hint">
        {status}
      </p>
      {list !== null && list.length === 0 && !error && <p className="hint">{t('notify.log.empty')}</p>}
      {list !== null && list.length > 0 && (
        <ul className="notify-log">
          {list.map((d) => (
            <Entry
              key={d.id}
              d={d}
              onResent={(next) => {
                setList((l) => (l ?? []).map((x) => (x.id === next.id ? next : x)));
                setStatus(t('notify.log.resent'));
              }}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function StaffOnly() {
  const { t } = useTranslation();
  const staff = useAppStore((s) => s.me?.kind === 'staff');
  if (!staff) {
    return (
      <p className="page field-error" role="alert">
        {t('errors.FORBIDDEN')}
      </p>
    );
  }
  return <Log />;
}

/** 发送记录: staff read the month's deliveries, filter them and send a failed one again. */
export function DeliveryLogPage() {
  return <SignedIn returnTo={deliveryLogPath}>{() => <StaffOnly />}</SignedIn>;
}
